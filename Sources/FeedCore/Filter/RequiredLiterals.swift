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
/// ICU, which folds them, when such a literal could match it. ICU matches a character that folds into several
/// only as a whole (measured: `(?i)ss` and `(?i)cassino` match `ß` and `caßino`, `(?i)s` and `(?i)casino` do
/// not), so `ß` matters to a literal holding `ss`, or ending or starting with `s` where the pattern may go on.
struct RequiredLiterals: Sendable, Equatable {
    struct Literal: Hashable, Sendable {
        /// ASCII; lower-cased when `caseless`.
        var bytes: [UInt8]
        var caseless: Bool
    }

    let literals: [Literal]
    /// What a search looks for: a literal's rarest byte (in both cases when caseless), or the lead byte of a
    /// character that case folding turns into letters of the caseless literals. Sorted by byte, so that the probes
    /// of one byte share one `memchr` pass (`find(byte:from:)`, in `groups`). Plain values only, so that a search
    /// retains nothing.
    private let probes: [Probe]
    /// The runs of `probes` that look for the same byte.
    private let groups: [Range<Int>]
    /// The bytes the probes compare, one after the other.
    private let pool: [UInt8]
    /// Per byte, lower-cased: whether a literal holds it (a space for any ASCII whitespace).
    private let inLiterals: [Bool]
    /// The characters that fold into letters of the caseless literals.
    private let folding: Set<Unicode.Scalar>
    /// Whether some literal's search byte is a space, which markup may write as any whitespace.
    private let anchorsOnSpace: Bool

    private struct Probe {
        var byte: UInt8
        /// Where `byte` sits in the bytes compared.
        var offset: Int
        /// The bytes compared: `pool[start..<start + count]`.
        var start: Int
        var count: Int
        var caseless: Bool
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
        var pool: [UInt8] = []
        func add(_ bytes: [UInt8], caseless: Bool, at offset: Int) {
            let start = pool.count
            pool += bytes
            let byte = bytes[offset]
            probes.append(Probe(byte: byte, offset: offset, start: start, count: bytes.count, caseless: caseless))
            if caseless && Self.upper(byte) != byte {
                probes.append(
                    Probe(byte: Self.upper(byte), offset: offset, start: start, count: bytes.count, caseless: true))
            }
        }
        for literal in literals {
            let rarest = literal.bytes.indices.max { Self.rank(literal.bytes[$0]) < Self.rank(literal.bytes[$1]) }!
            add(literal.bytes, caseless: literal.caseless, at: rarest)
        }
        let caseless = literals.filter(\.caseless).map(\.bytes)
        var folding = Set<Unicode.Scalar>()
        for character in Self.foldsIntoASCII where caseless.contains(where: { Self.may($0, match: character.folded) })
        {
            add(character.utf8, caseless: false, at: 0)
            folding.formUnion(String(decoding: character.utf8, as: UTF8.self).unicodeScalars)
        }
        probes.sort { $0.byte < $1.byte }
        var groups: [Range<Int>] = []
        var first = 0
        for index in probes.indices where index + 1 == probes.count || probes[index + 1].byte != probes[index].byte {
            groups.append(first..<index + 1)
            first = index + 1
        }
        self.probes = probes
        self.groups = groups
        self.pool = pool
        self.folding = folding
        var inLiterals = [Bool](repeating: false, count: 256)
        for literal in literals { for byte in literal.bytes { inLiterals[Int(Self.lower(byte))] = true } }
        self.inLiterals = inLiterals
        anchorsOnSpace = probes.contains { $0.byte == 0x20 }
    }

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.literals == rhs.literals }

    /// Whether `text` holds one of the literals, or a character that ICU's case folding could match with one.
    func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mayMatch($0) }
    }

    func mayMatch(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        search(text) { probe, pool, position in
            let start = position - probe.offset
            return start >= 0 && start + probe.count <= text.count
                && Self.equal(text, at: start, pool, probe.start, probe.count, caseless: probe.caseless)
        }
    }

    /// Whether `found` holds for some probe at some place of `text` where the probe's byte stands: one `memchr`
    /// pass per byte looked for.
    private func search(
        _ text: UnsafeBufferPointer<UInt8>,
        _ found: (Probe, UnsafeBufferPointer<UInt8>, Int) -> Bool
    ) -> Bool {
        probes.withUnsafeBufferPointer { probes in
            pool.withUnsafeBufferPointer { pool in
                for group in groups {
                    var from = 0
                    while let position = text.find(byte: probes[group.lowerBound].byte, from: from) {
                        for index in group where found(probes[index], pool, position) { return true }
                        from = position + 1
                    }
                }
                return false
            }
        }
    }

    /// Whether the plain text that `PlainText.from` makes of `markup` may hold one of the literals, told from the
    /// markup itself: false proves that it holds none, so that a story's summary and content need not be made
    /// plain text for rules that cannot match. A literal's bytes in the plain text are bytes of the markup, in
    /// order, with at most these between two of them: whitespace (for a space of the literal), or a tag, comment,
    /// `<script>`/`<style>` element or CDATA marker, which starts with `<` and ends with `>` (CDATA's content is
    /// set off by `[` and `]`); or a character reference, which this checks first. So each place where a
    /// literal's search byte stands is followed outwards: a mismatch rules the place out, and a `<`, `&` or `]`
    /// ahead, or a `>`, `;` or `[` behind, leaves it possible.
    func mayMatchPlainText(of markup: String) -> Bool {
        guard !anchorsOnSpace else { return true }
        var markup = markup
        return markup.withUTF8 { text in
            if referencesMayMatter(in: text) { return true }
            return search(text) { probe, pool, position in
                Self.plainMayHold(probe, from: pool, at: position, in: text)
            }
        }
    }

    /// Whether a character reference in `text` stands for a byte of a literal (whitespace for a space), or for a
    /// character that folds into one.
    private func referencesMayMatter(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let position = text.find(byte: UInt8(ascii: "&"), from: from) {
            from = position + 1
            guard let reference = HTMLEntities.reference(in: text, at: position) else { continue }
            switch reference.replacement {
            case .scalar(let scalar):
                if matters(scalar) { return true }
            case .characters(let characters):
                if characters.unicodeScalars.contains(where: matters) { return true }
            }
        }
        return false
    }

    /// Whether a character a reference stands for may be part of a literal: a byte of one (whitespace counting
    /// as a space), or a character that folds into one.
    private func matters(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return folding.contains(scalar) }
        let byte = UInt8(scalar.value)
        return inLiterals[Int(PlainText.isWhitespace(byte) ? 0x20 : Self.lower(byte))]
    }

    /// Whether the literal of `probe`, whose search byte stands at `anchor` in `text`, may be in the plain text
    /// there (see `mayMatchPlainText`): ruled out when the bytes on either side of the anchor contradict it.
    private static func plainMayHold(
        _ probe: Probe, from pool: UnsafeBufferPointer<UInt8>, at anchor: Int, in text: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        walk(probe, pool, from: anchor, by: 1, in: text) && walk(probe, pool, from: anchor, by: -1, in: text)
    }

    /// Follows the literal from its search byte at `anchor` to one side (`step` 1: its end, -1: its start): false
    /// when a byte contradicts it; true when it all matches or markup is met first (a tag or reference, which
    /// the plain text may remove or turn into the literal's next byte).
    private static func walk(
        _ probe: Probe, _ pool: UnsafeBufferPointer<UInt8>, from anchor: Int, by step: Int,
        in text: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let ahead: (UInt8, UInt8, UInt8) = (UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "]"))
        let behind: (UInt8, UInt8, UInt8) = (UInt8(ascii: ">"), UInt8(ascii: ";"), UInt8(ascii: "["))
        let markup = step > 0 ? ahead : behind
        var index = anchor + step
        var wanted = probe.offset + step
        while wanted >= 0 && wanted < probe.count {
            guard index >= 0 && index < text.count else { return false }
            let byte = text[index]
            if byte == markup.0 || byte == markup.1 || byte == markup.2 { return true }
            if pool[probe.start + wanted] == 0x20 {
                guard PlainText.isWhitespace(byte) else { return false }
                while index >= 0 && index < text.count && PlainText.isWhitespace(text[index]) { index += step }
            } else {
                guard (probe.caseless ? lower(byte) : byte) == pool[probe.start + wanted] else { return false }
                index += step
            }
            wanted += step
        }
        return true
    }

    private static func equal(
        _ text: UnsafeBufferPointer<UInt8>, at index: Int, _ pool: UnsafeBufferPointer<UInt8>, _ start: Int,
        _ count: Int, caseless: Bool
    ) -> Bool {
        for offset in 0..<count {
            let byte = text[index + offset]
            if (caseless ? lower(byte) : byte) != pool[start + offset] { return false }
        }
        return true
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

    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
    static func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    /// Whether `literal` (ASCII, lower-cased) may match a character whose case folding is `folded`: it holds the
    /// whole of a one-letter folding; it holds a longer one, or ends with its start or starts with its end (the
    /// rest of the pattern may match the rest).
    private static func may(_ literal: [UInt8], match folded: [UInt8]) -> Bool {
        if folded.count == 1 { return literal.contains(folded[0]) }
        if contains(literal, folded) { return true }
        for length in 1..<folded.count {
            if literal.count >= length && literal.suffix(length).elementsEqual(folded.prefix(length)) { return true }
            if literal.count >= length && literal.prefix(length).elementsEqual(folded.suffix(length)) { return true }
        }
        return false
    }

    private static func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard bytes.count >= part.count else { return false }
        return (0...bytes.count - part.count).contains { bytes[$0..<$0 + part.count].elementsEqual(part) }
    }

    /// The characters outside ASCII whose case folding or case mappings contain ASCII letters (every one in
    /// Unicode's tables), with their full case folding as UTF-8 (for `ı`, whose capital is `I`: `i`).
    private static let foldsIntoASCII: [(utf8: [UInt8], folded: [UInt8])] = [
        ("\u{DF}", "ss"), ("\u{130}", "i\u{307}"), ("\u{131}", "i"), ("\u{149}", "\u{2BC}n"), ("\u{17F}", "s"),
        ("\u{1F0}", "j\u{30C}"), ("\u{1E96}", "h\u{331}"), ("\u{1E97}", "t\u{308}"), ("\u{1E98}", "w\u{30A}"),
        ("\u{1E99}", "y\u{30A}"), ("\u{1E9A}", "a\u{2BE}"), ("\u{1E9E}", "ss"), ("\u{212A}", "k"),
        ("\u{FB00}", "ff"), ("\u{FB01}", "fi"), ("\u{FB02}", "fl"), ("\u{FB03}", "ffi"), ("\u{FB04}", "ffl"),
        ("\u{FB05}", "st"), ("\u{FB06}", "st"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }
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
