import Foundation

/// The libFuzzer entry point for the feed parser and, on the same input, the HTML reader (HTMLReaderFuzz.swift): built by fuzz/run-fuzz.sh into one module with the FeedCore
/// sources, so it reaches internal API (`jsonLine(source:)`) without `@testable`.
///
/// Each input is parsed with a 1 MB limit. A `ParseError` is a fine answer; a crash, a hang or a broken invariant
/// is a finding. Invariants checked on every feed: the JSON line is one line of valid JSON whose item count matches,
/// and no URL (feed, item, enclosure) is an empty string rather than nil.
enum FeedParserFuzz {
    /// The size limit passed to the parser; libFuzzer's `-max_len` keeps most inputs far below it.
    static let sizeLimit = 1 << 20
    static let baseURL = URL(string: "https://example.com/feeds/index.xml")

    /// Parses `data` with a base URL or without (alternating on the first byte, so both resolver paths run) and
    /// checks the invariants on the result.
    static func check(_ data: Data) {
        let url = (data.first ?? 0) & 1 == 0 ? baseURL : nil
        let feed: ParsedFeed
        do {
            feed = try FeedParser.parse(data, url: url, sizeLimit: sizeLimit)
        } catch {
            // Typed throws: only a ParseError can reach here. Its description must be printable as one line.
            _ = error.description
            return
        }
        let line = feed.jsonLine(source: "fuzz")
        require(!line.contains(0x0A), "JSON line contains a raw newline")
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
        } catch {
            fail("JSON line does not parse: \(error)\n\(String(decoding: line.prefix(2000), as: UTF8.self))")
        }
        guard let dictionary = object as? [String: Any], let items = dictionary["items"] as? [Any] else {
            fail("JSON line is not an object with an items array")
        }
        require(items.count == feed.items.count, "JSON has \(items.count) items, feed has \(feed.items.count)")
        require(feed.url.map { !$0.isEmpty } ?? true, "feed url is empty")
        require(feed.feedURL.map { !$0.isEmpty } ?? true, "feed_url is empty")
        for (index, item) in feed.items.enumerated() {
            require(item.url.map { !$0.isEmpty } ?? true, "item \(index) url is empty")
            for enclosure in item.enclosures {
                require(!enclosure.url.isEmpty, "item \(index) has an enclosure with an empty url")
            }
        }
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    /// Reports a broken invariant the way libFuzzer reports a crash, so the input is saved as an artifact.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("FUZZ INVARIANT: \(message)\n".utf8))
        abort()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func feedParserFuzzTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    FeedParserFuzz.check(data)
    HTMLReaderFuzz.check(data)
    return 0
}
