import Foundation
import Testing

@testable import FeedCore

/// What fuzzing the parser (fuzz/run-fuzz.sh) found: each input parses to a feed or a `ParseError`, and the feed
/// keeps the invariants the fuzz target checks. The pathological shapes found while fuzzing for slowness must
/// parse in time linear in their size, and their output must stay proportional to the input.
@Suite struct FuzzRegressionTests {
    // MARK: - Inputs found by libFuzzer

    /// A relative `xml:base` and no document URL (`feedd parse -` reads stdin): `.` and `..` resolved to "".
    @Test(arguments: ["fuzz-relative-base-dot-link.xml", "fuzz-relative-base-dot-link-rss.xml"])
    func relativeBaseNeverResolvesALinkToNothing(fixture: String) throws {
        let feed = try FeedParser.parse(try Fixtures.data(fixture), url: nil)
        try Self.expectInvariants(feed)
        #expect(feed.url != nil)
        #expect(feed.items.count == 1)
        #expect(feed.items.first?.url != nil)
        #expect(feed.items.first?.enclosures.count == 1)
    }

    // MARK: - Time linear in the size

    /// A shape of document: `make(bytes)` gives a document of about that size.
    struct Shape: CustomTestStringConvertible, Sendable {
        var name: String
        /// The smaller size measured; the larger is eight times it.
        var bytes: Int
        var make: @Sendable (Int) -> Data
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        // XMLTokenizer.endTag: each stray end tag searched the whole stack of unclosed elements.
        Shape(name: "unclosed elements then stray end tags", bytes: 16 << 10) { halves(rss, "<a>", "</b>", $0) },
        // XMLTokenizer.namespace(forPrefix:): each element searched every binding in scope.
        Shape(name: "nested namespace declarations", bytes: 32 << 10) { repeated(rss, "<a xmlns:p=\"u\">", "", $0) },
        Shape(name: "one tag declaring many prefixes", bytes: 16 << 10) {
            let declarations = String(repeating: " xmlns:p=\"\"", count: $0 / 22)
            return repeated("<rss" + declarations + "><channel>", "<b/>", "", $0)
        },
        // FeedReader.startElement: every level of nested `xml:base` made the base longer.
        Shape(name: "nested xml:base", bytes: 64 << 10) { repeated(rss, "<a xml:base=\"a/\">", "", $0) },
        // LinkResolver.resolveHTML: each relative link moved the rest of the markup.
        Shape(name: "many relative links in a description", bytes: 128 << 10) {
            repeated(item + "<description>", " href=x", "</description></item>", $0)
        },
        // FeedReader.endElement: the feed's authors were joined again for every entry.
        Shape(name: "many feed authors then many entries", bytes: 32 << 10) {
            halves(atom, "<author><name>n</name></author>", "<entry/>", $0)
        },
        // XMLTokenizer.declaration: each unclosed CDATA section searched to the end for `]]>`.
        Shape(name: "unclosed CDATA in many elements", bytes: 64 << 10) {
            repeated(item, "<x><![CDATA[]</x>", "]]>", $0)
        },
        // ItemDraft.addCategory and addEnclosure: a linear search for a duplicate before each append.
        Shape(name: "many distinct categories", bytes: 32 << 10) {
            numbered(item, "<category>c", "</category>", "</item>", $0)
        },
        Shape(name: "many distinct enclosures", bytes: 32 << 10) {
            numbered(item, "<enclosure url=\"u", "\"/>", "</item>", $0)
        },
        // JSONFeedDecoder.item: the same linear search for tags.
        Shape(name: "JSON Feed with many distinct tags", bytes: 16 << 10) {
            let head = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\",\"tags\":["
            return numbered(head, "\"t", "\",", "\"t\"]}]}", $0)
        },
    ]

    @Test(.serialized, arguments: shapes)
    func parseTimeGrowsLinearly(shape: Shape) {
        let small = shape.make(shape.bytes)
        let large = shape.make(shape.bytes * 8)
        // Eight times the input takes about eight times as long when the parse is linear, sixty-four when it is
        // quadratic; the bound sits between, far from both, because a shared 2-core machine makes any one timing
        // noisy. The best of five runs keeps a busy moment from failing the test, and the floor keeps timer noise
        // out of tiny times.
        var ratio = Double.infinity
        for _ in 0..<5 where ratio > 24 {
            let smallTime = max(Self.parseTime(small), 0.002)
            let largeTime = Self.parseTime(large)
            ratio = min(ratio, largeTime / smallTime)
        }
        #expect(ratio <= 24, "8x the input took \(ratio)x the time")
    }

    // MARK: - Output proportional to the input

    /// Every entry inherits the feed's author (RFC 4287 §4.2.1): a long one, or many, multiplied the output.
    @Test(arguments: [
        ("one long author", atom + "<author><name>" + String(repeating: "n", count: 10_000) + "</name></author>"),
        ("many authors", atom + String(repeating: "<author><name>n</name></author>", count: 3000)),
    ])
    func inheritedAuthorsDoNotMultiplyTheOutput(name: String, head: String) throws {
        let data = Self.repeated(head, "<entry/>", "</feed>", head.utf8.count + 40_000)
        let feed = try FeedParser.parse(data, url: URL(string: "https://example.com/feed"))
        try Self.expectInvariants(feed)
        #expect(feed.items.count > 4000)
        // An empty entry is about 200 bytes of JSON; a bounded author adds a few hundred more.
        #expect(feed.jsonLine(source: name).count <= 1000 * feed.items.count + 2 * data.count)
    }

    @Test func jsonFeedAuthorDoesNotMultiplyTheOutput() throws {
        let head = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"authors\":[{\"name\":\""
            + String(repeating: "n", count: 10_000) + "\"}],\"items\":["
        let data = Self.repeated(head, "{},", "{}]}", head.utf8.count + 15_000)
        let feed = try FeedParser.parse(data, url: nil)
        try Self.expectInvariants(feed)
        #expect(feed.jsonLine(source: "json").count <= 1000 * feed.items.count + 2 * data.count)
    }

    // MARK: - Helpers

    /// The invariants the fuzz target checks: the JSON line parses, and no URL is an empty string.
    static func expectInvariants(_ feed: ParsedFeed) throws {
        let line = feed.jsonLine(source: "fuzz")
        #expect(!line.contains(0x0A))
        let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        #expect((object?["items"] as? [Any])?.count == feed.items.count)
        #expect(feed.url != "")
        #expect(feed.feedURL != "")
        for item in feed.items {
            #expect(item.url != "")
            #expect(item.enclosures.allSatisfy { !$0.url.isEmpty })
        }
    }

    /// Seconds to parse `data` and write its JSON line; a `ParseError` is an outcome like any other.
    static func parseTime(_ data: Data) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        if let feed = try? FeedParser.parse(data, url: URL(string: "https://example.com/feeds/index.xml")) {
            _ = feed.jsonLine(source: "timing")
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static let rss = "<rss version=\"2.0\"><channel><title>t</title>"
    static let item = rss + "<item><title>x</title>"
    static let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"

    /// `head`, then `unit` as often as fits in `size` bytes, then `tail`.
    static func repeated(_ head: String, _ unit: String, _ tail: String, _ size: Int) -> Data {
        let count = max(0, size - head.utf8.count - tail.utf8.count) / unit.utf8.count
        return Data((head + String(repeating: unit, count: count) + tail).utf8)
    }

    /// `head`, then half the size in `first` and half in `second`.
    static func halves(_ head: String, _ first: String, _ second: String, _ size: Int) -> Data {
        let half = max(0, size - head.utf8.count) / 2
        let text = head + String(repeating: first, count: half / first.utf8.count)
            + String(repeating: second, count: half / second.utf8.count)
        return Data(text.utf8)
    }

    /// `head`, then `prefix` + a distinct number + `suffix` until the size is reached, then `tail`.
    static func numbered(_ head: String, _ prefix: String, _ suffix: String, _ tail: String, _ size: Int) -> Data {
        var text = head
        var number = 0
        while text.utf8.count < size {
            text += "\(prefix)\(number)\(suffix)"
            number += 1
        }
        return Data((text + tail).utf8)
    }
}
