/// Repairs the two kinds of mojibake that UTF-8 feeds carry, where the repair is unambiguous, as feedparser does:
/// - UTF-8 encoded twice (read as windows-1252 or Latin-1, then written out as UTF-8 again): `ordenÃ³` for
///   `ordenó`, `â€¦` for `…`. A text is repaired only when every one of its non-ASCII characters maps back to one
///   byte (Latin-1, or windows-1252's punctuation) and those bytes are valid UTF-8, which real text almost never is
///   by chance (`Ã` followed by `©` is not a word); a text with one character that is not mojibake is left whole.
/// - C1 control characters (U+0080–U+009F), which no text means and which are windows-1252 punctuation written as
///   Latin-1 (`\u{92}` for `’`): read as windows-1252.
///
/// Applied to the text fields of a document read as UTF-8 or windows-1252 (as feedparser does: a document in
/// another charset is what it says), never to guids or URLs, which identify stories and stay as the feed gives them.
enum Mojibake {
    /// The feed with its text fields repaired.
    static func repair(_ feed: inout ParsedFeed) {
        repair(&feed.title)
        repair(&feed.description)
        for index in feed.items.indices {
            repair(&feed.items[index].title)
            repair(&feed.items[index].author)
            repair(&feed.items[index].summary)
            repair(&feed.items[index].content)
            if feed.items[index].categories.contains(where: mayNeedRepair) {
                feed.items[index].categories = feed.items[index].categories.map(repaired)
            }
        }
    }

    private static func repair(_ text: inout String?) {
        guard let value = text, mayNeedRepair(value) else { return }
        text = repaired(value)
    }

    /// `text` repaired, or as it is when it needs no repair or the repair is not certain.
    static func repaired(_ text: String) -> String {
        guard mayNeedRepair(text) else { return text }
        var result = undoingDoubleEncoding(text) ?? text
        if result.unicodeScalars.contains(where: isC1) {
            var scalars = String.UnicodeScalarView()
            for scalar in result.unicodeScalars {
                if isC1(scalar), let mapped = Unicode.Scalar(CharsetDecoder.windows1252High[Int(scalar.value) - 0x80]) {
                    scalars.append(mapped)
                } else {
                    scalars.append(scalar)
                }
            }
            result = String(scalars)
        }
        return result
    }

    /// Whether `text` holds a sign of mojibake, told from its UTF-8 bytes in one pass with no allocation: a C1
    /// control (`C2 80`–`C2 9F`), or a Latin-1 letter that leads a double-encoded sequence (`Â`–`ô`, `C3 82`–`C3 B4`)
    /// followed at once by a character that was a continuation byte (U+0080–U+00BF, `C2 xx`) or windows-1252
    /// punctuation (`E2 80 xx`, `C5 xx`, `C6 92`, `CB xx`). Correct text with accents or no-break spaces has
    /// neither, and costs only the pass.
    static func mayNeedRepair(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let bytes = buffer.baseAddress else { return false }
            let raw = UnsafeRawPointer(bytes)
            var i = 0
            let count = buffer.count
            while i + 1 < count {
                // Eight ASCII bytes at a time: most of a feed's text is ASCII.
                if i + 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                let byte = bytes[i]
                if byte == 0xC2 {
                    if bytes[i + 1] < 0xA0 { return true }
                } else if byte == 0xC3, bytes[i + 1] >= 0x82, bytes[i + 1] <= 0xB4, i + 2 < count {
                    switch bytes[i + 2] {
                    case 0xC2, 0xC5, 0xC6, 0xCB, 0xE2: return true
                    default: break
                    }
                }
                i += 1
            }
            return false
        }
    }

    /// The text with one layer of "UTF-8 read as windows-1252" undone; nil when it is not that.
    private static func undoingDoubleEncoding(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var sawLead = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x100 {
                if value >= 0xC2 && value <= 0xF4 { sawLead = true }
                bytes.append(UInt8(value))
            } else if let byte = windows1252Byte[value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        guard sawLead, let decoded = String(validating: bytes, as: UTF8.self), decoded != text else { return nil }
        return decoded
    }

    private static func isC1(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0x80 && scalar.value < 0xA0 }

    /// The windows-1252 byte of each character that windows-1252 puts in 0x80–0x9F.
    private static let windows1252Byte: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (offset, scalar) in CharsetDecoder.windows1252High.enumerated() where scalar >= 0x100 {
            map[UInt32(scalar)] = UInt8(0x80 + offset)
        }
        return map
    }()
}
