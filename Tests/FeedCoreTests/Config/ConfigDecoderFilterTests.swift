import Foundation
import Testing

@testable import FeedCore

/// `filters` at both levels and `metrics_file`: what decodes, and every problem with its JSON path.
@Suite struct ConfigDecoderFilterTests {
    @Test func topLevelFilterComesFirstAndAFeedsOwnIsAdded() throws {
        let config = try ConfigDecoderTests.config(
            #"""
            {"filters": {"drop": {"title": "(?i)sponsored"}},
             "feeds": ["https://a.example/feed",
                       {"url": "https://b.example/feed", "filters": {"keep": {"category": "^Swift$", "any": "x"}}}]}
            """#)
        let top = try StoryFilter(drop: [.init(field: .title, pattern: "(?i)sponsored")])
        #expect(config.feeds[0].filters == [top])
        let own = try StoryFilter(keep: [.init(field: .category, pattern: "^Swift$"), .init(field: .any, pattern: "x")])
        #expect(config.feeds[1].filters == [top, own])
    }

    @Test func noFiltersByDefaultAndAnEmptyObjectAddsNone() throws {
        let config = try ConfigDecoderTests.config(
            #"{"feeds": ["https://a.example/feed", {"url": "https://b.example/feed", "filters": {"drop": {}}}]}"#)
        #expect(config.feeds.allSatisfy { $0.filters.isEmpty })
        #expect(config.metricsFile == .inStateDirectory)
    }

    @Test(arguments: [
        (
            #"{"feeds": [], "filters": {"drop": {"title": "(abc"}}}"#,
            #"feeds.json: filters.drop.title: invalid regular expression "(abc" (ICU syntax: check brackets, parentheses, repetitions and backslashes, which JSON needs doubled)"#
        ),
        (
            #"{"feeds": ["https://a.example/f", "https://b.example/f", {"url": "https://c.example/f", "filters": {"keep": {"url": "[z-a]"}}}]}"#,
            #"feeds.json: feeds[2].filters.keep.url: invalid regular expression "[z-a]" (ICU syntax: check brackets, parentheses, repetitions and backslashes, which JSON needs doubled)"#
        ),
        (
            #"{"feeds": [{"url": "https://a.example/f", "filters": {"drop": {"titel": "x"}}}]}"#,
            #"feeds.json: feeds[0].filters.drop.titel: unknown field (did you mean "title"?)"#
        ),
        (
            #"{"feeds": [], "filters": {"dorp": {"title": "x"}}}"#,
            #"feeds.json: filters.dorp: unknown field (did you mean "drop"?)"#
        ),
        (
            #"{"feeds": [], "filters": {"drop": {"body": "x"}}}"#,
            "feeds.json: filters.drop.body: unknown field"
        ),
        (
            #"{"feeds": [], "filters": ["title"]}"#,
            #"feeds.json: filters: expected an object with "drop" and/or "keep", found an array"#
        ),
        (
            #"{"feeds": [], "filters": {"keep": ["x"]}}"#,
            "feeds.json: filters.keep: expected an object of FIELD: REGEX (FIELD one of title, summary, content, author, category, url, any), found an array"
        ),
        (
            #"{"feeds": [], "filters": {"drop": {"author": 3}}}"#,
            "feeds.json: filters.drop.author: expected a string, found 3"
        ),
        (
            #"{"feeds": [], "filters": {"drop": {"author": ""}}}"#,
            "feeds.json: filters.drop.author: must not be empty"
        ),
        (#"{"feeds": [], "metrics_file": true}"#, "feeds.json: metrics_file: expected a file path or false, found true"),
        (#"{"feeds": [], "metrics_file": ""}"#, #"feeds.json: metrics_file: expected a file path or false, found """#),
    ])
    func problemsNameTheirPath(json: String, problem: String) {
        #expect(ConfigDecoderTests.problems(json) == [problem])
    }

    @Test func everyBadPatternIsReported() {
        let problems = ConfigDecoderTests.problems(
            #"{"feeds": [{"url": "https://a.example/f", "filters": {"drop": {"title": "(", "summary": ")"}}}]}"#)
        #expect(problems.count == 2)
        #expect(problems.allSatisfy { $0.contains("invalid regular expression") })
    }

    @Test func metricsFileTakesAPathOrFalse() throws {
        #expect(try ConfigDecoderTests.config(#"{"feeds": [], "metrics_file": false}"#).metricsFile == .none)
        let path = try ConfigDecoderTests.config(#"{"feeds": [], "metrics_file": "/var/lib/node/feedd.prom"}"#)
        #expect(path.metricsFile == .path("/var/lib/node/feedd.prom"))
    }
}
