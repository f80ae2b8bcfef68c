/// Word-at-a-time scanning: the hot loops of the parser and the JSON writer skip eight plain bytes at once.
///
/// The bit tricks are the classic ones ("Bit Twiddling Hacks", haszero/hasless): a word has a byte below `n` when
/// `(w - n·0x01…01) & ~w & 0x80…80` is not zero, and a byte equal to `c` when `w ^ c·0x01…01` has a zero byte.
/// A borrow can flag bytes above the first match but never below it, so in a little-endian word the lowest flag
/// marks exactly the first special byte.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The offset of the first byte at or after `start` that is below 0x20 or equal to `a` or `b` (or `count`).
    @inline(__always)
    static func firstSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ a: UInt8, _ b: UInt8) -> Int {
        var i = start
        let count = bytes.count
        guard let base = bytes.baseAddress else { return count }
        let raw = UnsafeRawPointer(base)
        let patternA = ones &* UInt64(a)
        let patternB = ones &* UInt64(b)
        while i + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let below = (word &- ones &* 0x20) & ~word & highs
            let xa = word ^ patternA
            let xb = word ^ patternB
            let flags = below | ((xa &- ones) & ~xa & highs) | ((xb &- ones) & ~xb & highs)
            if flags != 0 { return i + flags.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < count {
            let byte = base[i]
            if byte < 0x20 || byte == a || byte == b { return i }
            i += 1
        }
        return count
    }
}
