import Foundation

/// What one fetch of a feed came to, as values: the scheduler decides what to do next, the parser sees only
/// `.fresh` bodies.
enum FetchOutcome: Sendable, Equatable {
    /// A new body to parse (2xx). `finalURL` is where relative links resolve; `permanentRedirect` is set when
    /// every redirect followed was permanent (301/308), and names the URL to poll from now on; `cacheFor` is
    /// the server's freshness lifetime in seconds (see `CachePolicy`).
    case fresh(
        body: Data, finalURL: URL, validators: Validators, permanentRedirect: URL?, cacheFor: TimeInterval?)
    /// 304 (RFC 9110 §15.4.5): nothing changed, nothing to parse. `validators` are the ones to send next time.
    case notModified(validators: Validators, permanentRedirect: URL?, cacheFor: TimeInterval?)
    /// 410 (RFC 9110 §15.5.11): the feed is gone for good; stop polling it.
    case gone
    /// No usable answer. `retryAfter` is set when a 429 or 503 said when to come back (RFC 9110 §10.2.3).
    case failed(FetchError, retryAfter: Date?)
}
