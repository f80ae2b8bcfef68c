import Foundation

/// How discovery fetches a candidate: the daemon's `Fetcher` in production (`FeedConfirmation.fetcher`); tests map
/// real hosts such as www.youtube.com to their server on 127.0.0.1.
typealias CandidateFetch = @Sendable (URL) async -> FetchOutcome

/// Confirms candidates by fetching them and parsing what comes back: a candidate is a feed when `FeedParser` reads
/// it as one, and then its format and title are known.
enum FeedConfirmation {
    /// What fetching one candidate came to.
    enum Outcome: Equatable, Sendable {
        case feed(DiscoveredFeed)
        /// Why it is not a feed, in feedd's words (`HTTP 404`, `not a feed: an HTML page (title "Blog")`).
        case failed(String)
    }

    /// Seconds one candidate's fetch may take: a feed that answers slower is not worth the wait of a command.
    static let timeout: TimeInterval = 10
    /// Candidates fetched at once: most are on one host, which should not see a burst.
    static let parallel = 4

    /// The daemon's bounded fetch: its headers, redirects, size cap and error words, with a short deadline.
    static func fetcher(maxBodyBytes: Int) -> CandidateFetch {
        let client = URLSessionHTTPClient(maximumConnectionsPerHost: parallel)
        let fetcher = Fetcher(client: client, maxBodyBytes: maxBodyBytes)
        return { url in
            await fetcher.fetch(
                FeedConfig(id: FeedID("discover"), url: url, timeout: timeout), validators: Validators())
        }
    }

    /// Fetches and parses `candidates`, `parallel` at a time; the outcomes come in the candidates' order.
    static func confirm(
        _ candidates: [FeedCandidate], fetch: @escaping CandidateFetch, sizeLimit: Int
    ) async -> [Outcome] {
        guard !candidates.isEmpty else { return [] }
        var outcomes = [Outcome?](repeating: nil, count: candidates.count)
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func startNext() {
                guard next < candidates.count else { return }
                let index = next
                let candidate = candidates[index]
                group.addTask { (index, await confirm(candidate, fetch: fetch, sizeLimit: sizeLimit)) }
                next += 1
            }
            for _ in 0..<parallel { startNext() }
            for await (index, outcome) in group {
                outcomes[index] = outcome
                startNext()
            }
        }
        return outcomes.map { $0 ?? .failed("cancelled") }
    }

    /// The feed's title as `feedd discover` gives it: nil rather than empty.
    static func title(of feed: ParsedFeed) -> String? {
        feed.title.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Fetches and parses one candidate. The feed's URL is the candidate's, or where permanent redirects moved it.
    static func confirm(_ candidate: FeedCandidate, fetch: CandidateFetch, sizeLimit: Int) async -> Outcome {
        switch await fetch(candidate.url) {
        case .fresh(let body, let finalURL, _, let moved, _):
            do throws(ParseError) {
                let feed = try FeedParser.parse(body, url: finalURL, sizeLimit: sizeLimit)
                return .feed(
                    DiscoveredFeed(
                        url: moved ?? candidate.url, format: feed.format.rawValue, title: title(of: feed),
                        via: candidate.via))
            } catch {
                return .failed(error.description)
            }
        case .notModified: return .failed(FetchError.http(status: 304).description)
        case .gone: return .failed(FetchError.http(status: 410).description)
        case .failed(let error, _): return .failed(error.description)
        }
    }
}
