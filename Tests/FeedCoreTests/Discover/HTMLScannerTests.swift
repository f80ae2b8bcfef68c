import Testing

@testable import FeedCore

/// The forgiving tag scanner: attributes however real pages write them, and nothing taken from comments, scripts,
/// CDATA or other raw text.
@Suite struct HTMLScannerTests {
    /// The kept tags of `html`, as (name, attributes) with the attributes in a dictionary.
    private func tags(_ html: String, keeping names: Set<String> = ["link", "a", "meta", "base"]) -> [HTMLTag] {
        var html = html
        return html.withUTF8 { bytes in
            var scanner = HTMLScanner(bytes, keeping: names)
            var tags: [HTMLTag] = []
            while let token = scanner.next() {
                if case .tag(let tag) = token { tags.append(tag) }
            }
            return tags
        }
    }

    @Test func readsAttributesInAnyOrderQuotingAndCase() {
        let found = tags(
            """
            <LINK REL="alternate" TYPE='application/rss+xml' HREF=/feed.xml Title = "A &amp; B">
            <link href='/a.atom' rel=alternate type="application/atom+xml"/>
            """)
        #expect(found.count == 2)
        #expect(found[0].name == "link")
        #expect(found[0].attribute("rel") == "alternate")
        #expect(found[0].attribute("type") == "application/rss+xml")
        #expect(found[0].attribute("href") == "/feed.xml")
        #expect(found[0].attribute("title") == "A & B")
        #expect(found[1].attribute("href") == "/a.atom")
        #expect(found[1].attribute("type") == "application/atom+xml")
    }

    @Test func decodesReferencesInValuesAsHTMLDoesInAttributes() {
        let found = tags(#"<a href="/f?a=1&amp;b=2&copy=3&lang;x&#x41;&raquo;" title='&raquo; Feed'>"#)
        // `&copy=` stays literal in an attribute (a legacy name without `;` before `=`); `&lang;` is a reference.
        #expect(found.first?.attribute("href") == "/f?a=1&b=2&copy=3\u{27E8}xA»")
        #expect(found.first?.attribute("title") == "» Feed")
    }

    @Test func aQuotedGreaterThanDoesNotEndTheTag() {
        let found = tags(#"<a title="a > b" href="/rss.xml">x</a><a href=/atom.xml>"#)
        #expect(found.map { $0.attribute("href") } == ["/rss.xml", "/atom.xml"])
    }

    @Test func theFirstOfARepeatedAttributeWins() {
        #expect(tags(#"<link href="/one" HREF="/two">"#).first?.attribute("href") == "/one")
    }

    @Test func skipsCommentsCDATAAndRawText() {
        let found = tags(
            """
            <!-- <link href="/comment.xml"> --><!--><link href="/after-empty-comment">
            <![CDATA[ <link href="/cdata.xml"> ]]>
            <script>document.write('<link href="/script.xml">');</script >
            <style>a::after { content: "<link href='/style.xml'>" }</style>
            <title>A <link href="/title.xml"> title</title>
            <textarea><a href="/textarea.xml"></textarea>
            <!DOCTYPE html><?xml-stylesheet href="/pi.xsl"?>
            <link href="/real.xml">
            """)
        #expect(found.map { $0.attribute("href") } == ["/after-empty-comment", "/real.xml"])
    }

    @Test func reportsTheRawTextOfKeptScripts() {
        var html = #"<script src="/a.js"></script><script>var x = "</scripts>";</SCRIPT><p>"#
        let tokens = html.withUTF8 { bytes in
            var scanner = HTMLScanner(bytes, keeping: ["script"])
            var texts: [String] = []
            while let token = scanner.next() {
                switch token {
                case .tag(let tag): texts.append("tag src=\(tag.attribute("src") ?? "-")")
                case .rawText(let element, let range):
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                    texts.append("\(element): \(text)")
                case .text, .endTag: texts.append("full mode only")
                }
            }
            return texts
        }
        #expect(tokens == ["tag src=/a.js", "script: ", "tag src=-", #"script: var x = "</scripts>";"#])
    }

    @Test func survivesTruncatedAndBrokenMarkup() {
        #expect(tags("<link href=\"/cut").first?.attribute("href") == "/cut")
        #expect(tags("<a href").first?.attribute("href") == "")
        #expect(tags("<a =x href=/y>").first?.attribute("href") == "/y")
        #expect(tags("a < b and <3 <link href=/z>").map { $0.attribute("href") } == ["/z"])
        #expect(tags("<!-- never closed <link href=/x>").isEmpty)
        #expect(tags("<script><link href=/x>").isEmpty)
    }

    @Test func skipsTagsItIsNotAskedFor() {
        #expect(tags(#"<div href="/x"><img src="/y"><a href="/z">"#, keeping: ["a"]).map(\.name) == ["a"])
    }

    @Test func fullModeReportsTextAndEndTagsInPageOrder() {
        var html = "a<b>c &amp; <i>d</I></b><!-- x --><br/>e<"
        let tokens = html.withUTF8 { bytes in
            var scanner = HTMLScanner(everything: bytes)
            var tokens: [String] = []
            while let token = scanner.next() {
                switch token {
                case .tag(let tag): tokens.append("<\(tag.name)\(tag.selfClosing ? "/" : "")>")
                case .endTag(let name): tokens.append("</\(name)>")
                case .text(let range): tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                case .rawText(let element, _): tokens.append("raw \(element)")
                }
            }
            return tokens
        }
        #expect(tokens == ["a", "<b>", "c &amp; ", "<i>", "d", "</i>", "</b>", "<br/>", "e<"])
    }
}
