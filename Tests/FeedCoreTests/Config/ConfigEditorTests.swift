import Foundation
import Testing

@testable import FeedCore

/// `ConfigEditor` appends entries to `feeds` and leaves every other byte of the file as it was: each test is a
/// file before and after, byte for byte, and the result must still be a configuration that decodes.
@Suite struct ConfigEditorTests {
    private let feed = FeedEntry(url: "https://new.example/feed.xml")
    private let full = FeedEntry(
        url: "https://new.example/atom", id: "new", title: "New \"one\"", tags: ["a", "b"], interval: .string("30m"))

    /// Appends `entries` to `before` and checks the result against `after`, and that it decodes with one more
    /// feed per entry.
    private func expectEdit(
        _ before: String, _ entries: [FeedEntry], _ after: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let edited = try ConfigEditor.appending(entries, to: Array(before.utf8))
        let text = String(decoding: edited, as: UTF8.self)
        #expect(text == after, "got:\n\(text)", sourceLocation: sourceLocation)
        // A file without "feeds" is no configuration yet: it has no feeds to keep.
        let old = before.contains("\"feeds\"")
            ? try ConfigDecoder.decode(Data(before.utf8), file: "feeds.json").get().feeds : []
        let new = try ConfigDecoder.decode(Data(edited), file: "feeds.json").get()
        #expect(new.feeds.count == old.count + entries.count, sourceLocation: sourceLocation)
        #expect(Array(new.feeds.prefix(old.count)) == old, sourceLocation: sourceLocation)
        #expect(new.feeds.suffix(entries.count).map(\.url.absoluteString) == entries.map(\.url),
                sourceLocation: sourceLocation)
    }

    @Test func theReadmeLayoutKeepsItsOneLineObjectsAndTheirKeyOrder() throws {
        let before = """
            {
              "state_dir": "/var/lib/feedd",
              "interval": "15m",
              "feeds": [
                { "id": "ladaily", "url": "https://example.com/feed/", "title": "LA News Daily", "interval": "30m", \
            "tags": ["news", "la"] },
                "https://example.org/atom.xml"
              ]
            }

            """
        let after = """
            {
              "state_dir": "/var/lib/feedd",
              "interval": "15m",
              "feeds": [
                { "id": "ladaily", "url": "https://example.com/feed/", "title": "LA News Daily", "interval": "30m", \
            "tags": ["news", "la"] },
                "https://example.org/atom.xml",
                { "id": "new", "url": "https://new.example/atom", "title": "New \\"one\\"", "interval": "30m", \
            "tags": ["a", "b"] }
              ]
            }

            """
        try expectEdit(before, [full], after)
    }

    @Test func feedsThatAreNotTheLastKeyKeepWhatFollows() throws {
        let before = """
            {
                "feeds": [
                    "https://a.example/feed",
                    "https://b.example/feed"
                ],
                "concurrency": 4
            }
            """
        let after = """
            {
                "feeds": [
                    "https://a.example/feed",
                    "https://b.example/feed",
                    {"url": "https://new.example/feed.xml"},
                    {"url": "https://new.example/atom", "id": "new", "title": "New \\"one\\"", "tags": ["a", "b"], \
            "interval": "30m"}
                ],
                "concurrency": 4
            }
            """
        try expectEdit(before, [feed, full], after)
    }

    @Test func multilineObjectsAreCopiedWithTheirIndentation() throws {
        let before = """
            {
              "feeds": [
                {
                  "url": "https://a.example/feed",
                  "title": "A"
                }
              ],
              "timeout": "10s"
            }

            """
        let after = """
            {
              "feeds": [
                {
                  "url": "https://a.example/feed",
                  "title": "A"
                },
                {
                  "url": "https://new.example/atom",
                  "id": "new",
                  "title": "New \\"one\\"",
                  "tags": ["a", "b"],
                  "interval": "30m"
                }
              ],
              "timeout": "10s"
            }

            """
        try expectEdit(before, [full], after)
    }

    @Test func anEmptyArrayOnOneLineOfAPrettyFileGetsOneEntryPerLine() throws {
        let before = "{\n  \"interval\": \"1h\",\n  \"feeds\": []\n}\n"
        let after = """
            {
              "interval": "1h",
              "feeds": [
                {"url": "https://new.example/feed.xml"},
                {"url": "https://new.example/atom", "id": "new", "title": "New \\"one\\"", "tags": ["a", "b"], \
            "interval": "30m"}
              ]
            }

            """
        try expectEdit(before, [feed, full], after)
    }

    @Test func anEmptyArrayOverTwoLinesIsFilledAtItsClosingBracketsIndentation() throws {
        let before = "{\n    \"feeds\": [\n    ]\n}"
        let after = "{\n    \"feeds\": [\n        {\"url\": \"https://new.example/feed.xml\"}\n    ]\n}"
        try expectEdit(before, [feed], after)
    }

    @Test func anArrayWithOneStringTakesTheLineBreakAfterItsBracket() throws {
        let before = "{\n  \"feeds\": [\n    \"https://a.example/feed\"\n  ]\n}\n"
        let after = "{\n  \"feeds\": [\n    \"https://a.example/feed\",\n"
            + "    {\"url\": \"https://new.example/feed.xml\"}\n  ]\n}\n"
        try expectEdit(before, [feed], after)
    }

    @Test func aMinifiedFileStaysOnOneLine() throws {
        try expectEdit(
            #"{"interval":"5m","feeds":["https://a.example/feed"]}"#, [feed, full],
            #"{"interval":"5m","feeds":["https://a.example/feed",{"url":"https://new.example/feed.xml"},"#
                + #"{"url":"https://new.example/atom","id":"new","title":"New \"one\"","tags":["a","b"],"#
                + #""interval":"30m"}]}"#)
        try expectEdit(#"{"feeds":[]}"#, [feed], #"{"feeds":[{"url":"https://new.example/feed.xml"}]}"#)
        try expectEdit(
            #"{"feeds": [], "timeout": 5}"#, [feed, FeedEntry(url: "https://b.example/")],
            #"{"feeds": [{"url": "https://new.example/feed.xml"}, {"url": "https://b.example/"}], "timeout": 5}"#)
    }

    @Test func crlfLineEndingsAreKeptAndUsedForNewLines() throws {
        let before = "{\r\n  \"feeds\": [],\r\n  \"interval\": \"1h\"\r\n}\r\n"
        let after = "{\r\n  \"feeds\": [\r\n    {\"url\": \"https://new.example/feed.xml\"}\r\n  ],\r\n"
            + "  \"interval\": \"1h\"\r\n}\r\n"
        try expectEdit(before, [feed], after)
        let objects = "{\r\n  \"feeds\": [\r\n    {\r\n      \"url\": \"https://a.example/feed\"\r\n    }\r\n  ]\r\n}"
        let objectsAfter = "{\r\n  \"feeds\": [\r\n    {\r\n      \"url\": \"https://a.example/feed\"\r\n    },\r\n"
            + "    {\r\n      \"url\": \"https://new.example/feed.xml\"\r\n    }\r\n  ]\r\n}"
        try expectEdit(objects, [feed], objectsAfter)
    }

    @Test func tabsAreKeptAndUsedForNewLevels() throws {
        let before = "{\n\t\"state_dir\": \"s\",\n\t\"feeds\": []\n}\n"
        let after =
            "{\n\t\"state_dir\": \"s\",\n\t\"feeds\": [\n\t\t{\"url\": \"https://new.example/feed.xml\"}\n\t]\n}\n"
        try expectEdit(before, [feed], after)
        let entry = "\t\t{\n\t\t\t\"url\": \"https://a.example/feed\",\n\t\t\t\"id\": \"a\"\n\t\t}"
        let objects = "{\n\t\"feeds\": [\n" + entry + "\n\t]\n}\n"
        let objectsAfter = "{\n\t\"feeds\": [\n" + entry + ",\n"
            + "\t\t{\n\t\t\t\"url\": \"https://new.example/feed.xml\"\n\t\t}\n\t]\n}\n"
        try expectEdit(objects, [feed], objectsAfter)
    }

    @Test func aFileWithoutFeedsGetsTheMemberBeforeItsClosingBrace() throws {
        try expectEdit(
            "{\n  \"state_dir\": \"state\",\n  \"interval\": \"1h\"\n}\n", [feed],
            "{\n  \"state_dir\": \"state\",\n  \"interval\": \"1h\",\n  \"feeds\": [\n"
                + "    {\"url\": \"https://new.example/feed.xml\"}\n  ]\n}\n")
        try expectEdit(
            "{\n    \"state_dir\": \"state\"\n}", [feed],
            "{\n    \"state_dir\": \"state\",\n    \"feeds\": [\n        {\"url\": \"https://new.example/feed.xml\"}\n"
                + "    ]\n}")
        try expectEdit(
            #"{"state_dir":"s"}"#, [feed], #"{"state_dir":"s","feeds":[{"url":"https://new.example/feed.xml"}]}"#)
        try expectEdit("{}\n", [feed], "{\"feeds\": [{\"url\": \"https://new.example/feed.xml\"}]}\n")
        try expectEdit("{\n}\n", [feed], "{\n  \"feeds\": [\n    {\"url\": \"https://new.example/feed.xml\"}\n  ]\n}\n")
    }

    @Test func whatSurroundsTheObjectIsKeptByteForByte() throws {
        // A byte order mark, blank lines, odd spacing, numbers in their own spelling, no final line break.
        let before =
            "\u{FEFF}\n\n{ \"concurrency\" : 16.0 ,\"feeds\" : [ \"https://a.example/feed\" ] , \"backfill\": 1e1 }  "
        let after = "\u{FEFF}\n\n{ \"concurrency\" : 16.0 ,\"feeds\" : [ \"https://a.example/feed\", "
            + "{\"url\" : \"https://new.example/feed.xml\"} ] , \"backfill\": 1e1 }  "
        try expectEdit(before, [feed], after)
    }

    @Test func stringsAreEscapedAsJSON() throws {
        let odd = FeedEntry(url: "https://new.example/q?a=1&b=\"2\"", title: "Ünïcode \\ tab\there — 東京 \u{1}")
        let edited = try ConfigEditor.appending([odd], to: Array(#"{"feeds": []}"#.utf8))
        #expect(String(decoding: edited, as: UTF8.self)
            == #"{"feeds": [{"url": "https://new.example/q?a=1&b=\"2\"", "#
            + #""title": "Ünïcode \\ tab\there — 東京 \u0001"}]}"#)
        let config = try ConfigDecoder.decode(Data(edited), file: "feeds.json").get()
        #expect(config.feeds.first?.title == odd.title)
    }

    @Test func aNumberIntervalIsWrittenAsANumber() throws {
        let entry = FeedEntry(url: "https://new.example/feed.xml", interval: .number("90"))
        let edited = try ConfigEditor.appending([entry], to: Array(#"{"feeds":[]}"#.utf8))
        #expect(String(decoding: edited, as: UTF8.self)
            == #"{"feeds":[{"url":"https://new.example/feed.xml","interval":90}]}"#)
    }

    @Test func aDocumentThatIsNotAConfigObjectIsRefused() {
        #expect(throws: ConfigEditor.Failure.self) { try ConfigEditor.appending([feed], to: Array("[1]".utf8)) }
        #expect(throws: ConfigEditor.Failure.self) {
            try ConfigEditor.appending([feed], to: Array(#"{"feeds": {}}"#.utf8))
        }
        #expect(throws: ConfigEditor.Failure.self) { try ConfigEditor.appending([feed], to: Array("{,}".utf8)) }
    }

    @Test func keysTheNeighboursDoNotUseFollowTheOnesTheyDo() {
        let spans = try! JSONSpan.parse(Array(#"[{"title": "t", "url": "u"}]"#.utf8)).children
        #expect(ConfigEditor.keyOrder(of: spans) == ["title", "tags", "interval", "url", "id"])
        #expect(ConfigEditor.keyOrder(of: []) == FeedEntry.defaultKeyOrder)
    }

    @Test func spansNameTheBytesOfEveryValueAndKey() throws {
        let text = #"{"a": [1, "x"], "b": {"c": null}}"#
        let bytes = Array(text.utf8)
        let root = try JSONSpan.parse(bytes)
        func slice(_ range: Range<Int>?) -> String { range.map { String(decoding: bytes[$0], as: UTF8.self) } ?? "" }
        #expect(root.range == 0..<bytes.count)
        #expect(root.children.map { slice($0.keyRange) } == [#""a""#, #""b""#])
        #expect(root.children.map { slice($0.range) } == [#"[1, "x"]"#, #"{"c": null}"#])
        #expect(root.member("a")?.children.map { slice($0.range) } == ["1", #""x""#])
        #expect(root.member("b")?.member("c")?.value == .null)
    }
}
