/// Character data as feeds write it: XML's five entities, numeric references, and the HTML named references
/// that XML does not define but feeds use anyway (`&nbsp;`, `&eacute;`).
enum XMLText {
    /// Appends `raw` to `out` with every character reference decoded once.
    ///
    /// Forgiving where XML is not: an `&` that starts no known reference stays literally (`AT&T`), the HTML5 named
    /// references are known, numeric references are mapped as HTML5 maps them (`&#150;` is an en dash, invalid
    /// code points become U+FFFD), and the control characters XML 1.0 §2.2 forbids are dropped.
    ///
    /// The result is at most a fifth longer than `raw`: no reference is longer in UTF-8 than it is written but the
    /// HTML5 names like `&nGt;`, whose 5 bytes stand for 6.
    static func appendDecoded(_ raw: UnsafeBufferPointer<UInt8>, to out: inout some ByteSink) {
        let count = raw.count
        var runStart = 0
        var i = 0
        while true {
            i = ByteScan.firstSpecial(raw, from: i, UInt8(ascii: "&"), UInt8(ascii: "&"))
            guard i < count else { break }
            let byte = raw[i]
            if byte == 0x09 || byte == 0x0A {
                // Tab and line feed are the only other control characters XML allows: they stay in the run.
                i += 1
                continue
            }
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart..<i])) }
            if byte == UInt8(ascii: "&") {
                i = appendReference(raw, at: i, to: &out)
            } else if byte == 0x0D {
                // XML 1.0 §2.11: a carriage return, alone or before a line feed, is a line feed.
                out.append(0x0A)
                i += (i + 1 < count && raw[i + 1] == 0x0A) ? 2 : 1
            } else {
                i += 1
            }
            runStart = i
        }
        if runStart < count {
            if runStart == 0 {
                out.append(contentsOf: raw)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart..<count]))
            }
        }
    }

    /// Appends CDATA content: taken literally, except for the line ends and control characters XML does not allow.
    /// The result is never longer than `raw`.
    static func appendCDATA(_ raw: UnsafeBufferPointer<UInt8>, to out: inout some ByteSink) {
        var runStart = 0
        var i = 0
        let count = raw.count
        while true {
            i = ByteScan.firstSpecial(raw, from: i, 0x0D, 0x0D)
            guard i < count else { break }
            let byte = raw[i]
            if byte == 0x09 || byte == 0x0A {
                i += 1
                continue
            }
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart..<i])) }
            if byte == 0x0D {
                out.append(0x0A)
                i += (i + 1 < count && raw[i + 1] == 0x0A) ? 2 : 1
            } else {
                i += 1
            }
            runStart = i
        }
        if runStart == 0 {
            out.append(contentsOf: raw)
        } else if runStart < count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart..<count]))
        }
    }

    /// True when `appendDecoded` would copy `raw` as it is: no reference, no control character but tab and line feed.
    static func isPlain(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        hasOnlyTabsAndLineFeeds(raw, besides: UInt8(ascii: "&"))
    }

    /// True when `appendCDATA` would copy `raw` as it is: no control character but tab and line feed.
    static func isPlainCDATA(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        hasOnlyTabsAndLineFeeds(raw, besides: 0x0D)
    }

    /// True when the only bytes of `raw` below 0x20 or equal to `special` are tabs and line feeds.
    private static func hasOnlyTabsAndLineFeeds(_ raw: UnsafeBufferPointer<UInt8>, besides special: UInt8) -> Bool {
        var i = 0
        while true {
            i = ByteScan.firstSpecial(raw, from: i, special, special)
            guard i < raw.count else { return true }
            guard raw[i] == 0x09 || raw[i] == 0x0A else { return false }
            i += 1
        }
    }

    /// Decodes the reference starting with the `&` at `start`; returns the offset after it.
    private static func appendReference(
        _ raw: UnsafeBufferPointer<UInt8>, at start: Int, to out: inout some ByteSink
    ) -> Int {
        let count = raw.count
        var i = start + 1
        if i < count && raw[i] == UInt8(ascii: "#") {
            i += 1
            var hex = false
            if i < count && (raw[i] | 0x20) == UInt8(ascii: "x") {
                hex = true
                i += 1
            }
            let digitsStart = i
            var value: UInt32 = 0
            while i < count, let digit = digitValue(raw[i], hex: hex), i - digitsStart < 8 {
                value = value * (hex ? 16 : 10) + digit
                i += 1
            }
            guard i > digitsStart else {
                out.append(UInt8(ascii: "&"))
                return start + 1
            }
            if i < count && raw[i] == UInt8(ascii: ";") { i += 1 }
            appendScalar(HTMLEntities.character(forCodePoint: value), to: &out)
            return i
        }
        if let (text, length) = xmlEntity(raw, at: i) {
            out.append(text)
            return i + length
        }
        let nameStart = i
        while i < count, i - nameStart < 32, isNameByte(raw[i]) { i += 1 }
        guard i > nameStart else {
            out.append(UInt8(ascii: "&"))
            return start + 1
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: raw[nameStart..<i]), as: UTF8.self)
        if i < count && raw[i] == UInt8(ascii: ";") {
            if let text = xmlEntity(name) ?? HTMLEntities.characters(named: name) {
                for byte in text.utf8 { out.append(byte) }
                return i + 1
            }
        } else if HTMLEntities.allowsMissingSemicolon(name), let text = HTMLEntities.characters(named: name) {
            for byte in text.utf8 { out.append(byte) }
            return i
        }
        out.append(UInt8(ascii: "&"))
        return start + 1
    }

    /// XML's five predefined entities with their `;`, read from the bytes after `&` without making a string:
    /// escaped HTML in feeds is made of little else.
    @inline(__always)
    private static func xmlEntity(_ raw: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt8, Int)? {
        let remaining = raw.count - i
        guard remaining >= 3 else { return nil }
        let a = raw[i]
        let b = raw[i + 1]
        let c = raw[i + 2]
        if c == UInt8(ascii: ";") && b == UInt8(ascii: "t") {
            if a == UInt8(ascii: "l") { return (UInt8(ascii: "<"), 3) }
            if a == UInt8(ascii: "g") { return (UInt8(ascii: ">"), 3) }
        }
        guard remaining >= 4 else { return nil }
        if a == UInt8(ascii: "a") && b == UInt8(ascii: "m") && c == UInt8(ascii: "p") && raw[i + 3] == UInt8(ascii: ";") {
            return (UInt8(ascii: "&"), 4)
        }
        guard remaining >= 5, raw[i + 4] == UInt8(ascii: ";") else { return nil }
        let d = raw[i + 3]
        if a == UInt8(ascii: "q") && b == UInt8(ascii: "u") && c == UInt8(ascii: "o") && d == UInt8(ascii: "t") {
            return (UInt8(ascii: "\""), 5)
        }
        if a == UInt8(ascii: "a") && b == UInt8(ascii: "p") && c == UInt8(ascii: "o") && d == UInt8(ascii: "s") {
            return (UInt8(ascii: "'"), 5)
        }
        return nil
    }

    private static func xmlEntity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: return nil
        }
    }

    private static func appendScalar(_ character: Character, to out: inout some ByteSink) {
        for scalar in character.unicodeScalars {
            let v = scalar.value
            // XML 1.0 §2.2: a reference to a forbidden control character is as bad as the character itself.
            if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D { continue }
            for byte in scalar.utf8 { out.append(byte) }
        }
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
