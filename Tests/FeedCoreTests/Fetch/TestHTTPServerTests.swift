import Foundation
import Testing

@testable import FeedCore

/// The test server's own behaviours that other tests rely on.
@Suite struct TestHTTPServerTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(StoredGzip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(StoredGzip.crc32([]) == 0)
    }

    @Test func gzipSpanningSeveralStoredBlocksDecodes() async throws {
        try await FetchHarness.run { harness in
            let body = String((0..<200_000).map { _ in "abcdefghij".randomElement()! })
            harness.server.route("/big", TestHTTPServer.gzip(body))
            #expect(await harness.fetch("/big").text == body)
        }
    }

    @Test func requestsAreRecordedWithQueryAndHeaders() async throws {
        try await FetchHarness.run { harness in
            _ = await harness.fetch("/unrouted?a=1&b=2")
            let request = try #require(harness.server.requests.first)
            #expect(request.path == "/unrouted")
            #expect(request.query == "a=1&b=2")
            #expect(request.header("host") == "127.0.0.1:\(harness.server.port)")
        }
    }

    @Test func unroutedPathIs404() async throws {
        try await FetchHarness.run { harness in
            #expect(await harness.fetch("/nothing") == .failed(.http(status: 404), retryAfter: nil))
        }
    }

    @Test func stopEndsAStalledResponseAtOnce() async throws {
        let server = try TestHTTPServer()
        server.route("/stall", TestHTTPServer.stall(600))
        let start = ContinuousClock.now
        let fetcher = Fetcher(client: URLSessionHTTPClient(maximumConnectionsPerHost: 1), maxBodyBytes: 1_000)
        let fetch = Task {
            await fetcher.fetch(
                FeedConfig(id: FeedID("s"), url: server.url("/stall"), timeout: 300), validators: Validators())
        }
        while server.requests.isEmpty && ContinuousClock.now - start < .seconds(10) {
            try await Task.sleep(for: .milliseconds(10))
        }
        server.stop()
        let outcome = await fetch.value
        // Not the deadline's doing: the fetch failed because the server went away, long before the 300 s deadline
        // or the 600 s stall. No wall-clock bound beyond that: a sanitizer or a loaded machine slows everything.
        #expect(outcome.error != nil && outcome.error != .timeout(after: 300))
    }
}
