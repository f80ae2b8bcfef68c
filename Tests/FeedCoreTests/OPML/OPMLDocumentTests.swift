import Foundation
import Testing

@testable import FeedCore

/// Reading OPML as readers export it (Fixtures/opml-*.opml, written after Feedly, Inoreader, NewsBlur, Miniflux,
/// FreshRSS and newsboat exports): every outline with an xmlUrl at any depth, titles with entities and non-ASCII
/// text, folders and `category` as tags; and every other kind of document refused, saying what it is.
@Suite struct OPMLDocumentTests {
    private let lemonde = "Le Monde.fr - Actualités et Infos en France et dans le monde"

    private func read(_ fixture: String) throws -> OPMLDocument {
        try OPMLDocument.parse(try Fixtures.data(fixture))
    }

    /// The feeds as (url, title, tags), for comparing a whole fixture at once.
    private func summary(_ document: OPMLDocument) -> [String] {
        document.feeds.map { "\($0.url) | \($0.title ?? "-") | \($0.tags.joined(separator: ", "))" }
    }

    @Test func feedlyOPML10WithFoldersAndAFeedInTwoOfThem() throws {
        let document = try read("opml-feedly.opml")
        #expect(document.title == "Dana subscriptions in feedly Cloud")
        #expect(summary(document) == [
            "https://feeds.arstechnica.com/arstechnica/index | Ars Technica - All content | Tech",
            "https://www.theverge.com/rss/index.xml | The Verge - All Posts | Tech",
            "https://hnrss.org/frontpage | Hacker News: Front Page | Tech",
            "http://feeds.bbci.co.uk/news/world/rss.xml | BBC News - World | News & Politics",
            "https://www.lemonde.fr/rss/une.xml | \(lemonde) | News & Politics",
            "https://feeds.arstechnica.com/arstechnica/index | Ars Technica - All content | News & Politics",
            "http://feeds.feedburner.com/smittenkitchen | Smitten Kitchen | Cooking",
        ])
        #expect(document.feeds[0].siteURL == "https://arstechnica.com")
        #expect(document.feeds.map(\.line) == [9, 10, 11, 14, 15, 16, 19])
        #expect(document.problems.isEmpty)
    }

    @Test func inoreaderWithNumericReferencesAndEscapedMarkupInTitles() throws {
        let document = try read("opml-inoreader.opml")
        #expect(summary(document) == [
            "https://daringfireball.net/feeds/main | Daring Fireball | Blogs",
            "https://jvns.ca/atom.xml | Julia Evans | Blogs",
            "https://cafebabel.com/en/feed/?lang=en&format=rss | Café Babel — Europe's magazine | Blogs",
            "https://www.quantamagazine.org/feed/ | Quanta Magazine | Science",
            "https://www.tokyo-np.co.jp/rss/index.xml | 東京新聞 TOKYO Web | Science",
            "https://www.nature.com/nature.rss | Nature <News> | Science",
        ])
    }

    @Test func newsBlurOnOneLineWithNestedFoldersOuterFirst() throws {
        #expect(summary(try read("opml-newsblur.opml")) == [
            "https://xkcd.com/atom.xml | xkcd.com | ",
            "https://lwn.net/headlines/rss | LWN.net | Linux",
            "https://bits.debian.org/feeds/atom.xml | Bits from Debian | Linux, Distros",
            "https://fedoramagazine.org/feed/ | Fedora Magazine | Linux, Distros",
            "https://www.smashingmagazine.com/feed | Smashing Magazine — For Web Designers And Developers | Design",
        ])
    }

    @Test func minifluxOPML20WithoutTypeAttributes() throws {
        #expect(summary(try read("opml-miniflux.opml")) == [
            "https://lwn.net/headlines/rss | LWN.net | All",
            "https://simonwillison.net/atom/everything/ | Simon Willison's Weblog | All",
            "https://podcast.example.de/s%C3%B6hne/feed.mp3.xml | Söhne Mannheims – Podcast | Podcasts",
        ])
    }

    @Test func freshRSSWithItsNamespaceAndALinkOutlineWithoutXMLURL() throws {
        let document = try read("opml-freshrss.opml")
        #expect(summary(document) == [
            "https://github.com/FreshRSS/FreshRSS/releases.atom | FreshRSS releases | Sans catégorie",
            "https://framablog.org/feed/ | Framablog | Sans catégorie",
            "https://www.lemonde.fr/rss/une.xml | \(lemonde) | Actualités",
        ])
    }

    @Test func newsboatWithTitlesOnlyAURLAsTitleAndAnEmptyXMLURL() throws {
        #expect(summary(try read("opml-newsboat.opml")) == [
            "https://lwn.net/headlines/rss | LWN.net | ",
            "https://planet.gnome.org/atom.xml | Planet GNOME | ",
            "https://www.reddit.com/r/linux/.rss | - | ",
            "exec:~/bin/weather-feed.sh | Local weather | ",
        ])
    }

    @Test func categoriesLatin1AndFeedURLsAsTheOPML2SpecWritesThem() throws {
        #expect(summary(try read("opml2-categories.opml")) == [
            "https://weather.example/boston.xml | Weather | Boston, Weather",
            "https://cyber.example/law/rss.xml | Harvard Law | Harvard, Berkman, Politics",
            "http://radio.example/feed.xml | Radio | podcast, music",
            "https://zh.example/rss | Zürich Nachrichten | News",
            "https://latin1.example/rss | Café Latin-1 | ",
        ])
    }

    @Test func categoryListsSplitOnCommasAndSlashes() {
        #expect(OPMLDocument.tags(fromCategory: "/Boston/Weather") == ["Boston", "Weather"])
        #expect(OPMLDocument.tags(fromCategory: " a , b/c ,, /") == ["a", "b", "c"])
        #expect(OPMLDocument.unique(["News", "news", "Tech", "NEWS"]) == ["News", "Tech"])
        #expect(OPMLDocument.feedURL(" feed://x.example/rss ") == "http://x.example/rss")
        #expect(OPMLDocument.feedURL("feed:https://x.example/rss") == "https://x.example/rss")
        #expect(OPMLDocument.text(" Tom &amp; Jerry\n\t news \u{7} ") == "Tom & Jerry news")
    }

    @Test func outlinesInsideAFeedOutlineAreFeedsWithoutItsName() throws {
        let text = """
            <opml version="2.0"><body><outline text="Folder"><outline text="Feed" xmlUrl="https://a.example/">
            <outline text="Inner" xmlUrl="https://b.example/"/></outline></outline></body></opml>
            """
        let document = try OPMLDocument.parse(Data(text.utf8))
        #expect(summary(document) == ["https://a.example/ | Feed | Folder", "https://b.example/ | Inner | Folder"])
    }

    @Test(arguments: [
        ("not-a-feed-html.html", "not OPML: an HTML page (title \"404 Not Found\")"),
        ("rss2-wordpress-local-news.xml", "not OPML: a feed (<rss>), not a list of feeds; add it with 'feedd add URL'"),
        ("atom10-xml-base.xml", "not OPML: a feed (<feed>), not a list of feeds; add it with 'feedd add URL'"),
        ("jsonfeed-1.1.json", "not OPML: a JSON document"),
    ])
    func documentsThatAreNotOPMLSayWhatTheyAre(fixture: String, message: String) throws {
        do throws(OPMLDocument.Failure) {
            _ = try OPMLDocument.parse(try! Fixtures.data(fixture))
            Issue.record("\(fixture) read as OPML")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func garbageEmptyAndOtherXMLAreRefused() {
        func failure(_ bytes: [UInt8]) -> String? {
            do {
                _ = try OPMLDocument.parse(Data(bytes))
                return nil
            } catch {
                return error.description
            }
        }
        #expect(failure([]) == "not OPML: the file is empty")
        #expect(failure(Array("  \n".utf8)) == "not OPML: the file is empty")
        #expect(failure([0x00, 0x01, 0x02, 0xFF, 0x10, 0x00, 0x05]) == "not OPML: binary data")
        #expect(failure(Array("hello, world".utf8)) == "not OPML: text that is not XML, starting \"hello, world\"")
        #expect(failure(Array("<?xml version=\"1.0\"?><svg/>".utf8)) == "not OPML: the root element is <svg>, not opml")
        #expect(failure([0x1F, 0x8B, 0x08, 0x00]) == "not OPML: gzip-compressed data")
    }

    @Test func aTruncatedListKeepsTheFeedsBeforeTheCutAndSaysWhatWasRepaired() throws {
        let text = #"<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/"/><outline text="B" xm"#
        let document = try OPMLDocument.parse(Data(text.utf8))
        #expect(document.feeds.map(\.url) == ["https://a.example/"])
        #expect(document.problems.first == "line 1: document ends inside markup (truncated?)")
    }
}
