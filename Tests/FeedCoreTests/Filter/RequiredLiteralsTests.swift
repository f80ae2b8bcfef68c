import Foundation
import Testing

@testable import FeedCore

/// The prefilter of filter patterns: which literals a pattern requires, and, above all, that it never says "cannot
/// match" where ICU finds a match.
@Suite struct RequiredLiteralsTests {
    func literals(_ pattern: String) -> [String]? {
        RequiredLiterals(pattern: pattern).map { found in
            found.literals.map { (literal: RequiredLiterals.Literal) in
                (literal.caseless ? "i:" : "") + String(decoding: literal.bytes, as: UTF8.self)
            }.sorted()
        }
    }

    @Test func wordsPhrasesAndAlternativesBecomeLiterals() {
        #expect(literals("casino") == ["casino"])
        #expect(literals("(?i)buy now|limited offer") == ["i:buy now", "i:limited offer"])
        #expect(literals(#"(?i)\b(casino|lottery)\b"#) == ["i:casino", "i:lottery"])
        #expect(literals("(?i)^(sponsored|advert(isement)?):") == ["i:advert", "i:sponsored"])
        #expect(literals("zzqx[0-9]+") == ["zzqx"])
        #expect(literals(#"\[(AD|PR)\]"#) == ["AD", "PR"])
        #expect(literals(#"a\.b"#) == ["a.b"])
        // The flag holds to the end of its group only, and (?i:…) for its own group.
        #expect(literals("(?:(?i)sale)|(?:Promo)") == ["Promo", "i:sale"])
        #expect(literals("(?i:sale) NOWADAYS") == [" NOWADAYS"])
        // An optional character ends the literal before it; a repeated one is there at least once.
        #expect(literals("colou?r") == ["colo"])
        #expect(literals("bo+ring") == ["ring"])
        #expect(literals("ab{2,}c") == ["ab"])
    }

    @Test func patternsWithNothingRequiredOrUnfamiliarSyntaxHaveNoLiterals() {
        #expect(literals(#"\d+"#) == nil)
        #expect(literals("a|[0-9]") == nil)
        #expect(literals("(sale)?") == nil)
        #expect(literals("x*") == nil)
        #expect(literals(#"\Qa.b\E"#) == nil)
        #expect(literals(#"\p{Lu}uro"#) == nil)
        #expect(literals("(?x) a b c") == nil)
        #expect(literals("(?#note)abc") == nil)
        #expect(literals(#"\x{41}BC"#) == nil)
        #expect(literals("(?!spam)ham") == ["ham"])
        #expect(literals("") == nil)
    }

    /// Every pattern against every text: where ICU (`NSRegularExpression`) finds a match, the prefilter must let
    /// the text through. The texts hold each character whose case folding turns into ASCII.
    @Test func neverRejectsATextThatICUMatches() throws {
        let patterns = [
            "casino", "(?i)casino", "(?i)buy now|limited offer", #"(?i)\b(casino|lottery)\b"#, "(?i)strasse",
            "(?i)kelvin", "(?i)office", "(?i)first", "(?i)list", "(?i)istanbul", "(?i)IRAN", "(?i)ss", "(?i)sale",
            "(?i)^(ads?|promo(tion)?)$", #"\[(AD|PR)\]"#, "(?i)affiliate link", "(?:(?i)sale)|(?:Promo)",
            "colou?r", "(?i)jh", "(?i)wt", "(?i)ʼn|n", "(?i)affluent", "(?i)baffle", "(?i)h", "(?i)at",
            "Caf[eé]", "(?i)ﬁnal", "(?m)^end$", "a.c", "(?i)(?:x|y)z", "(?i)cassino", "(?i)casino", "(?i)s",
            "(?i)st", "(?i)offi", "(?i)ff", "(?i)fi", "(?i)as", "(?i)sa", "(?i)s+ino", "(?i)ca(?:s)+ino",
        ]
        let texts = [
            "", "CASINO night", "Casino", "casino", "Buy Now!", "LIMITED OFFER", "Straße", "STRASSE", "straſſe",
            "\u{212A}elvin", "oﬃce", "ﬁrst", "ﬁrſt", "liﬆ", "İstanbul", "ıran", "IRAN", "ß", "ẞ", "ǰ", "ẖ", "ẗ",
            "ẘ", "ẙ", "ẚ", "ŉ", "[AD] sponsored", "[ad]", "ads", "Promotion", "promo", "sale", "SALE", "PROMO",
            "color", "colour", "affiliate LINK", "aﬄuent", "baﬄe", "Café", "café", "line\nend", "abc", "xz", "YZ",
            "no match here at all", "Kelvin", "straße im Café", "caßino", "CASSINO", "aß", "ßa", "ﬆ", "ﬅ", "oﬃce",
            "ﬀ", "ſt",
        ]
        for pattern in patterns {
            let compiled = try CompiledPattern.compile(pattern)
            for text in texts {
                let icu = compiled.regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count))
                if icu != nil {
                    #expect(compiled.required?.mayMatch(text) ?? true, "\(pattern) matches \(text.debugDescription)")
                }
                #expect(compiled.finds(in: text) == (icu != nil), "\(pattern) on \(text.debugDescription)")
            }
        }
    }

    @Test func mostTextsAreAnsweredWithoutICU() throws {
        let required = try #require(RequiredLiterals(pattern: #"(?i)\b(casino|lottery)\b"#))
        #expect(!required.mayMatch("Swift 6.3 released with faster builds and better diagnostics"))
        #expect(required.mayMatch("New LOTTERY rules"))
        // A character that folds into ASCII sends the text to ICU under (?i), not without it…
        #expect(RequiredLiterals(pattern: "(?i)strasse").map { $0.mayMatch("Stra\u{DF}e") } == true)
        #expect(RequiredLiterals(pattern: "strasse").map { !$0.mayMatch("Stra\u{DF}e") } == true)
        // … and only when a literal may match all of what it folds into: ß is "ss", which "casino" cannot hold.
        #expect(!required.mayMatch("Stra\u{DF}e"))
        #expect(RequiredLiterals(pattern: "(?i)sponsored").map { $0.mayMatch("\u{DF}ponsored") } == true)
    }

    @Test func aPatternIsCompiledOnceForEveryFeedThatUsesIt() throws {
        let first = try CompiledPattern.compile("(?i)shared across feeds")
        let second = try CompiledPattern.compile("(?i)shared across feeds")
        #expect(first.regex === second.regex)
    }
}

extension RequiredLiteralsTests {
    /// FilterPlan joins a field's rules into one alternation, each in `(?:…)` with its own flags; the literals of
    /// every rule survive the joining.
    @Test func joinedRulesKeepEveryRulesLiterals() throws {
        let plan = FilterPlan([
            StoryFilter(drop: [
                try .init(field: .content, pattern: "(?i)buy now|limited offer"),
                try .init(field: .any, pattern: "zzqx[0-9]+"),
                try .init(field: .category, pattern: "(?i)^(ads?|promo(tion)?)$"),
            ]),
            StoryFilter(drop: [try .init(field: .content, pattern: "(?i)affiliate link")]),
        ])
        let content = try #require(plan.drop[.content]?.first?.required)
        #expect(content.literals.count == 4)
        let category = try #require(plan.drop[.category]?.first?.required)
        #expect(category.literals.map { String(decoding: $0.bytes, as: UTF8.self) }.sorted() == ["ad", "promo", "zzqx"])
    }
}

/// The check on markup before its plain text is made: where ICU finds a match in `PlainText.from(markup)`, the
/// markup alone must never rule it out.
@Suite struct RequiredLiteralsMarkupTests {
    /// Whether the check is sound for `pattern` on `markup`; true when the pattern has no literals.
    static func holds(_ pattern: String, _ markup: String) throws -> Bool {
        guard let required = RequiredLiterals(pattern: pattern) else { return true }
        let plain = PlainText.from(markup)
        let regex = try NSRegularExpression(pattern: pattern)
        let matches = regex.firstMatch(in: plain, range: NSRange(location: 0, length: plain.utf16.count)) != nil
        return !matches || required.mayMatchPlainText(of: markup)
    }

    @Test func tagsReferencesWhitespaceAndCDATAInsideALiteralLeaveItPossible() throws {
        let cases: [(String, String)] = [
            ("(?i)buy now", "<p>Please bu<b>y</b> now</p>"),
            ("(?i)buy now", "<p>buy</p><p>now</p>"),
            ("(?i)buy now", "buy\n\t  now"),
            ("(?i)buy now", "buy&#32;now"),
            ("(?i)buy now", "&#98;uy now"),
            ("(?i)buy now", "bu&#x79; now"),
            ("(?i)buy now", "buy <br>now"),
            ("buy", "bu<!-- a comment -->y"),
            ("buy", "bu<script>x</script>y"),
            ("buy", "b<![CDATA[uy]]>"),
            ("(?i)strasse", "Stra&szlig;e"),
            ("(?i)strasse", "Straße"),
            ("(?i)office", "o&#xFB03;ce"),
            ("a&b", "a&amp;b"),
            ("(?i)kelvin", "&#x212A;elvin"),
        ]
        for (pattern, markup) in cases {
            #expect(try Self.holds(pattern, markup), "\(pattern) in \(markup.debugDescription)")
        }
        // And what it is for: markup whose plain text cannot hold the words is ruled out without making it.
        let required = try #require(RequiredLiterals(pattern: #"(?i)\b(casino|lottery)\b|unsubscribe here"#))
        #expect(!required.mayMatchPlainText(of: "<p>The council met on <b>Tuesday</b> &amp; voted.</p>"))
        #expect(!required.mayMatchPlainText(of: "<p>Please subscribe <a href=\"/x\">here</a></p>"))
        // A tag next to a partial match leaves it possible: the markup alone cannot tell.
        #expect(required.mayMatchPlainText(of: "<p>Unsubscribe <a href=\"/x\">from this list</a></p>"))
    }

    /// Every summary and content of the feeds in this target's fixtures (and of the shared corpus, when it is
    /// there), against phrases, words and arbitrary cuts of their own plain text: the check must let each through.
    @Test func neverRulesOutAPhraseOfTheTextsOwnPlainText() throws {
        var markups: [String] = []
        var files = try FileManager.default.contentsOfDirectory(
            at: Fixtures.testsDirectory.appendingPathComponent("Fixtures/families"), includingPropertiesForKeys: nil)
        files += try FileManager.default.contentsOfDirectory(
            at: Fixtures.testsDirectory.appendingPathComponent("Fixtures"), includingPropertiesForKeys: nil)
        if let corpus = Fixtures.corpus {
            let index = try String(contentsOf: corpus.appendingPathComponent("INDEX.tsv"), encoding: .utf8)
            for line in index.split(separator: "\n").dropFirst() {
                guard let path = line.split(separator: "\t").first else { continue }
                files.append(corpus.appendingPathComponent(String(path)))
            }
        }
        for file in files where file.pathExtension == "xml" {
            guard let data = try? Data(contentsOf: file), let feed = try? FeedParser.parse(data, url: nil) else {
                continue
            }
            for item in feed.items { markups += [item.summary, item.content].compactMap { $0 } }
        }
        let pages = Fixtures.testsDirectory.appendingPathComponent("Fixtures/Extract")
        for page in try FileManager.default.contentsOfDirectory(at: pages, includingPropertiesForKeys: nil)
        where page.pathExtension == "html" {
            markups.append(String(decoding: try Data(contentsOf: page), as: UTF8.self))
        }
        // The fixtures alone give 38 texts (a clone without the corpus); the corpus adds thousands.
        #expect(markups.count > 30)
        var checked = 0
        for (number, markup) in markups.enumerated() {
            let plain = PlainText.from(markup)
            let words = plain.split(separator: " ").filter { $0.utf8.allSatisfy { $0 < 0x80 } }
            var phrases: [String] = []
            for index in stride(from: number % 7, to: max(0, words.count - 1), by: 29) {
                phrases.append(words[index] + " " + words[index + 1])
                phrases.append(String(words[index]))
            }
            // Cuts that need not fall between words: where markup splits a word, or a word meets a tag.
            let scalars = Array(plain.unicodeScalars)
            for start in stride(from: number % 5, to: max(0, scalars.count - 6), by: 97) {
                let cut = String(String.UnicodeScalarView(scalars[start..<start + 6]))
                if cut.utf8.allSatisfy({ $0 < 0x80 }) { phrases.append(cut) }
            }
            for phrase in phrases.prefix(8) {
                let literal = NSRegularExpression.escapedPattern(for: phrase)
                for pattern in [literal, "(?i)" + literal.uppercased().replacingOccurrences(of: "\\\\", with: "\\")] {
                    #expect(try Self.holds(pattern, markup), "\(pattern) in \(markup.prefix(300).debugDescription)")
                    checked += 1
                }
            }
        }
        #expect(checked > 150)
    }
}
