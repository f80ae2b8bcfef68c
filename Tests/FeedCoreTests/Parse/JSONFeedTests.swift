import Foundation
import Testing

@testable import FeedCore

@Suite struct JSONFeedTests {
    @Test func version11() throws {
        let feed = try parseFixture("jsonfeed-1.1.json", url: "https://example.org/feed.json")
        #expect(feed.format == .json1x)
        #expect(feed.title == "JSON & Feed")
        #expect(feed.url == "https://example.org/")
        #expect(feed.language == "en-GB")
        let first = feed.items[0]
        #expect(first.guid == "2")
        #expect(first.content == #"<p>Hello, <a href="https://example.org/world">world</a>!</p>"#)
        #expect(first.summary == "A summary")
        #expect(first.published.map(FeedDate.format) == "2024-02-10T10:22:33Z")
        #expect(first.updated.map(FeedDate.format) == "2024-02-11T00:00:00Z")
        #expect(first.categories == ["swift", "feeds"])
        #expect(first.author == "Brent")
        #expect(first.enclosures == [Enclosure(url: "https://example.org/a.mp3", type: "audio/mpeg", length: 1234)])
        let second = feed.items[1]
        #expect(second.guid == "1")
        #expect(second.title == nil)
        #expect(second.url == "https://elsewhere.example/1")
        #expect(second.content == "Plain text, no title")
        #expect(second.author == "Old-style 1.0 author")
    }

    @Test func version10() throws {
        let feed = try parseFixture("jsonfeed-1.0.json")
        #expect(feed.items.count == 1)
        #expect(feed.items[0].author == "Manton")
        #expect(feed.items[0].published.map(FeedDate.format) == "2017-05-17T15:02:12Z")
    }

    @Test(arguments: [
        (#"{"title": "no items"}"#, "not a feed: JSON without a JSON Feed \"version\" or \"items\""),
        (#"{"version": "https://jsonfeed.org/version/1.1", "items": 3}"#, "not a valid JSON Feed: \"items\" is missing or not an array"),
        (#"{"version": "https://jsonfeed.org/version/1.1", "items": [}"#, nil),
        ("[1, 2]", "not a feed: a JSON array, not a JSON Feed object"),
    ])
    func invalidJSONFeedsSayWhy(text: String, message: String?) throws {
        #expect {
            _ = try parseText(text)
        } throws: { error in
            guard let error = error as? ParseError else { return false }
            if let message { return error.description == message }
            return error.description.hasPrefix("not a valid JSON Feed: the JSON does not parse")
        }
    }
}
