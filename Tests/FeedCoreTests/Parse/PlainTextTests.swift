import Testing

@testable import FeedCore

@Suite struct PlainTextTests {
    // MARK: - Character references

    static let referenceCases: [(String, String)] = [
        // Named, with and without the semicolon.
        ("AT&amp;T", "AT&T"), ("Tom &amp; Jerry", "Tom & Jerry"), ("&nbsp;x", "\u{A0}x"), ("&AMP;", "&"),
        ("&eacute;t&eacute;", "été"), ("&amp", "&"), ("&copy 2025", "© 2025"), ("&copy2025", "©2025"),
        ("&notit;", "¬it;"), ("&notin;", "∉"), ("&NotEqualTilde;", "\u{2242}\u{338}"), ("&fjlig;", "fj"),
        // The references whose characters outgrow them, back to back.
        ("&nGt;&nLt;&nGt;", "\u{226B}\u{20D2}\u{226A}\u{20D2}\u{226B}\u{20D2}"),
        // Longer than any name: kept.
        ("&" + String(repeating: "a", count: 40) + ";", "&" + String(repeating: "a", count: 40) + ";"),
        // Numeric: decimal, hexadecimal, either case of x, semicolon optional.
        ("&#8212;", "\u{2014}"), ("&#x2014;", "\u{2014}"), ("&#X2014;", "\u{2014}"), ("&#8212 ok", "\u{2014} ok"),
        ("&#x1F600;", "😀"), ("&#0065;", "A"),
        // 0x80-0x9F through windows-1252.
        ("&#150;", "\u{2013}"), ("&#x92;", "\u{2019}"), ("&#128;", "€"), ("&#x81;", "\u{81}"),
        // Invalid code points.
        ("&#0;", "\u{FFFD}"), ("&#xD800;", "\u{FFFD}"), ("&#1114112;", "\u{FFFD}"),
        ("&#99999999999999999999999;", "\u{FFFD}"), ("&#x110000;", "\u{FFFD}"),
        // An `&` that starts no reference stays.
        ("&foo;", "&foo;"), ("&mdash", "&mdash"), ("&Amp;", "&Amp;"), ("Q&A", "Q&A"), ("a & b", "a & b"),
        ("&", "&"), ("&;", "&;"), ("&#;", "&#;"), ("&#x;", "&#x;"), ("&#xZ", "&#xZ"), ("&&amp;", "&&"),
        // Decoded once only.
        ("&amp;lt;", "&lt;"), ("&amp;amp;", "&amp;"),
        // Everything else untouched.
        ("café 日本 😀", "café 日本 😀"), ("", ""),
    ]

    @Test(arguments: referenceCases)
    func decodingEntitiesDecodesReferences(input: String, expected: String) {
        #expect(PlainText.decodingEntities(input) == expected)
    }

    @Test(arguments: referenceCases)
    func fromDecodesReferencesLikeDecodingEntities(input: String, expected: String) {
        #expect(PlainText.from(input) == expected)
    }

    @Test func decodingEntitiesLeavesMarkupAndWhitespaceAlone() {
        #expect(PlainText.decodingEntities("  <b>&lt;</b>\n\tx  ") == "  <b><</b>\n\tx  ")
    }

    // MARK: - Markup

    static let markupCases: [(String, String)] = [
        ("<b>Bold</b> move", "Bold move"), ("<b><i>deep</i></b>", "deep"), ("<a href=\"/x\">link</a>", "link"),
        // Inline tags join, block tags and line breaks separate.
        ("Foo<b>bar</b>", "Foobar"), ("One<br>Two", "One Two"), ("One<br/>Two", "One Two"),
        ("<p>One</p><p>Two</p>", "One Two"), ("<div>A</div>B", "A B"), ("<li>A<li>B", "A B"),
        ("<P>Up</P>case", "Up case"), ("A<H2>B</H2>C", "A B C"),
        // A `<` opens a tag only before a letter, `/`, `!` or `?`.
        ("a < b", "a < b"), ("1<2", "1<2"), ("I <3 feeds", "I <3 feeds"), ("<", "<"), ("a <", "a <"),
        ("<<b>x</b>", "<x"), ("<é>", "<é>"),
        // Markup that never closes runs to the end and is dropped.
        ("Title <span", "Title"), ("Title <a href=\"x", "Title"), ("Title </", "Title"),
        ("Title <!-- never closed", "Title"),
        // `>` inside a quoted attribute value does not close the tag.
        ("<a title=\"x>y\">link</a>", "link"), ("<a title='1 > 0'>x</a>", "x"), ("<a href=x>y</a>", "y"),
        ("</>x", "x"), ("</ x>y", "y"),
        // Script and style content is dropped, up to the matching end tag in any case.
        ("<script>alert('<b>hi</b>')</script>Safe", "Safe"), ("<SCRIPT type=x>if (a < b) {}</SCRIPT >Safe", "Safe"),
        ("<style>p { color: red }</style>Text", "Text"), ("A<script>never closed", "A"),
        ("<script>x</scripts>y</script>z", "z"), ("<scripts>x</scripts>", "x"),
        // Comments, doctype and processing instructions.
        ("a<!-- hidden -->b", "ab"), ("a<!-- <b>x</b> -->b", "ab"), ("a<!-->b", "ab"), ("a<!--->b", "ab"),
        ("<!DOCTYPE html>Title", "Title"), ("<?xml version=\"1.0\"?>Title", "Title"),
        // CDATA-looking text (a double-escaped CDATA section) keeps its content verbatim.
        ("<![CDATA[Breaking: <b>news</b>]]>", "Breaking: <b>news</b>"), ("<![CDATA[a &amp; b]]>", "a &amp; b"),
        ("x <![CDATA[unterminated", "x unterminated"), ("a ]]> b", "a ]]> b"),
        // The XML layer already unescaped once: `&lt;b&gt;` arrives as `<b>` and is a tag; what is still
        // escaped after that is text.
        ("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"), ("&lt;script&gt;x&lt;/script&gt;", "<script>x</script>"),
        ("R&D <b>x</b>", "R&D x"), ("<p></p>", ""),
    ]

    @Test(arguments: markupCases)
    func fromRemovesMarkup(input: String, expected: String) {
        #expect(PlainText.from(input) == expected)
    }

    // MARK: - Whitespace

    static let whitespaceCases: [(String, String)] = [
        ("  padded\t title \n", "padded title"), ("a\r\n\tb\u{0C}c", "a b c"), ("a  b", "a b"), ("   ", ""),
        (" a", "a"), ("a ", "a"),
        // U+00A0 and other Unicode spaces are text, not ASCII whitespace.
        ("non\u{A0}breaking", "non\u{A0}breaking"), ("&nbsp;Title&nbsp;", "\u{A0}Title\u{A0}"),
        ("a\u{2003}\u{2003}b", "a\u{2003}\u{2003}b"), ("a\u{0B}b", "a\u{0B}b"),
        // Whitespace from references collapses like typed whitespace.
        ("a&#10;&#10;b", "a b"), ("a&Tab;b", "a b"), ("&#32;x&#32;", "x"),
        // Whitespace around removed tags collapses too.
        ("<p> One </p>\n<p> Two </p>", "One Two"), ("a <b> </b> b", "a b"),
        ("<![CDATA[ spaced\n out ]]>", "spaced out"),
    ]

    @Test(arguments: whitespaceCases)
    func fromCollapsesASCIIWhitespace(input: String, expected: String) {
        #expect(PlainText.from(input) == expected)
    }

    // MARK: - Fast path

    @Test(arguments: [
        "Plain title", "Caf\u{E9} \u{65E5}\u{672C} \u{1F600}", String(repeating: "word ", count: 20) + "end",
    ])
    func plainTextComesBackUnchanged(input: String) {
        #expect(PlainText.from(input) == input)
    }

    @Test func plainTextIsReturnedWithoutCopying() {
        // Long enough to live in heap storage, whose address shows whether the result is the same string.
        let input = String(repeating: "A plain title of words ", count: 4) + "end"
        let output = PlainText.from(input)
        let inputAddress = input.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        let outputAddress = output.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        #expect(inputAddress != nil)
        #expect(inputAddress == outputAddress)
        let decoded = PlainText.decodingEntities(input)
        #expect(decoded.utf8.withContiguousStorageIfAvailable { $0.baseAddress } == inputAddress)
    }
}
