import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends requests through URLSession (FoundationNetworking over libcurl), working around what was measured on Linux
/// (docs/PLATFORM.md, "URLSession"): the cache is off (conditional GET is `Fetcher`'s), the total deadline is our own
/// timer, the body cap is our own count, redirects are seen by a session-level delegate (per-task delegates are
/// ignored), and the delegate runs on libcurl's thread (`DirectDelegateQueue`), so that memory does not follow the
/// speed of the fastest server.
///
/// Each transfer has a session to itself (`SessionPool`): a session whose server floods it keeps its libcurl
/// thread busy, and every make, resume and cancel waits for that thread (docs/PLATFORM.md, "URLSession"). With one
/// session for all, a few servers pushing bodies at loopback speed held up the start of every other fetch past its
/// deadline, and the cancels that would have stopped them. Sessions of transfers that ended cleanly are kept for the
/// next fetch from the same host, so that connections are still reused.
final class URLSessionHTTPClient: HTTPClient {
    /// Redirects followed in a row before failing with `.tooManyRedirects` (libcurl's own limit is 20).
    static let maximumRedirects = 10

    private let sessions: SessionPool
    private let deadlines = DispatchQueue(label: "feedd.fetch.deadlines")
    /// Where tasks are made, resumed and cancelled: each of these waits (`sync`) for the session's work queue,
    /// holding a thread meanwhile. A few serial lanes, not a queue per transfer: libdispatch runs at most 255
    /// threads, and with a thread per transfer a test process with a few hundred fetches in flight used them all,
    /// so no work queue found a thread to run on and every wait hung. A transfer keeps its lane, so its cancel
    /// comes after its resume.
    private let lanes = (0..<URLSessionHTTPClient.laneCount).map { DispatchQueue(label: "feedd.fetch.lane\($0)") }
    private static let laneCount = 8
    private let nextLane = Atomic<Int>(0)

    /// - Parameter maximumConnectionsPerHost: sessions, each with its connection, to one host at once (config
    ///   `per_host_concurrency`); more requests to one host wait for one of them.
    init(maximumConnectionsPerHost: Int) {
        sessions = SessionPool(perHost: maximumConnectionsPerHost)
    }

    deinit {
        sessions.invalidateIdle()
    }

    /// Sessions lent to one host from now on: a reload changed `per_host_concurrency`. Transfers in flight keep
    /// theirs; callers waiting for one are let through up to the new limit.
    func setMaximumConnectionsPerHost(_ count: Int) {
        sessions.setPerHost(count)
    }

    /// Sends `request` as one URLSession data task and waits for the first of: the final response, the deadline,
    /// the cap, too many redirects, cancellation of the calling task.
    ///
    /// The task is made and started on one of the `lanes`, never on the caller's thread:
    /// `dataTask(with:)` and `resume()` wait for libcurl's thread, and Swift concurrency has one thread per core for
    /// every task of the process.
    func send(_ request: FetchRequest) async throws(FetchError) -> HTTPResponse {
        let lease = await sessions.take(for: request.url)
        let transfer = Transfer(request: request)
        let ticket = UInt(bitPattern: nextLane.wrappingAdd(1, ordering: .relaxed).oldValue)
        let queue = lanes[Int(ticket % UInt(Self.laneCount))]
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard transfer.start(continuation, deadlineQueue: deadlines) else { return }
                queue.async { Self.startTask(for: transfer, in: lease, on: queue) }
            }
        } onCancel: {
            transfer.fail(.cancelled)
        }
        if let task = transfer.task { lease.delegate.unregister(task) }
        // A session whose task ended on its own is idle and may serve the next fetch; one whose task was cancelled
        // (deadline, cap, caller) may still be winding down, so it is let go once the cancel has been sent.
        sessions.give(back: lease, reusable: transfer.endedOnItsOwn, after: queue)
        return try result.get()
    }

    /// Makes and resumes the URLSession task of `transfer` in `lease`, unless the transfer was decided meanwhile.
    /// Runs on `queue`, the transfer's lane, which later takes its cancel too.
    private static func startTask(for transfer: Transfer, in lease: SessionPool.Lease, on queue: DispatchQueue) {
        let task = lease.session.dataTask(with: Self.urlRequest(for: transfer.request))
        lease.delegate.register(transfer, for: task)
        guard transfer.attach(ObjectIdentifier(task), cancel: { queue.async { task.cancel() } }) else {
            lease.delegate.unregister(ObjectIdentifier(task))
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
