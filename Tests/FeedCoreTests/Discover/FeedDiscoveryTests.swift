import Foundation
import Testing

@testable import FeedCore

/// Discovery of whole pages against a real server on 127.0.0.1: what is listed, in which order, what is fetched to
/// confirm it, and what is said when nothing is found.
@Suite struct FeedDiscoveryTests {
    static let limit = 1 << 20

    private func report(
        _ url: String, check: Bool = false, fetch: CandidateFetch? = nil
    ) async throws -> DiscoveryReport {
        try await FeedDiscovery.report(url, check: check, maxBodyBytes: Self.limit, fetch: fetch)
    }

    @Test func declaredFeedsAreListedAsDeclaredWithoutFetchingThem() async throws {
        try await TestHTTPServer.serving { server in
            try server.page(
                "/category/news/", fixture: "discover-wordpress-category.html", replacing: ["https://blog.example"])
            let feeds = try await FeedDiscovery.discover(
                server.origin + "/category/news/", check: false, maxBodyBytes: Self.limit)
            #expect(feeds == [
                DiscoveredFeed(url: server.url("/feed/"), format: nil, title: nil, via: .link),
                DiscoveredFeed(url: server.url("/category/news/feed/"), format: nil, title: nil, via: .link),
                DiscoveredFeed(url: server.url("/comments/feed/"), format: nil, title: nil, via: .link),
            ])
            #expect(server.requests.map(\.path) == ["/category/news/"])
        }
    }

    @Test func checkConfirmsDeclaredFeedsAndDropsTheOthers() async throws {
        try await TestHTTPServer.serving { server in
            try server.page(
                "/category/news/", fixture: "discover-wordpress-category.html", replacing: ["https://blog.example"])
            server.feed("/feed/", SampleFeeds.rss("Harbor Town Chronicle"))
            server.feed("/category/news/feed/", SampleFeeds.rss("Harbor Town Chronicle » News"))
            let found = try await report(server.origin + "/category/news/", check: true)
            #expect(found.feeds == [
                DiscoveredFeed(url: server.url("/feed/"), format: "rss2.0", title: "Harbor Town Chronicle", via: .link),
                DiscoveredFeed(
                    url: server.url("/category/news/feed/"), format: "rss2.0", title: "Harbor Town Chronicle » News",
                    via: .link),
            ])
            #expect(found.dropped.map(\.candidate.url) == [server.url("/comments/feed/")])
            #expect(found.dropped.first?.failure == "HTTP 404")
        }
    }

    @Test func atomAndJSONFeedDeclaredWithABaseAndRelativeHrefs() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/journal/2026/lathe.html", fixture: "discover-atom-json-base.html")
            server.feed("/journal/feeds/atom.xml", SampleFeeds.atom("Notes from the workshop"))
            server.feed("/journal/feeds/feed.json", SampleFeeds.json("Notes"))
            let feeds = try await report(server.origin + "/journal/2026/lathe.html", check: true).feeds
            #expect(feeds == [
                DiscoveredFeed(
                    url: server.url("/journal/feeds/atom.xml"), format: "atom1.0", title: "Notes from the workshop",
                    via: .link),
                DiscoveredFeed(
                    url: server.url("/journal/feeds/feed.json"), format: "json1.x", title: "Notes", via: .link),
            ])
        }
    }

    @Test func youTubeChannelFeedFromTheChannelIDInThePage() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/@harbortownmakers", fixture: "discover-youtube-channel.html")
            server.route("/feeds/videos.xml") { request in
                guard request.query == "channel_id=UCq7kbYnfJ0Xv3ZzTe2aNt8w" else { return .init(status: 404) }
                return .init(status: 200, body: Data(SampleFeeds.atom("Harbor Town Makers").utf8))
            }
            let found = try await report(
                server.origin + "/@harbortownmakers", fetch: server.fetch(mapping: ["www.youtube.com"]))
            #expect(found.feeds == [
                DiscoveredFeed(
                    url: URL(string: "https://www.youtube.com/feeds/videos.xml?channel_id=UCq7kbYnfJ0Xv3ZzTe2aNt8w")!,
                    format: "atom1.0", title: "Harbor Town Makers", via: .platform)
            ])
            // Found by the platform rule, so the site's root was not searched.
            #expect(server.requests(to: "/feed").isEmpty)
        }
    }

    @Test func gitHubRepositoryReleasesThenCommits() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/harbortown/tidewatch", fixture: "discover-github-repository.html")
            server.feed("/harbortown/tidewatch/releases.atom", SampleFeeds.atom("Release notes from tidewatch"))
            server.feed("/harbortown/tidewatch/commits.atom", SampleFeeds.atom("Recent Commits to tidewatch:main"))
            let feeds = try await report(server.origin + "/harbortown/tidewatch").feeds
            #expect(feeds.map(\.url) == [
                server.url("/harbortown/tidewatch/releases.atom"), server.url("/harbortown/tidewatch/commits.atom"),
            ])
            #expect(feeds.map(\.via) == [.platform, .platform])
            #expect(feeds.map(\.title) == ["Release notes from tidewatch", "Recent Commits to tidewatch:main"])
        }
    }

    @Test func anchorsAreListedOnlyWhenTheyAreFeeds() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/writing/", fixture: "discover-anchors-only.html")
            server.feed("/rss.xml", SampleFeeds.rss("Lena Okafor"))
            server.feed("/writing/feed.json", SampleFeeds.json("Lena Okafor (JSON)"))
            // /atom.xml, also linked, is gone: not listed.
            let found = try await report(server.origin + "/writing/")
            #expect(found.feeds == [
                DiscoveredFeed(url: server.url("/rss.xml"), format: "rss2.0", title: "Lena Okafor", via: .anchor),
                DiscoveredFeed(
                    url: server.url("/writing/feed.json"), format: "json1.x", title: "Lena Okafor (JSON)",
                    via: .anchor),
            ])
            #expect(server.requests(to: "/atom.xml").count == 1)
            #expect(server.requests(to: "/feed-the-ducks/").isEmpty)
            #expect(server.requests(to: "/feed").isEmpty)
        }
    }

    @Test func bloggerFromItsGeneratorOnADomainOfItsOwn() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/", fixture: "discover-blogger.html", replacing: ["https://tidepools.example"])
            server.feed("/feeds/posts/default", SampleFeeds.atom("Tide Pools"))
            let feeds = try await report(server.origin + "/").feeds
            #expect(feeds == [
                DiscoveredFeed(
                    url: server.url("/feeds/posts/default"), format: "atom1.0", title: "Tide Pools", via: .platform)
            ])
        }
    }

    @Test func substackFromItsCDNOnADomainOfItsOwn() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/", fixture: "discover-substack.html", replacing: ["https://lowtide.example"])
            server.feed("/feed", SampleFeeds.rss("The Low Tide Letter"))
            let feeds = try await report(server.origin + "/").feeds
            #expect(feeds == [
                DiscoveredFeed(
                    url: server.url("/feed"), format: "rss2.0", title: "The Low Tide Letter", via: .platform)
            ])
        }
    }

    @Test func mastodonProfileConfirmedByFetchingItsRSS() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/@ana", fixture: "discover-nothing.html")
            server.feed("/@ana.rss", SampleFeeds.rss("Ana Reyes"))
            let feeds = try await report(server.origin + "/@ana").feeds
            #expect(feeds == [
                DiscoveredFeed(url: server.url("/@ana.rss"), format: "rss2.0", title: "Ana Reyes", via: .platform)
            ])
        }
    }

    @Test func aPlatformCandidateThatIsNoFeedIsNotListed() async throws {
        try await TestHTTPServer.serving { server in
            let page = #"<html><head><meta name="generator" content="WordPress 6.5"><title>Shop</title></head></html>"#
            server.route("/", TestHTTPServer.document(page, contentType: "text/html"))
            // A soft 404: the site answers every path with its home page.
            server.route("/feed/", TestHTTPServer.document(page, contentType: "text/html"))
            let found = try await report(server.origin + "/")
            #expect(found.feeds.isEmpty)
            let tried = "WordPress feed \(server.origin)/feed/ (not a feed: an HTML page (title \"Shop\"))"
            #expect(found.tried.contains(tried), "\(found.tried)")
        }
    }

    @Test func nothingFoundSaysWhatWasTried() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/hours.html", fixture: "discover-nothing.html")
            let found = try await report(server.origin + "/hours.html")
            #expect(found.feeds.isEmpty)
            #expect(found.tried == """
                no <link rel="alternate"> feed in the page; no known platform; no link in the page that looks like a \
                feed; the usual paths /feed, /feed.xml, /rss.xml, /atom.xml, /index.xml, /feed.json on \
                \(server.origin)/ (none is a feed)
                """)
            for path in DiscoveryPage.guessedPaths { #expect(server.requests(to: path).count == 1, "\(path)") }
        }
    }

    @Test func aGuessIsListedWhenItIsAFeedWhereItMovedTo() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/hours.html", fixture: "discover-nothing.html")
            server.route("/feed", TestHTTPServer.redirect(301, to: "/feed/"))
            server.feed("/feed/", SampleFeeds.rss("Harbor Town Hardware"))
            let feeds = try await report(server.origin + "/hours.html").feeds
            #expect(feeds == [
                DiscoveredFeed(url: server.url("/feed/"), format: "rss2.0", title: "Harbor Town Hardware", via: .guess)
            ])
        }
    }

    /// The document given is a feed: it is the one feed found, with `via` `link` (a feed declares itself).
    @Test func aFeedURLDiscoversItself() async throws {
        try await TestHTTPServer.serving { server in
            let feed = String(decoding: try Fixtures.data("rss2-wordpress-local-news.xml"), as: UTF8.self)
            server.route("/feed.xml", TestHTTPServer.document(feed))
            let feeds = try await report(server.origin + "/feed.xml").feeds
            #expect(feeds == [
                DiscoveredFeed(url: server.url("/feed.xml"), format: "rss2.0", title: "LA News Daily", via: .link)
            ])
            #expect(server.requests.count == 1)
        }
    }

    @Test func aFeedFileDiscoversItself() async throws {
        let file = Fixtures.url("jsonfeed-1.1.json")
        let feeds = try await report(file.path).feeds
        #expect(feeds.count == 1)
        #expect(feeds.first?.url == file.standardizedFileURL)
        #expect(feeds.first?.format == "json1.x")
        #expect(feeds.first?.via == .link)
    }

    @Test func aPageThatCannotBeReadIsAnErrorInFeeddsWords() async throws {
        try await TestHTTPServer.serving { server -> Void in
            await #expect(throws: DiscoveryError(description: "HTTP 404")) {
                try await FeedDiscovery.discover(server.origin + "/missing", check: false, maxBodyBytes: Self.limit)
            }
        }
        let missing = Fixtures.url("no-such-page.html").path
        await #expect(throws: DiscoveryError(description: "no such file: \(missing)")) {
            try await FeedDiscovery.discover(missing, check: false, maxBodyBytes: Self.limit)
        }
    }

    /// Reddit answers 403 to clients that are not browsers, but serves the feeds its URLs imply.
    @Test func aPageThatCannotBeReadStillGivesTheFeedsItsURLImplies() async throws {
        try await TestHTTPServer.serving { server in
            server.route("/@ana", TestHTTPServer.status(403, body: "blocked"))
            server.feed("/@ana.rss", SampleFeeds.rss("Ana Reyes"))
            let feeds = try await report(server.origin + "/@ana").feeds
            #expect(feeds == [
                DiscoveredFeed(url: server.url("/@ana.rss"), format: "rss2.0", title: "Ana Reyes", via: .platform)
            ])
            server.route("/@ana.rss", TestHTTPServer.status(404))
            await #expect(throws: DiscoveryError(description: "HTTP 403")) {
                try await report(server.origin + "/@ana")
            }
        }
    }

    @Test func aPageOverTheSizeCapIsRefused() async throws {
        try await TestHTTPServer.serving { server in
            let big = String(repeating: "<p>x</p>", count: 2000)
            server.route("/big.html", TestHTTPServer.document(big, contentType: "text/html"))
            await #expect(throws: DiscoveryError(description: "body over the 4096-byte limit")) {
                try await FeedDiscovery.discover(server.origin + "/big.html", check: false, maxBodyBytes: 4096)
            }
        }
    }
}
