import Foundation

/// A URL that may be a feed, and how it was found.
struct FeedCandidate: Equatable, Sendable {
    var url: URL
    var via: DiscoveredFeed.Via
    /// The platform whose rule gave it (`WordPress`, `YouTube channel`), for the line that says what was tried.
    var platform: String?
}

/// A page read for discovery: what `PageScan` found, resolved against the page's URLs, as candidates in the order
/// `feedd discover` lists them (README.md, "feedd discover"), without duplicates.
struct DiscoveryPage {
    /// The page's address on the web: where it was fetched from; for a local file or standard input, its canonical
    /// link (else `og:url`) when that is http(s), since a saved page's links belong to its site, not to the folder
    /// it was saved in. Nil when there is none.
    let webURL: URL?
    /// The feeds of its `<link rel="alternate">`, the main feed first, then per-category feeds, then comment feeds.
    let declared: [FeedCandidate]
    /// The feeds its platform is known to offer.
    let platform: [FeedCandidate]
    /// Its `<a href>` that look like feeds, links to its own host first.
    let anchors: [FeedCandidate]
    /// The usual feed paths at the site's root, for when nothing else is found; empty without a web address.
    let guesses: [FeedCandidate]
    let signals: PageSignals

    /// The most anchors tried: each costs a fetch.
    static let maximumAnchors = 12
    /// The paths tried at the site's root when the page offers nothing: WordPress, Jekyll, most static site
    /// generators (`rss.xml`, `atom.xml`), Hugo, JSON Feed.
    static let guessedPaths = ["/feed", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json"]

    /// Reads `data`, the page, fetched from or read at `url` (nil for standard input).
    init(data: Data, url: URL?) {
        let scan = CharsetDecoder.withUTF8(of: data, html: true) { bytes, _ in PageScan.read(bytes) }
        self.init(scan: scan, url: url)
    }

    init(scan: PageScan, url: URL?) {
        let isLocal = url.map { $0.isFileURL } ?? true
        var webURL = isLocal ? nil : url
        if isLocal {
            for link in [scan.canonical, scan.openGraphURL].compactMap({ $0 }) {
                guard let resolved = Self.url(link, against: url, allowingFiles: false) else { continue }
                webURL = resolved
                break
            }
        }
        self.webURL = webURL
        let documentURL = webURL ?? url
        let base = scan.baseHref.flatMap { LinkResolver.url($0, against: documentURL) } ?? documentURL
        func resolve(_ href: String) -> URL? { Self.url(href, against: base, allowingFiles: isLocal) }

        var seen = Set<String>()
        func unique(_ candidates: [FeedCandidate]) -> [FeedCandidate] {
            candidates.filter { seen.insert(Self.key($0.url)).inserted }
        }
        // The page itself is not one of its feeds: a page may declare itself an alternate of a type it is not.
        if let url { seen.insert(Self.key(url)) }

        let alternates = scan.alternates.compactMap { link in resolve(link.href).map { (link, $0) } }
        let ranked = alternates.enumerated().sorted { lhs, rhs in
            let left = Self.rank(lhs.element.1, title: lhs.element.0.title)
            let right = Self.rank(rhs.element.1, title: rhs.element.0.title)
            return (left.rawValue, lhs.offset) < (right.rawValue, rhs.offset)
        }
        declared = unique(ranked.map { FeedCandidate(url: $0.element.1, via: .link) })

        var signals = PageSignals(generators: scan.generators, siteName: scan.siteName)
        signals.canonical = scan.canonical.flatMap(resolve)
        signals.channelID = scan.channelIDs.first
        for resource in scan.resources {
            guard let url = LinkResolver.url(resource, against: base), let host = url.host?.lowercased() else {
                continue
            }
            signals.resourceHosts.insert(host)
            if signals.wordPressRoot == nil, host == documentURL?.host?.lowercased() {
                signals.wordPressRoot = Self.wordPressRoot(of: url)
            }
        }
        self.signals = signals
        let platformFeeds = documentURL.map { PlatformRules.feeds(for: $0, signals: signals) } ?? []
        platform = unique(platformFeeds.map { FeedCandidate(url: $0.url, via: .platform, platform: $0.platform) })

        let anchorURLs = scan.anchors.compactMap { anchor -> URL? in
            guard let url = resolve(anchor.href), anchor.type != nil || Self.looksLikeFeed(url) else { return nil }
            return url
        }
        let host = documentURL?.host?.lowercased()
        let own = anchorURLs.filter { $0.host?.lowercased() == host }
        let ownFirst = own + anchorURLs.filter { $0.host?.lowercased() != host }
        anchors = Array(unique(ownFirst.map { FeedCandidate(url: $0, via: .anchor) }).prefix(Self.maximumAnchors))

        let root = webURL.flatMap { PlatformRules.at($0, "/") }
        guesses = unique(
            root.map { root in Self.guessedPaths.compactMap { PlatformRules.at(root, $0) } }?
                .map { FeedCandidate(url: $0, via: .guess) } ?? [])
    }

    // MARK: - Declared feeds

    /// Where a declared feed goes in the list: the main feed before per-category, tag and author feeds, and those
    /// before comment feeds (WordPress declares all three on a category page or a post).
    enum Rank: Int {
        case main, category, comments
    }

    /// The rank of the feed at `url` declared with `title`: by what WordPress, Blogger and most CMSs put in the URL
    /// (`/comments/feed/`, `?feed=comments-rss2`, `/category/news/feed/`) or the title (`Blog » Comments Feed`,
    /// `Blog » Post Comments Feed`, `Blog » News Category Feed`).
    static func rank(_ url: URL, title: String?) -> Rank {
        let path = url.path.lowercased()
        let query = url.query?.lowercased() ?? ""
        let title = title?.lowercased() ?? ""
        let segments = Set(path.split(separator: "/").map(String.init))
        if segments.contains("comments") || query.contains("comments") || title.contains("comment") {
            return .comments
        }
        let groupings: Set<String> = ["category", "categories", "tag", "tags", "topic", "topics", "author", "series"]
        if !segments.isDisjoint(with: groupings) || ["cat=", "tag=", "category="].contains(where: query.contains)
            || [" category feed", " tag feed", "category:", "tag:"].contains(where: title.contains)
        {
            return .category
        }
        return .main
    }

    // MARK: - Anchors

    /// The last path segments feeds are served at (`rss.xml`, `/feed`, `atom.xml`, `index.xml`, `feed.json`…).
    static let feedNames: Set<String> = [
        "rss", "rss.xml", "rss2", "rss2.xml", "feed", "feed.xml", "feed.rss", "feed.atom", "feed.json", "atom",
        "atom.xml", "index.xml", "index.rss", "index.atom", "posts.atom", "videos.xml",
    ]

    /// Whether an `<a href>` to `url` looks like a feed: by its last path segment or extension, a `?feed=rss2`
    /// query, or a feed host (FeedBurner).
    static func looksLikeFeed(_ url: URL) -> Bool {
        let last = url.lastPathComponent.lowercased()
        if feedNames.contains(last) || last.hasSuffix(".rss") || last.hasSuffix(".atom") { return true }
        let query = url.query?.lowercased() ?? ""
        if ["feed=rss", "feed=atom", "format=rss", "format=atom", "alt=rss"].contains(where: query.contains) {
            return true
        }
        let host = url.host?.lowercased() ?? ""
        return host.hasPrefix("feeds.feedburner.") || host.hasPrefix("feeds2.feedburner.")
            || host == "feeds.feedblitz.com"
    }

    // MARK: - URLs

    /// `href` made absolute against `base`, when it can be a feed's address: http(s), or `file:` for a local page
    /// (a page from the web must not make feedd read local files). `feed:` URLs are taken for what they wrap.
    static func url(_ href: String, against base: URL?, allowingFiles: Bool) -> URL? {
        var href = href.trimmingASCIISpaces()
        let lower = href.lowercased()
        if lower.hasPrefix("feed://") {
            href = "http://" + href.dropFirst(7)
        } else if lower.hasPrefix("feed:") {
            href = String(href.dropFirst(5))
        }
        guard !href.isEmpty, !href.hasPrefix("#"), let url = LinkResolver.url(href, against: base),
            let scheme = url.scheme?.lowercased()
        else { return nil }
        if scheme == "http" || scheme == "https" {
            guard url.host?.isEmpty == false else { return nil }
        } else if !(scheme == "file" && allowingFiles) {
            return nil
        }
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url }
        components.fragment = nil
        return components.url ?? url
    }

    /// What two spellings of one URL share: scheme and host in lowercase, no default port, no fragment, `/` for an
    /// empty path.
    static func key(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url.absoluteString }
        let scheme = components.scheme?.lowercased()
        components.scheme = scheme
        components.host = components.host?.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }
        components.fragment = nil
        return components.string ?? url.absoluteString
    }

    /// The root of the WordPress site that serves `url`, a file under its `wp-content` or `wp-includes` folder.
    static func wordPressRoot(of url: URL) -> URL? {
        guard let path = URLComponents(url: url, resolvingAgainstBaseURL: true)?.percentEncodedPath else { return nil }
        for folder in ["/wp-content/", "/wp-includes/"] {
            guard let range = path.range(of: folder) else { continue }
            return PlatformRules.at(url, String(path[..<range.lowerBound]) + "/")
        }
        return nil
    }
}
