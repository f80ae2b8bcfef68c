import Foundation

/// What a page tells of the platform it runs on, its URLs resolved: the input of `PlatformRules` besides the
/// page's URL. Tests build it by hand.
struct PageSignals: Equatable {
    /// Every `<meta name="generator">` (`WordPress 6.5`, `blogger`, `Ghost 5.82`).
    var generators: [String] = []
    /// `<meta property="og:site_name">` (`YouTube`, `GitHub`).
    var siteName: String?
    /// The hosts the page loads scripts and styles from, lowercased (`substackcdn.com`, `cdn-client.medium.com`).
    var resourceHosts: Set<String> = []
    /// Where a WordPress site's `wp-content` and `wp-includes` folders are, on the page's own host: the site's root,
    /// which may be a folder (`https://example.com/blog/`).
    var wordPressRoot: URL?
    /// The YouTube channel the page belongs to, when it carries one (`UC` and 22 more characters).
    var channelID: String?
    /// `<link rel="canonical">`, resolved.
    var canonical: URL?
}

/// A feed that the page's platform is known to offer.
struct PlatformFeed: Equatable {
    var url: URL
    /// The platform, for what `feedd discover` says it tried (`WordPress`, `YouTube channel`).
    var platform: String
}

/// YouTube channel ids: `UC` then 22 characters of URL-safe base64.
enum YouTubeChannel {
    static let idLength = 24

    static func isID(_ text: some StringProtocol) -> Bool {
        text.utf8.count == idLength && text.hasPrefix("UC")
            && text.utf8.allSatisfy { byte in
                (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
    }

    /// The feed of a channel's uploads.
    static func feed(channel id: String) -> URL {
        URL(string: "https://www.youtube.com/feeds/videos.xml?channel_id=\(id)")!
    }
}

/// The feeds that platforms offer for a page, told from the page's URL (host and path) and from what the page
/// carries (`PageSignals`). Pure: the candidates are confirmed by fetching them, so a rule may guess, but should
/// guess what the platform really serves.
///
/// Host rules come first (github.com, youtube.com, reddit.com, medium.com, substack, tumblr, blogspot, Mastodon's
/// `/@user`), then the page's own signals, which also find these platforms on a domain of their own and on
/// 127.0.0.1 in tests: a `generator` (WordPress, Blogger, Ghost, Hugo, Jekyll), `wp-content` URLs, the CDN a
/// platform serves its scripts from, `og:site_name` of GitHub (Enterprise servers have their own hosts) and
/// YouTube.
enum PlatformRules {
    static func feeds(for page: URL, signals: PageSignals) -> [PlatformFeed] {
        guard let scheme = page.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let rawHost = page.host?.lowercased()
        else { return [] }
        let host = rawHost.hasPrefix("www.") ? String(rawHost.dropFirst(4)) : rawHost
        let path = page.pathComponents.filter { $0 != "/" }
        var feeds: [PlatformFeed] = []
        func add(_ url: URL?, _ platform: String) {
            guard let url, !feeds.contains(where: { $0.url == url }) else { return }
            feeds.append(PlatformFeed(url: url, platform: platform))
        }

        if host == "github.com" {
            for (url, name) in github(URL(string: "https://github.com/")!, path: path) { add(url, name) }
        } else if signals.siteName?.hasPrefix("GitHub") == true {
            for (url, name) in github(page, path: path) { add(url, name) }
        }
        if isYouTube(host, signals: signals) {
            for (url, name) in youtube(page, path: path, signals: signals) { add(url, name) }
        }
        if ["reddit.com", "old.reddit.com", "new.reddit.com", "np.reddit.com"].contains(host) {
            add(reddit(path: path), "Reddit")
        }
        if host == "medium.com" || (host.hasSuffix(".medium.com") && !mediumServiceHosts.contains(host)) {
            add(medium(page, host: host, path: path), "Medium")
        }
        if host.hasSuffix(".substack.com") { add(at(page, "/feed"), "Substack") }
        if host == "tumblr.com" {
            if let blog = path.first, !tumblrReserved.contains(blog.lowercased()) {
                add(URL(string: "https://\(escaped(blog)).tumblr.com/rss"), "Tumblr")
            }
        } else if host.hasSuffix(".tumblr.com"), !["assets.tumblr.com", "static.tumblr.com"].contains(host) {
            add(at(page, "/rss"), "Tumblr")
        }
        if host.contains(".blogspot.") { add(at(page, "/feeds/posts/default"), "Blogger") }
        if host.hasSuffix(".wordpress.com") { add(at(page, "/feed/"), "WordPress") }
        if path.count == 1, path[0].count > 1, path[0].hasPrefix("@"), !atProfileHosts.contains(host),
            !isYouTube(host, signals: signals)
        {
            // Mastodon (and the rest of the fediverse that copies it) serves a profile's posts at `/@user.rss`.
            add(at(page, "/\(escaped(path[0])).rss"), "Mastodon profile")
        }

        let generators = signals.generators.map { $0.lowercased() }
        if let root = signals.wordPressRoot {
            add(URL(string: "feed/", relativeTo: root)?.absoluteURL, "WordPress")
        } else if generators.contains(where: { $0.hasPrefix("wordpress") }) {
            add(at(page, "/feed/"), "WordPress")
        }
        if generators.contains("blogger") { add(at(page, "/feeds/posts/default"), "Blogger") }
        if generators.contains(where: { $0.hasPrefix("ghost") }) { add(at(page, "/rss/"), "Ghost") }
        if generators.contains(where: { $0.hasPrefix("hugo") }) { add(at(page, "/index.xml"), "Hugo") }
        if generators.contains(where: { $0.hasPrefix("jekyll") }) { add(at(page, "/feed.xml"), "Jekyll") }
        let hosts = signals.resourceHosts
        if hosts.contains("substackcdn.com") { add(at(page, "/feed"), "Substack") }
        if !hosts.isDisjoint(with: ["cdn-client.medium.com", "miro.medium.com", "glyph.medium.com"]),
            host != "medium.com"
        {
            add(at(page, "/feed"), "Medium")
        }
        if !hosts.isDisjoint(with: ["assets.tumblr.com", "static.tumblr.com"]), !host.hasSuffix("tumblr.com") {
            add(at(page, "/rss"), "Tumblr")
        }
        return feeds
    }

    // MARK: - Platforms

    /// Hosts whose `/@name` pages are not Mastodon profiles, so that no `/@name.rss` is fetched for them.
    static let atProfileHosts: Set<String> = [
        "youtube.com", "m.youtube.com", "medium.com", "tiktok.com", "threads.net", "threads.com", "x.com",
    ]

    /// GitHub's first path segments that are not users or organizations.
    static let githubReserved: Set<String> = [
        "about", "apps", "blog", "codespaces", "collections", "contact", "customer-stories", "enterprise", "events",
        "explore", "features", "issues", "join", "login", "logout", "marketplace", "new", "notifications", "orgs",
        "organizations", "pricing", "pulls", "readme", "search", "security", "settings", "site", "sponsors", "team",
        "topics", "trending", ".well-known",
    ]

    /// A repository's releases and commits (`/OWNER/REPO/releases.atom`, `/OWNER/REPO/commits.atom`), or a user's
    /// public activity (`/OWNER.atom`), on `site`: github.com, or the page's own host for GitHub Enterprise.
    private static func github(_ site: URL, path: [String]) -> [(URL?, String)] {
        guard let owner = path.first, !githubReserved.contains(owner.lowercased()) else { return [] }
        guard path.count >= 2 else { return [(at(site, "/\(escaped(owner)).atom"), "GitHub user")] }
        var repository = path[1]
        if repository.hasSuffix(".git") { repository.removeLast(4) }
        let prefix = "/\(escaped(owner))/\(escaped(repository))"
        return [
            (at(site, prefix + "/releases.atom"), "GitHub releases"),
            (at(site, prefix + "/commits.atom"), "GitHub commits"),
        ]
    }

    private static func isYouTube(_ host: String, signals: PageSignals) -> Bool {
        ["youtube.com", "m.youtube.com", "music.youtube.com"].contains(host) || signals.siteName == "YouTube"
            || signals.canonical?.host?.lowercased().hasSuffix("youtube.com") == true
    }

    /// A channel's uploads, with the channel id from the URL (`/channel/UC…`) or else from the page (a handle,
    /// `/@name`, or a video has it only there); a playlist's videos.
    private static func youtube(_ page: URL, path: [String], signals: PageSignals) -> [(URL?, String)] {
        var feeds: [(URL?, String)] = []
        let query = URLComponents(url: page, resolvingAgainstBaseURL: true)?.queryItems ?? []
        if path.first == "playlist", let list = query.first(where: { $0.name == "list" })?.value, !list.isEmpty {
            feeds.append((URL(string: "https://www.youtube.com/feeds/videos.xml?playlist_id=\(escaped(list))"),
                "YouTube playlist"))
        }
        var channel = signals.channelID
        if path.count >= 2, path[0] == "channel", YouTubeChannel.isID(path[1]) { channel = path[1] }
        if let canonical = signals.canonical, canonical.pathComponents.count >= 3,
            canonical.pathComponents[1] == "channel", YouTubeChannel.isID(canonical.pathComponents[2])
        {
            channel = channel ?? canonical.pathComponents[2]
        }
        if let channel { feeds.append((YouTubeChannel.feed(channel: channel), "YouTube channel")) }
        return feeds
    }

    /// A subreddit's or a user's posts: Reddit serves any listing as RSS with `.rss` added.
    private static func reddit(path: [String]) -> URL? {
        guard path.count >= 2 else { return nil }
        switch path[0].lowercased() {
        case "r": return URL(string: "https://www.reddit.com/r/\(escaped(path[1]))/.rss")
        case "u", "user": return URL(string: "https://www.reddit.com/user/\(escaped(path[1]))/.rss")
        default: return nil
        }
    }

    static let mediumServiceHosts: Set<String> = [
        "cdn-client.medium.com", "miro.medium.com", "glyph.medium.com", "help.medium.com", "policy.medium.com",
        "blog.medium.com",
    ]
    private static let mediumReserved: Set<String> = [
        "about", "creators", "m", "me", "membership", "plans", "policy", "search", "topics", "jobs-at-medium",
    ]

    /// `medium.com/feed/@user`, `medium.com/feed/PUBLICATION`, `medium.com/feed/tag/TAG`, or a user's subdomain
    /// `/feed`.
    private static func medium(_ page: URL, host: String, path: [String]) -> URL? {
        guard host == "medium.com" else { return at(page, "/feed") }
        guard let first = path.first, !mediumReserved.contains(first.lowercased()) else { return nil }
        if first == "tag" {
            return path.count >= 2 ? URL(string: "https://medium.com/feed/tag/\(escaped(path[1]))") : nil
        }
        return URL(string: "https://medium.com/feed/\(escaped(first))")
    }

    private static let tumblrReserved: Set<String> = [
        "dashboard", "explore", "tagged", "search", "settings", "login", "register", "about", "policy", "help",
        "blog", "inbox", "likes", "following",
    ]

    // MARK: - URLs

    /// `path` (and `query`) on the page's scheme, host and port.
    static func at(_ page: URL, _ path: String, query: String? = nil) -> URL? {
        guard var components = URLComponents(url: page, resolvingAgainstBaseURL: true) else { return nil }
        components.user = nil
        components.password = nil
        components.percentEncodedPath = path
        components.percentEncodedQuery = query
        components.fragment = nil
        return components.url
    }

    /// A path segment or query value as it goes into a URL.
    static func escaped(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#&=+")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
