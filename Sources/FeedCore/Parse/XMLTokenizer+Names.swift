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
        for span in spans where span.nameEnd - span.nameStart >= 5 && matches("xmlns", at: span.nameStart) {
            let length = span.nameEnd - span.nameStart
            let prefix: String
            if length == 5 {
                prefix = ""
            } else if bytes[span.nameStart + 5] == UInt8(ascii: ":") {
                prefix = string(span.nameStart + 6, span.nameEnd)
            } else {
                continue
            }
            let uri = string(span.valueStart, span.valueEnd).trimmingASCIISpaces()
            bindings.append((prefix, uri.isEmpty ? .none : XMLNamespace(uri: uri)))
            declared += 1
        }
        return declared
    }

    /// The namespace and local name of the qualified name at `start..<end`.
    func resolve(_ start: Int, _ end: Int, isAttribute: Bool) -> XMLElementName {
        var colon = start
        while colon < end, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
        if colon == end {
            return XMLElementName(namespace: isAttribute ? .none : namespace(forPrefix: ""), localName: string(start, end))
        }
        let prefix = string(start, colon)
        return XMLElementName(namespace: namespace(forPrefix: prefix), localName: string(colon + 1, end))
    }

    private func namespace(forPrefix prefix: String) -> XMLNamespace {
        for binding in bindings.reversed() where binding.prefix == prefix { return binding.namespace }
        if prefix.isEmpty { return .none }
        return XMLNamespace(conventionalPrefix: prefix) ?? .other
    }

    // MARK: - Byte helpers

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    func find(byte: UInt8, from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        let base = bytes.baseAddress!
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    func find(_ needle: StaticString, from start: Int) -> Int? {
        let first = needle.utf8Start.pointee
        var i = start
        while let candidate = find(byte: first, from: i) {
            if matches(needle, at: candidate) { return candidate }
            i = candidate + 1
        }
        return nil
    }

    func matches(_ needle: StaticString, at offset: Int) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard offset + n <= bytes.count else { return false }
        return memcmp(bytes.baseAddress! + offset, needle.utf8Start, n) == 0
    }

    func matches(_ needle: [UInt8], at offset: Int) -> Bool {
        guard offset + needle.count <= bytes.count else { return false }
        return needle.withUnsafeBufferPointer { memcmp(bytes.baseAddress! + offset, $0.baseAddress!, needle.count) == 0 }
    }

    func matchesIgnoringCase(_ needle: StaticString, at offset: Int) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard offset + n <= bytes.count else { return false }
        for k in 0..<n where bytes[offset + k] | 0x20 != needle.utf8Start[k] | 0x20 { return false }
        return true
    }

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
    /// The string without leading and trailing ASCII white space.
    func trimmingASCIISpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }) else { return "" }
        let last = utf8.lastIndex(where: { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return self }
        return String(self[first...last])
    }
}
