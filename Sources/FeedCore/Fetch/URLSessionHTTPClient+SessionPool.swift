import Dispatch
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension URLSessionHTTPClient {
    /// URLSessions, one per transfer in flight, and the idle ones kept for reuse: by host first (its connection
    /// may still be open), else any (making a session costs about 1 ms of CPU more than reusing one).
    ///
    /// Why not one session for all: FoundationNetworking runs a session's libcurl multi handle on a serial queue
    /// nested in the session's work queue, and `dataTask(with:)`, `resume()` and `cancel()` each wait (`sync`) for
    /// that work queue. While several sockets of one session always have data (servers pushing bodies at loopback
    /// speed), the nested queue never runs dry and those waits never end: measured, good feeds timed out after 10 s
    /// without a byte sent, and the cancels of the floods waited too. A session of its own per transfer confines
    /// that to the transfer that causes it.
    final class SessionPool: @unchecked Sendable {
        /// A session lent to one transfer, with the delegate that routes its events.
        struct Lease: @unchecked Sendable {
            let session: URLSession
            let delegate: SessionDelegate
            /// `host:port` of the first request, the key it is kept under when idle.
            let key: String
        }

        /// Sessions lent out to one host at most.
        private var perHost: Int
        /// Idle sessions kept in all.
        private var idleLimit: Int
        private let lock = NSLock()
        /// Idle sessions by the host they last fetched from; no empty lists.
        private var idle: [String: [Lease]] = [:]
        private var idleCount = 0
        private var lent: [String: Int] = [:]
        /// Callers waiting for a session to their host, first come first served.
        private var waiting: [String: [CheckedContinuation<Lease, Never>]] = [:]
        /// The delegate queue every session shares: it runs nothing itself (`DirectDelegateQueue`).
        private let delegateQueue = DirectDelegateQueue()

        /// - Parameter perHost: sessions, and so connections, to one host at once (`per_host_concurrency`); the
        ///   scheduler never asks for more, other callers wait.
        init(perHost: Int) {
            self.perHost = max(1, perHost)
            idleLimit = max(16, self.perHost)
        }

        /// A session for a request to `url`: an idle one that last fetched from its host, else a new one; waits
        /// while `perHost` are lent to that host.
        func take(for url: URL) async -> Lease {
            let key = Self.key(url)
            return await withCheckedContinuation { continuation in
                lock.lock()
                guard lent[key, default: 0] < perHost else {
                    waiting[key, default: []].append(continuation)
                    lock.unlock()
                    return
                }
                lent[key, default: 0] += 1
                let reused = takeIdle(preferring: key)
                lock.unlock()
                continuation.resume(returning: reused ?? makeLease(key))
            }
        }

        /// Lends up to `count` sessions to one host from now on; callers waiting are let through up to it.
        func setPerHost(_ count: Int) {
            var granted: [(CheckedContinuation<Lease, Never>, Lease?, String)] = []
            lock.lock()
            perHost = max(1, count)
            idleLimit = max(16, perHost)
            for key in Array(waiting.keys) {
                while lent[key, default: 0] < perHost, var callers = waiting[key], !callers.isEmpty {
                    let next = callers.removeFirst()
                    waiting[key] = callers.isEmpty ? nil : callers
                    lent[key, default: 0] += 1
                    granted.append((next, takeIdle(preferring: key), key))
                }
            }
            lock.unlock()
            for (caller, idle, key) in granted { caller.resume(returning: idle ?? makeLease(key)) }
        }

        /// An idle session, one of `key`'s if there is one, now keyed by `key`. The lock must be held.
        private func takeIdle(preferring key: String) -> Lease? {
            guard let found = idle[key] != nil ? key : idle.keys.first, var list = idle[found] else { return nil }
            let lease = list.removeLast()
            idle[found] = list.isEmpty ? nil : list
            idleCount -= 1
            return Lease(session: lease.session, delegate: lease.delegate, key: key)
        }

        /// Takes back `lease` when its transfer is over. `reusable`: its task ended by itself, so the session is
        /// idle and is kept (or handed to a waiting caller); otherwise it is let go, once `finishTasksAndInvalidate`
        /// may run (after the cancel queued on `queue`).
        func give(back lease: Lease, reusable: Bool, after queue: DispatchQueue) {
            if !reusable { queue.async { lease.session.finishTasksAndInvalidate() } }
            lock.lock()
            if var callers = waiting[lease.key], !callers.isEmpty {
                let next = callers.removeFirst()
                waiting[lease.key] = callers.isEmpty ? nil : callers
                lock.unlock()
                next.resume(returning: reusable ? lease : makeLease(lease.key))
                return
            }
            lent[lease.key, default: 1] -= 1
            if lent[lease.key] == 0 { lent[lease.key] = nil }
            let kept = reusable && idleCount < idleLimit
            if kept {
                idle[lease.key, default: []].append(lease)
                idleCount += 1
            }
            lock.unlock()
            if reusable && !kept { lease.session.finishTasksAndInvalidate() }
        }

        /// Lets every idle session go: the client is going away.
        func invalidateIdle() {
            let all = lock.withLock {
                defer {
                    idle.removeAll()
                    idleCount = 0
                }
                return idle.values.joined()
            }
            for lease in all { lease.session.finishTasksAndInvalidate() }
        }

        private func makeLease(_ key: String) -> Lease {
            let delegate = SessionDelegate()
            let session = URLSession(
                configuration: Self.configuration(), delegate: delegate, delegateQueue: delegateQueue)
            return Lease(session: session, delegate: delegate, key: key)
        }

        private static func key(_ url: URL) -> String {
            "\(url.scheme ?? ""):\(url.host ?? ""):\(url.port ?? -1)"
        }

        /// One transfer at a time per session: the cache, cookies and credentials are off (conditional GET is
        /// `Fetcher`'s, feeds need no cookies).
        private static func configuration() -> URLSessionConfiguration {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.urlCache = nil
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            configuration.httpCookieStorage = nil
            configuration.httpCookieAcceptPolicy = .never
            configuration.httpShouldSetCookies = false
            configuration.urlCredentialStorage = nil
            configuration.httpMaximumConnectionsPerHost = 1
            return configuration
        }
    }
}
