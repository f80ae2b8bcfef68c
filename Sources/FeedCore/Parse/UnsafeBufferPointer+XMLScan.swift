#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The searches the tokenizer makes in the document.
///
/// They live on the bytes rather than on `XMLTokenizer`: calling a non-mutating tokenizer method from its mutating
/// scan copies the whole tokenizer, handler and all, on every call.
extension UnsafeBufferPointer<UInt8> {
    /// The bytes without leading and trailing ASCII white space (those `String.trimmingASCIISpaces` removes).
    func trimmingASCIISpaces() -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = count
        while start < end, self[start] == 0x20 || (self[start] >= 0x09 && self[start] <= 0x0D) { start += 1 }
        while end > start, self[end - 1] == 0x20 || (self[end - 1] >= 0x09 && self[end - 1] <= 0x0D) { end -= 1 }
        return UnsafeBufferPointer(rebasing: self[start..<end])
    }

    /// The bytes at `start..<end` as a string.
    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: self[start..<end]), as: UTF8.self)
    }

    /// The offset of the first `byte` at or after `start` and before `end` (the end of the buffer by default).
    func find(byte: UInt8, from start: Int, before end: Int? = nil) -> Int? {
        let end = Swift.min(end ?? count, count)
        guard start < end, let base = baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The offset of the first `needle` that starts at or after `start` (and before `end`, when given).
    func find(_ needle: StaticString, from start: Int, before end: Int? = nil) -> Int? {
        let first = needle.utf8Start.pointee
        var i = start
        while let candidate = find(byte: first, from: i, before: end) {
            if matches(needle, at: candidate) { return candidate }
            i = candidate + 1
        }
        return nil
    }

    func matches(_ needle: StaticString, at offset: Int) -> Bool {
        matches(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), at: offset)
    }

    func matches(_ needle: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, offset + needle.count <= count else { return false }
        guard let base = baseAddress, let needleBase = needle.baseAddress else { return needle.isEmpty }
        return memcmp(base + offset, needleBase, needle.count) == 0
    }

    func matchesIgnoringCase(_ needle: StaticString, at offset: Int) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard offset + n <= count else { return false }
        for k in 0..<n where self[offset + k] | 0x20 != needle.utf8Start[k] | 0x20 { return false }
        return true
    }

    /// Whether a `<![CDATA[` starts at or after `start` and before `end`. Looked for by its `[` rather than its `<`:
    /// a CDATA section of HTML has a `<` at every tag but seldom a `[`.
    func hasCDATAStart(from start: Int, before end: Int) -> Bool {
        var i = start + 2
        while let bracket = find(byte: UInt8(ascii: "["), from: i, before: end + 2) {
            if matches("<![CDATA[", at: bracket - 2) { return true }
            i = bracket + 1
        }
        return false
    }

    /// The offset after a DOCTYPE whose name starts at `start`, skipping its internal subset and quoted strings.
    func endOfDoctype(from start: Int) -> Int? {
        var i = start
        var depth = 0
        while i < count {
            switch self[i] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = find(byte: self[i], from: i + 1) else { return nil }
                i = close
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0: return i + 1
            default: break
            }
            i += 1
        }
        return nil
    }

    /// Where the first end tag of the element named by the bytes at `name` starts, searching from `start`.
    func endTag(named name: Range<Int>, from start: Int) -> Int? {
        let nameBytes = UnsafeBufferPointer(rebasing: self[name])
        var i = start
        while let lt = find(byte: UInt8(ascii: "<"), from: i) {
            if lt + 1 < count, self[lt + 1] == UInt8(ascii: "/"), matches(nameBytes, at: lt + 2) { return lt }
            i = lt + 1
        }
        return nil
    }
}
