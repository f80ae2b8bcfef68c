import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the URLs of a feed absolute: against `xml:base`, then the document's URL (RFC 3986 §5.2).
enum LinkResolver {
    /// `reference` resolved against `base`; the reference itself when it is absolute or cannot be resolved.
    static func resolve(_ reference: String, against base: URL?) -> String {
        let trimmed = reference.trimmingASCIISpaces()
        guard let base, !hasScheme(trimmed.utf8) else { return trimmed }
        // A network-path reference (`//cdn.example/a.jpg`) in a local file means the web, not `file://cdn.example`.
        if base.isFileURL && trimmed.hasPrefix("//") { return "https:" + trimmed }
        // Against a relative base (`xml:base="m"` with no document URL) Foundation resolves `.` and `..` to "".
        guard let resolved = url(trimmed, against: base)?.absoluteString, !resolved.isEmpty else { return trimmed }
        return resolved
    }

    /// `reference` as a URL, resolved against `base` when it is relative.
    static func url(_ reference: String, against base: URL?) -> URL? {
        let trimmed = reference.trimmingASCIISpaces()
        if let url = URL(string: trimmed, relativeTo: base) { return url.absoluteURL }
        // Feeds put spaces and other unescaped characters into links; escape them rather than lose the link.
        guard let escaped = trimmed.addingPercentEncoding(withAllowedCharacters: allowedInURL) else { return nil }
        return URL(string: escaped, relativeTo: base)?.absoluteURL
    }

    /// `html` with the relative `href` and `src` attribute values made absolute against `base`.
    static func resolveHTML(_ html: String, against base: URL?) -> String {
        guard let base else { return html }
        var html = html
        let replacements = html.withUTF8 { relativeAttributeValues(in: $0) }
        guard !replacements.isEmpty else { return html }
        // Built from slices of `html` and resolved links, which are valid strings already: no byte is checked again,
        // and each byte is copied once. The ranges start and end at ASCII bytes, so they cut no character.
        let utf8 = html.utf8
        var result = ""
        result.reserveCapacity(utf8.count + 64 * replacements.count)
        var copied = utf8.startIndex
        for range in replacements {
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
            result += html[copied..<start]
            result += resolve(String(html[start..<end]), against: base)
            copied = end
        }
        result += html[copied...]
        return result
    }

    /// The byte ranges of `href="…"` and `src="…"` values that are relative references.
    private static func relativeAttributeValues(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let count = bytes.count
        guard let base = bytes.baseAddress else { return [] }
        var i = 0
        while i < count, let found = memchr(base + i, Int32(UInt8(ascii: "=")), count - i) {
            i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            let isHref = i >= 4 && matchesName(bytes, end: i, "href")
            let isSrc = !isHref && i >= 3 && matchesName(bytes, end: i, "src")
            i += 1
            guard isHref || isSrc else { continue }
            while i < count, bytes[i] == 0x20 { i += 1 }
            guard i < count else { break }
            let quote = bytes[i]
            let start: Int
            var end: Int
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                start = i + 1
                end = start
                while end < count, bytes[end] != quote { end += 1 }
            } else {
                start = i
                end = start
                while end < count, bytes[end] > 0x20, bytes[end] != UInt8(ascii: ">") { end += 1 }
            }
            let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if !value.isEmpty && value[0] != UInt8(ascii: "#") && !hasScheme(value) {
                ranges.append(start..<end)
            }
            i = end
        }
        return ranges
    }

    /// Whether the attribute name just before the `=` at `end` is `name` (any case), preceded by a space.
    private static func matchesName(_ bytes: UnsafeBufferPointer<UInt8>, end: Int, _ name: StaticString) -> Bool {
        var nameEnd = end
        while nameEnd > 0, bytes[nameEnd - 1] == 0x20 { nameEnd -= 1 }
        let n = name.utf8CodeUnitCount
        guard nameEnd >= n + 1 else { return false }
        // From the last letter back: most `=` belong to other attributes, and their last letter tells at once.
        for k in (0..<n).reversed() where bytes[nameEnd - n + k] | 0x20 != name.utf8Start[k] { return false }
        let before = bytes[nameEnd - n - 1]
        return before == 0x20 || before == 0x0A || before == 0x09 || before == 0x0D
    }

    /// RFC 3986 §3.1: a scheme is a letter followed by letters, digits, `+`, `-`, `.`, then `:`.
    private static func hasScheme<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var first = true
        for byte in bytes {
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            if byte == UInt8(ascii: ":") { return !first }
            if first {
                guard letter else { return false }
                first = false
            } else if !(letter || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "."))
            {
                return false
            }
        }
        return false
    }

    private static let allowedInURL: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.insert(charactersIn: "#%")
        return set
    }()
}
