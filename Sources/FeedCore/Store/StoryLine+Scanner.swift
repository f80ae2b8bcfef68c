import Foundation

extension StoryLine {
    /// Reads the few fields of a story-log line that `StoryLine` holds, straight from the UTF-8 bytes.
    ///
    /// Replay after a crash and `feedd tail` read many lines and need five fields of each; JSONSerialization would
    /// build every field of every line as Foundation objects. The scanner checks the object's structure
    /// (RFC 8259 §4) loosely, skips values it does not need without decoding them, and gives up on anything that is
    /// not an object.
    struct Scanner {
        private let bytes: UnsafeBufferPointer<UInt8>
        private var index = 0

        private init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// The story on the line, or nil when the line is not a JSON object with string `feed` and `id` fields.
        static func read(_ line: UnsafeBufferPointer<UInt8>) -> StoryLine? {
            var reader = Scanner(line)
            return reader.readStory()
        }

        private mutating func readStory() -> StoryLine? {
            var feed: String?
            var feedTitle: String?
            var id: String?
            var title: String?
            var url: String?
            var found: String?
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            skipSpace()
            if !take(UInt8(ascii: "}")) {
                repeat {
                    skipSpace()
                    guard let key = rawString() else { return nil }
                    skipSpace()
                    guard take(UInt8(ascii: ":")) else { return nil }
                    skipSpace()
                    if isKey(key, "feed") {
                        feed = stringValue()
                    } else if isKey(key, "feed_title") {
                        feedTitle = stringValue()
                    } else if isKey(key, "id") {
                        id = stringValue()
                    } else if isKey(key, "title") {
                        title = stringValue()
                    } else if isKey(key, "url") {
                        url = stringValue()
                    } else if isKey(key, "found") {
                        found = stringValue()
                    } else if !skipValue() {
                        return nil
                    }
                    skipSpace()
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "}")) else { return nil }
            }
            skipSpace()
            guard index == bytes.count, let feed, let id else { return nil }
            return StoryLine(
                feed: FeedID(feed), feedTitle: feedTitle, id: id, title: title ?? "", url: url,
                found: found.flatMap { FeedDate.parse($0) })
        }

        // MARK: - Values

        /// A string value, decoded; nil for any other value, which is skipped.
        private mutating func stringValue() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                _ = skipValue()
                return nil
            }
            let start = index + 1
            guard let raw = rawString() else { return nil }
            guard raw.contains(where: { bytes[$0] == UInt8(ascii: "\\") }) else {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[raw]), as: UTF8.self)
            }
            return decodeEscapes(from: start, to: raw.upperBound)
        }

        /// Steps over a string and returns the range of its bytes between the quotes, still escaped.
        private mutating func rawString() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<(index - 1)
                case UInt8(ascii: "\\"):
                    index += 2
                default:
                    index += 1
                }
            }
            return nil
        }

        /// Steps over any value: a string, an object or array (nesting counted), or a bare number, `true`, `null`.
        private mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return rawString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard rawString() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default:
                        break
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < bytes.count, !Self.endsBareValue(bytes[index]) { index += 1 }
                return index > start
            }
        }

        /// Decodes the escapes of RFC 8259 §7 in the string between `start` and `end`; a lone surrogate becomes
        /// U+FFFD.
        private func decodeEscapes(from start: Int, to end: Int) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(end - start)
            var i = start
            while i < end {
                let byte = bytes[i]
                guard byte == UInt8(ascii: "\\"), i + 1 < end else {
                    out.append(byte)
                    i += 1
                    continue
                }
                i += 2
                switch bytes[i - 1] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = hex4(at: i, end: end).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
                    if let high = hex4(at: i, end: end), (0xD800..<0xDC00).contains(high) {
                        if i + 10 <= end, bytes[i + 4] == UInt8(ascii: "\\"), bytes[i + 5] == UInt8(ascii: "u"),
                            let low = hex4(at: i + 6, end: end), (0xDC00..<0xE000).contains(low)
                        {
                            scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                            i += 6
                        }
                    }
                    UTF8.encode(scalar) { out.append($0) }
                    i += 4
                default: out.append(bytes[i - 1])
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        // MARK: - Bytes

        private func hex4(at start: Int, end: Int) -> UInt32? {
            guard start + 4 <= end else { return nil }
            var value: UInt32 = 0
            for byte in bytes[start..<(start + 4)] {
                guard let digit = Self.hexValue(byte) else { return nil }
                value = value << 4 | digit
            }
            return value
        }

        private func isKey(_ range: Range<Int>, _ key: StaticString) -> Bool {
            guard range.count == key.utf8CodeUnitCount else { return false }
            return memcmp(bytes.baseAddress! + range.lowerBound, key.utf8Start, range.count) == 0
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipSpace() {
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        }

        private static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        }

        private static func endsBareValue(_ byte: UInt8) -> Bool {
            isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
        }

        private static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
    }
}
