import Testing

@testable import FeedCore

@Suite struct HTMLEntitiesTests {
    @Test func tableHoldsEveryNameTheGeneratorWrote() {
        #expect(HTMLEntities.table.count == HTMLEntities.generatedNameCount)
        #expect(HTMLEntities.generatedNameCount == 2125)
        #expect(HTMLEntities.legacyNames.count == 106)
    }

    @Test func everyLegacyNameAlsoHasASemicolonForm() {
        for name in HTMLEntities.legacyNames {
            #expect(HTMLEntities.characters(named: name) != nil, "\(name)")
        }
    }

    @Test func longestNamesBoundTheLookups() {
        #expect(HTMLEntities.table.keys.map(\.utf8.count).max() == HTMLEntities.longestNameLength)
        #expect(HTMLEntities.legacyNames.map(\.utf8.count).max() == HTMLEntities.longestLegacyNameLength)
    }

    @Test func noReferenceGrowsByMoreThanAFifth() {
        // PlainText sizes its scratch buffer on this: `&name;` must not take more than 6/5 of its own bytes.
        for (name, characters) in HTMLEntities.table {
            #expect(characters.utf8.count * 5 <= (name.utf8.count + 2) * 6, "\(name)")
        }
    }

    static let namedCases: [(String, String)] = [
        ("nbsp", "\u{A0}"), ("mdash", "\u{2014}"), ("ndash", "\u{2013}"), ("hellip", "\u{2026}"),
        ("rsquo", "\u{2019}"), ("lsquo", "\u{2018}"), ("ldquo", "\u{201C}"), ("rdquo", "\u{201D}"),
        ("eacute", "é"), ("Eacute", "É"), ("euro", "€"), ("amp", "&"), ("lt", "<"), ("gt", ">"),
        ("quot", "\""), ("apos", "'"), ("copy", "©"), ("trade", "™"), ("AMP", "&"),
        ("Ascr", "\u{1D49C}"), ("CounterClockwiseContourIntegral", "\u{2233}"),
        // Two code points: a base character and a combining mark or variation selector.
        ("NotEqualTilde", "\u{2242}\u{338}"), ("nGt", "\u{226B}\u{20D2}"), ("lates", "\u{2AAD}\u{FE00}"),
        ("fjlig", "fj"),
    ]

    @Test(arguments: namedCases)
    func namedCharacters(name: String, expected: String) {
        #expect(HTMLEntities.characters(named: name) == expected)
        #expect(HTMLEntities.characters(named: name[...]) == expected)
    }

    @Test(arguments: ["foo", "Amp", "amp;", "&amp", "", "nbsp ", "mdashx"])
    func unknownNamesHaveNoCharacters(name: String) {
        #expect(HTMLEntities.characters(named: name) == nil)
    }

    @Test(arguments: [
        ("amp", true), ("AMP", true), ("nbsp", true), ("copy", true), ("frac12", true), ("yuml", true),
        ("mdash", false), ("hellip", false), ("apos", false), ("Amp", false), ("foo", false),
    ])
    func legacyNamesMayOmitTheSemicolon(name: String, allowed: Bool) {
        #expect(HTMLEntities.allowsMissingSemicolon(name) == allowed)
    }

    static let codePointCases: [(UInt32, Character)] = [
        (0x41, "A"), (0xE9, "é"), (0x2014, "\u{2014}"), (0x1F600, "😀"), (0x10FFFF, "\u{10FFFF}"),
        // windows-1252 for 0x80-0x9F; its five holes stay C1 controls.
        (0x80, "€"), (150, "\u{2013}"), (0x92, "\u{2019}"), (0x9F, "Ÿ"), (0x81, "\u{81}"), (0x9D, "\u{9D}"),
        // Other controls and noncharacters are parse errors in HTML5, but keep their value.
        (0x01, "\u{01}"), (0x7F, "\u{7F}"), (0xFFFE, "\u{FFFE}"),
        (0, "\u{FFFD}"), (0xD800, "\u{FFFD}"), (0xDFFF, "\u{FFFD}"), (0x110000, "\u{FFFD}"), (.max, "\u{FFFD}"),
    ]

    @Test(arguments: codePointCases)
    func numericCodePoints(value: UInt32, expected: Character) {
        #expect(HTMLEntities.character(forCodePoint: value) == expected)
    }
}
