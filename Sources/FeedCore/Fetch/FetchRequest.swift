import Foundation

/// One GET as `Fetcher` asks an `HTTPClient` to send it: the headers are final, the limits are the client's to
/// enforce.
struct FetchRequest: Sendable, Equatable {
    var url: URL
    var headers: HTTPHeaders
    /// Seconds the whole exchange may take, redirects and body included.
    var timeout: TimeInterval
    /// Decoded body bytes accepted; more fails the fetch as `.tooLarge`.
    var maxBodyBytes: Int
}
