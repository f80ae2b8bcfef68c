import Dispatch
import Foundation

extension URLSessionHTTPClient {
    /// The state of one request in flight, shared by the caller's task, the session delegate's queue, the deadline
    /// timer and the cancellation handler; a lock guards it.
    ///
    /// It resumes the caller exactly once, at the first of: completion, deadline, body over the cap, too many
    /// redirects, cancellation. It does not wait for libcurl to wind down after a cancel: data that keeps arriving
    /// after `cancel()` (docs/PLATFORM.md, "URLSession") is dropped here.
    ///
    /// The body is kept as the pieces libcurl delivered, each exactly its size, and joined once at the end: a `Data`
    /// grown by appending doubles its capacity, so a body near the cap could hold twice the cap.
    final class Transfer: @unchecked Sendable {
        typealias Continuation = CheckedContinuation<Result<HTTPResponse, FetchError>, Never>

        let request: FetchRequest
        private let lock = NSLock()
        /// Stops the network side (the URLSession task), once attached; called at most once, outside the lock.
        private var cancelTask: (@Sendable () -> Void)?
        /// The URLSession task, once attached.
        private var attached: ObjectIdentifier?
        private var continuation: Continuation?
        /// The result, once decided; kept so that a caller arriving late (cancelled before start) still gets it.
        private var result: Result<HTTPResponse, FetchError>?
        private var deadline: DispatchSourceTimer?
        private var pieces: [Data] = []
        private var bodyCount = 0
        private var redirects: [HTTPResponse.Redirect] = []

        /// A transfer for `request`, with no task yet (`attach`).
        init(request: FetchRequest) {
            self.request = request
        }

        /// The URLSession task, once attached.
        var task: ObjectIdentifier? {
            lock.withLock { attached }
        }

        /// Whether the task ended by itself (a response, or a network error) before anything cancelled it: then
        /// its session is idle.
        var endedOnItsOwn: Bool {
            lock.withLock { ended }
        }
        private var ended = false

        /// Stores the caller's continuation and arms the deadline on `queue`, which counts from now, before the task
        /// exists. Returns whether to start the task: false when the transfer was already decided (cancelled before
        /// it started), and then the caller is resumed at once.
        func start(_ continuation: Continuation, deadlineQueue queue: DispatchQueue) -> Bool {
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(returning: result)
                return false
            }
            self.continuation = continuation
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let timeout = request.timeout
            timer.schedule(deadline: .now() + timeout, leeway: .milliseconds(10))
            timer.setEventHandler { [weak self] in self?.fail(.timeout(after: timeout)) }
            timer.activate()
            deadline = timer
            lock.unlock()
            return true
        }

        /// Ties the URLSession task `task` to this transfer, with what cancels it. Returns false when the
        /// transfer was decided before (a deadline or a cancel came first): then the task is not to be resumed.
        func attach(_ task: ObjectIdentifier, cancel: @escaping @Sendable () -> Void) -> Bool {
            lock.withLock {
                guard result == nil else { return false }
                attached = task
                cancelTask = cancel
                return true
            }
        }

        /// Decides the transfer as failed and stops the task; later events are ignored.
        func fail(_ error: FetchError) {
            if decide(.failure(error)) { cancelAttachedTask() }
        }

        /// Cancels the task, if one is attached: a transfer decided before it has a task never gets one.
        private func cancelAttachedTask() {
            lock.withLock { cancelTask }?()
        }

        /// Records one redirect hop and calls `follow` to take it, unless the transfer is decided or the hop is one
        /// too many; then it never calls `follow`.
        ///
        /// Why `follow` runs under the lock, and is never called once decided: FoundationNetworking crashes
        /// ("Received callback for HTTP redirection, but we're not waiting for it") when a task is cancelled
        /// between asking its delegate about a redirect and getting the answer. Every cancel here comes after the
        /// transfer is decided (under this lock), so an answer is either queued before the cancel or never given;
        /// an unanswered redirect simply ends with the cancel.
        func redirect(status: Int, to location: URL, follow: () -> Void) {
            lock.lock()
            guard result == nil else {
                lock.unlock()
                return
            }
            redirects.append(HTTPResponse.Redirect(status: status, location: location))
            guard redirects.count > URLSessionHTTPClient.maximumRedirects else {
                follow()
                lock.unlock()
                return
            }
            let outcome = Result<HTTPResponse, FetchError>.failure(.tooManyRedirects)
            let waiting = decideLocked(outcome)
            lock.unlock()
            waiting?.resume(returning: outcome)
            cancelAttachedTask()
        }

        /// Fails early when the announced length is over the cap (-1 when unknown, e.g. chunked). Returns whether
        /// to go on.
        func received(expectedLength: Int64) -> Bool {
            if expectedLength > Int64(request.maxBodyBytes) {
                fail(.tooLarge(limit: request.maxBodyBytes))
                return false
            }
            return true
        }

        /// Appends decoded body bytes, or fails the transfer when they would pass the cap. Bytes arriving after the
        /// transfer was decided are dropped, so the body kept never passes the cap.
        func append(_ data: Data) {
            lock.lock()
            guard result == nil else {
                lock.unlock()
                return
            }
            let over = bodyCount + data.count > request.maxBodyBytes
            if !over {
                pieces.append(data)
                bodyCount += data.count
            }
            lock.unlock()
            if over { fail(.tooLarge(limit: request.maxBodyBytes)) }
        }

        /// Decides the transfer from the task's end: `error`, else the response with the body gathered so far.
        func completed(
            error: FetchError?, status: Int, headers: HTTPHeaders, finalURL: URL?
        ) {
            if let error {
                _ = decide(.failure(error), taskEnded: true)
                return
            }
            lock.lock()
            let body = Self.joined(pieces, count: bodyCount)
            let response = HTTPResponse(
                status: status, headers: headers, body: body, finalURL: finalURL ?? request.url, redirects: redirects)
            lock.unlock()
            _ = decide(.success(response), taskEnded: true)
        }

        /// Sets the result if none was set yet and resumes the caller if it is waiting. Returns whether this call
        /// decided the transfer. `taskEnded`: the outcome is the task's own end, not a cancel.
        private func decide(_ outcome: Result<HTTPResponse, FetchError>, taskEnded: Bool = false) -> Bool {
            lock.lock()
            guard result == nil else {
                lock.unlock()
                return false
            }
            ended = taskEnded
            let waiting = decideLocked(outcome)
            lock.unlock()
            waiting?.resume(returning: outcome)
            return true
        }

        /// Sets the result, drops the body and the deadline; returns the continuation to resume once unlocked.
        /// The lock must be held and no result set.
        private func decideLocked(_ outcome: Result<HTTPResponse, FetchError>) -> Continuation? {
            result = outcome
            pieces = []
            bodyCount = 0
            deadline?.cancel()
            deadline = nil
            let waiting = continuation
            continuation = nil
            return waiting
        }

        /// The pieces as one `Data` of exactly `count` bytes; a single piece is taken as it is.
        private static func joined(_ pieces: [Data], count: Int) -> Data {
            if pieces.count == 1 { return pieces[0] }
            var body = Data(capacity: count)
            for piece in pieces { body.append(piece) }
            return body
        }
    }
}
