import Foundation
import Testing

@testable import FeedCore

/// A feed read from a file is most often a local copy of a web feed: its relative links mean its web site, named by
/// its own link, not the folder the file is in.
@Suite struct LocalFileLinkTests {
    private static let file = "file:///srv/feeds/local.xml"

    private static func rss(channelLink: String?, after: Bool = false, selfLink: String? = nil) -> String {
        let link = channelLink.map { "<link>\($0)</link>" } ?? ""
        let atomSelf = selfLink.map { #"<atom:link href="\#($0)" rel="self"/>"# } ?? ""
        let item = #"<item><guid>1</guid><link>/2025/06/story/</link><description>&lt;img src="/img/a.jpg"&gt; &lt;a href="memo/"&gt;memo&lt;/a&gt;</description></item>"#
        return #"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>"#
            + atomSelf + (after ? item + link : link + item) + "</channel></rss>"
    }

    @Test func relativeLinksResolveAgainstTheChannelLink() throws {
        let feed = try parseText(Self.rss(channelLink: "https://news.example/blog/"), url: Self.file)
        let item = try #require(feed.items.first)
        #expect(item.url == "https://news.example/2025/06/story/")
        #expect(item.summary == #"<img src="https://news.example/img/a.jpg"> <a href="https://news.example/blog/memo/">memo</a>"#)
    }

    @Test func aChannelLinkAfterTheItemsCountsToo() throws {
        let feed = try parseText(Self.rss(channelLink: "https://news.example/", after: true), url: Self.file)
        #expect(feed.items.first?.url == "https://news.example/2025/06/story/")
        #expect(feed.items.first?.summary?.contains("file:") == false)
    }

    @Test func theSelfLinkServesWhenThereIsNoSiteLink() throws {
        let feed = try parseText(Self.rss(channelLink: nil, selfLink: "https://news.example/feed/"), url: Self.file)
        #expect(feed.items.first?.url == "https://news.example/2025/06/story/")
    }

    @Test func withoutAWebLinkTheFileStillServes() throws {
        let feed = try parseText(Self.rss(channelLink: nil), url: Self.file)
        #expect(feed.items.first?.url == "file:///2025/06/story/")
    }

    @Test func aFetchedDocumentKeepsItsOwnURL() throws {
        let feed = try parseText(Self.rss(channelLink: "https://news.example/"), url: "https://mirror.example/feeds/x.xml")
        #expect(feed.items.first?.url == "https://mirror.example/2025/06/story/")
    }

    @Test func aJSONFeedResolvesAgainstItsHomePage() throws {
        let json = #"{"version": "https://jsonfeed.org/version/1.1", "home_page_url": "https://news.example/", "items": [{"id": "1", "url": "/a/", "content_html": "<img src=\"/i.jpg\">"}]}"#
        let feed = try parseText(json, url: Self.file)
        #expect(feed.items.first?.url == "https://news.example/a/")
        #expect(feed.items.first?.content == #"<img src="https://news.example/i.jpg">"#)
    }

    /// The bundled sample, by `feedd parse` and by the daemon's file: path: no link points into the file system.
    @Test func theBundledSampleLinksToItsSiteByParseAndByTheDaemon() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let sample = Fixtures.repositoryRoot.appendingPathComponent("examples/la-news-daily.xml")
        try FileManager.default.copyItem(at: sample, to: workspace.directory.appendingPathComponent("sample.xml"))
        try workspace.writeConfig(#"{"state_dir": "state", "feeds": [{"id": "sample", "url": "file:sample.xml"}]}"#)
        let parse = try await FeeddProcess.run(["parse", "sample.xml"], directory: workspace.directory)
        #expect(parse.status == 0)
        #expect(parse.stdout.contains("https://ladailynews.example/2025/06/ice-memo/"), "\(parse.stdout)")
        #expect(!parse.stdout.contains("file:"), "\(parse.stdout)")
        let once = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(once.status == 0, "\(once.stderr)")
        let log = try String(contentsOf: workspace.logURL, encoding: .utf8)
        #expect(log.contains(#"https://ladailynews.example/wp-content/uploads/2025/06/ice.jpg"#), "\(log)")
        #expect(!log.contains("file:"), "\(log)")
    }
}
