import Foundation
import Testing

@testable import FeedCore

/// `fulltext` in feeds.json, and the `article` key it adds to story lines.
@Suite struct FulltextConfigTests {
    @Test func fulltextIsOffByDefaultAndSetAtTopLevelOrPerFeed() throws {
        let plain = try ConfigDecoderTests.config(
            #"{"feeds": ["https://a.example/f", {"url": "https://b.example/f"}]}"#)
        #expect(plain.feeds.map(\.fulltext) == [false, false])
        let top = try ConfigDecoderTests.config(
            #"{"fulltext": true, "feeds": ["https://a.example/f", {"url": "https://b.example/f"}, "#
                + #"{"url": "https://c.example/f", "fulltext": false}]}"#)
        #expect(top.feeds.map(\.fulltext) == [true, true, false])
        let one = try ConfigDecoderTests.config(
            #"{"feeds": [{"url": "https://a.example/f", "fulltext": true}, "https://b.example/f"]}"#)
        #expect(one.feeds.map(\.fulltext) == [true, false])
    }

    @Test func aFulltextThatIsNoBoolIsAProblemWithItsPath() {
        let problems = ConfigDecoderTests.problems(
            #"{"fulltext": "yes", "feeds": [{"url": "https://a.example/f", "fulltext": 1}]}"#)
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("feeds.json: fulltext: ") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("feeds.json: feeds[0].fulltext: ") }, "\(problems)")
    }

    @Test func storiesOfFulltextFeedsEndWithTheirArticleOthersHaveNone() throws {
        var story = SampleStory.make(id: "k")
        let plain = String(decoding: StoryLine.encode(story), as: UTF8.self)
        #expect(!plain.contains(#""article""#))
        #expect(plain.hasSuffix(#""found":"2026-11-29T07:00:00Z"}"#))

        story.article = .extracted(html: "<p>Body \"quoted\"</p>")
        let withArticle = String(decoding: StoryLine.encode(story), as: UTF8.self)
        #expect(withArticle.hasSuffix(#""found":"2026-11-29T07:00:00Z","article":"<p>Body \"quoted\"</p>"}"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(withArticle.utf8)) as? [String: Any])
        #expect(object["article"] as? String == "<p>Body \"quoted\"</p>")
        #expect(StoryLine.parse(line: withArticle)?.id == "k")

        story.article = .unavailable(reason: "HTTP 404")
        let missing = String(decoding: StoryLine.encode(story), as: UTF8.self)
        #expect(missing.hasSuffix(#""found":"2026-11-29T07:00:00Z","article":null}"#))
        #expect(!missing.contains("404"))
    }
}
