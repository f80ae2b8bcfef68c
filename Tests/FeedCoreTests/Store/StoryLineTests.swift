import Foundation
import Testing

@testable import FeedCore

@Suite struct StoryLineTests {
    static let contractKeys = [
        "feed", "feed_title", "id", "guid", "title", "url", "author", "published", "updated", "summary", "content",
        "categories", "enclosures", "found",
    ]

    @Test func fullStoryIsTheContractsLineInTheContractsKeyOrder() {
        var item = ParsedItem()
        item.guid = "https://example.com/?p=42"
        item.title = "Trump Orders ICE to Target Democratic Cities in Immigration Crackdown"
        item.url = "https://example.com/2025/06/trump-orders-ice/"
        item.author = "LA News Daily Contributor"
        item.published = FeedDate.parse("2025-06-16T18:04:00Z")
        item.summary = "<p>Summary</p>"
        item.content = "<p>Content</p>"
        item.categories = ["Politics"]
        item.enclosures = [Enclosure(url: "https://example.com/a.jpg", type: "image/jpeg", length: 12345)]
        let story = Story(
            feed: FeedID("ladaily"), feedTitle: "LA News Daily", id: "https://example.com/?p=42", item: item,
            found: SampleStory.found)
        let expected =
            #"{"feed":"ladaily","feed_title":"LA News Daily","id":"https://example.com/?p=42","#
            + #""guid":"https://example.com/?p=42","#
            + #""title":"Trump Orders ICE to Target Democratic Cities in Immigration Crackdown","#
            + #""url":"https://example.com/2025/06/trump-orders-ice/","author":"LA News Daily Contributor","#
            + #""published":"2025-06-16T18:04:00Z","updated":null,"summary":"<p>Summary</p>","#
            + #""content":"<p>Content</p>","categories":["Politics"],"#
            + #""enclosures":[{"url":"https://example.com/a.jpg","type":"image/jpeg","length":12345}],"#
            + #""found":"2026-11-29T07:00:00Z"}"#
        #expect(String(decoding: StoryLine.encode(story), as: UTF8.self) == expected)
    }

    @Test func emptyStoryHasEveryKeyWithNullEmptyOrEmptyTitle() throws {
        let story = Story(feed: FeedID("f"), feedTitle: nil, id: "k", item: ParsedItem(), found: SampleStory.found)
        let line = String(decoding: StoryLine.encode(story), as: UTF8.self)
        #expect(
            line == #"{"feed":"f","feed_title":null,"id":"k","guid":null,"title":"","url":null,"author":null,"#
                + #""published":null,"updated":null,"summary":null,"content":null,"categories":[],"enclosures":[],"#
                + #""found":"2026-11-29T07:00:00Z"}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(Self.contractKeys))
        #expect(object["title"] as? String == "")
        #expect(object["url"] is NSNull)
    }

    @Test func keysComeInTheContractsOrderWhateverTheValues() throws {
        var story = SampleStory.make(id: "a,\"b\":{c}")
        story.item.title = #"quotes " and "keys": inside"#
        story.item.categories = ["x", "y"]
        let line = String(decoding: StoryLine.encode(story), as: UTF8.self)
        var searchFrom = line.startIndex
        for key in Self.contractKeys {
            let range = try #require(line.range(of: "\"\(key)\":", range: searchFrom..<line.endIndex))
            searchFrom = range.upperBound
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object.count == Self.contractKeys.count)
    }

    @Test func slashesAreNotEscapedAndTheLineHasNoNewline() {
        let line = StoryLine.encode(SampleStory.make(id: "a/b"))
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains("https://example.com/a/b/"))
        #expect(!text.contains("\\/"))
        #expect(!line.contains(0x0A))
    }

    @Test(arguments: [
        "plain", "quote \" backslash \\ slash /", "new\nline\r\ttab", "control \u{01}\u{1F}", "é ü 中文 😀",
        "\u{2028}\u{2029}", "",
    ])
    func readingALineBackGivesTheWrittenFields(title: String) throws {
        var story = SampleStory.make("feed-1", id: "id " + title, title: title)
        story.item.url = "https://example.com/" + title
        let logged = try #require(StoryLine.parse(line: String(decoding: StoryLine.encode(story), as: UTF8.self)))
        #expect(
            logged
                == StoryLine(
                    feed: FeedID("feed-1"), feedTitle: "Feed feed-1", id: "id " + title, title: title,
                    url: "https://example.com/" + title, found: SampleStory.found))
        // JSONSerialization agrees with the reader.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(StoryLine.encode(story))) as? [String: Any])
        #expect(object["title"] as? String == title)
    }

    @Test func readerAcceptsAnyKeyOrderSpacingAndNestedValues() throws {
        let line =
            #" { "summary" : "a}b{\"" , "categories":["x]",{"y":[1,2]}], "enclosures":[{"url":"u"}],"#
            + #" "n": -1.5e3, "t": true, "z": null, "id":"i", "feed":"f", "title":null } "# + "\n"
        let logged = try #require(StoryLine.parse(line: line))
        #expect(logged == StoryLine(feed: FeedID("f"), feedTitle: nil, id: "i", title: "", url: nil, found: nil))
    }

    @Test func readerDecodesUnicodeEscapesAndSurrogatePairs() throws {
        let line = #"{"feed":"f","id":"\u00e9\ud83d\ude00\u002F\/","title":"lone \ud800 and \udc00"}"#
        let logged = try #require(StoryLine.parse(line: line))
        #expect(logged.id == "é😀//")
        #expect(logged.title == "lone \u{FFFD} and \u{FFFD}")
    }

    @Test(arguments: [
        "", "   ", "garbage", "{", "[1]", "null", #"{"feed":"a"}"#, #"{"id":"a"}"#, #"{"feed":1,"id":"x"}"#,
        #"{"feed":"a","id":"b"} trailing"#, #"{"feed":"a","id":"b""#, #"{"feed":"a","id":"b","x":[1,2}"#,
        #"{"feed":"a","id":"b","x":"unterminated}"#, #"{"feed":"a" "id":"b"}"#, #"{"feed":"a","id":}"#,
    ])
    func junkLinesAreNotStories(line: String) {
        #expect(StoryLine.parse(line: line) == nil)
    }

    @Test func bytesAndStringsReadAlike() {
        let line = StoryLine.encode(SampleStory.make(id: "x"))
        #expect(StoryLine.parse(line: line[...]) == StoryLine.parse(line: String(decoding: line, as: UTF8.self)))
        #expect(StoryLine.parse(line: line[...])?.id == "x")
    }
}
