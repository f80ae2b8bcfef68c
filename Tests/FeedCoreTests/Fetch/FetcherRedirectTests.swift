import Foundation
import Testing

@testable import FeedCore

/// Redirects through the real URLSessionHTTPClient: followed always, reported as permanent only when every hop
/// was 301 or 308 (RFC 9110 §15.4).
@Suite struct FetcherRedirectTests {
    static let rss = FetcherTests.rss

    @Test(arguments: [301, 308])
    func permanentRedirectIsReported(status: Int) async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/old", TestHTTPServer.redirect(status, to: harness.server.url("/new").absoluteString))
            harness.server.route("/new", TestHTTPServer.document(Self.rss))
            let expected = harness.server.url("/new")
            let outcome = await harness.fetch("/old")
            #expect(
                outcome
                    == .fresh(
                        body: Data(Self.rss.utf8), finalURL: expected, validators: Validators(),
                        permanentRedirect: expected, cacheFor: nil))
        }
    }

    @Test(arguments: [302, 303, 307])
    func temporaryRedirectIsFollowedButNotReported(status: Int) async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/old", TestHTTPServer.redirect(status, to: "/new"))
            harness.server.route("/new", TestHTTPServer.document(Self.rss))
            guard case .fresh(_, let finalURL, _, let moved, _) = await harness.fetch("/old") else {
                Issue.record("expected fresh")
                return
            }
            #expect(finalURL == harness.server.url("/new"))
            #expect(moved == nil)
        }
    }

    @Test func chainOfPermanentRedirectsReportsItsEnd() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/a", TestHTTPServer.redirect(301, to: "/b"))
            harness.server.route("/b", TestHTTPServer.redirect(308, to: "/c"))
            harness.server.route("/c", TestHTTPServer.document(Self.rss))
            #expect(await harness.fetch("/a").permanentRedirect == harness.server.url("/c"))
        }
    }

    @Test func permanentThenTemporaryIsNotReported() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/a", TestHTTPServer.redirect(301, to: "/b"))
            harness.server.route("/b", TestHTTPServer.redirect(302, to: "/c"))
            harness.server.route("/c", TestHTTPServer.document(Self.rss))
            let outcome = await harness.fetch("/a")
            #expect(outcome.text == Self.rss)
            #expect(outcome.permanentRedirect == nil)
        }
    }

    @Test func relativeLocationIsResolved() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/dir/old", TestHTTPServer.redirect(301, to: "new?x=1"))
            harness.server.route("/dir/new", TestHTTPServer.document(Self.rss))
            #expect(await harness.fetch("/dir/old").permanentRedirect == harness.server.url("/dir/new?x=1"))
        }
    }

    @Test func notModifiedAfterPermanentRedirectReportsIt() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/old", TestHTTPServer.redirect(301, to: "/new"))
            harness.server.route("/new", TestHTTPServer.document(Self.rss, etag: "\"e\""))
            let outcome = await harness.fetch("/old", validators: Validators(etag: "\"e\""))
            #expect(
                outcome
                    == .notModified(
                        validators: Validators(etag: "\"e\""), permanentRedirect: harness.server.url("/new"),
                        cacheFor: nil))
            // The conditional header and the User-Agent travel with the redirected request.
            let request = try #require(harness.server.requests(to: "/new").first)
            #expect(request.header("If-None-Match") == "\"e\"")
            #expect(request.header("User-Agent") == Config.defaultUserAgent)
        }
    }

    @Test func redirectLoopFailsAfterTenHops() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/loop", TestHTTPServer.redirect(302, to: "/loop"))
            #expect(await harness.fetch("/loop") == .failed(.tooManyRedirects, retryAfter: nil))
            // The first request and ten followed hops; the eleventh Location is not followed.
            #expect(harness.server.requests(to: "/loop").count == URLSessionHTTPClient.maximumRedirects + 1)
        }
    }

    @Test func redirectToAnErrorReportsTheError() async throws {
        try await FetchHarness.run { harness in
            harness.server.route("/old", TestHTTPServer.redirect(301, to: "/missing"))
            #expect(await harness.fetch("/old") == .failed(.http(status: 404), retryAfter: nil))
        }
    }
}
