import Dispatch
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends requests through one shared URLSession (FoundationNetworking over libcurl), working around what was
/// measured on Linux (docs/PLATFORM.md, "URLSession"): the cache is off (conditional GET is `Fetcher`'s), the total deadline is
/// our own timer, the body cap is our own count, redirects are seen by a session-level delegate (per-task
/// delegates are ignored), and the delegate runs on libcurl's thread (`DirectDelegateQueue`), so that memory does
/// not follow the speed of the fastest server.
final class URLSessionHTTPClient: HTTPClient {
    /// Redirects followed in a row before failing with `.tooManyRedirects` (libcurl's own limit is 20).
    static let maximumRedirects = 10

    private let session: URLSession
    private let delegate: SessionDelegate
    private let deadlines = DispatchQueue(label: "feedd.fetch.deadlines")
    /// Where tasks are made, resumed and cancelled: each of these waits for libcurl's thread (a `sync` onto the
    /// session's work queue), which the delegate runs on (`DirectDelegateQueue`) and which a busy multi handle may
    /// hold for a while. Neither the delegate, nor a deadline timer, nor a Swift concurrency thread may wait for it.
    private let control = DispatchQueue(label: "feedd.fetch.control")

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
        session = URLSession(
            configuration: configuration, delegate: delegate,
            delegateQueue: DirectDelegateQueue())
    }

    deinit {
        // The session holds its delegate strongly until invalidated. No send is in flight here (each holds self),
        // so every task left is already decided and cancelled, and finishes soon.
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` as one URLSession data task and waits for the first of: the final response, the deadline,
    /// the cap, too many redirects, cancellation of the calling task.
    ///
    /// The task is made and started on `control`, never on the caller's thread: `dataTask(with:)` and `resume()`
    /// wait for libcurl's thread, and Swift concurrency has one thread per core for every task of the process.
    func send(_ request: FetchRequest) async throws(FetchError) -> HTTPResponse {
        let transfer = Transfer(request: request)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard transfer.start(continuation, deadlineQueue: deadlines) else { return }
                control.async { [self] in startTask(for: transfer) }
            }
        } onCancel: {
            transfer.fail(.cancelled)
        }
        if let identifier = transfer.taskIdentifier { delegate.unregister(identifier) }
        return try result.get()
    }

    /// Makes and resumes the URLSession task of `transfer`, unless the transfer was decided meanwhile. Runs on
    /// `control`.
    private func startTask(for transfer: Transfer) {
        let task = session.dataTask(with: Self.urlRequest(for: transfer.request))
        delegate.register(transfer, for: task.taskIdentifier)
        let control = control
        guard transfer.attach(task.taskIdentifier, cancel: { control.async { task.cancel() } }) else {
            delegate.unregister(task.taskIdentifier)
            task.cancel()
            return
        }
        task.resume()
    }

    /// The URLRequest for `request`. Its timeout is libcurl's idle timeout, rounded down to whole seconds
    /// (docs/PLATFORM.md, "URLSession"); rounding up keeps it from firing before our own total deadline.
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
