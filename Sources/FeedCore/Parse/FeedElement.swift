#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local names of the elements feedd reads, interned by the tokenizer so that the reader compares small values
/// rather than strings: every element of a feed goes through the reader's `switch`es.
enum FeedElement: String, CaseIterable {
    // Roots and containers.
    case rss, feed, channel, item, entry, group
    case rdf = "RDF"
    // People (Atom person constructs, RFC 4287 §3.2).
    case author, contributor, name, email, creator
    // Text and links.
    case title, link, description, subtitle, tagline, language, guid, id, encoded, summary, content
    // Dates.
    case lastBuildDate, updated, modified, pubDate, date, published, issued, created
    // Everything else.
    case ttl, category, subject, keywords, enclosure, thumbnail
    // RSS extensions that carry an item's content or keywords (xhtml:body, fullitem, a made-up `tags`).
    case body, fullitem, tags
    // Polling hints (RSS 2.0 `skipHours`/`skipDays`, the RSS 1.0 syndication module).
    case skipHours, skipDays, hour, day, updatePeriod, updateFrequency, updateBase

    /// The element whose local name is `bytes`, nil when feedd reads no element of that name.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count < Self.byLength.count, let start = bytes.baseAddress else { return nil }
        for (name, element) in Self.byLength[bytes.count]
        where name[0] == start[0] && memcmp(name, start, bytes.count) == 0 {
            self = element
            return
        }
        return nil
    }

    /// The names by their length in bytes, each with its element: a lookup compares a handful of names at most.
    private static let byLength: [[(name: [UInt8], element: FeedElement)]] = {
        let longest = allCases.map(\.rawValue.utf8.count).max() ?? 0
        var table = [[(name: [UInt8], element: FeedElement)]](repeating: [], count: longest + 1)
        for element in allCases { table[element.rawValue.utf8.count].append((Array(element.rawValue.utf8), element)) }
        return table
    }()
}
