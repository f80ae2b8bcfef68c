import Foundation
import Testing

@testable import FeedCore

/// Real feeds are often not well-formed: what feedd recovers, and how it says what it could not.
@Suite struct RobustnessTests {
    @Test func htmlEntitiesBareAmpersandsAndInvalidReferences() throws {
        let feed = try parseFixture("rss2-html-entities.xml")
        let item = feed.items[0]
        #expect(item.title == "Café\u{A0}culture — it’s “quoted”… AT&T & co – 😀 \u{FFFD} \u{FFFD} \u{FFFD}")
        #expect(item.url == "http://example.com/a?x=1&y=2")
        #expect(item.summary == "<p>Bare & and &nbsp; double-escaped</p> © 2024 &unknown; ok")
        #expect(item.author == "jane@example.com (Jane Écriture)")
        #expect(feed.items[1].title == "Double & escaped ’ title")
    }

    @Test func controlCharactersThatXMLForbidsAreDropped() throws {
        let feed = try parseText("<rss><channel><item><title>a\u{1}b\u{8}c\u{B}d&#x1;e\u{7F}</title></item></channel></rss>")
        #expect(feed.items[0].title == "abcde\u{7F}")
    }

    @Test func oneBrokenItemDoesNotCostTheOthers() throws {
        let feed = try parseFixture("rss2-one-bad-item.xml")
        #expect(feed.items.map(\.title) == ["Good one", "Broken one unclosed bold", "Good three"])
        #expect(feed.items.map(\.url) == ["http://example.com/1", "http://example.com/2", "http://example.com/3"])
        #expect(feed.items[1].summary == "<p>unescaped <br> html")
        #expect(feed.problems.contains { $0.contains("</bogus> matches no open element") })
        #expect(feed.problems.contains { $0 == "line 12: <b> closed by </title>" })
        #expect(feed.problems.contains { $0 == "line 19: end tag </bogus> matches no open element" })
    }

    @Test func truncatedDocumentKeepsItsCompleteItems() throws {
        let feed = try parseFixture("rss2-truncated.xml")
        #expect(feed.items.map(\.title) == ["Complete item"])
        #expect(feed.problems.contains("1 item cut off by the end of the document left out"))
        #expect(feed.problems.contains { $0.contains("not closed at the end") })
    }

    @Test func unclosedCDATAEndsWithItsElement() throws {
        let feed = try parseFixture("rss2-broken-cdata.xml")
        #expect(feed.items.map(\.title) == ["First", "Second"])
        #expect(feed.items[0].summary == "<p>never closed</p>")
        #expect(feed.items[1].summary == "<p>fine</p>")
        #expect(feed.problems.contains { $0.contains("CDATA section not closed") })
    }

    @Test func junkBeforeTheXMLDeclarationIsSkipped() throws {
        let feed = try parseText("PHP Warning: something went wrong in feed.php on line 12\n<?xml version=\"1.0\"?><rss><channel><title>After junk</title></channel></rss>")
        #expect(feed.title == "After junk")
        #expect(feed.problems.contains { $0.contains("bytes of junk before the XML") })
    }

    @Test func byteOrderMarkAndLeadingWhitespace() throws {
        let text = "\u{FEFF}\n\n   <?xml version=\"1.0\"?><rss><channel><title>BOM</title></channel></rss>"
        #expect(try parseText(text).title == "BOM")
    }

    @Test func utf16WithByteOrderMark() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><channel><title>Ünïcödé</title></channel></rss>"
        var data = Data([0xFF, 0xFE])
        data.append(text.data(using: .utf16LittleEndian)!)
        #expect(try FeedParser.parse(data, url: nil).title == "Ünïcödé")
    }

    @Test func windows1252MislabelledAsLatin1() throws {
        var data = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>".utf8)
        data.append(contentsOf: [0x93, 0x43, 0x61, 0x66, 0xE9, 0x94, 0x20, 0x80])  // “Café” €
        data.append(contentsOf: Data("</title></channel></rss>".utf8))
        #expect(try FeedParser.parse(data, url: nil).title == "“Café” €")
    }

    @Test func undeclaredLatin1BytesInUTF8AreRepairedAndReported() throws {
        var data = Data("<rss><channel><title>caf".utf8)
        data.append(0xE9)
        data.append(contentsOf: Data("</title></channel></rss>".utf8))
        let feed = try FeedParser.parse(data, url: nil)
        #expect(feed.title == "café")
        #expect(!feed.problems.isEmpty)
    }

    @Test(arguments: [
        ("", ParseError.empty),
        ("  \n\t ", ParseError.empty),
        ("not xml at all", ParseError.notAFeed("text that is not XML, starting \"not xml at all\"")),
        ("<html><head><title>Moved</title></head><body>x</body></html>", ParseError.notAFeed("an HTML page (title \"Moved\")")),
        ("<opml version=\"2.0\"><body/></opml>", ParseError.notAFeed("the root element is <opml>, not rss, RDF or feed")),
        ("<!-- only a comment -->", ParseError.notAFeed("no XML element found")),
    ])
    func documentsThatAreNoFeedSayWhatTheyLookLike(text: String, expected: ParseError) {
        #expect(throws: expected) { try parseText(text) }
    }

    @Test func htmlErrorPageFixture() {
        #expect(throws: ParseError.notAFeed("an HTML page (title \"404 Not Found\")")) {
            try parseFixture("not-a-feed-html.html")
        }
    }

    @Test func gzipBodyIsNotGuessedAt() {
        let gzip = Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])
        #expect(throws: ParseError.notAFeed("gzip-compressed data")) { try FeedParser.parse(gzip, url: nil) }
    }

    @Test func randomBytesAreBinaryData() {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) } + [0])
        #expect(throws: (any Error).self) { try FeedParser.parse(Data("\u{0}\u{1}\u{2}".utf8) + data, url: nil) }
        #expect(throws: ParseError.notAFeed("binary data")) { try FeedParser.parse(Data([0, 1, 2, 3, 0x41]), url: nil) }
    }

    @Test func documentOverTheSizeLimitIsRefused() {
        let data = Data(count: 2048)
        #expect(throws: ParseError.tooLarge(bytes: 2048, limit: 1024)) { try FeedParser.parse(data, url: nil, sizeLimit: 1024) }
        #expect(FeedParser.defaultSizeLimit == 16 * 1024 * 1024)
    }
}

/// The attacks XML parsers are known for: none can work, because no entity is ever declared, expanded or fetched.
@Suite struct XMLAttackTests {
    @Test func billionLaughsExpandsNothing() throws {
        let clock = ContinuousClock()
        var feed: ParsedFeed?
        let elapsed = try clock.measure { feed = try parseFixture("attack-billion-laughs.xml") }
        #expect(feed?.items.first?.title == "&lol9;")
        // Expanding would take minutes and gigabytes; not expanding takes milliseconds, even under a sanitizer.
        #expect(elapsed < .seconds(20))
    }

    @Test func quadraticBlowupStaysLinear() throws {
        let entity = String(repeating: "A", count: 100_000)
        let references = String(repeating: "&big;", count: 10_000)
        let text = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY big \"\(entity)\">]><rss><channel><item><title>\(references)</title></item></channel></rss>"
        let feed = try parseText(text)
        #expect(feed.items[0].title?.utf8.count == 50_000)  // "&big;" kept literally, never expanded to 1 GB
    }

    @Test func externalEntitiesAreNeverRead() throws {
        let feed = try parseFixture("attack-xxe.xml")
        #expect(feed.items[0].title == "secret: [&xxe;]")
        #expect(feed.items[0].title?.contains("root:") == false)
    }
}
