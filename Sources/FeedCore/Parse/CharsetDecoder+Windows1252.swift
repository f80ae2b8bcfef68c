// MARK: - windows-1252 (WHATWG Encoding Standard, index-windows-1252)

extension CharsetDecoder {
    /// The code points of bytes 0x80–0x9F. The five bytes Microsoft left undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    /// map to the C1 control of the same value, as in the WHATWG index; 0xA0–0xFF are U+00A0–U+00FF.
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Decodes all of `bytes` as windows-1252; every byte has a meaning, so nothing is ever invalid.
    static func decodeWindows1252(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        var i = 0
        while i < bytes.count {
            let asciiEnd = endOfASCII(bytes, from: i)
            if asciiEnd > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<asciiEnd])) }
            guard asciiEnd < bytes.count else { break }
            appendWindows1252(bytes[asciiEnd], to: &out)
            i = asciiEnd + 1
        }
        return out
    }

    /// Appends the UTF-8 of the windows-1252 byte `byte`, which is 0x80 or above.
    static func appendWindows1252(_ byte: UInt8, to out: inout [UInt8]) {
        let scalar = byte < 0xA0 ? windows1252High[Int(byte) - 0x80] : UInt16(byte)
        if scalar < 0x800 {
            out.append(0xC0 | UInt8(scalar >> 6))
            out.append(0x80 | UInt8(scalar & 0x3F))
        } else {
            out.append(0xE0 | UInt8(scalar >> 12))
            out.append(0x80 | UInt8((scalar >> 6) & 0x3F))
            out.append(0x80 | UInt8(scalar & 0x3F))
        }
    }
}
