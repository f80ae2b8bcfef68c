/// The general entities a document declares in its DOCTYPE's internal subset
/// (`<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]>`), expanded where the document refers to them (`&id;`).
///
/// Some feeds declare their own shorthands this way, and feedparser (through its XML parser) expands them. feedd
/// expands them before tokenizing, by substitution, which is what XML 1.0 §4.4 makes of an internal entity's
/// replacement text in content. Safe by construction against the attacks entities are known for:
/// - only entities whose value is a literal in the document are read; an external one (`SYSTEM`, `PUBLIC`) and
///   parameter entities (`%name;`) are ignored, so nothing outside the document is ever read (no XXE);
/// - the size of the whole expansion is computed first, each entity's once (memoized, cycles refused), without
///   building any of it; a document whose expansion would grow it by more than `growthLimit` bytes is expanded not
///   at all (billion laughs, quadratic blowup): its references stay as written and the reason is a problem.
enum InternalEntities {
    /// How many bytes expansion may add to a document. Real feeds use entities for a few words each.
    static let growthLimit = 1 << 20
    /// How many declarations are read; a document declaring more is not expanded.
    static let declarationLimit = 10_000

    struct Expansion {
        /// The expanded document, nil when nothing was expanded.
        var bytes: [UInt8]?
        var problems: [String]
    }

    /// Expands the internal general entities `document` declares, within the limits.
    static func expand(_ document: UnsafeBufferPointer<UInt8>) -> Expansion {
        guard let (subset, contentStart) = internalSubset(of: document) else { return Expansion(bytes: nil, problems: []) }
        guard let declared = declarations(in: document, subset), !declared.isEmpty else {
            return Expansion(bytes: nil, problems: declarationsProblem(document, subset))
        }
        var sizes: [String: Int] = [:]
        var visiting = Set<String>()
        // The size of every referenced entity's expansion, computed once each.
        func size(of name: String) -> Int? {
            if let known = sizes[name] { return known }
            guard let value = declared[name], visiting.insert(name).inserted else { return nil }
            defer { visiting.remove(name) }
            var total = 0
            for piece in pieces(of: value) {
                switch piece {
                case .text(let count): total += count
                case .reference(let inner, let raw):
                    if declared[inner] != nil {
                        guard let innerSize = size(of: inner) else { return nil }
                        total += innerSize
                    } else {
                        total += raw
                    }
                }
                if total > growthLimit { return nil }
            }
            sizes[name] = total
            return total
        }

        // First pass: count the growth, without building anything.
        var growth = 0
        var references = 0
        var failed: String?
        scanContent(document, from: contentStart) { name, rawLength, _ in
            guard declared[name] != nil else { return true }
            guard let expanded = size(of: name) else {
                failed = "entity &\(name); refers to itself or expands beyond \(growthLimit) bytes"
                return false
            }
            references += 1
            growth += expanded - rawLength
            if growth > growthLimit {
                failed = "entity expansion would add more than \(growthLimit) bytes"
                return false
            }
            return true
        }
        if let failed { return Expansion(bytes: nil, problems: [failed + "; internal entities left unexpanded"]) }
        guard references > 0 else { return Expansion(bytes: nil, problems: []) }

        // Second pass: build the expanded document, now known to be bounded.
        var expansions: [String: [UInt8]] = [:]
        func expansion(of name: String) -> [UInt8] {
            if let known = expansions[name] { return known }
            var out: [UInt8] = []
            let value = declared[name] ?? []
            value.withUnsafeBufferPointer { buffer in
                var i = 0
                while i < buffer.count {
                    if buffer[i] == UInt8(ascii: "&"), let (inner, end) = entityName(in: buffer, at: i),
                        declared[inner] != nil
                    {
                        out += expansion(of: inner)
                        i = end
                    } else {
                        out.append(buffer[i])
                        i += 1
                    }
                }
            }
            expansions[name] = out
            return out
        }
        var out: [UInt8] = []
        out.reserveCapacity(document.count + max(growth, 0))
        var copied = 0
        scanContent(document, from: contentStart) { name, rawLength, at in
            guard declared[name] != nil else { return true }
            out += document[copied..<at]
            out += expansion(of: name)
            copied = at + rawLength
            return true
        }
        out += document[copied...]
        return Expansion(bytes: out, problems: [])
    }

    // MARK: - The internal subset

    /// The range of the internal subset (between `[` and `]`) of the document's DOCTYPE, and the offset where the
    /// DOCTYPE ends; nil when the document has no DOCTYPE before its first element, or one without a subset.
    static func internalSubset(of bytes: UnsafeBufferPointer<UInt8>) -> (subset: Range<Int>, end: Int)? {
        var i = 0
        // Only the prolog: the XML declaration, comments, processing instructions, white space.
        while i < bytes.count {
            guard let lt = bytes.find(byte: UInt8(ascii: "<"), from: i) else { return nil }
            if bytes.matches("<?", at: lt) {
                guard let end = bytes.find("?>", from: lt + 2) else { return nil }
                i = end + 2
            } else if bytes.matches("<!--", at: lt) {
                guard let end = bytes.find("-->", from: lt + 4) else { return nil }
                i = end + 3
            } else if bytes.matchesIgnoringCase("<!DOCTYPE", at: lt) {
                return subset(ofDoctypeAt: lt + 9, in: bytes)
            } else {
                return nil
            }
        }
        return nil
    }

    private static func subset(ofDoctypeAt start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (subset: Range<Int>, end: Int)? {
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = bytes.find(byte: bytes[i], from: i + 1) else { return nil }
                i = close + 1
            case UInt8(ascii: ">"):
                return nil  // a DOCTYPE without an internal subset
            case UInt8(ascii: "["):
                guard let close = endOfSubset(in: bytes, from: i + 1),
                    let gt = bytes.find(byte: UInt8(ascii: ">"), from: close + 1)
                else { return nil }
                return ((i + 1)..<close, gt + 1)
            default:
                i += 1
            }
        }
        return nil
    }

    /// The offset of the `]` that ends an internal subset starting at `start`: quoted literals and comments may
    /// hold a `]` of their own.
    private static func endOfSubset(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = bytes.find(byte: bytes[i], from: i + 1) else { return nil }
                i = close + 1
            case UInt8(ascii: "<") where bytes.matches("<!--", at: i):
                guard let close = bytes.find("-->", from: i + 4) else { return nil }
                i = close + 3
            case UInt8(ascii: "]"):
                return i
            default:
                i += 1
            }
        }
        return nil
    }

    /// The internal general entities declared in `subset`, by name (the first declaration of a name wins, as
    /// XML 1.0 §4.2 says); nil when there are more than `declarationLimit`.
    static func declarations(in bytes: UnsafeBufferPointer<UInt8>, _ subset: Range<Int>) -> [String: [UInt8]]? {
        var declared: [String: [UInt8]] = [:]
        var count = 0
        var i = subset.lowerBound
        while let lt = bytes.find("<!ENTITY", from: i, before: subset.upperBound) {
            count += 1
            guard count <= declarationLimit else { return nil }
            i = lt + 8
            guard i < subset.upperBound, isSpace(bytes[i]) else { continue }
            while i < subset.upperBound, isSpace(bytes[i]) { i += 1 }
            if i < subset.upperBound, bytes[i] == UInt8(ascii: "%") { continue }  // a parameter entity
            let nameStart = i
            while i < subset.upperBound, isNameByte(bytes[i]) { i += 1 }
            guard i > nameStart else { continue }
            let name = bytes.string(nameStart, i)
            while i < subset.upperBound, isSpace(bytes[i]) { i += 1 }
            // A literal value; `SYSTEM` and `PUBLIC` (external entities) are never read.
            guard i < subset.upperBound, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'"),
                let close = bytes.find(byte: bytes[i], from: i + 1, before: subset.upperBound)
            else { continue }
            // The five predefined entities keep their meaning (XML 1.0 §4.6).
            if declared[name] == nil && !["lt", "gt", "amp", "apos", "quot"].contains(name) {
                declared[name] = Array(bytes[(i + 1)..<close])
            }
            i = close + 1
        }
        return declared
    }

    private static func declarationsProblem(_ bytes: UnsafeBufferPointer<UInt8>, _ subset: Range<Int>) -> [String] {
        declarations(in: bytes, subset) == nil
            ? ["more than \(declarationLimit) entity declarations; internal entities left unexpanded"] : []
    }

    // MARK: - References

    private enum Piece {
        case text(count: Int)
        case reference(name: String, rawLength: Int)
    }

    /// An entity value as runs of text and entity references.
    private static func pieces(of value: [UInt8]) -> [Piece] {
        value.withUnsafeBufferPointer { buffer in
            var pieces: [Piece] = []
            var run = 0
            var i = 0
            while i < buffer.count {
                if buffer[i] == UInt8(ascii: "&"), let (name, end) = entityName(in: buffer, at: i) {
                    if run > 0 { pieces.append(.text(count: run)) }
                    run = 0
                    pieces.append(.reference(name: name, rawLength: end - i))
                    i = end
                } else {
                    run += 1
                    i += 1
                }
            }
            if run > 0 { pieces.append(.text(count: run)) }
            return pieces
        }
    }

    /// The name of the entity reference `&name;` at `amp` and the offset past its `;`; nil for a character
    /// reference or a bare `&`.
    private static func entityName(in bytes: UnsafeBufferPointer<UInt8>, at amp: Int) -> (String, Int)? {
        var i = amp + 1
        while i < bytes.count, i - amp <= 64, isNameByte(bytes[i]) { i += 1 }
        guard i > amp + 1, i < bytes.count, bytes[i] == UInt8(ascii: ";"), bytes[amp + 1] != UInt8(ascii: "#")
        else { return nil }
        return (bytes.string(amp + 1, i), i + 1)
    }

    /// Calls `body` with every entity reference (name, length, offset) in the document's content from `start` on,
    /// outside comments and CDATA sections (where `&` is literal), until it returns false.
    private static func scanContent(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (String, Int, Int) -> Bool
    ) {
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "<") {
                if bytes.matches("<!--", at: i) {
                    i = bytes.find("-->", from: i + 4).map { $0 + 3 } ?? bytes.count
                    continue
                }
                if bytes.matches("<![CDATA[", at: i) {
                    i = bytes.find("]]>", from: i + 9).map { $0 + 3 } ?? bytes.count
                    continue
                }
                i += 1
            } else if byte == UInt8(ascii: "&") {
                if let (name, end) = entityName(in: bytes, at: i) {
                    guard body(name, end - i, i) else { return }
                    i = end
                } else {
                    i += 1
                }
            } else {
                guard let next = nextMarkup(in: bytes, from: i + 1) else { return }
                i = next
            }
        }
    }

    /// The next `<` or `&` at or after `start`.
    private static func nextMarkup(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") { return i }
            i += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// A byte of an XML name, ASCII letters, digits, `_-.:` and any byte of a non-ASCII character.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: ":"), 0x80...0xFF:
            true
        default:
            false
        }
    }
}
