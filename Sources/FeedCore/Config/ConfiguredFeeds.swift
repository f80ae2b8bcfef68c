import Foundation

/// The feeds of a configuration as `feedd add` and `feedd import` look a new one up: by URL and by id, so that a
/// feed is never added twice, nor under an id another feed has.
///
/// Two URLs are one feed when the config decoder would take them for one (the same text, which derives the same
/// id; one local file however spelled, by its standardized path) and also when they differ only where HTTP says
/// they cannot (RFC 3986 §6.2.3, RFC 9110 §4.2.3): the case of the scheme and host, a default port, an empty path,
/// a fragment. Anything else (`http` against `https`, a trailing slash, the query) may be another document.
struct ConfiguredFeeds {
    /// A feed found, with its place in `feeds`.
    struct Match {
        var index: Int
        var feed: FeedConfig
    }

    private var byURL: [String: Match] = [:]
    private var byID: [FeedID: Match] = [:]
    private(set) var count = 0

    init(_ feeds: [FeedConfig]) {
        for feed in feeds { add(feed) }
    }

    /// Records `feed` as the next element of `feeds`.
    mutating func add(_ feed: FeedConfig) {
        let match = Match(index: count, feed: feed)
        count += 1
        if byURL[Self.key(feed.url)] == nil { byURL[Self.key(feed.url)] = match }
        if byID[feed.id] == nil { byID[feed.id] = match }
    }

    /// The feed configured under `url`, however spelled.
    func feed(withURL url: URL) -> Match? {
        byURL[Self.key(url)]
    }

    /// The feed whose id is `id`.
    func feed(withID id: FeedID) -> Match? {
        byID[id]
    }

    /// What makes two URLs one feed (see the type's comment).
    static func key(_ url: URL) -> String {
        if url.isFileURL { return "file://" + url.standardizedFileURL.path }
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        let scheme = parts.scheme?.lowercased()
        parts.scheme = scheme
        parts.percentEncodedHost = parts.percentEncodedHost?.lowercased()
        if (scheme == "http" && parts.port == 80) || (scheme == "https" && parts.port == 443) { parts.port = nil }
        if parts.percentEncodedPath.isEmpty { parts.percentEncodedPath = "/" }
        parts.fragment = nil
        return parts.string ?? url.absoluteString
    }
}
