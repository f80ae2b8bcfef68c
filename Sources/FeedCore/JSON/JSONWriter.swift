import Foundation

/// Writes JSON with keys in the order given: JSONEncoder's key order changes from run to run and the contract
/// fixes one (docs/PLATFORM.md, "JSON"). Slashes are not escaped, non-ASCII text is written as UTF-8, and absent
/// values are written as `null`.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Ends a line of JSON Lines (https://jsonlines.org): the next value starts a new document.
    mutating func endLine() {
        bytes.append(0x0A)
        needsComma = false
    }

    /// Forgets what was written, keeping the storage for what comes next.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":`; the value written next belongs to it.
    mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes `"key":` for a key known only at run time (a feed's id), escaped like any string.
    mutating func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String?) {
        separate()
        guard var value else {
            bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
            return
        }
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ value: Int?) {
        separate()
        guard let value else {
            bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            return
        }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A whole number as an integer (`900`, as JSONEncoder writes `900.0`), any other as Swift's shortest text that
    /// reads back the same; JSON has no infinity or NaN, which are written as `null`.
    mutating func double(_ value: Double) {
        separate()
        guard value.isFinite else {
            bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            return
        }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            bytes.append(contentsOf: String(Int(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    mutating func numbers(_ values: [Int]) {
        beginArray()
        for value in values { number(value) }
        endArray()
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    mutating func date(_ value: Date?) {
        guard let value else { return string(nil) }
        separate()
        bytes.append(UInt8(ascii: "\""))
        // The text of a date has nothing to escape.
        FeedDate.withFormatted(value) { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// RFC 8259 §7: quote, backslash and control characters are escaped; everything else is copied.
    ///
    /// The text before the first byte to escape is copied at once, and most strings have none. The rest is escaped a
    /// piece at a time into a stack buffer and each piece is copied once, rather than appending a run and an escape
    /// for every quote and line break of a story's HTML.
    private mutating func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        var start = ByteScan.firstSpecial(text, from: 0, UInt8(ascii: "\""), UInt8(ascii: "\\"))
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<start]))
        guard start < text.count else { return }
        // An escape is at most six bytes (`\u001f`) for one, so a piece never outgrows six times its length.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6 * Self.pieceLength) { memory in
            while start < text.count {
                let piece = UnsafeBufferPointer(rebasing: text[start..<min(start + Self.pieceLength, text.count)])
                var escaped = ByteBuffer(memory)
                var i = 0
                while i < piece.count {
                    let special = ByteScan.firstSpecial(piece, from: i, UInt8(ascii: "\""), UInt8(ascii: "\\"))
                    escaped.append(contentsOf: UnsafeBufferPointer(rebasing: piece[i..<special]))
                    guard special < piece.count else { break }
                    Self.appendEscape(of: piece[special], to: &escaped)
                    i = special + 1
                }
                bytes.append(contentsOf: escaped.written)
                start += piece.count
            }
        }
    }

    /// How many bytes of text `appendEscaped` escapes at a time.
    private static let pieceLength = 4096

    /// Appends the escape of `byte`: a quote, a backslash or a control character.
    private static func appendEscape(of byte: UInt8, to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            out.append(UInt8(ascii: "u"))
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "0"))
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
