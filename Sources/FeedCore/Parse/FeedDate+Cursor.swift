extension FeedDate {
    /// A read position in the UTF-8 bytes of a date, with the scans both grammars share.
    struct Cursor {
        private let bytes: UnsafeBufferPointer<UInt8>
        private(set) var index: Int
        private let end: Int

        /// Starts at the first byte that is not white space and stops before the trailing white space.
        init(trimming bytes: UnsafeBufferPointer<UInt8>) {
            var start = 0
            var end = bytes.count
            while start < end, Self.isSpace(bytes[start]) { start += 1 }
            while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
            self.bytes = bytes
            self.index = start
            self.end = end
        }

        /// Whether every byte has been read.
        var isAtEnd: Bool { index >= end }

        /// The byte under the cursor, nil at the end.
        var current: UInt8? { index < end ? bytes[index] : nil }

        /// The byte `offset` places after the cursor, nil past the end.
        func byte(at offset: Int) -> UInt8? { index + offset < end ? bytes[index + offset] : nil }

        /// Whether the byte `offset` places ahead is an ASCII digit.
        func isDigit(at offset: Int) -> Bool { byte(at: offset).map(Self.isDigit) ?? false }

        /// Moves past `count` bytes.
        mutating func advance(by count: Int = 1) { index += count }

        /// Consumes `byte` when it is under the cursor.
        mutating func skip(_ byte: Unicode.Scalar) -> Bool {
            guard current == UInt8(ascii: byte) else { return false }
            index += 1
            return true
        }

        /// Moves past spaces, tabs and line breaks.
        mutating func skipSpaces() {
            while let byte = current, Self.isSpace(byte) { index += 1 }
        }

        /// Reads a run of ASCII digits; the value keeps the first 18 so it cannot overflow, the count is the whole
        /// run, and callers reject runs of the wrong length.
        mutating func digits() -> (value: Int, count: Int) {
            var value = 0
            var count = 0
            while let byte = current, Self.isDigit(byte) {
                if count < 18 { value = value * 10 + Int(byte &- UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            return (value, count)
        }

        /// Reads the digits after a decimal mark as a fraction of a second; any number of digits (RFC 3339 §5.6
        /// `time-secfrac`), of which the first nine (nanoseconds) count.
        mutating func fraction() -> Double {
            var value = 0
            var scale = 1
            while let byte = current, Self.isDigit(byte) {
                if scale < 1_000_000_000 {
                    value = value * 10 + Int(byte &- UInt8(ascii: "0"))
                    scale *= 10
                }
                index += 1
            }
            return Double(value) / Double(scale)
        }

        /// Reads a signed numeric zone, `+hh`, `+h`, `+hhmm`, `+hmm`, `+hh:mm` or `+h:mm`, as seconds east of UTC;
        /// nil when it is malformed or beyond ±23:59.
        mutating func offset() -> Int? {
            guard let sign = current, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            index += 1
            let (value, count) = digits()
            var hours = value
            var minutes = 0
            switch count {
            case 1, 2:
                if skip(":") {
                    let (value, count) = digits()
                    guard count == 2 else { return nil }
                    minutes = value
                }
            case 3, 4:
                hours = value / 100
                minutes = value % 100
            default:
                return nil
            }
            guard hours < 24, minutes < 60 else { return nil }
            let seconds = hours * 3600 + minutes * 60
            return sign == UInt8(ascii: "-") ? -seconds : seconds
        }

        /// Reads a run of letters as a lowercase key. Bytes of non-ASCII characters count as letters so that
        /// `Mär` and `févr` can be looked up; ASCII letters are folded to lowercase.
        mutating func word() -> WordKey {
            var key = WordKey()
            while let byte = current, Self.isLetter(byte) {
                key.append(byte >= 0x80 ? byte : byte | 0x20)
                index += 1
            }
            return key
        }

        /// Whether `byte` is an ASCII digit.
        static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

        /// Whether `byte` is an ASCII letter or part of a non-ASCII character.
        static func isLetter(_ byte: UInt8) -> Bool { byte >= 0x80 || (byte | 0x20) &- UInt8(ascii: "a") < 26 }

        /// Whether `byte` is a space, tab or line break.
        static func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        }
    }
}
