#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension XMLTokenizer {
    // MARK: - Namespaces (Namespaces in XML 1.0 §5)

    /// Pushes the bindings the current start tag declares (`xmlns`, `xmlns:p`); returns how many.
    mutating func declareNamespaces() -> Int {
        var declared = 0
        for span in spans where span.nameEnd - span.nameStart >= 5 && bytes.matches("xmlns", at: span.nameStart) {
            // Every element looks its prefix up among the bindings in scope: a hostile document declaring
            // thousands would make that quadratic. Real feeds declare a dozen.
            guard bindings.count < Self.maximumBindings else { break }
            let prefix: Range<Int>
            if span.nameEnd - span.nameStart == 5 {
                prefix = span.nameEnd..<span.nameEnd
            } else if bytes[span.nameStart + 5] == UInt8(ascii: ":") {
                prefix = (span.nameStart + 6)..<span.nameEnd
            } else {
                continue
            }
            let uri = bytes.string(span.valueStart, span.valueEnd).trimmingASCIISpaces()
            bindings.declare(prefix: prefix, as: uri.isEmpty ? .none : XMLNamespace(uri: uri))
            declared += 1
        }
        return declared
    }

    // MARK: - Byte classes

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// Whether a name ends before `byte`: white space, `>`, `/` (of `/>`), or a control character.
    @inline(__always)
    static func endsName(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
    }

    /// XML 1.0 §2.3 NameStartChar, loosely: a letter, `_`, `:` or any non-ASCII byte.
    @inline(__always)
    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
    }
}

extension String {
    /// The UTF-8 `bytes` without leading and trailing ASCII white space, trimmed before the string is made so
    /// that no second copy is needed.
    init(trimmingASCIISpacesOf bytes: UnsafeBufferPointer<UInt8>) {
        self.init(checkedUTF8: bytes.trimmingASCIISpaces())
    }

    /// A string of the UTF-8 `bytes`, as `String(decoding:as:)` makes it (an ill-formed sequence becomes U+FFFD).
    ///
    /// Well-formed bytes, which text from a decoded document always is, are checked by
    /// `CharsetDecoder.firstInvalidUTF8` and then copied without the standard library checking them again: its check
    /// goes a byte at a time and took a tenth of `feedd parse`'s time on feeds with non-ASCII text, several times
    /// what ours takes, which skips ASCII sixteen bytes at a time. Only bytes that passed our check (Unicode table
    /// 3-7, exactly what the standard library accepts) are ever handed over unchecked.
    init(checkedUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        if #available(macOS 26, *), !bytes.isEmpty, CharsetDecoder.firstInvalidUTF8(bytes, from: 0) == nil {
            self.init(copying: unsafe UTF8Span(unchecked: bytes.span))
        } else {
            self.init(decoding: bytes, as: UTF8.self)
        }
    }

    /// The string without leading and trailing ASCII white space.
    func trimmingASCIISpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }) else { return "" }
        let last = utf8.lastIndex(where: { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return self }
        return String(self[first...last])
    }
}
