import Foundation

/// The feeds of an OPML subscription list (OPML 1.0 and 2.0, http://opml.org/spec2.opml), as `feedd import` takes
/// them: every `outline` with an `xmlUrl`, at any depth, whatever its `type` (`rss`, or none at all).
///
/// Read with feedd's own XML tokenizer, as feeds are (docs/PLATFORM.md, "XMLParser"): real exports carry HTML
/// entities in titles (`&eacute;`), bare `&` in URLs, Latin-1 under a UTF-8 declaration, or are cut short; the
/// tokenizer reads all of these, never processes a DTD, and reports what it had to repair.
struct OPMLDocument: Equatable {
    /// One feed of the list.
    struct Feed: Equatable {
        /// `xmlUrl`, trimmed; a `feed:` URL (`feed://host/…`, `feed:https://host/…`) is given its http(s) spelling.
        var url: String
        /// `text`, else `title` (OPML 2.0: `text` is what a reader shows, which is the name the user gave the
        /// feed), cleaned by `text(_:)`; nil when empty or when it is only the URL again.
        var title: String?
        /// The enclosing folders, outer first, then the `category` attribute's: see `tags(fromCategory:)`.
        var tags: [String]
        /// `htmlUrl`: the site.
        var siteURL: String?
        /// `feedd:id`, which `feedd export` writes for a feed whose id was given rather than derived.
        var id: String?
        /// The 1-based line of the outline, for messages.
        var line: Int
    }

    /// Why a document is not an OPML subscription list.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLarge(bytes: Int, limit: Int)
        /// The text says what the document is instead.
        case notOPML(String)

        var description: String {
            switch self {
            case .empty: return "not OPML: the file is empty"
            case .tooLarge(let bytes, let limit): return "not OPML: \(bytes) bytes, over the limit of \(limit)"
            case .notOPML(let what): return "not OPML: \(what)"
            }
        }
    }

    /// `head/title`, when the list has one.
    var title: String?
    var feeds: [Feed]
    /// What had to be repaired to read the document, one line each (`line 12: …`).
    var problems: [String]

    /// The largest document read: subscription lists of thousands of feeds are well under a megabyte.
    static let sizeLimit = 16 << 20

    /// Reads an OPML document.
    /// - Throws: `Failure` for an empty or oversized document, or one whose root element is not `opml` (an HTML
    ///   page, a feed, any other XML, text that is not XML), saying what it is instead.
    static func parse(_ data: Data) throws(Failure) -> OPMLDocument {
        guard data.count <= sizeLimit else { throw .tooLarge(bytes: data.count, limit: sizeLimit) }
        if data.starts(with: [0x1F, 0x8B]) { throw .notOPML("gzip-compressed data") }
        let result = CharsetDecoder.withUTF8(of: data) { bytes, problems in
            Result { () throws(Failure) in try parse(bytes, decodingProblems: problems) }
        }
        return try result.get()
    }

    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, decodingProblems: [String]
    ) throws(Failure) -> OPMLDocument {
        guard let start = bytes.firstIndex(where: { !XMLTokenizer<OPMLReader>.isSpace($0) }) else { throw .empty }
        guard bytes[start] == UInt8(ascii: "<") else {
            if bytes[start] == UInt8(ascii: "{") { throw .notOPML("a JSON document") }
            throw .notOPML(FormatSniffer.describeNonXML(bytes, from: start))
        }
        let document = UnsafeBufferPointer(rebasing: bytes[start...])
        let (reader, tokenProblems) = XMLTokenizer.tokenize(document, into: OPMLReader(source: document))
        guard let root = reader.root, root.localName.lowercased() == "opml" else {
            throw .notOPML(describe(root: reader.root, in: document))
        }
        // Lines count from the start of the file, blank lines before the markup included.
        let lineOffset = FormatSniffer.line(of: start, in: bytes) - 1
        let problems =
            decodingProblems
            + tokenProblems.map { problem in
                "line \(FormatSniffer.line(of: problem.offset, in: document) + lineOffset): \(problem.message)"
            }
        let feeds = reader.feeds.map { feed in
            var feed = feed
            feed.line += lineOffset
            return feed
        }
        return OPMLDocument(title: reader.title, feeds: feeds, problems: problems)
    }

    /// What a document whose root is not `opml` is: an HTML page, a feed (which `feedd add` takes), other XML.
    private static func describe(root: XMLElementName?, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch root?.localName.lowercased() {
        case "rss", "feed", "rdf":
            return "a feed (<\(root!.localName)>), not a list of feeds; add it with 'feedd add URL'"
        case nil, "html":
            return FormatSniffer.describe(root: root, in: bytes)
        default:
            return "the root element is <\(root!.localName)>, not opml"
        }
    }

    /// The tags of a `category` attribute (OPML 2.0: comma-separated, each slash-delimited, like
    /// `/Boston/Weather,/Politics`): every part of every path, in order, so `/News/Tech` gives `News` and `Tech`,
    /// as a feed in folder `Tech` inside folder `News` does.
    static func tags(fromCategory category: String) -> [String] {
        category.split(separator: ",").flatMap { path in
            path.split(separator: "/").map { text(String($0)) }.filter { !$0.isEmpty }
        }
    }

    /// An attribute's text as a title or a tag: character references decoded once more (some exporters escape
    /// twice, `&amp;amp;`), control characters dropped, runs of white space made one space, trimmed. Markup is
    /// not removed: an attribute holds text, and `Nature <News>` is a title.
    static func text(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in PlainText.decodingEntities(value).unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else if !scalar.isControlCharacter {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `tags` without repeats, compared without case; the first spelling stays.
    static func unique(_ tags: [String]) -> [String] {
        FeedEntry.uniqueTags(tags)
    }

    /// A feed URL as an `xmlUrl` gives it: trimmed, and `feed:` (a scheme browsers once handed to readers) made
    /// http(s): `feed://host/x` is `http://host/x`, `feed:https://host/x` is `https://host/x`.
    static func feedURL(_ text: String) -> String {
        let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = url.lowercased()
        if lower.hasPrefix("feed:http://") || lower.hasPrefix("feed:https://") { return String(url.dropFirst(5)) }
        if lower.hasPrefix("feed://") { return "http://" + url.dropFirst(7) }
        return url
    }
}
