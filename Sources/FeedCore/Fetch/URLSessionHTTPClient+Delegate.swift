import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension URLSessionHTTPClient {
    /// The session-level delegate of one session: routes each task's events to its `Transfer`.
    /// Events of tasks no longer registered (decided and returned) are dropped. Tasks are known by their object, not
    /// their `taskIdentifier`, which each session counts on its own.
    final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        private let lock = NSLock()
        private var transfers: [ObjectIdentifier: Transfer] = [:]

        /// Routes the events of `task` to `transfer`; call before resuming the task.
        func register(_ transfer: Transfer, for task: URLSessionTask) {
            lock.withLock { transfers[ObjectIdentifier(task)] = transfer }
        }

        /// Stops routing the events of the task, once its transfer is decided.
        func unregister(_ task: ObjectIdentifier) {
            lock.withLock { transfers[task] = nil }
        }

        /// The transfer of `task`, if still registered.
        private func transfer(_ task: URLSessionTask) -> Transfer? {
            lock.withLock { transfers[ObjectIdentifier(task)] }
        }

        /// Records the hop and follows it, to the `Location` resolved by RFC 3986 §5.2 against the redirecting
        /// URL (FoundationNetworking resolves `new` against `/dir/old` as `/new`). Never answers a redirect of a
        /// task already decided; see `Transfer.redirect(status:to:follow:)`.
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            var next = request
            if let location = response.value(forHTTPHeaderField: "Location"), let base = response.url,
                let resolved = URL(string: location, relativeTo: base)?.absoluteURL
            {
                next.url = resolved
            }
            guard let transfer = transfer(task), let target = next.url else { return }
            transfer.redirect(status: response.statusCode, to: target) { completionHandler(next) }
        }

        /// Checks the announced length against the cap. The disposition is ignored on Linux (docs/PLATFORM.md, "URLSession"):
        /// `Transfer` cancels the task itself.
        func urlSession(
            _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
            completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
        ) {
            let proceed = transfer(dataTask)?.received(expectedLength: response.expectedContentLength) ?? false
            completionHandler(proceed ? .allow : .cancel)
        }

        /// Counts and keeps body bytes (decoded: libcurl undoes Content-Encoding first).
        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            transfer(dataTask)?.append(data)
        }

        /// Decides the transfer from how the task ended: the final response and its headers, or the error.
        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            guard let transfer = transfer(task) else { return }
            if let error {
                transfer.completed(
                    error: Self.fetchError(error, request: transfer.request), status: 0, headers: [:], finalURL: nil)
                return
            }
            guard let response = task.response as? HTTPURLResponse else {
                transfer.completed(error: .network("no HTTP response"), status: 0, headers: [:], finalURL: nil)
                return
            }
            var headers = HTTPHeaders()
            // allHeaderFields re-cases names (`ETag` arrives as `Etag`); HTTPHeaders looks names up in any case.
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name] = value }
            }
            transfer.completed(error: nil, status: response.statusCode, headers: headers, finalURL: response.url)
        }

        /// The FetchError for a URL error. -999 (cancelled) here means the session went away: our own cancels
        /// (deadline, cap, caller) decide the transfer before the task reports them. FoundationNetworking on Linux
        /// reports most libcurl failures, TLS ones included, as -1 (unknown) with libcurl's message as the
        /// description (`SSL certificate problem: …`), so the message decides between TLS and network.
        static func fetchError(_ error: any Error, request: FetchRequest) -> FetchError {
            let error = error as NSError
            switch error.code {
            case NSURLErrorTimedOut:
                return .timeout(after: request.timeout)
            case NSURLErrorCancelled:
                return .cancelled
            case NSURLErrorHTTPTooManyRedirects:
                return .tooManyRedirects
            default:
                if let reason = tlsReasons[error.code] { return .tls(reason) }
                if let reason = networkReasons[error.code] { return .network(reason) }
                let message = (error.userInfo[NSLocalizedDescriptionKey] as? String ?? "")
                    .split(whereSeparator: \.isNewline).joined(separator: " ")
                guard !message.isEmpty else { return .network("URL error \(error.code)") }
                let lowered = message.lowercased()
                let isTLS = ["ssl", "tls", "certificate"].contains { lowered.contains($0) }
                return isTLS ? .tls(message) : .network(message)
            }
        }

        private static let networkReasons: [Int: String] = [
            NSURLErrorCannotFindHost: "cannot resolve host",
            NSURLErrorDNSLookupFailed: "cannot resolve host",
            NSURLErrorCannotConnectToHost: "connection refused",
            NSURLErrorNetworkConnectionLost: "connection lost",
            NSURLErrorNotConnectedToInternet: "not connected",
            NSURLErrorBadServerResponse: "bad server response",
            NSURLErrorCannotParseResponse: "cannot parse response",
            NSURLErrorZeroByteResource: "empty response",
            NSURLErrorCannotDecodeRawData: "cannot decode body",
            NSURLErrorCannotDecodeContentData: "cannot decode body",
            NSURLErrorUnsupportedURL: "unsupported URL",
            NSURLErrorBadURL: "bad URL",
        ]

        private static let tlsReasons: [Int: String] = [
            NSURLErrorSecureConnectionFailed: "handshake failed",
            NSURLErrorServerCertificateHasBadDate: "certificate expired or not yet valid",
            NSURLErrorServerCertificateUntrusted: "certificate not trusted",
            NSURLErrorServerCertificateHasUnknownRoot: "certificate has an unknown root",
            NSURLErrorServerCertificateNotYetValid: "certificate not yet valid",
            NSURLErrorClientCertificateRejected: "client certificate rejected",
            NSURLErrorClientCertificateRequired: "client certificate required",
        ]
    }
}
