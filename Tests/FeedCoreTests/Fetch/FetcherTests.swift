import Foundation
import Testing

@testable import FeedCore

/// The fetch path against a real server on 127.0.0.1, through the real URLSessionHTTPClient: conditional GET,
/// bodies, headers sent, statuses.
@Suite struct FetcherTests {
    static let rss = "<rss version=\"2.0\"><channel><title>T</title></channel></rss>\n"
    static let lastModified = "Sat, 28 Nov 2026 10:00:00 GMT"

    // MARK: - Conditional GET (RFC 9110 §13.1)

    @Test func etagGivesFreshThenNotModified() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.document(Self.rss, etag: "\"v1\""))
            let first = await harness.fetch("/feed")
            #expect(first.text == Self.rss)
            #expect(first.validators == Validators(etag: "\"v1\""))
            let second = await harness.fetch("/feed", validators: try #require(first.validators))
            #expect(
                second == .notModified(validators: Validators(etag: "\"v1\""), permanentRedirect: nil, cacheFor: nil))
            let requests = harness.server.requests(to: "/feed")
            #expect(requests.count == 2)
            #expect(requests[0].header("If-None-Match") == nil)
            #expect(requests[1].header("If-None-Match") == "\"v1\"")
            #expect(requests[1].header("If-Modified-Since") == nil)
        }
    }

    @Test func lastModifiedGivesFreshThenNotModified() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.document(Self.rss, lastModified: Self.lastModified))
            let first = await harness.fetch("/feed")
            #expect(first.validators == Validators(lastModified: Self.lastModified))
            let second = await harness.fetch("/feed", validators: try #require(first.validators))
            #expect(second.validators == Validators(lastModified: Self.lastModified))
            guard case .notModified = second else {
                Issue.record("expected notModified, got \(second)")
                return
            }
            let requests = harness.server.requests(to: "/feed")
            #expect(requests[0].header("If-Modified-Since") == nil)
            #expect(requests[1].header("If-Modified-Since") == Self.lastModified)
            #expect(requests[1].header("If-None-Match") == nil)
        }
    }

    @Test func changedETagGivesFreshWithNewValidators() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.document(Self.rss, etag: "\"v2\""))
            let outcome = await harness.fetch("/feed", validators: Validators(etag: "\"v1\""))
            #expect(outcome.text == Self.rss)
            #expect(outcome.validators == Validators(etag: "\"v2\""))
        }
    }

    // MARK: - Bodies

    @Test func gzipBodyIsDecoded() async throws {
        try await FetchHarness.run { harness in
            let body = String(repeating: Self.rss, count: 50)
            harness.server.route("/feed", TestHTTPServer.gzip(body))
            let outcome = await harness.fetch("/feed")
            #expect(outcome.text == body)
        }
    }

    @Test func htmlPageWithStatus200IsFresh() async throws {
        // The parser rejects it later; fetching only reports what came.
        try await FetchHarness.run { harness in
            let html = "<!DOCTYPE html><html><body>Log in</body></html>"
            harness.server.route("/feed", TestHTTPServer.document(html, contentType: "text/html"))
            let outcome = await harness.fetch("/feed")
            #expect(outcome.text == html)
        }
    }

    @Test func emptyBodyWithStatus200Fails() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.status(200))
            #expect(await harness.fetch("/feed") == .failed(.emptyBody, retryAfter: nil))
        }
    }

    @Test func finalURLIsTheURLFetched() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.document(Self.rss))
            guard case .fresh(_, let finalURL, _, nil, nil) = await harness.fetch("/feed") else {
                Issue.record("expected fresh without redirect or caching")
                return
            }
            #expect(finalURL == harness.server.url("/feed"))
        }
    }

    // MARK: - Request headers

    @Test func userAgentAcceptAndCustomHeadersAreSent() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.document(Self.rss))
            let feed = harness.feed(
                "/feed", headers: ["X-Token": "abc", "Accept-Language": "fr"], userAgent: "probe/2")
            _ = await harness.fetcher.fetch(feed, validators: Validators())
            let request = try #require(harness.server.requests.first)
            #expect(request.method == "GET")
            #expect(request.header("User-Agent") == "probe/2")
            #expect(request.header("X-Token") == "abc")
            #expect(request.header("Accept-Language") == "fr")
            #expect(request.header("Accept") == Fetcher.accept)
            #expect(request.header("Cookie") == nil)
        }
    }

    @Test func feedHeadersReplaceDefaultsWhateverTheirCase() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.document(Self.rss))
            let feed = harness.feed("/feed", headers: ["user-agent": "mine/1", "ACCEPT": "application/atom+xml"])
            _ = await harness.fetcher.fetch(feed, validators: Validators())
            let request = try #require(harness.server.requests.first)
            #expect(request.header("User-Agent") == "mine/1")
            #expect(request.header("Accept") == "application/atom+xml")
        }
    }

    // MARK: - Caching headers (RFC 9111 §4.2.1)

    @Test func cacheControlMaxAgeIsReportedOnFreshAndNotModified() async throws {
        try await FetchHarness.run { harness in
            let headers = [(name: "Cache-Control", value: "public, max-age=3600")]
            harness.server.route("/feed", TestHTTPServer.document(Self.rss, etag: "\"a\"", headers: headers))
            let first = await harness.fetch("/feed")
            #expect(first.cacheFor == 3600)
            let second = await harness.fetch("/feed", validators: try #require(first.validators))
            #expect(
                second == .notModified(validators: Validators(etag: "\"a\""), permanentRedirect: nil, cacheFor: 3600))
        }
    }

    @Test func expiresMinusDateIsReported() async throws {
        try await FetchHarness.run { harness in
            let headers = [
                (name: "Date", value: "Sun, 29 Nov 2026 07:00:00 GMT"),
                (name: "Expires", value: "Sun, 29 Nov 2026 07:30:00 GMT"),
            ]
            harness.server.route("/feed", TestHTTPServer.document(Self.rss, headers: headers))
            #expect(await harness.fetch("/feed").cacheFor == 1800)
        }
    }

    // MARK: - Statuses

    @Test(arguments: [404, 500, 401, 403, 502])
    func errorStatusFails(status: Int) async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.status(status, body: "<html>error</html>"))
            #expect(await harness.fetch("/feed") == .failed(.http(status: status), retryAfter: nil))
        }
    }

    @Test func goneIsReported() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.status(410, body: "gone"))
            #expect(await harness.fetch("/feed") == .gone)
        }
    }

    @Test func tooManyRequestsWithRetryAfterSeconds() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.status(429, headers: [("Retry-After", "120")]))
            let expected = FetchHarness.now.addingTimeInterval(120)
            #expect(await harness.fetch("/feed") == .failed(.http(status: 429), retryAfter: expected))
        }
    }

    @Test func serviceUnavailableWithRetryAfterDate() async throws {
        try await FetchHarness.run { harness in
            let date = "Sun, 29 Nov 2026 08:00:00 GMT"
            harness.server.route("/feed", TestHTTPServer.status(503, headers: [("Retry-After", date)]))
            let expected = FetchHarness.now.addingTimeInterval(3600)
            #expect(await harness.fetch("/feed") == .failed(.http(status: 503), retryAfter: expected))
        }
    }

    @Test func invalidRetryAfterIsIgnored() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.status(503, headers: [("Retry-After", "soon")]))
            #expect(await harness.fetch("/feed") == .failed(.http(status: 503), retryAfter: nil))
        }
    }

    @Test func retryAfterOnOtherStatusesIsIgnored() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/feed", TestHTTPServer.status(500, headers: [("Retry-After", "120")]))
            #expect(await harness.fetch("/feed") == .failed(.http(status: 500), retryAfter: nil))
        }
    }
}
