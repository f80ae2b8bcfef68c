import Foundation
import Testing

@testable import FeedCore

/// What discovery reads from a page: declared feeds, signals of its platform, the YouTube channel id, the charset.
@Suite struct PageScanTests {
    private func scan(_ html: String) -> PageScan {
        var html = html
        return html.withUTF8 { PageScan.read($0) }
    }

    @Test func takesAlternatesOfFeedTypesWhateverTheRelList() {
        let page = scan(
            """
            <link rel="alternate home" type="application/atom+xml" href="/a.xml" title="Atom">
            <link rel="Alternate" type="application/rss+xml; charset=UTF-8" href="/r.xml">
            <link rel="alternate" type="application/feed+json" href="/f.json">
            <link rel="alternate" type="text/html" hreflang="de" href="/de/">
            <link rel="service.post" type="application/atom+xml" href="/post">
            <link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/12">
            <link rel="alternate" type="application/json" href="/feed.json" title="JSON Feed">
            <link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
            <link rel="alternate" type="application/rss+xml" href="">
            """)
        #expect(page.alternates.map(\.href) == ["/a.xml", "/r.xml", "/f.json", "/feed.json"])
        #expect(page.alternates.map(\.type) == [
            "application/atom+xml", "application/rss+xml", "application/feed+json", "application/json",
        ])
        #expect(page.alternates.first?.title == "Atom")
    }

    @Test func readsTheWordPressFixture() throws {
        let data = try Fixtures.data("discover-wordpress-category.html")
        let page = data.withUnsafeBytes { PageScan.read($0.bindMemory(to: UInt8.self)) }
        #expect(page.alternates.map(\.title) == [
            "Harbor Town Chronicle » Feed", "Harbor Town Chronicle » Comments Feed",
            "Harbor Town Chronicle » News Category Feed",
        ])
        #expect(page.generators == ["WordPress 6.5.3"])
        #expect(page.resources.contains("https://blog.example/wp-content/themes/harbor/style.css?ver=2.1.0"))
        #expect(page.baseHref == nil)
    }

    @Test func findsTheChannelIDTheWayAYouTubePageCarriesIt() throws {
        let data = try Fixtures.data("discover-youtube-channel.html")
        let page = data.withUnsafeBytes { PageScan.read($0.bindMemory(to: UInt8.self)) }
        // The meta first, then the channel's own externalId; a featured channel's "channelId" comes last.
        #expect(
            page.channelIDs == ["UCq7kbYnfJ0Xv3ZzTe2aNt8w", "UCq7kbYnfJ0Xv3ZzTe2aNt8w", "UCzzzzzzzzzzzzzzzzzzzzzz"])
        #expect(page.canonical == "https://www.youtube.com/channel/UCq7kbYnfJ0Xv3ZzTe2aNt8w")
        #expect(page.siteName == "YouTube")
        #expect(page.alternates.isEmpty)
    }

    @Test func readsChannelIDsFromJSONOnlyWhenTheyAreIDs() {
        let page = scan(
            #"<script>{"channelId": "UCshort", "x":1, "channelId" : "UCabcdefghijklmnopqrstuv"}</script>"#)
        #expect(page.channelIDs == ["UCabcdefghijklmnopqrstuv"])
        #expect(scan(#"<p>"externalId":"UCabcdefghijklmnopqrstuv"</p>"#).channelIDs.isEmpty)
    }

    @Test func keepsOnlyAnchorsThatMayBeFeeds() {
        let page = scan(
            """
            <a href="/about/">About</a><a href="/rss.xml">RSS</a><a href="/x" type="application/atom+xml">A</a>
            <a href="/feed-the-ducks/">Ducks</a><a href="#top">Top</a><a>No href</a>
            """)
        #expect(page.anchors == [
            PageScan.Anchor(href: "/rss.xml", type: nil), PageScan.Anchor(href: "/x", type: "application/atom+xml"),
            PageScan.Anchor(href: "/feed-the-ducks/", type: nil),
        ])
    }

    @Test func theFirstBaseWithAnHrefWins() {
        #expect(scan(#"<base target="_blank"><base href="/one/"><base href="/two/">"#).baseHref == "/one/")
    }

    @Test func boundsWhatAHugePageCanMakeItKeep() {
        let tags = #"<a href="/x/rss.xml"><link rel="alternate" type="application/rss+xml" href="/f">"#
        let page = scan(String(repeating: tags, count: 2000))
        #expect(page.anchors.count == PageScan.maximumAnchors)
        #expect(page.alternates.count == PageScan.maximumAlternates)
    }

    // MARK: - Charset

    @Test func readsTheMetaCharsetOfAPage() {
        func charset(_ html: String) -> String? {
            var html = html
            return html.withUTF8 { CharsetDecoder.htmlMetaCharset($0) }
        }
        #expect(charset(#"<html><head><meta charset="koi8-r">"#) == "koi8-r")
        #expect(charset(#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=Shift_JIS">"#) == "Shift_JIS")
        #expect(
            charset(#"<meta content='text/html; charset="iso-8859-1"' http-equiv='content-type'>"#) == "iso-8859-1")
        #expect(charset(#"<!-- <meta charset="koi8-r"> --><meta charset=utf-8>"#) == "utf-8")
        #expect(charset(#"<meta name="description" content="charset=koi8-r">"#) == nil)
        #expect(charset(String(repeating: " ", count: 1100) + #"<meta charset="koi8-r">"#) == nil)
    }

    @Test func decodesAPageInTheCharsetItsMetaDeclares() {
        // "рубрика" in KOI8-R: read as UTF-8 (or windows-1252) it would be other letters.
        let koi8 = Data([0xD2, 0xD5, 0xC2, 0xD2, 0xC9, 0xCB, 0xC1])
        var data = Data(#"<meta charset="koi8-r"><link rel="alternate" type="application/rss+xml" href="/"#.utf8)
        data += koi8 + Data(#"/feed/">"#.utf8)
        let page = DiscoveryPage(data: data, url: URL(string: "https://news.example/"))
        let utf8 = "%D1%80%D1%83%D0%B1%D1%80%D0%B8%D0%BA%D0%B0"
        #expect(page.declared.map(\.url.absoluteString) == ["https://news.example/\(utf8)/feed/"])
    }
}
