import Foundation
import Testing

@testable import FeedCore

@Suite struct AtomParserTests {
    @Test func nestedXMLBaseResolvesEachLevelAgainstItsParent() throws {
        let feed = try parseFixture("atom10-xml-base.xml", url: "https://mirror.example/feed.atom")
        #expect(feed.format == .atom10)
        #expect(feed.url == "http://example.org/blog/")
        #expect(feed.feedURL == "http://example.org/blog/feed.atom")
        let entry = feed.items[0]
        #expect(entry.url == "http://example.org/blog/2005/04/02/atom")
        #expect(entry.enclosures == [Enclosure(url: "http://example.org/audio/ph34r_my_podcast.mp3", type: "audio/mpeg", length: 1337)])
        #expect(entry.content?.contains(#"href="http://diveintomark.org/archives/atom""#) == true)
        #expect(feed.items[1].url == "http://example.org/blog/second")
        #expect(feed.items[1].content == #"<p>Hello <a href="http://example.org/blog/third">world</a></p>"#)
    }

    @Test func textConstructsFollowTheirType() throws {
        let feed = try parseFixture("atom10-xml-base.xml")
        #expect(feed.title == "Nested xml:base")
        #expect(feed.description == "A <em>lot</em> of effort")
        let entry = feed.items[0]
        #expect(entry.title == "Atom draft-07 snapshot")
        #expect(entry.summary == "Plain text with a <tag> that is text")
        // xhtml content: the inner markup of the wrapping div, as the feed gives it.
        #expect(entry.content?.hasPrefix("<p><i>[Update: The Atom draft is finished.]</i>") == true)
        #expect(entry.content?.contains("xmlns") == false)
    }

    @Test func entriesInheritTheFeedAuthorAndJoinTheirOwn() throws {
        let feed = try parseFixture("atom10-xml-base.xml")
        #expect(feed.items[0].author == "Mark Pilgrim")
        #expect(feed.items[1].author == "Sam Ruby, Joe Gregorio")
    }

    @Test func datesCategoriesAndIDs() throws {
        let entry = try parseFixture("atom10-xml-base.xml").items[0]
        #expect(entry.guid == "tag:example.org,2003:3.2397")
        #expect(entry.published.map(FeedDate.format) == "2003-12-13T12:29:29Z")
        #expect(entry.updated.map(FeedDate.format) == "2005-07-31T12:29:29Z")
        #expect(entry.categories == ["atom", "syndication"])
        #expect(try parseFixture("atom10-xml-base.xml").language == "en")
    }

    @Test func atom03ModesAndElementNames() throws {
        let feed = try parseFixture("atom03-wordpress.xml")
        #expect(feed.format == .atom03)
        #expect(feed.description == "Just another WordPress weblog")
        #expect(feed.updated.map(FeedDate.format) == "2005-05-15T10:03:53Z")
        let first = feed.items[0]
        #expect(first.title == "Hello world!")
        #expect(first.published.map(FeedDate.format) == "2005-05-14T10:03:53Z")
        #expect(first.updated.map(FeedDate.format) == "2005-05-15T10:03:53Z")
        #expect(first.content == "<p>Welcome to <strong>WordPress</strong>.</p>")
        #expect(first.categories == ["Uncategorized"])
        #expect(first.author == "admin")
        #expect(feed.items[1].title == "Base64 title")
        #expect(feed.items[1].content == "<p>Encoded</p>")
    }

    @Test func contentWithSourceElsewhereIsNotContent() throws {
        let feed = try parseText("""
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>t</title>
            <content type="video/mp4" src="http://example.com/movie.mp4"/><summary>s</summary></entry></feed>
            """)
        #expect(feed.items[0].content == nil)
        #expect(feed.items[0].summary == "s")
    }

    @Test func alternateLinkOfHTMLTypeBeatsOtherAlternatesAndRelatedLinks() throws {
        let feed = try parseText("""
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id>
            <link rel="related" href="http://example.com/related"/>
            <link rel="alternate" type="application/pdf" href="http://example.com/a.pdf"/>
            <link rel="alternate" type="text/html" href="http://example.com/a.html"/>
            <link rel="replies" href="http://example.com/comments"/></entry></feed>
            """)
        #expect(feed.items[0].url == "http://example.com/a.html")
    }

    @Test func contributorsAreNotAuthors() throws {
        let feed = try parseText("""
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id>
            <contributor><name>Helper</name></contributor><author><email>only@example.com</email></author></entry></feed>
            """)
        #expect(feed.items[0].author == "only@example.com")
    }

    @Test func atomFeedWrappedInAnHTMLPageStillReads() throws {
        let feed = try parseText("""
            <html xmlns="http://www.w3.org/1999/xhtml"><body><feed xmlns="http://www.w3.org/2005/Atom">
            <title>Inside</title><entry><id>1</id><title>Wrapped</title></entry></feed></body></html>
            """)
        #expect(feed.title == "Inside")
        #expect(feed.items.map(\.title) == ["Wrapped"])
    }
}

@Suite struct LenientAtomTests {
    @Test func categoryWrittenAsTextAndAnIDThatIsAURLStandingInForALink() throws {
        let feed = try parseText("""
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>https://example.org/posts/7</id><title>t</title>
            <category>Swift</category><category term="linux"/></entry>
            <entry><id>tag:example.org,2026:8</id><title>u</title></entry></feed>
            """)
        #expect(feed.items[0].categories == ["Swift", "linux"])
        #expect(feed.items[0].url == "https://example.org/posts/7")
        #expect(feed.items[1].url == nil)
    }

    @Test func rssAuthorWrittenAsAPersonGivesTheName() throws {
        let feed = try parseText("""
            <rss version="2.0"><channel><item><title>t</title>
            <author><name>Chris Rawles</name><title>ML Solutions Engineer</title></author></item></channel></rss>
            """)
        #expect(feed.items[0].author == "Chris Rawles")
    }
}
