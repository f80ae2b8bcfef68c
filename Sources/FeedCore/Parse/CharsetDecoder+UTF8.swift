// MARK: - UTF-8 validation and repair

extension CharsetDecoder {
    /// Reads each byte of `bytes` that starts no well-formed UTF-8 sequence as windows-1252, since mislabelled
    /// feeds are nearly always Latin-1 or windows-1252.
    ///
    /// - Parameter offset: where `bytes` start in the document, for the problem's byte position.
    /// - Returns: valid UTF-8, and one problem naming the first invalid byte and how many there were; nil when
    ///   `bytes` are well-formed UTF-8 already.
    static func repairUTF8(
        _ bytes: UnsafeBufferPointer<UInt8>, offset: Int
    ) -> (bytes: [UInt8], problems: [String])? {
        guard let firstInvalid = firstInvalidUTF8(bytes, from: 0) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var runStart = 0
        var invalid: Int? = firstInvalid
        var invalidCount = 0
        while let bad = invalid {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bad]))
            // An invalid byte is never ASCII, and the bytes of a broken sequence are each read on their own:
            // a Latin-1 `é` followed by a letter is one byte, not a truncated three-byte sequence.
            appendWindows1252(bytes[bad], to: &out)
            invalidCount += 1
            runStart = bad + 1
            invalid = firstInvalidUTF8(bytes, from: runStart)
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        let plural = invalidCount == 1 ? "" : "s"
        let problem =
            "invalid UTF-8 at byte \(offset + firstInvalid) decoded as windows-1252 (\(invalidCount) byte\(plural))"
        return (out, [problem])
    }

    /// The offset of the first byte at or after `start` that does not begin a well-formed UTF-8 sequence
    /// (Unicode §3.9, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let count = bytes.count
        var i = start
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 {
                i = endOfASCII(bytes, from: i)
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF:
                length = 2
            case 0xE0...0xEF:
                length = 3
                if lead == 0xE0 { low = 0xA0 }  // below: overlong
                if lead == 0xED { high = 0x9F }  // above: UTF-16 surrogates
            case 0xF0...0xF4:
                length = 4
                if lead == 0xF0 { low = 0x90 }  // below: overlong
                if lead == 0xF4 { high = 0x8F }  // above: beyond U+10FFFF
            default:
                return i  // a continuation byte, an overlong lead (C0, C1) or a lead beyond U+10FFFF (F5–FF)
            }
            guard i + length <= count else { return i }
            let second = bytes[i + 1]
            guard second >= low && second <= high else { return i }
            if length > 2 {
                guard bytes[i + 2] & 0xC0 == 0x80 else { return i }
                if length > 3 {
                    guard bytes[i + 3] & 0xC0 == 0x80 else { return i }
                }
            }
            i += length
        }
        return nil
    }

    /// The offset of the first byte at or after `start` that is not ASCII, or `bytes.count`.
    ///
    /// Checks 16 bytes per step: feeds are mostly ASCII markup, and this loop is what makes decoding fast.
    static func endOfASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while i + 16 <= bytes.count {
            // Little-endian words put the byte at the lowest address in the lowest bits, for trailingZeroBitCount.
            let first = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let second = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            if (first | second) & highBits != 0 {
                let firstHigh = first & highBits
                if firstHigh != 0 { return i + firstHigh.trailingZeroBitCount / 8 }
                return i + 8 + (second & highBits).trailingZeroBitCount / 8
            }
            i += 16
        }
        while i < bytes.count && base[i] < 0x80 { i += 1 }
        return i
    }
}
