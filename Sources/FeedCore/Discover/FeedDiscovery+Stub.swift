import Foundation

// A stand-in for the API of `feedd discover` (branch `discover`), so that `feedd add` builds and its feed-URL path
// can be tested before that branch is merged. It finds nothing on a page: a source that is itself a feed is
// returned as its own discovery, anything else gives none. Delete this file when the real one is merged.

/// A feed found for a source.
struct DiscoveredFeed: Equatable, Sendable {
    let url: URL
    let format: String?
    let title: String?
    let via: Via

    /// How the feed was found.
    enum Via: String, Sendable {
        case link, platform, anchor, guess
    }
}

/// Why discovery could not look at a source: in `FetchError`'s words.
struct DiscoveryError: Error, Equatable, CustomStringConvertible {
    var description: String
}

/// Finds the feeds of a page.
enum FeedDiscovery {
    /// The feeds of `source`, best first; the stand-in returns `source` itself when it is a feed, else none.
    static func discover(_ source: String, check: Bool, maxBodyBytes: Int) async throws(DiscoveryError)
        -> [DiscoveredFeed]
    {
        let loaded: DocumentLoader.Loaded
        do {
            loaded = try await DocumentLoader(sizeLimit: maxBodyBytes).load(source)
        } catch {
            throw DiscoveryError(description: error.description)
        }
        guard let feed = try? FeedParser.parse(loaded.data, url: loaded.url, sizeLimit: maxBodyBytes),
            let url = URL(string: source)
        else { return [] }
        return [DiscoveredFeed(url: url, format: feed.format.rawValue, title: feed.title, via: .link)]
    }
}
