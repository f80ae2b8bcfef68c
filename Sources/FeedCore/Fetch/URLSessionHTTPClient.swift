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
final class URLSessionHTTPClient: HTTPClient, @unchecked Sendable {
    // @unchecked: `session` and `connectionsPerHost` are touched only on `control` (and in deinit).
    /// Redirects followed in a row before failing with `.tooManyRedirects` (libcurl's own limit is 20).
    static let maximumRedirects = 10

    /// The session new tasks are made in. A session's configuration is fixed once it exists, so a new limit of
    /// connections per host takes a new session (`setMaximumConnectionsPerHost`); tasks of the old one finish there.
    private var session: URLSession
    private var connectionsPerHost: Int
    /// One delegate for every session of the client, so that tasks of a replaced session still reach their transfer.
    private let delegate = SessionDelegate()
    private let deadlines = DispatchQueue(label: "feedd.fetch.deadlines")
    /// Where tasks are made, resumed and cancelled: each of these waits for libcurl's thread (a `sync` onto the
    /// session's work queue), which the delegate runs on (`DirectDelegateQueue`) and which a busy multi handle may
    /// hold for a while. Neither the delegate, nor a deadline timer, nor a Swift concurrency thread may wait for it.
    private let control = DispatchQueue(label: "feedd.fetch.control")

    /// - Parameter maximumConnectionsPerHost: connections libcurl opens to one host:port at most (config
    ///   `per_host_concurrency`); the scheduler also limits requests per host.
    init(maximumConnectionsPerHost: Int) {
        connectionsPerHost = max(1, maximumConnectionsPerHost)
        session = Self.makeSession(connectionsPerHost: connectionsPerHost, delegate: delegate)
    }

    private static func makeSession(connectionsPerHost: Int, delegate: SessionDelegate) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        configuration.httpMaximumConnectionsPerHost = connectionsPerHost
        return URLSession(configuration: configuration, delegate: delegate, delegateQueue: DirectDelegateQueue())
    }

    /// Makes the tasks started from now on go through a new session with the new limit (libcurl's own, per host
    /// and port, which the scheduler's per-host limit must not exceed); the old session finishes its tasks and goes.
    /// Done on `control`, where tasks are made: a task is never made in a session already invalidated, which
    /// FoundationNetworking answers with a crash.
    func setMaximumConnectionsPerHost(_ count: Int) {
        control.async { [self] in
            let count = max(1, count)
            guard count != connectionsPerHost else { return }
            let old = session
            connectionsPerHost = count
            session = Self.makeSession(connectionsPerHost: count, delegate: delegate)
            old.finishTasksAndInvalidate()
        }
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
        if let task = transfer.task { delegate.unregister(task) }
        return try result.get()
    }

    /// Makes and resumes the URLSession task of `transfer`, unless the transfer was decided meanwhile. Runs on
    /// `control`.
    private func startTask(for transfer: Transfer) {
        let task = session.dataTask(with: Self.urlRequest(for: transfer.request))
        delegate.register(transfer, for: task)
        let control = control
        guard transfer.attach(ObjectIdentifier(task), cancel: { control.async { task.cancel() } }) else {
            delegate.unregister(ObjectIdentifier(task))
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
