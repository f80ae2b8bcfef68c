import Foundation

/// Why a fetch gave no usable answer. Each `description` is one short phrase; the caller adds the feed
/// (`feed ladaily: HTTP 503`).
enum FetchError: Error, Equatable, CustomStringConvertible {
    /// The whole fetch took longer than the feed's `timeout`.
    case timeout(after: TimeInterval)
    /// The connection could not be made or broke off; the text says how.
    case network(String)
    /// The TLS handshake or the server's certificate failed; the text says how.
    case tls(String)
    /// The final response had an error status (or a status feedd does not handle, such as 1xx or 3xx).
    case http(status: Int)
    /// The decoded body passed `limit` bytes; the rest was not kept.
    case tooLarge(limit: Int)
    /// A 2xx response without a body.
    case emptyBody
    /// More than `URLSessionHTTPClient.maximumRedirects` redirects in a row.
    case tooManyRedirects
    /// A `file:` feed could not be read; the text says why.
    case file(String)
    /// No file is at the path of a `file:` feed (yet, or any more): `feedd status` says "missing".
    case fileMissing(path: String)
    /// The fetch was cancelled (the daemon is stopping or the feed was removed).
    case cancelled

    var description: String {
        switch self {
        case .timeout(let seconds):
            return "timed out after \(Self.format(seconds))s"
        case .network(let reason):
            return "network error: \(reason)"
        case .tls(let reason):
            return "TLS error: \(reason)"
        case .http(let status):
            return "HTTP \(status)"
        case .tooLarge(let limit):
            return "body over the \(limit)-byte limit"
        case .emptyBody:
            return "empty body"
        case .tooManyRedirects:
            return "too many redirects"
        case .file(let reason):
            return "cannot read file: \(reason)"
        case .fileMissing(let path):
            return "no such file: \(path)"
        case .cancelled:
            return "cancelled"
        }
    }

    /// `30` for whole seconds, `1.5` otherwise.
    private static func format(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }
}
