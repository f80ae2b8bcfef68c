import Glibc

/// Literal strings of which every match of a regular expression contains at least one: a text that holds none of
/// them cannot match, and is answered without ICU (the prefilter of ripgrep and RE2).
///
/// Most filter rules are words and phrases (`(?i)\b(casino|lottery)\b`, `buy now|limited offer`), and most texts
/// match none of them; on Linux every `NSRegularExpression` call first copies the text into UTF-16, which made ten
/// rules cost more than parsing the feed. Scanning the UTF-8 for a few literals costs a fraction of that.
///
/// Only ASCII literals are derived, from a conservative reading of ICU's syntax: anything the reader does not
/// understand (`\Q…\E`, `\p{…}`, `(?x)`, comments) yields no literals, so the pattern always goes to ICU; a part it
/// cannot turn into a literal (classes, `.`, optional parts, lookarounds) only ends the literal before it. Under
/// `(?i)` a literal is compared without regard to ASCII case, and a text holding one of the twenty non-ASCII
/// characters whose case folding contains ASCII letters (`ß`, `ſ`, the Kelvin sign, the `ﬁ` ligatures…) goes to
/// ICU, which folds them, when one of those letters is in such a literal (`ß` matters to `strasse`, not to `buy`).
struct RequiredLiterals: Sendable, Equatable {
    struct Literal: Hashable, Sendable {
        /// ASCII; lower-cased when `caseless`.
        var bytes: [UInt8]
        var caseless: Bool
    }

    let literals: [Literal]
    /// The byte each search looks for with `memchr` (the literal's rarest, in both cases when caseless), and where
    /// in the literal it sits; then the characters that fold into ASCII letters of the caseless literals, found by
    /// their last byte.
    private let probes: [Probe]

    private struct Probe {
        var byte: UInt8
        var offset: Int
        /// The literal, or the UTF-8 of a character that case folding turns into its letters.
        var literal: Literal
    }

    /// The literals of `pattern`; nil when every text may match as far as this reading can tell.
    init?(pattern: String) {
        var reader = PatternReader(Array(pattern.unicodeScalars))
        guard let found = reader.readPattern(), !found.isEmpty else { return nil }
        self.init(literals: found)
    }

    init(literals: [Literal]) {
        self.literals = literals
        var probes: [Probe] = []
        for literal in literals {
            let offset = literal.bytes.indices.max { Self.rank(literal.bytes[$0]) < Self.rank(literal.bytes[$1]) }!
            let byte = literal.bytes[offset]
            probes.append(Probe(byte: byte, offset: offset, literal: literal))
            if literal.caseless && Self.upper(byte) != byte {
                probes.append(Probe(byte: Self.upper(byte), offset: offset, literal: literal))
            }
        }
        let letters = Set(literals.filter(\.caseless).flatMap(\.bytes))
        for character in Self.foldsIntoASCII where !letters.isDisjoint(with: character.letters.utf8) {
            let bytes = character.utf8
            let last = bytes.count - 1
            probes.append(Probe(byte: bytes[last], offset: last, literal: Literal(bytes: bytes, caseless: false)))
        }
        self.probes = probes
    }

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.literals == rhs.literals }

    /// Whether `text` holds one of the literals, or a character that ICU's case folding could match with one.
    func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mayMatch($0) }
    }

    func mayMatch(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        for probe in probes {
            var from = 0
            while from < text.count, let hit = memchr(base + from, Int32(probe.byte), text.count - from) {
                let position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                let start = position - probe.offset
                if start >= 0 && Self.occurs(probe.literal, in: text, at: start) { return true }
                from = position + 1
            }
        }
        return false
    }

    /// How rare a byte is in text, from the space (0) through the letters by their frequency in English, then
    /// capitals, to digits and punctuation; a search looks for the rarest byte of a literal.
    private static func rank(_ byte: UInt8) -> Int {
        if byte == 0x20 { return 0 }
        if let index = frequentLetters.firstIndex(of: lower(byte)) {
            return byte == lower(byte) ? 1 + index : 30 + index
        }
        return 60
    }

    private static let frequentLetters = Array("etaoinshrdlcumwfgypbvkjxqz".utf8)

    private static func occurs(_ literal: Literal, in text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let bytes = literal.bytes
        guard text.count - index >= bytes.count else { return false }
        for offset in 0..<bytes.count {
            var byte = text[index + offset]
            if literal.caseless { byte = lower(byte) }
            if byte != bytes[offset] { return false }
        }
        return true
    }

    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
    static func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    /// The characters outside ASCII whose case folding or case mappings contain ASCII letters (every one in
    /// Unicode's tables), with those letters, lower-cased.
    private static let foldsIntoASCII: [(utf8: [UInt8], letters: String)] = [
        ("\u{DF}", "s"), ("\u{130}", "i"), ("\u{131}", "i"), ("\u{149}", "n"), ("\u{17F}", "s"), ("\u{1F0}", "j"),
        ("\u{1E96}", "h"), ("\u{1E97}", "t"), ("\u{1E98}", "w"), ("\u{1E99}", "y"), ("\u{1E9A}", "a"),
        ("\u{1E9E}", "s"), ("\u{212A}", "k"), ("\u{FB00}", "f"), ("\u{FB01}", "fi"), ("\u{FB02}", "fl"),
        ("\u{FB03}", "fi"), ("\u{FB04}", "fl"), ("\u{FB05}", "st"), ("\u{FB06}", "st"),
    ].map { (Array($0.0.utf8), $0.1) }
}

/// Reads an ICU pattern far enough to find the literals every match must contain. Each `read…` returns the set of
/// literals one of which a match of that part contains, `[]` when it found none it can vouch for, and sets
/// `unreadable` when it met syntax it does not follow (then the whole pattern has no literals).
private struct PatternReader {
    typealias Literal = RequiredLiterals.Literal

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var unreadable = false

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    mutating func readPattern() -> [Literal]? {
        var caseless = false
        let found = readAlternation(caseless: &caseless)
        return unreadable || index != scalars.count ? nil : found
    }

    private var next: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// `a|b|…` up to a `)` or the end: one literal of every branch, or none if a branch has none. Inline flags
    /// (`(?i)`) hold to the end of the enclosing group, across its branches, as in ICU.
    private mutating func readAlternation(caseless: inout Bool) -> [Literal] {
        var union = Set<Literal>()
        var everyBranch = true
        while true {
            let branch = readSequence(caseless: &caseless)
            if branch.isEmpty { everyBranch = false } else { union.formUnion(branch) }
            guard next == "|" else { break }
            index += 1
        }
        return everyBranch && !unreadable ? Array(union).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) } : []
    }

    /// The items of one branch: runs of literal characters, and the literals of groups; the best of them is kept
    /// (the one whose shortest literal is longest, so that it is rarely found by chance).
    private mutating func readSequence(caseless: inout Bool) -> [Literal] {
        var best: [Literal] = []
        var run: [UInt8] = []
        var runCaseless = caseless
        func consider(_ candidate: [Literal]) {
            guard let shortest = candidate.map(\.bytes.count).min() else { return }
            if best.isEmpty || shortest > best.map(\.bytes.count).min()! { best = candidate }
        }
        func endRun() {
            if !run.isEmpty { consider([Literal(bytes: run, caseless: runCaseless)]) }
            run = []
        }
        while let scalar = next, scalar != "|", scalar != ")", !unreadable {
            let atom = readAtom(caseless: &caseless)
            let quantifier = readQuantifier()
            switch (atom, quantifier) {
            case (.character(let byte), .once):
                if runCaseless != caseless { endRun() }
                runCaseless = caseless
                run.append(caseless ? RequiredLiterals.lower(byte) : byte)
            case (.character(let byte), .atLeastOnce):
                if runCaseless != caseless { endRun() }
                runCaseless = caseless
                run.append(caseless ? RequiredLiterals.lower(byte) : byte)
                endRun()
            case (.group(let literals), .once), (.group(let literals), .atLeastOnce):
                endRun()
                consider(literals)
            case (.flags, _):
                endRun()
                runCaseless = caseless
            default:
                endRun()
            }
        }
        endRun()
        return best
    }

    private enum Atom {
        case character(UInt8)
        case group([Literal])
        /// A class, `.`, an anchor, a lookaround, a character outside ASCII: nothing a literal can stand for.
        case other
        /// `(?i)` and the like, which changed `caseless`.
        case flags
    }

    private enum Quantifier { case once, atLeastOnce, maybeNone }

    private mutating func readAtom(caseless: inout Bool) -> Atom {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(": return readGroup(caseless: &caseless)
        case "[":
            skipClass()
            return .other
        case ".", "^", "$": return .other
        case "\\": return readEscape()
        case "*", "+", "?", "{", "}", "]":
            // A quantifier with nothing before it, or a stray bracket: leave it to ICU.
            unreadable = true
            return .other
        default:
            guard scalar.isASCII else { return .other }
            return .character(UInt8(scalar.value))
        }
    }

    private mutating func readEscape() -> Atom {
        guard let scalar = next else {
            unreadable = true
            return .other
        }
        index += 1
        guard scalar.isASCII else { return .other }
        let byte = UInt8(scalar.value)
        switch scalar {
        case "b", "B", "A", "z", "Z", "G", "d", "D", "s", "S", "w", "W", "h", "H", "v", "V", "R", "X",
            "t", "n", "r", "f", "e", "a", "1"..."9":
            return .other
        default:
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) {
                // \Q, \p{…}, \x{…}, \N{…}, \k<…>, \0 and others that take more than one character.
                unreadable = true
                return .other
            }
            return .character(byte)
        }
    }

    /// `(…)`, `(?:…)`, `(?<name>…)`, `(?i)`, `(?i-m:…)`, lookarounds.
    private mutating func readGroup(caseless: inout Bool) -> Atom {
        var inner = caseless
        var counts = true
        if next == "?" {
            index += 1
            switch next {
            case ":": index += 1
            case ">": index += 1
            case "=", "!":
                index += 1
                counts = false
            case "<":
                index += 1
                if next == "=" || next == "!" {
                    index += 1
                    counts = false
                } else {
                    while let scalar = next, scalar != ">" { index += 1 }
                    guard next == ">" else {
                        unreadable = true
                        return .other
                    }
                    index += 1
                }
            default:
                // Flags: (?ismw-ismw) for the rest of the enclosing group, or (?ismw-ismw: …) for this one.
                var on = true
                var flagsCaseless = caseless
                while let scalar = next, scalar != ")", scalar != ":" {
                    switch scalar {
                    case "-": on = false
                    case "i": flagsCaseless = on
                    case "s", "m", "w": break
                    default:
                        // x (free spacing) and anything unknown.
                        unreadable = true
                        return .other
                    }
                    index += 1
                }
                guard let end = next else {
                    unreadable = true
                    return .other
                }
                index += 1
                if end == ")" {
                    caseless = flagsCaseless
                    return .flags
                }
                inner = flagsCaseless
            }
        }
        let literals = readAlternation(caseless: &inner)
        guard next == ")" else {
            unreadable = true
            return .other
        }
        index += 1
        return counts ? .group(literals) : .other
    }

    /// `[…]`, with nested sets (`[a-z&&[^aeiou]]`, `[[:alpha:]]`) and escapes.
    private mutating func skipClass() {
        var depth = 1
        if next == "^" { index += 1 }
        if next == "]" { index += 1 }
        while let scalar = next, depth > 0 {
            index += 1
            switch scalar {
            case "\\": index += 1
            case "[": depth += 1
            case "]": depth -= 1
            default: break
            }
        }
        if depth > 0 { unreadable = true }
    }

    private mutating func readQuantifier() -> Quantifier {
        let quantifier: Quantifier
        switch next {
        case "?", "*":
            index += 1
            quantifier = .maybeNone
        case "+":
            index += 1
            quantifier = .atLeastOnce
        case "{":
            index += 1
            var digits = ""
            while let scalar = next, ("0"..."9").contains(scalar) {
                digits.unicodeScalars.append(scalar)
                index += 1
            }
            while let scalar = next, scalar != "}" { index += 1 }
            guard next == "}", let minimum = Int(digits) else {
                unreadable = true
                return .maybeNone
            }
            index += 1
            quantifier = minimum == 0 ? .maybeNone : .atLeastOnce
        default:
            return .once
        }
        // Lazy and possessive forms.
        if next == "?" || next == "+" { index += 1 }
        return quantifier
    }
}
