import Foundation
import Testing

@testable import FeedCore

/// A page's candidates: declared feeds ranked and resolved, platform feeds from its signals, anchors, guesses, each
/// URL once.
@Suite struct DiscoveryPageTests {
    private func page(_ fixture: String, at url: String?) throws -> DiscoveryPage {
        DiscoveryPage(data: try Fixtures.data(fixture), url: url.flatMap { URL(string: $0) })
    }

    private func page(html: String, at url: String? = "https://site.example/page/") -> DiscoveryPage {
        DiscoveryPage(data: Data(html.utf8), url: url.flatMap { URL(string: $0) })
    }

    @Test func wordPressMainFeedFirstThenCategoryThenComments() throws {
        let wordpress = try page("discover-wordpress-category.html", at: "https://blog.example/category/news/")
        #expect(wordpress.declared.map(\.url.absoluteString) == [
            "https://blog.example/feed/", "https://blog.example/category/news/feed/",
            "https://blog.example/comments/feed/",
        ])
        #expect(wordpress.declared.allSatisfy { $0.via == .link })
        #expect(wordpress.signals.wordPressRoot?.absoluteString == "https://blog.example/")
        // The platform's /feed/ is the declared main feed: listed once, as declared.
        #expect(wordpress.platform.isEmpty)
    }

    @Test func ranksByURLAndTitle() {
        func rank(_ url: String, _ title: String? = nil) -> DiscoveryPage.Rank {
            DiscoveryPage.rank(URL(string: url)!, title: title)
        }
        #expect(rank("https://b.example/feed/", "Blog » Feed") == .main)
        #expect(rank("https://b.example/comments/feed/") == .comments)
        #expect(rank("https://b.example/?feed=comments-rss2") == .comments)
        #expect(rank("https://b.example/2026/11/ferry/feed/", "Blog » Ferry schedule Comments Feed") == .comments)
        #expect(rank("https://b.example/category/news/feed/") == .category)
        #expect(rank("https://b.example/tag/boats/feed/") == .category)
        #expect(rank("https://b.example/feeds/x.xml", "Blog » Boats Tag Feed") == .category)
        #expect(rank("https://b.example/author/ana/feed/") == .category)
    }

    @Test func resolvesAgainstBaseAndPageURLWithRelListsAndUppercase() throws {
        let notes = try page("discover-atom-json-base.html", at: "https://workshop.example/journal/2026/lathe.html")
        // The commented-out feed, the one a script writes and the one in CDATA are not the page's.
        #expect(notes.declared.map(\.url.absoluteString) == [
            "https://workshop.example/journal/feeds/atom.xml", "https://workshop.example/journal/feeds/feed.json",
        ])
        // The anchors to the same feeds are not listed again.
        #expect(notes.anchors.isEmpty)
    }

    @Test func anchorsThatLookLikeFeedsOwnHostFirst() {
        let anchors = page(
            html: """
                <a href="https://feeds.feedburner.com/harbor">FeedBurner</a>
                <a href="/rss.xml">RSS</a> <a href="feed.json">JSON</a> <a href="/feed-the-ducks/">Ducks</a>
                <a href="/writing/index.xml">Hugo</a> <a href="/blog/?feed=rss2">WP</a> <a href="/a.atom">a</a>
                <a href="/sitemap.xml">Sitemap</a> <a href="mailto:x@site.example?subject=rss">Mail</a>
                <a href="javascript:void('rss')">JS</a> <a href="/rss.xml#top">RSS again</a>
                """
        ).anchors
        #expect(anchors.map(\.url.absoluteString) == [
            "https://site.example/rss.xml", "https://site.example/page/feed.json",
            "https://site.example/writing/index.xml", "https://site.example/blog/?feed=rss2",
            "https://site.example/a.atom", "https://feeds.feedburner.com/harbor",
        ])
        #expect(anchors.allSatisfy { $0.via == .anchor })
    }

    @Test func triesAtMostADozenAnchors() {
        let html = (0..<40).map { #"<a href="/f\#($0)/rss.xml">"# }.joined()
        #expect(page(html: html).anchors.count == DiscoveryPage.maximumAnchors)
    }

    @Test func guessesTheUsualPathsAtTheSiteRoot() {
        let guesses = page(html: "<p>nothing</p>", at: "https://site.example/deep/page.html?x=1").guesses
        #expect(guesses.map(\.url.absoluteString) == DiscoveryPage.guessedPaths.map { "https://site.example\($0)" })
        #expect(guesses.allSatisfy { $0.via == .guess })
    }

    @Test func aPageFromTheWebCannotMakeFeeddReadLocalFiles() {
        let link = #"<link rel="alternate" type="application/rss+xml" href="file:///notes.txt">"#
        let web = page(html: link + #"<a href="file:///rss.xml">"#)
        #expect(web.declared.isEmpty)
        #expect(web.anchors.isEmpty)
        let relative = #"<link rel="alternate" type="application/rss+xml" href="rss.xml">"#
        let local = page(html: relative, at: "file:///site/a.html")
        #expect(local.declared.map(\.url.absoluteString) == ["file:///site/rss.xml"])
    }

    @Test func aSavedPageResolvesAgainstItsCanonicalAddress() throws {
        let saved = try page("discover-blogger.html", at: "file:///saved/tidepools.html")
        #expect(saved.webURL?.absoluteString == "https://tidepools.example/")
        #expect(saved.platform.map(\.url.absoluteString) == ["https://tidepools.example/feeds/posts/default"])
        #expect(saved.guesses.first?.url.absoluteString == "https://tidepools.example/feed")
        let bare = page(html: #"<a href="/rss.xml">"#, at: "file:///site/index.html")
        #expect(bare.webURL == nil)
        #expect(bare.guesses.isEmpty)
    }

    @Test func feedSchemeURLsAreTakenForWhatTheyWrap() {
        let feeds = page(
            html: """
                <link rel="alternate" type="application/rss+xml" href="feed://site.example/rss.xml">
                <link rel="alternate" type="application/atom+xml" href="feed:https://site.example/atom.xml">
                """
        ).declared
        #expect(feeds.map(\.url.absoluteString) == ["http://site.example/rss.xml", "https://site.example/atom.xml"])
    }

    @Test func oneURLIsListedOnceHoweverItIsSpelled() {
        let feeds = page(
            html: """
                <link rel="alternate" type="application/rss+xml" href="https://Site.Example:443/feed/">
                <link rel="alternate" type="application/rss+xml" href="/feed/#main">
                <link rel="alternate" type="application/atom+xml" href="https://site.example/page/">
                """
        ).declared
        // The page itself is not one of its feeds.
        #expect(feeds.map(\.url.absoluteString) == ["https://Site.Example:443/feed/"])
        #expect(DiscoveryPage.key(URL(string: "HTTP://Site.Example:80")!) == "http://site.example/")
    }
}
