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
            "Caf[eé]", "(?i)ﬁnal", "(?m)^end$", "a.c", "(?i)(?:x|y)z",
        ]
        let texts = [
            "", "CASINO night", "Casino", "casino", "Buy Now!", "LIMITED OFFER", "Straße", "STRASSE", "straſſe",
            "\u{212A}elvin", "oﬃce", "ﬁrst", "ﬁrſt", "liﬆ", "İstanbul", "ıran", "IRAN", "ß", "ẞ", "ǰ", "ẖ", "ẗ",
            "ẘ", "ẙ", "ẚ", "ŉ", "[AD] sponsored", "[ad]", "ads", "Promotion", "promo", "sale", "SALE", "PROMO",
            "color", "colour", "affiliate LINK", "aﬄuent", "baﬄe", "Café", "café", "line\nend", "abc", "xz", "YZ",
            "no match here at all", "Kelvin", "straße im Café",
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
        // A character that folds into ASCII sends the text to ICU under (?i), not without it.
        #expect(required.mayMatch("Stra\u{DF}e"))
        #expect(RequiredLiterals(pattern: "casino").map { !$0.mayMatch("Stra\u{DF}e") } == true)
        // … and only when the letters it folds into are in a literal: ß is "ss", and "buy now" has no s.
        #expect(RequiredLiterals(pattern: "(?i)buy now").map { !$0.mayMatch("Stra\u{DF}e") } == true)
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
