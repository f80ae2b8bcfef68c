import Foundation
import Testing

@testable import FeedCore

/// `Fetcher`'s pure halves: the request it builds and what it makes of a response, as tables.
@Suite struct FetcherOutcomeTests {
    static let now = Date(timeIntervalSince1970: 1_795_935_600)  // 2026-11-29T07:00:00Z
    static let url = URL(string: "https://example.org/feed")!
    static let moved = URL(string: "https://example.com/feed.xml")!
    static let sent = Validators(etag: "\"old\"", lastModified: "Sat, 28 Nov 2026 10:00:00 GMT")

    private static func response(
        _ status: Int, headers: HTTPHeaders = [:], body: String = "<rss/>", redirects: [Int] = []
    ) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: headers, body: Data(body.utf8), finalURL: redirects.isEmpty ? url : moved,
            redirects: redirects.map { HTTPResponse.Redirect(status: $0, location: moved) })
    }

    // MARK: - Request

    @Test func requestCarriesDefaultsFeedHeadersAndValidators() {
        let feed = FeedConfig(
            id: FeedID("f"), url: Self.url, timeout: 12, headers: ["X-Key": "1"], userAgent: "agent/1")
        let request = Fetcher.request(for: feed, at: Self.url, validators: Self.sent, maxBodyBytes: 99)
        #expect(request.url == Self.url)
        #expect(request.timeout == 12)
        #expect(request.maxBodyBytes == 99)
        #expect(request.headers["accept"] == Fetcher.accept)
        #expect(request.headers["User-Agent"] == "agent/1")
        #expect(request.headers["X-Key"] == "1")
        #expect(request.headers["If-None-Match"] == "\"old\"")
        #expect(request.headers["If-Modified-Since"] == "Sat, 28 Nov 2026 10:00:00 GMT")
    }

    @Test func requestWithoutValidatorsIsUnconditional() {
        let feed = FeedConfig(id: FeedID("f"), url: Self.url)
        let request = Fetcher.request(for: feed, at: Self.moved, validators: Validators(), maxBodyBytes: 1)
        #expect(request.url == Self.moved)
        #expect(request.headers["If-None-Match"] == nil)
        #expect(request.headers["If-Modified-Since"] == nil)
        #expect(request.headers.fields.map(\.name) == ["Accept", "User-Agent"])
    }

    @Test func conditionalHeadersWinOverFeedHeaders() {
        let feed = FeedConfig(id: FeedID("f"), url: Self.url, headers: ["if-none-match": "\"mine\""])
        let request = Fetcher.request(for: feed, at: Self.url, validators: Self.sent, maxBodyBytes: 1)
        #expect(request.headers.fields.filter { $0.name.lowercased() == "if-none-match" }.map(\.value) == ["\"old\""])
    }

    // MARK: - Outcome

    @Test(arguments: [200, 203, 226])
    func successIsFresh(status: Int) {
        let headers: HTTPHeaders = ["etag": "\"new\"", "Cache-Control": "max-age=60"]
        let outcome = Fetcher.outcome(of: Self.response(status, headers: headers), sent: Self.sent, now: Self.now)
        #expect(
            outcome
                == .fresh(
                    body: Data("<rss/>".utf8), finalURL: Self.url, validators: Validators(etag: "\"new\""),
                    permanentRedirect: nil, cacheFor: 60))
    }

    @Test(arguments: [200, 204])
    func successWithoutBodyFails(status: Int) {
        let outcome = Fetcher.outcome(of: Self.response(status, body: ""), sent: Self.sent, now: Self.now)
        #expect(outcome == .failed(.emptyBody, retryAfter: nil))
    }

    @Test func notModifiedKeepsSentValidatorsUnlessUpdated() {
        let plain = Fetcher.outcome(of: Self.response(304, body: ""), sent: Self.sent, now: Self.now)
        #expect(plain == .notModified(validators: Self.sent, permanentRedirect: nil, cacheFor: nil))
        let updated = Fetcher.outcome(
            of: Self.response(304, headers: ["ETag": "\"newer\""], body: ""), sent: Self.sent, now: Self.now)
        let expected = Validators(etag: "\"newer\"", lastModified: Self.sent.lastModified)
        #expect(updated == .notModified(validators: expected, permanentRedirect: nil, cacheFor: nil))
    }

    @Test(arguments: [
        (429, "120", 120.0),
        (503, "Sun, 29 Nov 2026 07:05:00 GMT", 300),
    ])
    func retryAfterOn429And503(status: Int, value: String, seconds: Double) {
        let outcome = Fetcher.outcome(
            of: Self.response(status, headers: ["Retry-After": value]), sent: Self.sent, now: Self.now)
        #expect(outcome == .failed(.http(status: status), retryAfter: Self.now.addingTimeInterval(seconds)))
    }

    @Test(arguments: [300, 302, 400, 404, 429, 451, 500, 502, 503, 599, 101])
    func otherStatusesFail(status: Int) {
        let outcome = Fetcher.outcome(of: Self.response(status), sent: Self.sent, now: Self.now)
        #expect(outcome == .failed(.http(status: status), retryAfter: nil))
    }

    @Test func goneIsGone() {
        #expect(Fetcher.outcome(of: Self.response(410), sent: Self.sent, now: Self.now) == .gone)
    }

    @Test(arguments: [
        ([301], true), ([308], true), ([301, 308, 301], true), ([302], false), ([307], false), ([303], false),
        ([301, 302], false), ([302, 301], false), ([], false),
    ])
    func permanentOnlyWhenEveryHopIs(hops: [Int], permanent: Bool) {
        let response = Self.response(200, redirects: hops)
        #expect(Fetcher.permanentRedirect(of: response) == (permanent ? Self.moved : nil))
    }

    @Test(arguments: [
        // (Last-Modified, Date, kept as)
        ("Sat, 28 Nov 2026 10:00:00 GMT", "Sun, 29 Nov 2026 07:00:00 GMT", "Sat, 28 Nov 2026 10:00:00 GMT"),
        ("Fri, 01 Jan 2100 00:00:00 GMT", "Sun, 29 Nov 2026 07:00:00 GMT", nil),
        ("Fri, 01 Jan 2100 00:00:00 GMT", nil, nil),
        ("Mon, 30 Nov 2026 07:00:00 GMT", "Mon, 30 Nov 2026 08:00:00 GMT", "Mon, 30 Nov 2026 07:00:00 GMT"),
        ("not a date", nil, "not a date"),
    ] as [(String, String?, String?)])
    func lastModifiedInTheFutureIsNotSentBack(modified: String, date: String?, kept: String?) {
        var headers: HTTPHeaders = ["Last-Modified": modified]
        headers["Date"] = date
        guard case .fresh(_, _, let validators, _, _) = Fetcher.outcome(
            of: Self.response(200, headers: headers), sent: Validators(), now: Self.now)
        else {
            Issue.record("not fresh")
            return
        }
        #expect(validators.lastModified == kept)
    }
}
