import Dispatch
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends requests through one shared URLSession (FoundationNetworking over libcurl), working around what
/// PLATFORM-NOTES §1 measured on Linux: the cache is off (conditional GET is `Fetcher`'s), the total deadline is
/// our own timer, the body cap is our own count, and redirects are seen by a session-level delegate (per-task
/// delegates are ignored).
final class URLSessionHTTPClient: HTTPClient {
    /// Redirects followed in a row before failing with `.tooManyRedirects` (libcurl's own limit is 20).
    static let maximumRedirects = 10

    private let session: URLSession
    private let delegate: SessionDelegate
    private let deadlines = DispatchQueue(label: "feedd.fetch.deadlines")

    /// - Parameter maximumConnectionsPerHost: connections libcurl opens to one host:port at most (config
    ///   `per_host_concurrency`); the scheduler also limits requests per host.
    init(maximumConnectionsPerHost: Int) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        configuration.httpMaximumConnectionsPerHost = max(1, maximumConnectionsPerHost)
        delegate = SessionDelegate()
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        // The session holds its delegate strongly until invalidated. No send is in flight here (each holds self),
        // so every task left is already decided and cancelled, and finishes soon.
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` as one URLSession data task and waits for the first of: the final response, the deadline,
    /// the cap, too many redirects, cancellation of the calling task.
    func send(_ request: FetchRequest) async throws(FetchError) -> HTTPResponse {
        let task = session.dataTask(with: Self.urlRequest(for: request))
        let transfer = Transfer(request: request, cancelTask: { task.cancel() })
        let identifier = task.taskIdentifier
        delegate.register(transfer, for: identifier)
        defer { delegate.unregister(identifier) }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.start(continuation, deadlineQueue: deadlines, resume: { task.resume() })
            }
        } onCancel: {
            transfer.fail(.cancelled)
        }
        return try result.get()
    }

    /// The URLRequest for `request`. Its timeout is libcurl's idle timeout, rounded down to whole seconds
    /// (PLATFORM-NOTES §1); rounding up keeps it from firing before our own total deadline.
    static func urlRequest(for request: FetchRequest) -> URLRequest {
        var urlRequest = URLRequest(
            url: request.url, cachePolicy: .reloadIgnoringLocalCacheData,
            timeoutInterval: max(1, request.timeout.rounded(.up)))
        urlRequest.httpShouldHandleCookies = false
        for field in request.headers.fields {
            urlRequest.setValue(field.value, forHTTPHeaderField: field.name)
        }
        return urlRequest
    }
}
