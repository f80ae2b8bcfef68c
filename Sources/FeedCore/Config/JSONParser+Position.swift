/// Moving through the bytes while keeping the line and column, and the errors that name them.
extension JSONParser {
    /// The byte `ahead` of the current one, or nil past the end.
    func peek(_ ahead: Int = 0) -> UInt8? {
        offset + ahead < bytes.count ? bytes[offset + ahead] : nil
    }

    /// Skips RFC 8259 whitespace (space, tab, LF, CR), counting lines: LF, CR LF and a lone CR each end one.
    mutating func skipWhitespace() {
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09:
                offset += 1
            case 0x0A:
                offset += 1
                newLine()
            case 0x0D:
                offset += 1
                if peek() != 0x0A { newLine() }
            default:
                return
            }
        }
    }

    /// Starts counting columns afresh: the current byte begins a line.
    private mutating func newLine() {
        line += 1
        markOffset = offset
        markColumn = 1
    }

    /// The column of the current byte: characters since the line's start, counting from the last known point.
    mutating func column() -> Int {
        for index in markOffset..<offset where bytes[index] & 0xC0 != 0x80 {
            markColumn += 1
        }
        markOffset = offset
        return markColumn
    }

    /// Moves from the start to `target`, counting lines as whitespace would; for an error found before parsing.
    mutating func advance(to target: Int) {
        while offset < target {
            let byte = bytes[offset]
            offset += 1
            if byte == 0x0A || (byte == 0x0D && peek() != 0x0A) {
                newLine()
            }
        }
    }

    /// An error at the current byte.
    mutating func failure(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: column(), message: message)
    }

    /// "expected …" at the current byte, with a hint for the mistakes JSON by hand invites.
    mutating func expected(_ what: String) -> JSONSyntaxError {
        switch peek() {
        case nil: return failure("expected \(what), found the end of the file")
        case UInt8(ascii: "/"): return failure("expected \(what) (JSON has no comments)")
        case UInt8(ascii: "'"): return failure("expected \(what) (strings take double quotes)")
        default: return failure("expected \(what)")
        }
    }

    /// The offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629), or nil.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// Whether `byte` is an ASCII digit.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The value of an ASCII hexadecimal digit, or nil.
    static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
