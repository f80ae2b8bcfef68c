import Foundation

/// Fetches the web page of a story and extracts its article, for feeds with `fulltext`: one GET with the feed's
/// User-Agent, timeout and body cap, through the same `HTTPClient` as feeds. The daemon's schedule decides when
/// (the per-host limits and pauses); this only reports.
struct PageFetcher: Sendable {
    /// HTML first; anything else is still read and left for the extractor to refuse.
    static let accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

    /// What one page fetch came to.
    struct Outcome: Sendable, Equatable {
        /// The article's HTML, or why there is none (one phrase for the daemon's log).
        var article: Story.Article
        /// Set when a 429 or 503 said when to come back: the page's host is paused until then.
        var retryAfter: Date?
    }

    let client: any HTTPClient
    /// Decoded body bytes accepted (config `max_body_bytes`).
    let maxBodyBytes: Int
    /// Tells the time a response arrived, for `Retry-After` seconds.
    let clock: @Sendable () -> Date

    /// Fetches `url` for a story of `feed` and extracts the article of what comes back.
    func fetch(_ url: URL, for feed: FeedConfig) async -> Outcome {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return Self.failure("not an http(s) URL")
        }
        guard !Task.isCancelled else { return Self.failure(FetchError.cancelled.description) }
        let request = Self.request(for: url, feed: feed, maxBodyBytes: maxBodyBytes)
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            return Self.failure(error.description)
        }
        return Self.outcome(of: response, now: clock())
    }

    /// The GET for a page: `Accept` and the feed's `User-Agent`. The feed's own `headers` are not sent: they are
    /// often credentials for the feed's server, and a story's page may be anywhere.
    static func request(for url: URL, feed: FeedConfig, maxBodyBytes: Int) -> FetchRequest {
        FetchRequest(
            url: url, headers: ["Accept": accept, "User-Agent": feed.userAgent], timeout: feed.timeout,
            maxBodyBytes: maxBodyBytes)
    }

    /// What `response` gives: the extracted article of a 2xx body, else the status as the reason.
    static func outcome(of response: HTTPResponse, now: Date) -> Outcome {
        switch response.status {
        case 200..<300:
            guard !response.body.isEmpty else { return failure(FetchError.emptyBody.description) }
            switch ArticleExtractor.extract(
                page: response.body, url: response.finalURL, contentType: response.headers["Content-Type"])
            {
            case .success(let article): return Outcome(article: .extracted(html: article.html), retryAfter: nil)
            case .failure(let error): return failure(error.description)
            }
        case 429, 503:
            let retryAfter = RetryAfter.date(response.headers["Retry-After"], now: now)
            let reason = FetchError.http(status: response.status).description
                + (retryAfter.map { " (retry after \(FeedDate.format($0)))" } ?? "")
            return Outcome(article: .unavailable(reason: reason), retryAfter: retryAfter)
        default:
            return failure(FetchError.http(status: response.status).description)
        }
    }

    private static func failure(_ reason: String) -> Outcome {
        Outcome(article: .unavailable(reason: reason), retryAfter: nil)
    }
}
