import Foundation

/// Fetches one feed: builds the conditional GET, sends it through an `HTTPClient` (or reads a `file:` URL
/// directly), and interprets the answer as a `FetchOutcome`. It only reports; the scheduler applies intervals,
/// `Retry-After`, backoff and remembered redirects.
struct Fetcher: Sendable {
    /// Feed formats first; generic XML and anything else still accepted, since many feeds are served as
    /// `text/xml` or `text/html`.
    static let accept =
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"

    let client: any HTTPClient
    /// Decoded body bytes accepted per fetch (config `max_body_bytes`).
    let maxBodyBytes: Int
    /// Tells the time a response arrived, for `Retry-After` seconds and a missing `Date`.
    let clock: @Sendable () -> Date

    init(client: any HTTPClient, maxBodyBytes: Int, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.maxBodyBytes = maxBodyBytes
        self.clock = clock
    }

    /// Fetches `feed` from `url` (a remembered permanent redirect) or else from the feed's configured URL.
    /// - Parameter validators: what the last `.fresh` or `.notModified` outcome returned; empty for a new feed.
    func fetch(_ feed: FeedConfig, at url: URL? = nil, validators: Validators) async -> FetchOutcome {
        let target = url ?? feed.url
        if target.isFileURL {
            return readFile(target, validators: validators)
        }
        guard !Task.isCancelled else { return .failed(.cancelled, retryAfter: nil) }
        let request = Self.request(for: feed, at: target, validators: validators, maxBodyBytes: maxBodyBytes)
        do {
            let response = try await client.send(request)
            return Self.outcome(of: response, sent: validators, now: clock())
        } catch {
            return .failed(error, retryAfter: nil)
        }
    }

    /// The GET for `feed`: `Accept` and `User-Agent`, then the feed's own headers (which may replace either),
    /// then the conditional headers (RFC 9110 §13.1.2, §13.1.3), which nothing replaces.
    static func request(
        for feed: FeedConfig, at url: URL, validators: Validators, maxBodyBytes: Int
    ) -> FetchRequest {
        var headers: HTTPHeaders = ["Accept": accept, "User-Agent": feed.userAgent]
        headers.merge(HTTPHeaders(feed.headers))
        headers["If-None-Match"] = validators.etag
        headers["If-Modified-Since"] = validators.lastModified
        return FetchRequest(url: url, headers: headers, timeout: feed.timeout, maxBodyBytes: maxBodyBytes)
    }

    /// What `response` means for the feed.
    /// - 2xx: `.fresh`, or `.failed(.emptyBody)` without a body.
    /// - 304: `.notModified`, keeping the validators sent unless the response updates them (RFC 9110 §15.4.5).
    /// - 410: `.gone`.
    /// - 429 and 503: `.failed(.http)` with the `Retry-After` instant, when valid (RFC 9110 §10.2.3).
    /// - Anything else: `.failed(.http)`.
    static func outcome(of response: HTTPResponse, sent validators: Validators, now: Date) -> FetchOutcome {
        let headers = response.headers
        let cacheFor = CachePolicy.freshness(
            cacheControl: headers["Cache-Control"], expires: headers["Expires"], date: headers["Date"], now: now)
        let received = Validators(
            etag: headers["ETag"], lastModified: Self.lastModified(headers["Last-Modified"], date: headers["Date"], now: now))
        switch response.status {
        case 200..<300:
            guard !response.body.isEmpty else { return .failed(.emptyBody, retryAfter: nil) }
            return .fresh(
                body: response.body, finalURL: response.finalURL, validators: received,
                permanentRedirect: permanentRedirect(of: response), cacheFor: cacheFor)
        case 304:
            let next = Validators(
                etag: received.etag ?? validators.etag, lastModified: received.lastModified ?? validators.lastModified)
            return .notModified(
                validators: next, permanentRedirect: permanentRedirect(of: response), cacheFor: cacheFor)
        case 410:
            return .gone
        case 429, 503:
            return .failed(
                .http(status: response.status), retryAfter: RetryAfter.date(headers["Retry-After"], now: now))
        default:
            return .failed(.http(status: response.status), retryAfter: nil)
        }
    }

    /// The `Last-Modified` to send back: as received, unless it lies in the future, which RFC 9110 §8.8.2.1 says an
    /// origin must not send. Sent back as `If-Modified-Since`, such a date would make a server answer 304 for as
    /// long as its own clock is behind it; it is dropped instead (no date of ours can stand in: with one-second
    /// resolution, a change within the second of the fetch would be missed).
    static func lastModified(_ value: String?, date: String?, now: Date) -> String? {
        guard let value, let modified = HTTPDate.parse(value) else { return value }
        let origin = date.flatMap(HTTPDate.parse) ?? now
        return modified > origin ? nil : value
    }

    /// The URL to poll from now on, when the response came through redirects that were all permanent (301, 308;
    /// RFC 9110 §15.4.2, §15.4.9). One temporary hop (302, 303, 307) anywhere means the origin may move back.
    static func permanentRedirect(of response: HTTPResponse) -> URL? {
        let redirects = response.redirects
        guard !redirects.isEmpty, redirects.allSatisfy({ $0.status == 301 || $0.status == 308 }) else { return nil }
        return redirects.last?.location
    }
}
