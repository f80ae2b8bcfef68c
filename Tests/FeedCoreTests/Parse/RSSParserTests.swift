import Foundation
import Testing

@testable import FeedCore

/// Parses a fixture of this target as if fetched from `url`.
func parseFixture(_ name: String, url: String = "https://feeds.example/feed") throws -> ParsedFeed {
    try FeedParser.parse(try Fixtures.data(name), url: URL(string: url))
}

/// Parses a document given as text.
func parseText(_ text: String, url: String? = "https://feeds.example/feed") throws -> ParsedFeed {
    try FeedParser.parse(Data(text.utf8), url: url.flatMap(URL.init(string:)))
}

@Suite struct RSSParserTests {
    @Test func wordPressFeedGivesTheStoryAsPublished() throws {
        let feed = try parseFixture("rss2-wordpress-local-news.xml")
        #expect(feed.format == .rss20)
        #expect(feed.title == "LA News Daily")
        #expect(feed.url == "https://ladailynews.example")
        #expect(feed.feedURL == "https://ladailynews.example/feed/")
        #expect(feed.language == "en-US")
        #expect(feed.updated.map(FeedDate.format) == "2025-06-16T18:10:43Z")
        #expect(feed.items.count == 2)
        let story = feed.items[0]
        #expect(story.title == "Trump Orders ICE to Target Democratic Cities in Immigration Crackdown")
        #expect(story.author == "LA News Daily Contributor")
        #expect(story.url == "https://ladailynews.example/2025/06/trump-orders-ice/")
        #expect(story.guid == "https://ladailynews.example/?p=48213")
        #expect(story.published.map(FeedDate.format) == "2025-06-16T18:04:00Z")
        #expect(story.categories == ["Politics", "Immigration"])
        #expect(story.enclosures == [Enclosure(url: "https://ladailynews.example/wp-content/uploads/2025/06/ice.jpg", type: "image/jpeg", length: 12345)])
    }

    @Test func contentEncodedIsContentAndDescriptionIsSummary() throws {
        let story = try parseFixture("rss2-wordpress-local-news.xml").items[0]
        #expect(story.summary?.hasPrefix("<p>The president directed federal agents") == true)
        #expect(story.content?.hasPrefix("<p>The president directed federal agents to expand operations") == true)
        #expect(story.summary != story.content)
    }

    @Test func relativeLinksInContentResolveAgainstTheDocumentURL() throws {
        let story = try parseFixture("rss2-wordpress-local-news.xml", url: "https://ladailynews.example/feed/").items[0]
        #expect(story.content?.contains(#"src="https://ladailynews.example/wp-content/uploads/2025/06/ice.jpg""#) == true)
        #expect(story.content?.contains(#"href="https://ladailynews.example/2025/06/ice-memo/""#) == true)
    }

    @Test func titlesArePlainTextWithEntitiesDecoded() throws {
        let story = try parseFixture("rss2-wordpress-local-news.xml").items[1]
        #expect(story.title == "Metro’s D Line extension opens — riders & officials celebrate")
        #expect(story.published.map(FeedDate.format) == "2025-06-15T16:30:00Z")
        #expect(story.enclosures == [Enclosure(url: "https://ladailynews.example/audio/d-line.mp3", type: "audio/mpeg", length: 2_048_000)])
        #expect(story.content == nil)
    }

    @Test func permalinkGuidStandsInForAMissingLinkOnly() throws {
        let items = try parseFixture("rss2-guid-permalink-no-link.xml").items
        #expect(items.map(\.url) == ["http://example.org/posts/1", nil, "http://example.org/posts/3-link"])
        #expect(items.map(\.guid) == ["http://example.org/posts/1", "tag:example.org,2003:2", "http://example.org/posts/3"])
    }

    @Test func rss091WithNetscapeDoctypeKeepsItsEntities() throws {
        let feed = try parseFixture("rss091-netscape-doctype.xml")
        #expect(feed.format == .rss09x)
        #expect(feed.title == "WriteTheWeb\u{A0}News")
        #expect(feed.items.first?.title == "Giving the world a pluggable Gnutella — café edition")
        #expect(feed.items.first?.summary?.hasSuffix("Gnutella…") == true)
    }

    @Test func rss090IsRecognizedByItsNamespace() throws {
        let feed = try parseFixture("rss090-netscape.xml")
        #expect(feed.format == .rss09x)
        #expect(feed.title == "Mozilla Dot Org")
        #expect(feed.items.map(\.title) == ["New Status Updates", "Bugzilla Reorganized"])
        #expect(feed.items.map(\.url) == ["http://www.mozilla.org/status/", "http://www.mozilla.org/bugs/"])
    }

    @Test func rdfFeedReadsDublinCore() throws {
        let feed = try parseFixture("rdf-rss10-dublin-core.xml")
        #expect(feed.format == .rss10)
        #expect(feed.language == "de")
        #expect(feed.updated.map(FeedDate.format) == "2024-03-01T11:00:00Z")
        let first = feed.items[0]
        #expect(first.guid == "http://example.com/a")
        #expect(first.author == "Anna Schmidt")
        #expect(first.published.map(FeedDate.format) == "2024-03-01T10:30:00Z")
        #expect(first.categories == ["Politik"])
        #expect(first.summary == "Kurz & bündig")
        #expect(first.content == "<p>Der ganze Text</p>")
        #expect(feed.items[1].title == "Zweiter Artikel")
    }

    @Test func podcastTagsAndMediaGroupBecomeEnclosuresOnce() throws {
        let feed = try parseFixture("rss2-podcast-itunes-media.xml")
        #expect(feed.ttlMinutes == 60)
        #expect(feed.feedURL == "https://podcast.example/feed.xml")
        let episode = feed.items[0]
        #expect(episode.author == "Jane Host")
        #expect(episode.summary == "We talk about enclosures & media groups.")
        #expect(episode.published.map(FeedDate.format) == "2002-10-02T13:00:00Z")
        #expect(episode.categories == ["Podcasting"])
        #expect(episode.enclosures == [
            Enclosure(url: "https://cdn.podcast.example/ep12.mp3", type: "audio/mpeg", length: 24_986_239),
            Enclosure(url: "https://cdn.podcast.example/ep12.ogg", type: "audio/ogg", length: 20_000_000),
            Enclosure(url: "https://cdn.podcast.example/ep12.jpg", type: nil, length: nil),
        ])
    }

    @Test func undeclaredNamespacePrefixesAreForgiven() throws {
        let feed = try parseText("""
            <rss version="2.0"><channel><title>t</title><item><title>x</title>
            <dc:creator>Undeclared Prefix</dc:creator><content:encoded>&lt;b&gt;full&lt;/b&gt;</content:encoded>
            </item></channel></rss>
            """)
        #expect(feed.items[0].author == "Undeclared Prefix")
        #expect(feed.items[0].content == "<b>full</b>")
    }

    @Test func unusualPrefixForAKnownNamespaceIsResolved() throws {
        let feed = try parseText("""
            <rss version="2.0" xmlns:a10="http://www.w3.org/2005/Atom" xmlns:x="http://purl.org/dc/elements/1.1/">
            <channel><title>t</title><a10:link rel="self" href="https://x.example/rss"/>
            <item><x:creator>Prefixed</x:creator><a10:updated>2024-01-02T03:04:05Z</a10:updated></item></channel></rss>
            """)
        #expect(feed.feedURL == "https://x.example/rss")
        #expect(feed.items[0].author == "Prefixed")
        #expect(feed.items[0].updated.map(FeedDate.format) == "2024-01-02T03:04:05Z")
    }

    @Test func unescapedHTMLInDescriptionIsKeptAsMarkup() throws {
        let feed = try parseText("""
            <rss version="2.0"><channel><item><title>t</title>
            <description><p>Hello <a href="/x">link</a></p></description></item></channel></rss>
            """)
        #expect(feed.items[0].summary == #"<p>Hello <a href="https://feeds.example/x">link</a></p>"#)
    }

    @Test func defaultNamespaceOnRSSRootStillReadsAsRSS() throws {
        let feed = try parseText("""
            <rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>Default ns</title>
            <item><title>Item</title></item></channel></rss>
            """)
        #expect(feed.title == "Default ns")
        #expect(feed.items.map(\.title) == ["Item"])
    }
}

@Suite struct LinkResolverTests {
    @Test(arguments: [
        ("http://a.example/x", "https://b.example/feed", "http://a.example/x"),
        ("/x", "https://b.example/feed/", "https://b.example/x"),
        ("x", "https://b.example/feed/", "https://b.example/feed/x"),
        ("//cdn.example/i.jpg", "https://b.example/feed", "https://cdn.example/i.jpg"),
        ("//cdn.example/i.jpg", "file:///srv/feeds/a.xml", "https://cdn.example/i.jpg"),
        ("a b.html", "https://b.example/", "https://b.example/a%20b.html"),
        ("mailto:x@y.example", "https://b.example/", "mailto:x@y.example"),
    ])
    func resolvesAgainstTheBase(reference: String, base: String, expected: String) {
        #expect(LinkResolver.resolve(reference, against: URL(string: base)) == expected)
    }

    @Test func mediaRSSUnderTheRSSBoardNamespaceIsMediaRSS() throws {
        let feed = try parseText("""
            <rss version="2.0" xmlns:media="http://www.rssboard.org/media-rss"><channel><item><title>t</title>
            <media:content url="https://cdn.example/v.mp4" type="video/mp4"/></item></channel></rss>
            """)
        #expect(feed.items[0].enclosures == [Enclosure(url: "https://cdn.example/v.mp4", type: "video/mp4")])
    }
}

@Suite struct PodcastCategoryTests {
    @Test func itunesKeywordsAreCategoriesToo() throws {
        let feed = try parseText("""
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item><title>t</title>
            <category>News</category><itunes:keywords>politics, news ,  local</itunes:keywords></item></channel></rss>
            """)
        #expect(feed.items[0].categories == ["News", "politics", "news", "local"])
    }
}
