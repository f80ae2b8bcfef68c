import Foundation

/// A document's text as UTF-8 bytes, and how it was decoded.
struct DecodedDocument: Sendable, Equatable {
    /// Valid UTF-8, without a byte order mark.
    var bytes: [UInt8]
    /// The charset the bytes were decoded from, lowercased (`utf-8`, `windows-1252`, `utf-16le`, `koi8-r`, …).
    var charset: String
    /// What was repaired, one readable phrase each (`invalid UTF-8 at byte 1234 decoded as windows-1252`).
    var problems: [String]
}

/// Decodes feed documents from the charset they use (or claim to use) into UTF-8.
///
/// The order is that of XML 1.0 Appendix F: a byte order mark, then the XML declaration, else UTF-8. Labels are
/// read as the WHATWG Encoding Standard reads them, because feed authors check their feeds in browsers.
/// The text itself is left alone: the XML declaration stays as written and control characters stay in.
enum CharsetDecoder {
    /// Decodes `data`: byte order mark first, then the XML declaration's `encoding`, else UTF-8.
    static func decode(_ data: Data) -> DecodedDocument {
        data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            let decoding = decode(bytes)
            let text: [UInt8]
            switch decoding.text {
            case .input(let start): text = Array(bytes[start...])
            case .converted(let converted): text = converted
            }
            return DecodedDocument(bytes: text, charset: decoding.charset, problems: decoding.problems)
        }
    }

    /// Calls `body` with `data` decoded as `decode(_:)` decodes it, and the problems met; a document that is
    /// UTF-8 already (most are) is passed without a copy.
    /// - Parameter html: also read the charset an HTML page declares in a `<meta>` (`htmlMetaCharset`) when it has
    ///   no XML declaration, for pages that `feedd discover` reads.
    /// - Parameter charset: the charset the transport declared (HTTP `Content-Type`), which comes after a byte order
    ///   mark and before anything the document says (WHATWG HTML §13.2.3.1).
    static func withUTF8<Result>(
        of data: Data, html: Bool = false, charset: String? = nil,
        _ body: (UnsafeBufferPointer<UInt8>, _ problems: [String]) -> Result
    ) -> Result {
        data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            let decoding = decode(bytes, html: html, charset: charset)
            switch decoding.text {
            case .input(let start):
                return body(UnsafeBufferPointer(rebasing: bytes[start...]), decoding.problems)
            case .converted(let converted):
                return converted.withUnsafeBufferPointer { body($0, decoding.problems) }
            }
        }
    }

    /// What decoding found: the UTF-8 text, where it is, and what was repaired.
    private struct Decoding {
        enum Text {
            /// The input from this offset on (after a byte order mark) is valid UTF-8 as it is.
            case input(from: Int)
            case converted([UInt8])
        }

        var text: Text
        var charset: String
        var problems: [String]

        init(_ text: Text, charset: String, problems: [String] = []) {
            self.text = text
            self.charset = charset
            self.problems = problems
        }
    }

    /// Decodes `bytes` by the rules of `decode(_:)`; for an HTML page, a `<meta>` charset stands in for a missing
    /// XML declaration.
    private static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, html: Bool = false, charset transport: String? = nil
    ) -> Decoding {
        if let (charset, markLength) = byteOrderMark(bytes) {
            if charset == "utf-8" { return decodeUTF8(bytes, from: markLength, problems: []) }
            return decodeWide(UnsafeBufferPointer(rebasing: bytes[markLength...]), charset: charset, offset: markLength)
        }
        if let charset = unmarkedUTF32(bytes) ?? unmarkedUTF16(bytes) {
            return decodeWide(bytes, charset: charset, offset: 0)
        }
        if startsWithEBCDICDeclaration(bytes) {
            let charset = declaredEBCDICCharset(bytes)
            if let decoded = decodeWithIconv(bytes, from: charset, unitWidth: 1, offset: 0) {
                return Decoding(.converted(decoded.bytes), charset: charset.lowercased(), problems: decoded.problems)
            }
        }
        guard let declared = transport ?? declaredEncoding(bytes) ?? (html ? htmlMetaCharset(bytes) : nil) else {
            return decodeUTF8(bytes, from: 0, problems: [])
        }

        // WHATWG Encoding §4.2 "get an encoding": labels are compared without surrounding whitespace, in lowercase.
        let label = declared.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if utf8Labels.contains(label) { return decodeUTF8(bytes, from: 0, problems: []) }
        if windows1252Labels.contains(label) {
            return Decoding(.converted(decodeWindows1252(bytes)), charset: "windows-1252")
        }
        if isWideLabel(label) {
            // The declaration was just read as ASCII, so the label cannot be true; HTML's prescan reads UTF-8 then.
            let problem = "charset \"\(declared)\" declared in 8-bit text, read as UTF-8"
            return decodeUTF8(bytes, from: 0, problems: [problem])
        }
        let name = iconvNames[label] ?? label
        if isPlausibleLabel(name), let decoded = decodeWithIconv(bytes, from: name, unitWidth: 1, offset: 0) {
            return Decoding(.converted(decoded.bytes), charset: name.lowercased(), problems: decoded.problems)
        }
        if let python = pythonCodecName(label), isPlausibleLabel(python), !isWideLabel(python.lowercased()),
            let decoded = decodeWithIconv(bytes, from: python, unitWidth: 1, offset: 0)
        {
            return Decoding(.converted(decoded.bytes), charset: python.lowercased(), problems: decoded.problems)
        }
        return decodeUTF8(bytes, from: 0, problems: ["unknown charset \"\(declared)\", read as UTF-8"])
    }

    /// Decodes `bytes` from `start` on as UTF-8, reading invalid bytes as windows-1252, after the problems found
    /// so far.
    private static func decodeUTF8(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, problems: [String]
    ) -> Decoding {
        guard let repaired = repairUTF8(UnsafeBufferPointer(rebasing: bytes[start...]), offset: start) else {
            return Decoding(.input(from: start), charset: "utf-8", problems: problems)
        }
        return Decoding(.converted(repaired.bytes), charset: "utf-8", problems: problems + repaired.problems)
    }

    /// Decodes UTF-16 or UTF-32 text; an invalid code unit is skipped whole so the rest stays aligned.
    private static func decodeWide(_ bytes: UnsafeBufferPointer<UInt8>, charset: String, offset: Int) -> Decoding {
        let unitWidth = charset.hasPrefix("utf-32") ? 4 : 2
        guard let decoded = decodeWithIconv(bytes, from: charset, unitWidth: unitWidth, offset: offset) else {
            preconditionFailure("glibc iconv always knows \(charset)")
        }
        return Decoding(.converted(decoded.bytes), charset: charset, problems: decoded.problems)
    }

    // MARK: - Detection

    /// The charset a byte order mark names and the mark's length (Unicode §23.8, XML 1.0 Appendix F.1).
    static func byteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> (charset: String, length: Int)? {
        for (charset, mark) in byteOrderMarks where bytes.starts(with: mark) { return (charset, mark.count) }
        return nil
    }

    /// The byte order marks, longest first where one starts another.
    private static let byteOrderMarks: [(charset: String, mark: [UInt8])] = [
        ("utf-8", [0xEF, 0xBB, 0xBF]),
        // UTF-32LE's mark starts with UTF-16LE's.
        ("utf-32le", [0xFF, 0xFE, 0x00, 0x00]),
        ("utf-32be", [0x00, 0x00, 0xFE, 0xFF]),
        ("utf-16le", [0xFF, 0xFE]),
        ("utf-16be", [0xFE, 0xFF]),
    ]

    /// `utf-16le` or `utf-16be` when unmarked text starts with `<?` in UTF-16, after optional whitespace
    /// (XML 1.0 Appendix F.1, "without a byte order mark").
    static func unmarkedUTF16(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        for (charset, low) in [("utf-16le", 0), ("utf-16be", 1)] {
            var i = 0
            while i + 1 < bytes.count, bytes[i + 1 - low] == 0, isXMLWhitespace(bytes[i + low]) { i += 2 }
            guard i + 3 < bytes.count else { continue }
            let start = [bytes[i + low], bytes[i + 1 - low], bytes[i + 2 + low], bytes[i + 3 - low]]
            if start == [UInt8(ascii: "<"), 0, UInt8(ascii: "?"), 0] { return charset }
        }
        return nil
    }

    /// The `encoding` of an XML declaration (XML 1.0 §4.3.3) in the first kilobyte, as written.
    ///
    /// Lenient where feeds are: bytes before `<?xml`, any case, either quote.
    static func declaredEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let end = min(bytes.count, 1024)
        var i = 0
        // `<?xml` must be followed by whitespace, so `<?xml-stylesheet` does not count.
        while i + 5 < end, !(matches("<?xml", in: bytes, at: i) && isXMLWhitespace(bytes[i + 5])) { i += 1 }
        guard i + 5 < end else { return nil }
        i += 5
        while i < end, bytes[i] != UInt8(ascii: ">") {
            guard isXMLWhitespace(bytes[i - 1]), matches("encoding", in: bytes, at: i) else {
                i += 1
                continue
            }
            i += 8
            while i < end, isXMLWhitespace(bytes[i]) { i += 1 }
            guard i < end, bytes[i] == UInt8(ascii: "=") else { return nil }
            i += 1
            while i < end, isXMLWhitespace(bytes[i]) { i += 1 }
            guard i < end, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { return nil }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end, bytes[i] != quote, bytes[i] != UInt8(ascii: ">") { i += 1 }
            guard i < end, bytes[i] == quote else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<i]), as: UTF8.self)
        }
        return nil
    }

    /// True when `word` (lowercase ASCII) is at `offset` in `bytes`, in any case.
    private static func matches(_ word: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset + word.utf8CodeUnitCount <= bytes.count else { return false }
        for (k, expected) in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount).enumerated() {
            let byte = bytes[offset + k]
            let isLetter = expected >= UInt8(ascii: "a") && expected <= UInt8(ascii: "z")
            guard byte == expected || (isLetter && byte | 0x20 == expected) else { return false }
        }
        return true
    }

    /// XML 1.0 §2.3 `S`: space, tab, carriage return, line feed.
    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
