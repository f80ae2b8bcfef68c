import Foundation
import Testing

@testable import FeedCore

/// The limits the client enforces itself, because URLSession on Linux does not (docs/PLATFORM.md, "URLSession"): the total
/// deadline, the body cap, cancellation. The outcome says which limit ended a fetch; time bounds sit far below what
/// the server would take without the limit (a 300 s stall, a 200 s drip), not near the limit itself: while
/// CPU-bound processes hold both cores of a 2-core machine, or under a sanitizer, a finished fetch can wait seconds
/// before the test resumes.
@Suite struct FetcherLimitTests {
    /// Seconds since `start`.
    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test func serverStallingBeforeHeadersTimesOut() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.stall(300))
            let start = ContinuousClock.now
            #expect(await harness.fetch("/feed", timeout: 1) == .failed(.timeout(after: 1), retryAfter: nil))
            #expect(Self.seconds(since: start) < 100)
        }
    }

    @Test func bodyStillDrippingAtTheDeadlineTimesOut() async throws {
        // libcurl's idle timeout never fires while a byte arrives every 0.2 s; only our total deadline stops it.
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.drip(String(repeating: "x", count: 1_000), every: 0.2))
            let start = ContinuousClock.now
            #expect(await harness.fetch("/feed", timeout: 1.5) == .failed(.timeout(after: 1.5), retryAfter: nil))
            #expect(Self.seconds(since: start) < 100)
        }
    }

    @Test func bodyOverTheCapWithContentLengthFailsQuickly() async throws {
        try await FetchHarness.run(maxBodyBytes: 65_536) { harness in
            harness.server.route("/feed", TestHTTPServer.bytes(5_000_000))
            let start = ContinuousClock.now
            #expect(await harness.fetch("/feed") == .failed(.tooLarge(limit: 65_536), retryAfter: nil))
            #expect(Self.seconds(since: start) < 100)
        }
    }

    @Test func bodyOverTheCapWithoutContentLengthFailsQuickly() async throws {
        // No Content-Length: the cap is found while counting the bytes as they arrive.
        try await FetchHarness.run(maxBodyBytes: 65_536) { harness in
            harness.server.route("/feed", TestHTTPServer.bytes(5_000_000, closeDelimited: true))
            let start = ContinuousClock.now
            #expect(await harness.fetch("/feed") == .failed(.tooLarge(limit: 65_536), retryAfter: nil))
            #expect(Self.seconds(since: start) < 100)
        }
    }

    @Test func decodedGzipBodyOverTheCapFails() async throws {
        // The cap counts decoded bytes: a small compressed body must not expand past it.
        try await FetchHarness.run(maxBodyBytes: 1_000) { harness in
            harness.server.route("/feed", TestHTTPServer.gzip(String(repeating: "x", count: 2_000)))
            #expect(await harness.fetch("/feed") == .failed(.tooLarge(limit: 1_000), retryAfter: nil))
        }
    }

    @Test func bodyExactlyAtTheCapIsFresh() async throws {
        try await FetchHarness.run(maxBodyBytes: 65_536) { harness in
            harness.server.route("/feed", TestHTTPServer.bytes(65_536, closeDelimited: true))
            #expect(await harness.fetch("/feed").text?.utf8.count == 65_536)
        }
    }

    @Test func cancellingTheCallerCancelsTheFetch() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.stall(300))
            let start = ContinuousClock.now
            let fetch = Task { await harness.fetch("/feed", timeout: 200) }
            // Cancel once the request is in the server's hands, so that a live transfer is cancelled.
            while harness.server.requests.isEmpty && Self.seconds(since: start) < 60 {
                try await Task.sleep(for: .milliseconds(10))
            }
            // Measured from the cancel: the wait for the request above is the machine's speed, not the point.
            let cancelled = ContinuousClock.now
            fetch.cancel()
            #expect(await fetch.value == .failed(.cancelled, retryAfter: nil))
            #expect(Self.seconds(since: cancelled) < 100)
        }
    }

    @Test func cancelledBeforeStartingSendsNothing() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.document(FetcherTests.rss))
            let fetch = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await harness.fetch("/feed")
            }
            #expect(await fetch.value == .failed(.cancelled, retryAfter: nil))
            #expect(harness.server.requests.isEmpty)
        }
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        // A port that was just free: bind a server, note its URL, stop it.
        let server = try TestHTTPServer()
        server.stop()
        let fetcher = Fetcher(client: URLSessionHTTPClient(maximumConnectionsPerHost: 2), maxBodyBytes: 1_000)
        let feed = FeedConfig(id: FeedID("refused"), url: server.url("/feed"), timeout: 5)
        #expect(
            await fetcher.fetch(feed, validators: Validators())
                == .failed(.network("connection refused"), retryAfter: nil))
    }
}
