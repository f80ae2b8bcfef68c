/// The HTML5 named character references (WHATWG HTML §13.5), for text that feeds take from HTML.
enum HTMLEntities {
    /// The characters that `&name;` stands for; `name` excludes `&` and `;`. Nil when HTML5 defines no such name.
    static func characters(named name: some StringProtocol) -> String? {
        table[String(name)]
    }

    /// True for the legacy names HTML5 also accepts without the trailing semicolon (`&amp`, `&nbsp`, `&copy`, …).
    static func allowsMissingSemicolon(_ name: some StringProtocol) -> Bool {
        legacyNames.contains(String(name))
    }

    /// The character a numeric reference stands for, as HTML5 maps it: 0x80-0x9F through windows-1252
    /// (`&#150;` is an en dash), NUL, surrogates and values above 0x10FFFF become U+FFFD.
    static func character(forCodePoint value: UInt32) -> Character {
        Character(scalar(forCodePoint: value))
    }

    /// The scalar behind `character(forCodePoint:)`: the numeric character reference end state of
    /// WHATWG HTML §13.2.5.80, which keeps other controls and noncharacters (they are parse errors only).
    static func scalar(forCodePoint value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9F).contains(value) {
            return Unicode.Scalar(windows1252[Int(value - 0x80)])!
        }
        // `Unicode.Scalar` itself rejects surrogates and values above 0x10FFFF.
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    // MARK: - Reading references from UTF-8

    /// What a character reference stands for: one scalar for a numeric reference (kept apart so that the common
    /// `&#8217;` costs no `String`), the table's characters for a named one.
    enum Replacement {
        case scalar(Unicode.Scalar)
        case characters(String)
    }

    /// The character reference that starts at the `&` at `index` in `bytes`, as the HTML5 tokenizer reads one
    /// in text (WHATWG HTML §13.2.5.72-80): what it stands for and the index just past it.
    ///
    /// Nil when the `&` starts no reference and so stands for itself: `&foo;`, a bare `&`, `&#` without digits.
    /// A name without `;` is matched by its longest legacy prefix, as browsers do, so `&copy2025` is `©2025`.
    static func reference(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (replacement: Replacement, end: Int)?
    {
        let start = index + 1
        guard start < bytes.count else { return nil }
        if bytes[start] == UInt8(ascii: "#") {
            return numericReference(in: bytes, digitsAfter: start + 1)
        }
        var end = start
        while end < bytes.count, bytes[end].isASCIIAlphanumeric { end += 1 }
        guard end > start else { return nil }
        if end < bytes.count, bytes[end] == UInt8(ascii: ";"), end - start <= longestNameLength,
            let characters = table[String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)]
        {
            return (.characters(characters), end + 1)
        }
        // Legacy names are 2 to 6 letters; try the longest prefix first, as the tokenizer's longest match does.
        var length = min(end - start, longestLegacyNameLength)
        while length >= 2 {
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + length]), as: UTF8.self)
            if legacyNames.contains(name), let characters = table[name] {
                return (.characters(characters), start + length)
            }
            length -= 1
        }
        return nil
    }

    /// A decimal (`&#8212;`) or hexadecimal (`&#x2014;`) reference whose digits, or `x`, start at `index`;
    /// the closing `;` is optional in HTML5.
    private static func numericReference(
        in bytes: UnsafeBufferPointer<UInt8>,
        digitsAfter index: Int
    ) -> (replacement: Replacement, end: Int)? {
        var position = index
        var radix: UInt32 = 10
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "x") {
            radix = 16
            position += 1
        }
        let firstDigit = position
        var value: UInt32 = 0
        while position < bytes.count, let digit = digitValue(bytes[position], radix: radix) {
            // Saturate: every value past 0x10FFFF means U+FFFD, however many digits follow.
            value = min(value * radix + digit, 0x110000)
            position += 1
        }
        guard position > firstDigit else { return nil }
        if position < bytes.count, bytes[position] == UInt8(ascii: ";") { position += 1 }
        return (.scalar(scalar(forCodePoint: value)), position)
    }

    /// The value of an ASCII digit in base 10 or 16, nil for any other byte.
    private static func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: - Tables

    /// Name (without `;`) to characters, parsed once from the generated `namedTableText` (in about a millisecond).
    static let table: [String: String] = {
        var table = [String: String](minimumCapacity: generatedNameCount)
        var text = namedTableText
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let nameStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: " ") { index += 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<index]), as: UTF8.self)
                var characters = ""
                while index < bytes.count, bytes[index] == UInt8(ascii: " ") {
                    index += 1
                    var value: UInt32 = 0
                    while index < bytes.count, let digit = digitValue(bytes[index], radix: 16) {
                        value = value * 16 + digit
                        index += 1
                    }
                    // The generator wrote these from Python's table; a bad one is a broken build, not bad input.
                    characters.unicodeScalars.append(Unicode.Scalar(value)!)
                }
                table[name] = characters
                index += 1  // the line feed
            }
        }
        return table
    }()

    /// The names HTML5 also recognizes without `;`, parsed once from the generated `legacyNamesText`.
    static let legacyNames: Set<String> = Set(
        legacyNamesText.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    )

    /// The longest name in `table` (`CounterClockwiseContourIntegral`): longer runs of letters need no lookup.
    static let longestNameLength = 31

    /// The longest name in `legacyNames` (`frac12`, `middot`, …), which bounds the prefix search.
    static let longestLegacyNameLength = 6

    /// What 0x80-0x9F mean in a numeric reference: windows-1252, except the five bytes it leaves undefined,
    /// which stay C1 controls (WHATWG HTML §13.2.5.80, the table under "numeric character reference end state").
    private static let windows1252: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}

extension UInt8 {
    /// True for `0-9`, `A-Z` and `a-z`, the bytes of an HTML5 character reference name.
    fileprivate var isASCIIAlphanumeric: Bool {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            true
        default: false
        }
    }
}
