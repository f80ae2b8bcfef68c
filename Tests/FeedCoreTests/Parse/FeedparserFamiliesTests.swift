import Foundation
import Testing

@testable import FeedCore

/// The kinds of document that feedparser reads and feedd did not: one or more tests per family, each on a fixture
/// of Fixtures/families written for it.
@Suite struct FeedparserFamiliesTests {
    private func family(_ name: String) throws -> ParsedFeed {
        try parseFixture("families/\(name)", url: "https://feeds.example/\(name)")
    }

    // MARK: - Atom roots

    @Test func prefixedAtomRootIsAtom10() throws {
        let feed = try family("atom-prefixed-root.xml")
        #expect(feed.format == .atom10)
        #expect(feed.title == "Harbour Notes")
        #expect(feed.url == "https://harbour.example/")
        #expect(feed.items.map(\.guid) == ["tag:harbour.example,2026:tide-tables"])
        #expect(feed.items.first?.url == "https://harbour.example/2026/10/tides")
        #expect(feed.items.first?.published.map(FeedDate.format) == "2026-10-01T06:30:00Z")
    }

    @Test func draftEraNamespaceIsAtom03() throws {
        let feed = try family("atom-draft-namespace.xml")
        #expect(feed.format == .atom03)
        #expect(feed.title == "Echo era weblog")
        #expect(feed.items.first?.title == "Necho, Pie, Echo: what to call it")
        #expect(feed.items.first?.published.map(FeedDate.format) == "2003-07-01T12:00:00Z")
    }

    @Test func misspelledNamespaceIsAtomAndItsItemIsAnEntry() throws {
        let feed = try family("atom-misspelled-namespace.xml")
        #expect(feed.format == .atom10)
        #expect(feed.items.map(\.title) == ["Typed by hand", "An item where an entry belongs"])
        #expect(feed.items.first?.updated.map(FeedDate.format) == "2026-09-30T18:45:00Z")
    }

    @Test(arguments: [
        ("http://example.com/newformat#", "0.3", FeedFormat.atom03), ("http://purl.org/pie/", "", .atom10),
        ("", "0.1", .atom03), ("", "", .atom10),
    ])
    func feedRootInAnyNamespaceIsAtom(namespace: String, version: String, format: FeedFormat) throws {
        let xmlns = namespace.isEmpty ? "" : " xmlns=\"\(namespace)\""
        let versionAttribute = version.isEmpty ? "" : " version=\"\(version)\""
        let feed = try parseText("<feed\(versionAttribute)\(xmlns)><title>T</title><entry><id>e1</id></entry></feed>")
        #expect(feed.format == format)
        #expect(feed.title == "T")
        #expect(feed.items.map(\.guid) == ["e1"])
    }

    // MARK: - Encodings

    @Test(arguments: ["utf32be-unmarked.xml", "utf32le-unmarked-ucs4.xml", "utf32le-bom.xml"])
    func utf32DocumentsDecode(fixture: String) throws {
        let feed = try family(fixture)
        #expect(feed.title == "Wide text: Grüße, 日本, 𝄞")
        #expect(feed.items.count == 1)
    }

    @Test(arguments: [
        ("ebcdic-cp037.xml", "EBCDIC: café ¢ ¬"), ("ebcdic-cp-be.xml", "EBCDIC: café [brackets] !"),
        ("ebcdic-cp1140.xml", "EBCDIC: 10 €"), ("ebcdic-cp875.xml", "EBCDIC: Ελληνικά"),
    ])
    func ebcdicDocumentsDecodeByTheirOwnDeclaration(fixture: String, title: String) throws {
        let feed = try family(fixture)
        #expect(feed.title == title)
        #expect(feed.url == "http://charsets.example/")
        #expect(feed.items.count == 1)
    }

    @Test(arguments: [
        ("cp037", "IBM037"), ("ebcdic-cp-us", "IBM037"), ("ebcdic_cp_wt", "IBM037"), ("csibm037", "IBM037"),
        ("ibm039", "IBM037"), ("cp500", "IBM500"), ("ebcdic-cp-ch", "IBM500"), ("csibm500", "IBM500"),
        ("cp875", "IBM875"), ("ibm1140", "IBM1140"), ("no-such-page", "IBM037"),
    ])
    func ebcdicLabelsNameTheirCodePage(label: String, charset: String) {
        let text = "<?xml version=\"1.0\" encoding=\"\(label)\"?><rss/>"
        let ebcdic = Self.ebcdic037(text)
        let found = ebcdic.withUnsafeBufferPointer { CharsetDecoder.declaredEBCDICCharset($0) }
        #expect(found == charset)
    }

    @Test(arguments: [("windows_1251", [0x80], "Ђ"), ("cp-is", [0x80], "Ç"), ("macroman", [0x80], "Ä")])
    func pythonCharsetLabelsDecode(label: String, bytes: [UInt8], text: String) {
        let document = Array("<?xml version=\"1.0\" encoding=\"\(label)\"?><p>".utf8) + bytes + Array("</p>".utf8)
        let decoded = CharsetDecoder.decode(Data(document))
        #expect(String(decoding: decoded.bytes, as: UTF8.self).contains("<p>\(text)</p>"))
        #expect(decoded.problems.isEmpty)
    }

    // MARK: - Base64 and escaped markup

    @Test func atom10NonTextMediaTypesAreBase64() throws {
        let feed = try family("atom-base64-and-escaped.xml")
        #expect(feed.title == "Maps & Charts")
        #expect(feed.description == "<p>Subtitle in <i>base64</i></p>")
        let first = try #require(feed.items.first)
        #expect(first.title == "Coastline redrawn")
        #expect(first.summary == "<p>A summary</p>")
        #expect(first.content == "<p>The content</p>")
        #expect(feed.items[1].title == "Bold & escaped")
        #expect(feed.items[1].content == "Plain text stays as it is")
    }

    @Test func atom03Base64AndEscapedModes() throws {
        let feed = try family("atom03-base64-and-escaped.xml")
        #expect(feed.format == .atom03)
        #expect(feed.title == "Old Atom feed")
        #expect(feed.description == "<p>Escaped tagline</p>")
        #expect(feed.items.map(\.title) == ["Escaped title", "Naked markup in a title"])
        #expect(feed.items.first?.summary == "<p>Base64 summary</p>")
        #expect(feed.items.first?.content == "<p>Base64 <b>content</b></p>")
    }

    // MARK: - CDF

    @Test func cdfChannelIsReadAsAChannelWithItems() throws {
        let feed = try family("cdf-channel.xml")
        #expect(feed.format == .rss09x)
        #expect(feed.title == "Old Site Channel")
        #expect(feed.url == "http://oldsite.example/index.html")
        #expect(feed.description == "Pushed to your desktop since 1997")
        #expect(feed.updated.map(FeedDate.format) == "1998-05-11T15:00:00Z")
        #expect(feed.items.map(\.title) == ["Channel bar now available", "Second item"])
        // A relative HREF resolves against the document's URL, as every relative link of a fetched feed does.
        #expect(feed.items.map(\.url) == ["http://oldsite.example/news/1.html", "https://feeds.example/news/2.html"])
        #expect(feed.items.first?.updated.map(FeedDate.format) == "1998-05-10T14:30:00Z")
        #expect(feed.items.first?.summary == "Subscribe from the <b>channel bar</b>.")
    }

    // MARK: - RSS extension elements

    @Test func extensionElementsCarryContentSummaryTitleAuthorAndKeywords() throws {
        let feed = try family("rss2-extension-elements.xml")
        #expect(feed.title == "Extensions Weekly")
        let items = feed.items
        try #require(items.count == 4)
        #expect(items[0].content == "<p>The <em>whole</em> story.</p>")
        #expect(items[0].author == "editor@ext.example (Ada Editor)")
        #expect(items[1].content == "<p>Escaped full story</p>")
        #expect(items[1].summary == "Only a Dublin Core description")
        #expect(items[2].title == "Title from Media RSS")
        #expect(items[2].summary == "Core description wins over dc:description")
        #expect(items[2].categories == ["harbour", "tides", "weather", "Local"])
        #expect(items[3].title == "Upper-case core elements")
        #expect(items[3].published.map(FeedDate.format) == "2026-10-01T10:00:00Z")
        #expect(items[3].author == "Cleo Host")
        #expect(items[3].categories == ["Technology"])
    }

    @Test func mediaTitleNeverReplacesARealTitle() throws {
        let feed = try parseText(
            """
            <rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item>\
            <media:title>Media title</media:title><title>Real title</title></item></channel></rss>
            """)
        #expect(feed.items.first?.title == "Real title")
    }

    // MARK: - Internal DTD entities

    @Test func internalEntitiesAreExpandedExternalOnesNever() throws {
        let feed = try family("rss2-internal-entities.xml")
        #expect(feed.title == "Entity & Sons")
        #expect(feed.url == "https://entities.example/")
        #expect(feed.items.map(\.guid) == ["tag:entities.example,2026:/posts/1", "tag:entities.example,2026:/posts/2"])
        #expect(feed.items.first?.title == "Written by Entity & Sons — https://entities.example")
        #expect(feed.items.first?.url == "https://entities.example/posts/1")
        #expect(feed.items.first?.summary == "CDATA keeps &tag; as written")
        #expect(feed.items[1].title == "External: [&secret;] undefined: [&nosuch;]")
    }

    @Test func anExpansionJustOverTheLimitExpandsNothing() throws {
        let entity = String(repeating: "x", count: 1000)
        let within = String(repeating: "&e;", count: InternalEntities.growthLimit / 1000 - 10)
        let over = String(repeating: "&e;", count: InternalEntities.growthLimit / 1000 + 10)
        func document(_ references: String) -> String {
            "<!DOCTYPE rss [<!ENTITY e \"\(entity)\">]><rss><channel><item><title>\(references)</title></item></channel></rss>"
        }
        let expanded = try parseText(document(within))
        #expect(expanded.items.first?.title?.hasPrefix(entity) == true)
        #expect(!expanded.problems.contains { $0.contains("left unexpanded") })
        let refused = try parseText(document(over))
        #expect(refused.items.first?.title?.hasPrefix("&e;&e;") == true)
        #expect(refused.problems.contains { $0.contains("left unexpanded") })
    }

    @Test func recursiveEntitiesExpandNothing() throws {
        let feed = try parseText(
            "<!DOCTYPE rss [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><rss><channel><item><title>[&a;]</title></item></channel></rss>")
        #expect(feed.items.first?.title == "[&a;]")
        #expect(feed.problems.contains { $0.contains("refers to itself") })
    }

    /// Billion laughs as `feedd parse` meets it: refused from the declared sizes alone, fast and in little memory
    /// (expanding it would take 3 GB).
    @Test func billionLaughsFailsFastInBoundedMemory() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        var declarations = "<!ENTITY l0 \"lollollollollollollollollollol\">"
        for level in 1...12 {
            declarations += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE rss [\(declarations)]>"
            + "<rss><channel><title>Bomb</title><item><title>&l12;&l12;</title><link>http://bomb.example/</link></item></channel></rss>"
        let path = workspace.directory.appendingPathComponent("bomb.xml")
        try Data(bomb.utf8).write(to: path)
        let parse = try FeeddProcess(["parse", path.path], directory: workspace.directory)
        let (status, peak, elapsed) = await ProcessMemory.watch(parse, patience: TestEnvironment.scaled(120))
        #expect(status == 0, "\(parse.stderr.suffix(500))")
        #expect(parse.stdout.contains("\"title\":\"&l12;&l12;\""))
        #expect(parse.stderr.contains("left unexpanded"))
        // Refusing takes milliseconds; the bound is generous for a machine busy with the rest of the suite.
        #expect(elapsed < TestEnvironment.scaled(60), "took \(Int(elapsed)) s")
        #expect(peak > 0 && peak <= (100 << 20) * TestEnvironment.memoryFactor, "VmHWM \(peak >> 20) MB")
    }

    // MARK: - Mojibake

    @Test func doubleEncodedUTF8AndC1PunctuationAreRepaired() throws {
        let feed = try family("rss2-mojibake.xml")
        #expect(feed.title == "Noticias de España")
        let items = feed.items
        try #require(items.count == 6)
        #expect(items[0].title == "Putin ordenó la campaña")
        #expect(items[0].author == "Françoise Aïssaoui")
        #expect(items[0].categories == ["Vidéo"])
        #expect(items[1].title == "Razer’s three-screen laptop …")
        #expect(items[2].title == "It’s a “quote”")
        // A text with one character that is not mojibake is not repaired at all: the repair would be a guess.
        #expect(items[3].title == "Correct café stays, and Ã© beside it stays too")
        #expect(items[4].title == "Invalid byte ’ read as windows-1252")
        // Guids identify stories: never rewritten.
        #expect(items[5].guid == "guÃ¯d-kept")
    }

    @Test func utf8InADocumentDeclaredLatin1IsRepaired() throws {
        let feed = try family("rss2-latin1-declared-utf8.xml")
        #expect(feed.items.map(\.title) == ["Video der letzten Probe veröffentlicht", "Real Latin-1: café"])
    }

    @Test(arguments: ["Ã©", "naÃ¯ve", "ordenÃ³"])
    func mojibakeRepairUndoesOneLayerAndLeavesCorrectTextAlone(text: String) {
        let once = String(decoding: Array(text.unicodeScalars.map { UInt8($0.value) }), as: UTF8.self)
        #expect(Mojibake.repaired(text) == once)
        #expect(Mojibake.repaired(once) == once)
    }

    // MARK: - Smaller families

    @Test func smallerFamilies() throws {
        let feed = try family("rss2-smaller-families.xml")
        let items = feed.items
        try #require(items.count == 4)
        // A permalink guid that does not parse as a URL is a guid, not the item's link.
        #expect(items[0].guid == "http://small.exa[mple/broken")
        #expect(items[0].url == nil)
        #expect(items[1].url == "http://small.example/fine")
        // Of two dates the first wins.
        #expect(items[2].published.map(FeedDate.format) == "2026-10-01T10:00:00Z")
        // An item whose last field is an incomplete CDATA block (`<![CD` at the end of the document) is kept.
        #expect(items[3].guid == "cut-in-cdata")
    }

    @Test(arguments: ["<title>cut", "<description><![CDATA[<p>A long story cut sh", "<title><![CDATA[cut]]>"])
    func anItemCutOffElsewhereIsStillLeftOut(tail: String) throws {
        let feed = try parseText("<rss><channel><item><guid>a</guid></item><item><guid>b</guid>" + tail)
        #expect(feed.items.map(\.guid) == ["a"])
    }

    /// `text` (ASCII letters, digits and XML punctuation) in EBCDIC code page 037, built here so that the test does
    /// not use the decoder's own iconv to make its input.
    static func ebcdic037(_ text: String) -> [UInt8] {
        let punctuation: [Character: UInt8] = [
            " ": 0x40, ".": 0x4B, "<": 0x4C, "-": 0x60, "/": 0x61, "_": 0x6D, ">": 0x6E, "?": 0x6F, "=": 0x7E,
            "\"": 0x7F,
        ]
        return text.map { character -> UInt8 in
            let ascii = character.asciiValue ?? 0
            switch character {
            case "a"..."i": return 0x81 + (ascii - UInt8(ascii: "a"))
            case "j"..."r": return 0x91 + (ascii - UInt8(ascii: "j"))
            case "s"..."z": return 0xA2 + (ascii - UInt8(ascii: "s"))
            case "A"..."I": return 0xC1 + (ascii - UInt8(ascii: "A"))
            case "J"..."R": return 0xD1 + (ascii - UInt8(ascii: "J"))
            case "S"..."Z": return 0xE2 + (ascii - UInt8(ascii: "S"))
            case "0"..."9": return 0xF0 + (ascii - UInt8(ascii: "0"))
            default: return punctuation[character] ?? 0x6F
            }
        }
    }
}
