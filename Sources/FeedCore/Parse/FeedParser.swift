import Foundation

/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.x documents into the normalized `ParsedFeed`.
///
/// Pure: no network, no files, no clock. The format is told by the content, never by a file name or a
/// Content-Type.
public enum FeedParser {
    /// The default limit on a document's size: larger bodies are refused rather than read.
    public static let defaultSizeLimit = 16 * 1024 * 1024

    /// Parses one document.
    /// - Parameters:
    ///   - data: the document's bytes, in whatever charset it declares.
    ///   - url: where the document came from; relative links resolve against it (after any `xml:base`), except
    ///     in a document read from a file, where the feed's own web link comes first (see `webLink`).
    ///   - sizeLimit: documents larger than this are refused.
    /// - Returns: the normalized feed; what had to be repaired is listed in its `problems`.
    /// - Throws: `ParseError` when the document is empty, too large, or not a feed.
    public static func parse(_ data: Data, url: URL?, sizeLimit: Int = defaultSizeLimit) throws(ParseError) -> ParsedFeed {
        guard data.count <= sizeLimit else { throw .tooLarge(bytes: data.count, limit: sizeLimit) }
        if data.starts(with: [0x1F, 0x8B]) { throw .notAFeed("gzip-compressed data") }
        let parsed = CharsetDecoder.withUTF8(of: data) { bytes, problems in
            Result { () throws(ParseError) in try parse(bytes, url: url, problems: problems) }
        }
        var feed = try parsed.get()
        if CharsetDecoder.mayHoldMojibake(data) { Mojibake.repair(&feed) }
        return feed
    }

    /// Parses a document already decoded into UTF-8, after the `problems` its decoding met.
    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, url: URL?, problems: [String]
    ) throws(ParseError) -> ParsedFeed {
        guard let start = bytes.firstIndex(where: { !XMLTokenizer<FeedReader>.isSpace($0) }) else { throw .empty }
        switch bytes[start] {
        case UInt8(ascii: "{"):
            var feed = try JSONFeedDecoder.decode(Data(bytes[start...]), url: url)
            feed.problems = problems + feed.problems
            return feed
        case UInt8(ascii: "<"):
            return try parseXML(bytes, from: start, url: url, problems: problems)
        default:
            guard let markup = FormatSniffer.startOfMarkup(in: bytes) else {
                throw .notAFeed(FormatSniffer.describeNonXML(bytes, from: start))
            }
            return try parseXML(
                bytes, from: markup, url: url, problems: problems + ["\(markup) bytes of junk before the XML"])
        }
    }

    /// The feed's own web link, which the relative links of a document read from a file resolve against (a local
    /// copy of a web feed links to the web site, not to the file's folder): the site link (RSS channel `link`,
    /// Atom `link rel="alternate"`), else the feed's `self` link; nil when neither is an absolute http(s) URL.
    static func webLink(of feed: ParsedFeed, atomAlternate: String?) -> URL? {
        for candidate in [feed.url ?? atomAlternate, feed.feedURL] {
            guard let text = candidate, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host != nil
            else { continue }
            return url
        }
        return nil
    }

    private static func parseXML(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, url: URL?, problems: [String]
    ) throws(ParseError) -> ParsedFeed {
        let document = UnsafeBufferPointer(rebasing: bytes[start...])
        // Entities the DOCTYPE declares are expanded first, within limits (see InternalEntities).
        let entities = InternalEntities.expand(document)
        guard let expanded = entities.bytes else {
            return try parseXML(document, in: bytes, from: start, url: url, problems: problems + entities.problems)
        }
        let parsed = expanded.withUnsafeBufferPointer { expandedDocument in
            Result { () throws(ParseError) in
                try parseXML(expandedDocument, in: bytes, from: start, url: url, problems: problems)
            }
        }
        return try parsed.get()
    }

    /// Reads `document`, which starts at `start` in `bytes` (or stands for that part of it, expanded).
    private static func parseXML(
        _ document: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, url: URL?,
        problems: [String]
    ) throws(ParseError) -> ParsedFeed {
        var (reader, tokenProblems) = XMLTokenizer.tokenize(
            document, into: FeedReader(source: document, documentURL: url))
        if url?.isFileURL == true, let first = reader.finish(), !first.items.isEmpty,
            let site = webLink(of: first, atomAlternate: nil), site != reader.siteBase
        {
            // The feed's web link came after its first item: read the document again with it as the document's URL.
            (reader, tokenProblems) = XMLTokenizer.tokenize(
                document, into: FeedReader(source: document, documentURL: site))
        }
        guard var feed = reader.finish() else {
            throw .notAFeed(FormatSniffer.describe(root: reader.root, in: document))
        }
        feed.problems = problems + tokenProblems.map { problem in
            "line \(FormatSniffer.line(of: problem.offset, in: document) + FormatSniffer.line(of: start, in: bytes) - 1): \(problem.message)"
        } + feed.problems
        return feed
    }
}
