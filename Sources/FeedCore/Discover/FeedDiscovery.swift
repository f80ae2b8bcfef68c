import Foundation

/// Finds the feeds a web page offers (`feedd discover`, README.md "feedd discover"), best first:
///
/// 1. the feeds its `<link rel="alternate">` declare, as declared (fetched only with `check`), the main feed before
///    per-category and comment feeds;
/// 2. the feeds its platform is known to offer (`PlatformRules`), and its `<a href>` that look like feeds, each
///    listed only when fetching it gives a feed;
/// 3. when none of these gave a feed, the usual feed paths at the site's root, confirmed the same way.
///
/// A document that is a feed itself discovers itself.
enum FeedDiscovery {
    /// The feeds `source` offers, best first; empty when it offers none.
    /// - Parameters:
    ///   - source: a URL or a file path, as `feedd parse` takes them (`-` is standard input).
    ///   - check: also fetch the declared feeds, and drop those that are not feeds.
    ///   - maxBodyBytes: the size cap of the page and of every candidate.
    /// - Throws: `DiscoveryError` when the page itself cannot be read, and no feed its URL alone implies (a
    ///   subreddit's, a repository's) is one.
    static func discover(_ source: String, check: Bool, maxBodyBytes: Int) async throws(DiscoveryError)
        -> [DiscoveredFeed]
    {
        try await report(source, check: check, maxBodyBytes: maxBodyBytes).feeds
    }

    /// What `discover` found, with what it tried: `feedd discover` says so when nothing is found.
    /// - Parameter fetch: how candidates are fetched; the daemon's `Fetcher` when nil.
    static func report(
        _ source: String, check: Bool, maxBodyBytes: Int, fetch: CandidateFetch? = nil
    ) async throws(DiscoveryError) -> DiscoveryReport {
        let fetch = fetch ?? FeedConfirmation.fetcher(maxBodyBytes: maxBodyBytes)
        let loaded: DocumentLoader.Loaded
        do throws(DocumentLoader.Failure) {
            loaded = try await DocumentLoader(sizeLimit: maxBodyBytes).load(source)
        } catch {
            let unread = DiscoveryError(description: error.description)
            return try await platformFeeds(ofUnreadPage: source, error: unread, fetch: fetch, sizeLimit: maxBodyBytes)
        }
        if let feed = try? FeedParser.parse(loaded.data, url: loaded.url, sizeLimit: maxBodyBytes),
            let url = ownURL(of: feed, source: source, loaded: loaded)
        {
            // The document is a feed: `link` is the closest of the four, since a feed declares itself as much as
            // a page's <link rel="alternate"> declares it, and it was read, so its format and title are known.
            let itself = DiscoveredFeed(
                url: url, format: feed.format.rawValue, title: FeedConfirmation.title(of: feed), via: .link)
            return DiscoveryReport(feeds: [itself])
        }

        let page = DiscoveryPage(data: loaded.data, url: loaded.url)
        let fetched = (check ? page.declared : []) + page.platform + page.anchors
        let outcomes = await FeedConfirmation.confirm(fetched, fetch: fetch, sizeLimit: maxBodyBytes)
        var report = DiscoveryReport(webURL: page.webURL)
        var outcomeOf: [String: FeedConfirmation.Outcome] = [:]
        for (candidate, outcome) in zip(fetched, outcomes) { outcomeOf[DiscoveryPage.key(candidate.url)] = outcome }

        for candidate in page.declared {
            switch outcomeOf[DiscoveryPage.key(candidate.url)] {
            case nil: report.add(DiscoveredFeed(url: candidate.url, format: nil, title: nil, via: .link))
            case .feed(let feed): report.add(feed)
            case .failed(let reason):
                report.dropped.append(DiscoveryReport.Attempt(candidate: candidate, failure: reason))
            }
        }
        report.declaredCount = page.declared.count
        for candidate in page.platform + page.anchors {
            guard let outcome = outcomeOf[DiscoveryPage.key(candidate.url)] else { continue }
            report.record(candidate, outcome)
        }
        if report.feeds.isEmpty {
            let outcomes = await FeedConfirmation.confirm(page.guesses, fetch: fetch, sizeLimit: maxBodyBytes)
            for (candidate, outcome) in zip(page.guesses, outcomes) { report.record(candidate, outcome) }
        }
        return report
    }

    /// The feeds the URL of a page that could not be read gives by itself (`PlatformRules` without the page's
    /// signals), confirmed by fetching them: Reddit and others refuse pages to clients that are not browsers, yet
    /// serve their feeds. Throws `error`, why the page could not be read, when none is a feed.
    private static func platformFeeds(
        ofUnreadPage source: String, error: DiscoveryError, fetch: @escaping CandidateFetch, sizeLimit: Int
    ) async throws(DiscoveryError) -> DiscoveryReport {
        guard let url = DiscoveryPage.url(source, against: nil, allowingFiles: false) else { throw error }
        let candidates = PlatformRules.feeds(for: url, signals: PageSignals()).map {
            FeedCandidate(url: $0.url, via: .platform, platform: $0.platform)
        }
        var report = DiscoveryReport(webURL: url)
        let outcomes = await FeedConfirmation.confirm(candidates, fetch: fetch, sizeLimit: sizeLimit)
        for (candidate, outcome) in zip(candidates, outcomes) { report.record(candidate, outcome) }
        guard !report.feeds.isEmpty else { throw error }
        return report
    }

    /// The address of a document that is a feed: the URL given, or where permanent redirects moved it; for a file,
    /// its absolute `file:` URL; for standard input, the feed's own address when it gives an http(s) one.
    static func ownURL(of feed: ParsedFeed, source: String, loaded: DocumentLoader.Loaded) -> URL? {
        if let moved = loaded.permanentRedirect { return moved }
        guard let url = loaded.url else {
            return feed.feedURL.flatMap { DiscoveryPage.url($0, against: nil, allowingFiles: false) }
        }
        if url.isFileURL { return url.absoluteURL.standardizedFileURL }
        return URL(string: source) ?? url
    }
}

/// What `FeedDiscovery.report` found and what it tried.
struct DiscoveryReport: Sendable {
    /// A candidate fetched, and why it is not a feed (nil when it is one).
    struct Attempt: Equatable, Sendable {
        var candidate: FeedCandidate
        var failure: String?
    }

    /// The feeds found, best first, each URL once.
    var feeds: [DiscoveredFeed] = []
    /// The page's web address, at whose root the usual paths are tried; nil when it has none.
    var webURL: URL?
    /// How many feeds the page declares.
    var declaredCount = 0
    /// The declared feeds that `check` found are not feeds, and why.
    var dropped: [Attempt] = []
    /// The platform, anchor and guessed candidates fetched, in order, and what each came to.
    var attempts: [Attempt] = []

    /// Adds `feed` unless a feed of that URL is listed already (two candidates may redirect to one feed).
    mutating func add(_ feed: DiscoveredFeed) {
        let key = DiscoveryPage.key(feed.url)
        guard !feeds.contains(where: { DiscoveryPage.key($0.url) == key }) else { return }
        feeds.append(feed)
    }

    mutating func record(_ candidate: FeedCandidate, _ outcome: FeedConfirmation.Outcome) {
        switch outcome {
        case .feed(let feed):
            add(feed)
            attempts.append(Attempt(candidate: candidate, failure: nil))
        case .failed(let reason):
            attempts.append(Attempt(candidate: candidate, failure: reason))
        }
    }

    /// What was tried, in one line, for when nothing was found: each step of `FeedDiscovery` and what it came to.
    var tried: String {
        var steps: [String] = []
        if declaredCount == 0 {
            steps.append("no <link rel=\"alternate\"> feed in the page")
        } else {
            steps.append("\(Self.count(declaredCount, "<link rel=\"alternate\"> feed")) (none is a feed)")
        }
        let platform = attempts.filter { $0.candidate.via == .platform }
        if platform.isEmpty {
            steps.append("no known platform")
        } else {
            steps.append(platform.map { attempt in
                "\(attempt.candidate.platform ?? "platform") feed \(attempt.candidate.url.absoluteString)"
                    + " (\(attempt.failure ?? "a feed"))"
            }.joined(separator: ", "))
        }
        let anchors = attempts.filter { $0.candidate.via == .anchor }
        if anchors.isEmpty {
            steps.append("no link in the page that looks like a feed")
        } else {
            steps.append(
                anchors.count == 1
                    ? "1 link in the page that looks like a feed (it is not one)"
                    : "\(anchors.count) links in the page that look like feeds (none is one)")
        }
        let guesses = attempts.filter { $0.candidate.via == .guess }
        if let root = guesses.first.flatMap({ PlatformRules.at($0.candidate.url, "/") }) {
            let paths = guesses.map { $0.candidate.url.path }.joined(separator: ", ")
            steps.append("the usual paths \(paths) on \(root.absoluteString) (none is a feed)")
        } else if webURL == nil {
            steps.append("no usual paths (the page has no web address)")
        }
        return steps.joined(separator: "; ")
    }

    /// `1 link`, `3 links`.
    private static func count(_ n: Int, _ noun: String) -> String {
        n == 1 ? "1 \(noun)" : "\(n) \(noun)s"
    }
}
