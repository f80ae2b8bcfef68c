import Foundation
import Testing

@testable import FeedCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The client on its own, against the real server: what it reports, and how URL errors map.
@Suite struct URLSessionHTTPClientTests {
    private static func request(_ url: URL, timeout: TimeInterval = 10) -> FetchRequest {
        FetchRequest(url: url, headers: ["User-Agent": "test"], timeout: timeout, maxBodyBytes: 1_000_000)
    }

    @Test func responseHeadersAreFoundWhateverTheirCase() async throws {
        try await TestHTTPServer.serving { server in
            server.route(
                "/feed", TestHTTPServer.status(200, body: "x", headers: [("etag", "\"a\""), ("X-CUSTOM", "1")]))
            let response = try await URLSessionHTTPClient(maximumConnectionsPerHost: 2).send(
                Self.request(server.url("/feed")))
            #expect(response.status == 200)
            #expect(response.headers["ETag"] == "\"a\"")
            #expect(response.headers["x-custom"] == "1")
            #expect(response.redirects.isEmpty)
        }
    }

    @Test func everyRedirectHopIsReportedWithItsAbsoluteLocation() async throws {
        try await TestHTTPServer.serving { server in
            server.route("/a", TestHTTPServer.redirect(301, to: "/b"))
            server.route("/b", TestHTTPServer.redirect(307, to: server.url("/c").absoluteString))
            server.route("/c", TestHTTPServer.status(200, body: "done"))
            let response = try await URLSessionHTTPClient(maximumConnectionsPerHost: 2).send(
                Self.request(server.url("/a")))
            #expect(
                response.redirects == [
                    HTTPResponse.Redirect(status: 301, location: server.url("/b")),
                    HTTPResponse.Redirect(status: 307, location: server.url("/c")),
                ])
            #expect(response.finalURL == server.url("/c"))
            #expect(String(decoding: response.body, as: UTF8.self) == "done")
        }
    }

    @Test func requestCancelledBeforeItStartsNeverReachesTheServer() async throws {
        try await TestHTTPServer.serving { server in
            server.route("/feed", TestHTTPServer.status(200, body: "x"))
            let client = URLSessionHTTPClient(maximumConnectionsPerHost: 2)
            let request = Self.request(server.url("/feed"))
            let attempt = Task { () async -> FetchError? in
                withUnsafeCurrentTask { $0?.cancel() }
                do throws(FetchError) {
                    _ = try await client.send(request)
                    return nil
                } catch {
                    return error
                }
            }
            #expect(await attempt.value == .cancelled)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func keepAliveReusesConnectionsAcrossConcurrentRequests() async throws {
        try await TestHTTPServer.serving { server in
            server.route("/feed", TestHTTPServer.status(200, body: String(repeating: "x", count: 1_000)))
            let client = URLSessionHTTPClient(maximumConnectionsPerHost: 4)
            let request = Self.request(server.url("/feed"))
            let statuses = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<200 {
                    group.addTask { (try? await client.send(request))?.status ?? 0 }
                }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 200))
            #expect(server.connectionsAccepted <= 4)
        }
    }

    /// A new per-host limit (a reload) takes a new session while requests of the old one are in flight: each still
    /// gets its answer, and no task is made in a session already invalidated (which FoundationNetworking crashes on).
    @Test func changingTheConnectionLimitWhileRequestsRunLosesNone() async throws {
        try await TestHTTPServer.serving { server in
            server.route("/feed", TestHTTPServer.status(200, body: String(repeating: "x", count: 1_000)))
            let client = URLSessionHTTPClient(maximumConnectionsPerHost: 2)
            let request = Self.request(server.url("/feed"))
            let statuses = await withTaskGroup(of: Int.self) { group in
                var statuses: [Int] = []
                for index in 0..<300 {
                    if index % 10 == 0 { client.setMaximumConnectionsPerHost(1 + index / 10 % 6) }
                    group.addTask { (try? await client.send(request))?.status ?? 0 }
                    // Keep about 50 requests in flight.
                    if index % 50 == 49 { for await status in group.prefix(25) { statuses.append(status) } }
                }
                for await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.count == 300)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }

    /// FoundationNetworking crashes the process when a task is cancelled while its delegate is being asked about a
    /// redirect, and the delegate then answers. Deadlines and callers cancel at random moments here, amid redirect
    /// chains; without `Transfer`'s guard this crashes within a few hundred requests.
    @Test func redirectsCancelledAtRandomMomentsNeverCrash() async throws {
        try await TestHTTPServer.serving { server in
            for hop in 0..<12 {
                server.route("/r\(hop)", TestHTTPServer.redirect(hop % 2 == 0 ? 301 : 302, to: "/r\(hop + 1)"))
            }
            server.route("/r12", TestHTTPServer.status(200, body: "end"))
            let client = URLSessionHTTPClient(maximumConnectionsPerHost: 8)
            let unexpected = await withTaskGroup(of: Bool.self) { group in
                var unexpected = 0
                for index in 0..<800 {
                    let request = FetchRequest(
                        url: server.url("/r\(index % 12)"), headers: [:], timeout: .random(in: 0.001...0.03),
                        maxBodyBytes: 1_000)
                    group.addTask {
                        let send = Task { () async -> Bool in
                            do throws(FetchError) {
                                return try await client.send(request).status == 200
                            } catch {
                                return [.cancelled, .tooManyRedirects, .timeout(after: request.timeout)].contains(error)
                            }
                        }
                        if index % 2 == 0 {
                            try? await Task.sleep(for: .microseconds(Int.random(in: 0...20_000)))
                            send.cancel()
                        }
                        return await send.value
                    }
                    if index % 64 == 63 {
                        // Keep about 64 requests in flight.
                        for await expected in group.prefix(32) where !expected { unexpected += 1 }
                    }
                }
                for await expected in group where !expected { unexpected += 1 }
                return unexpected
            }
            #expect(unexpected == 0)
        }
    }

    @Test(arguments: [
        (NSURLErrorTimedOut, FetchError.timeout(after: 7)),
        (NSURLErrorCannotConnectToHost, .network("connection refused")),
        (NSURLErrorCannotFindHost, .network("cannot resolve host")),
        (NSURLErrorNetworkConnectionLost, .network("connection lost")),
        (NSURLErrorHTTPTooManyRedirects, .tooManyRedirects),
        (NSURLErrorCancelled, .cancelled),
        (NSURLErrorSecureConnectionFailed, .tls("handshake failed")),
        (NSURLErrorServerCertificateUntrusted, .tls("certificate not trusted")),
        (NSURLErrorServerCertificateHasBadDate, .tls("certificate expired or not yet valid")),
        (-1_234, .network("URL error -1234")),
    ])
    func urlErrorsMapToFetchErrors(code: Int, expected: FetchError) {
        let error = NSError(domain: NSURLErrorDomain, code: code)
        let request = Self.request(URL(string: "http://example.org/")!, timeout: 7)
        #expect(URLSessionHTTPClient.SessionDelegate.fetchError(error, request: request) == expected)
    }

    /// libcurl failures arrive as -1 with libcurl's message (messages as libcurl 7.88 words them).
    @Test(arguments: [
        (
            "SSL certificate problem: unable to get local issuer certificate",
            FetchError.tls("SSL certificate problem: unable to get local issuer certificate")
        ),
        (
            "SSL: no alternative certificate subject name matches target host name 'a.example'",
            .tls("SSL: no alternative certificate subject name matches target host name 'a.example'")
        ),
        ("Recv failure: Connection reset by peer", .network("Recv failure: Connection reset by peer")),
        ("", .network("URL error -1")),
    ])
    func unknownErrorsAreClassifiedByTheirMessage(message: String, expected: FetchError) {
        let error = NSError(
            domain: NSURLErrorDomain, code: NSURLErrorUnknown, userInfo: [NSLocalizedDescriptionKey: message])
        let request = Self.request(URL(string: "http://example.org/")!, timeout: 7)
        #expect(URLSessionHTTPClient.SessionDelegate.fetchError(error, request: request) == expected)
    }

    @Test func tlsHandshakeFailureIsATLSError() async throws {
        try await TestHTTPServer.serving { server in
            var components = URLComponents(url: server.url("/feed"), resolvingAgainstBaseURL: false)!
            components.scheme = "https"
            let client = URLSessionHTTPClient(maximumConnectionsPerHost: 2)
            do throws(FetchError) {
                _ = try await client.send(Self.request(components.url!, timeout: 5))
                Issue.record("expected a TLS error")
            } catch {
                guard case .tls(let reason) = error else {
                    Issue.record("expected a TLS error, got \(error)")
                    return
                }
                #expect(reason.contains("wrong version number"))
            }
        }
    }

    @Test(arguments: [(0.5, 1.0), (1, 1), (1.2, 2), (30, 30)])
    func idleTimeoutNeverFiresBeforeTheDeadline(timeout: TimeInterval, idle: TimeInterval) {
        let request = Self.request(URL(string: "http://example.org/")!, timeout: timeout)
        #expect(URLSessionHTTPClient.urlRequest(for: request).timeoutInterval == idle)
    }
}
