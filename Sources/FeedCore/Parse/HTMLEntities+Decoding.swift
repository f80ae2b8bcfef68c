// MARK: - Decoding runs of HTML text

extension HTMLEntities {
    /// `raw` (UTF-8) with its character references decoded as the HTML tokenizer decodes them (WHATWG HTML
    /// §13.2.5.72-80). In an attribute value (§13.2.5.73) a named reference without its `;` stays literal before `=`
    /// or a letter or digit, so that `?a=1&copy=2` keeps its `&copy`; in text, `&copy2025` is `©2025`.
    static func decode(_ raw: UnsafeBufferPointer<UInt8>, inAttribute: Bool) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            guard raw[i] == UInt8(ascii: "&"), let reference = reference(in: raw, at: i) else {
                out.append(raw[i])
                i += 1
                continue
            }
            if inAttribute, raw[i + 1] != UInt8(ascii: "#"), raw[reference.end - 1] != UInt8(ascii: ";"),
                reference.end < raw.count,
                raw[reference.end] == UInt8(ascii: "=") || raw[reference.end].isReferenceNameByte
            {
                out.append(raw[i])
                i += 1
                continue
            }
            switch reference.replacement {
            case .scalar(let scalar): UTF8.encode(scalar) { out.append($0) }
            case .characters(let characters): out.append(contentsOf: characters.utf8)
            }
            i = reference.end
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension UInt8 {
    /// `0-9`, `A-Z`, `a-z`: the bytes after which an unterminated reference in an attribute stays literal.
    fileprivate var isReferenceNameByte: Bool {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            true
        default: false
        }
    }
}
