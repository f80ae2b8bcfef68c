import Foundation
import Testing

@testable import FeedCore

/// `feedd once`, `check`, `status` and `tail` as a user runs them: the built binary, real files, a real server.
@Suite(.serialized) struct OnceEndToEndTests {
    @Test func onceTwiceLogsEveryStoryExactlyOnce() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 3, items: 5)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: (0..<3).map(farm.url))

        let first = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(workspace.loggedGuids().count == 15)
        let second = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(second.status == 0)
        #expect(workspace.loggedGuids().count == 15)
        // The second pass was all conditional: every feed answered 304.
        #expect(server.requests.suffix(3).allSatisfy { $0.header("If-None-Match") != nil })

        farm.grow(0, by: 2)
        _ = try await FeeddProcess.run(["once"], directory: workspace.directory)
        let guids = workspace.loggedGuids()
        #expect(guids.count == 17)
        #expect(Set(guids).count == 17)
        #expect(Set(guids) == farm.guids(0).union(farm.guids(1)).union(farm.guids(2)))
        #expect(workspace.loggedStories().problems.isEmpty)
        // Oldest first within a fetch: the two new stories of feed 0 in date order.
        #expect(guids.suffix(2) == [farm.guid(0, 5), farm.guid(0, 6)])
    }

    /// One pass means each feed fetched once, also when the pass outlasts the interval: a slow server kept the pass
    /// going for 3 s, and a feed polled every second was fetched three or four times (seen on a machine slowed by a
    /// sanitizer, whose `once` over 200 feeds made 490 fetches).
    @Test func onePassFetchesEachFeedOnceEvenWhenItOutlastsTheInterval() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 2, items: 2)
        server.route("/slow.xml") { _ in .init(status: 200, body: Data(TestHTTPServer.rss(guids: ["s-1"]).utf8), delay: 3) }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let urls = ((0..<2).map(farm.url) + [server.url("/slow.xml").absoluteString]).map { "\"\($0)\"" }
        try workspace.writeConfig(
            #"{"state_dir": "state", "interval": "1s", "timeout": "120s", "feeds": [\#(urls.joined(separator: ", "))]}"#)
        let once = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(server.requests.count == 3, "\(server.requests.map(\.path))")
        #expect(once.stderr.contains("pass done feeds=3 new=5 failed=0"), "\(once.stderr)")
    }

    @Test func storyLinesCarryTheContractFields() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(#"{"state_dir": "state", "feeds": [{"id": "farm", "url": "\#(farm.url(0))", "title": "The Farm"}]}"#)
        _ = try await FeeddProcess.run(["once"], directory: workspace.directory)
        let story = try #require(workspace.loggedStories().stories.first)
        #expect(story["feed"] as? String == "farm")
        #expect(story["feed_title"] as? String == "The Farm")
        #expect(story["id"] as? String == farm.guid(0, 0))
        #expect(story["title"] as? String == "Story 0 of feed 0 & co")
        #expect(story["url"] as? String == "https://farm.example/0/0")
        #expect(story["published"] as? String == "2023-11-14T22:13:20Z")
        #expect(story["summary"] as? String == "<p>Body 0</p>")
        #expect(story["updated"] is NSNull)
        #expect(story["categories"] as? [Any] != nil)
        #expect((story["found"] as? String).flatMap(FeedDate.parse) != nil)
    }

    @Test func onceReportsFailingFeedsButExitsZero() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/broken.xml", TestHTTPServer.status(500))
        let farm = FeedFarm(server: server, feeds: 1, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0), server.url("/broken.xml").absoluteString])
        let run = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(run.status == 0)
        #expect(run.stderr.contains("<4>"))
        #expect(run.stderr.contains("HTTP 500"))
        #expect(workspace.loggedGuids().count == 2)
        let status = try await FeeddProcess.run(["status", "--json"], directory: workspace.directory)
        #expect(status.status == 0)
        let rows = status.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(rows.count == 2)
        let broken = rows.first { ($0["url"] as? String)?.hasSuffix("/broken.xml") == true }
        #expect(broken?["http_status"] as? Int == 500)
        #expect(broken?["consecutive_failures"] as? Int == 1)
        #expect(broken?["last_error"] as? String == "HTTP 500")
    }

    @Test func invalidConfigExitsTwoNamingTheField() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(#"{"feeds": [{"url": "https://example.org/feed", "intreval": "5m"}]}"#)
        for command in ["once", "run", "check"] {
            let run = try await FeeddProcess.run([command], directory: workspace.directory, timeout: 20)
            #expect(run.status == 2)
            #expect(run.stderr.contains(#"feeds.json: feeds[0].intreval: unknown field (did you mean "interval"?)"#), "\(run.stderr)")
        }
    }

    @Test func tailPrintsTheNewestStories() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 4)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(#"{"state_dir": "state", "feeds": [{"id": "farm", "url": "\#(farm.url(0))"}]}"#)
        _ = try await FeeddProcess.run(["once"], directory: workspace.directory)
        let tail = try await FeeddProcess.run(["tail", "-n", "2"], directory: workspace.directory)
        let lines = tail.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains("  farm  Story 3 of feed 0 & co  https://farm.example/0/3") == true)
        let raw = try await FeeddProcess.run(["tail", "-n", "1", "--json"], directory: workspace.directory)
        #expect(raw.stdout.hasPrefix(#"{"feed":"farm""#))
    }
}
