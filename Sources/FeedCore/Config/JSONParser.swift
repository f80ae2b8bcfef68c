/// A recursive-descent reader of RFC 8259 JSON into `JSONValue`, tracking line and column for every key and
/// every error. Strict: no comments, no trailing commas, no single quotes (each gets its own hint, because
/// hand-edited configs are where they turn up); a UTF-8 byte order mark is skipped (RFC 8259 §8.1 allows that).
struct JSONParser {
    /// Deeper documents are refused rather than risk the stack; feeds.json needs 4 levels.
    static let maximumDepth = 128

    /// The one-letter escapes of RFC 8259 §7 and the byte each stands for.
    private static let simpleEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
        UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
    ]

    let bytes: [UInt8]
    var offset = 0
    var line = 1
    /// A point on the current line whose column is known, so that columns are counted incrementally.
    var markOffset = 0
    var markColumn = 1
    /// Every value's byte range in document order (a container before what it holds), when asked for by
    /// `parseWithRanges`; nil otherwise, so that loading a config records nothing.
    var ranges: [JSONSpan.Recorded]?
    /// The range of the key whose value is parsed next, for `ranges`.
    private var pendingKey: Range<Int>?

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON value surrounded by whitespace only.
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.document()
    }

    /// Parses like `parse`, and also returns every value's byte range in document order (see `JSONSpan`).
    static func parseWithRanges(_ bytes: [UInt8]) throws(JSONSyntaxError) -> (JSONValue, [JSONSpan.Recorded]) {
        var parser = JSONParser(bytes: bytes)
        parser.ranges = []
        let value = try parser.document()
        return (value, parser.ranges ?? [])
    }

    /// Reads a document that is one object, handing each member to `body` as soon as it is read: a large object
    /// (every feed's state) is never held as one tree, only one member's at a time. Whatever `body` throws ends the
    /// reading and is thrown as it is.
    static func forEachMember<Failure: Error>(
        ofObjectIn bytes: [UInt8], _ body: (JSONValue.Member) throws(Failure) -> Void
    ) throws(MemberReadError<Failure>) {
        var parser = JSONParser(bytes: bytes)
        var rejection: Failure?
        do throws(JSONSyntaxError) {
            try parser.start()
            guard parser.peek() == UInt8(ascii: "{") else { throw parser.expected("an object") }
            parser.offset += 1
            parser.skipWhitespace()
            var done = parser.peek() == UInt8(ascii: "}")
            if done { parser.offset += 1 }
            while !done {
                let member = try parser.member(depth: 1)
                do throws(Failure) {
                    try body(member)
                } catch {
                    rejection = error
                    break
                }
                done = try parser.endOfObject()
            }
            if rejection == nil { try parser.finish() }
        } catch {
            throw .syntax(error)
        }
        if let rejection { throw .rejected(rejection) }
    }

    /// Why `forEachMember` stopped: the document's syntax, or what the caller's body threw.
    enum MemberReadError<Failure: Error>: Error {
        case syntax(JSONSyntaxError)
        case rejected(Failure)
    }

    /// The whole document: one value, surrounded by whitespace only.
    private mutating func document() throws(JSONSyntaxError) -> JSONValue {
        try start()
        let root = try value(depth: 0)
        try finish()
        return root
    }

    /// Checks the encoding, skips a byte order mark and the whitespace before the value.
    private mutating func start() throws(JSONSyntaxError) {
        if let invalid = Self.firstInvalidUTF8(in: bytes) {
            advance(to: invalid)
            throw failure("not valid UTF-8 (JSON text must be UTF-8)")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            offset = 3
            markOffset = 3
        }
        skipWhitespace()
        if offset == bytes.count { throw failure("the file is empty; expected a JSON value") }
    }

    /// After the value: only whitespace may follow.
    private mutating func finish() throws(JSONSyntaxError) {
        skipWhitespace()
        if offset < bytes.count { throw failure("unexpected text after the end of the JSON value") }
    }

    // MARK: - Values

    /// Any value, from its first byte; its range recorded when `ranges` are kept.
    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard ranges != nil else { return try bareValue(depth: depth) }
        let index = ranges!.count
        ranges!.append(JSONSpan.Recorded(range: offset..<offset, keyRange: pendingKey))
        pendingKey = nil
        let value = try bareValue(depth: depth)
        ranges![index].range = ranges![index].range.lowerBound..<offset
        return value
    }

    /// Any value, from its first byte.
    private mutating func bareValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard let byte = peek() else { throw expected("a value") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            throw failure("expected a value (text needs double quotes; literals are true, false and null)")
        default: throw expected("a value")
        }
    }

    /// An object from its `{` (RFC 8259 §4), keeping every member with the position of its key.
    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        if depth > Self.maximumDepth { throw failure("nested more than \(Self.maximumDepth) levels deep") }
        offset += 1
        skipWhitespace()
        var members: [JSONValue.Member] = []
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            members.append(try member(depth: depth))
            if try endOfObject() { return .object(members) }
        }
    }

    /// One `"key": value` of an object, from its key's opening quote.
    private mutating func member(depth: Int) throws(JSONSyntaxError) -> JSONValue.Member {
        guard peek() == UInt8(ascii: "\"") else {
            if peek() == UInt8(ascii: "}") {
                throw failure("expected a key in double quotes (no comma after the last member)")
            }
            throw expected("a key in double quotes")
        }
        let keyColumn = column()
        let keyLine = line
        let keyStart = offset
        let key = try string()
        if ranges != nil { pendingKey = keyStart..<offset }
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw expected("':' after the key") }
        offset += 1
        skipWhitespace()
        let value = try value(depth: depth)
        return JSONValue.Member(key: key, value: value, line: keyLine, column: keyColumn)
    }

    /// After a member: true at the object's `}`, false after a `,` (the next member follows).
    private mutating func endOfObject() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","):
            offset += 1
            skipWhitespace()
            return false
        case UInt8(ascii: "}"):
            offset += 1
            return true
        default:
            throw expected("',' or '}'")
        }
    }

    /// An array from its `[` (RFC 8259 §5).
    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        if depth > Self.maximumDepth { throw failure("nested more than \(Self.maximumDepth) levels deep") }
        offset += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            if peek() == UInt8(ascii: "]") { throw failure("expected a value (no comma after the last element)") }
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                offset += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                offset += 1
                return .array(elements)
            default:
                throw expected("',' or ']'")
            }
        }
    }

    /// A string from its opening quote (RFC 8259 §7). The input is valid UTF-8 (checked up front), so the bytes
    /// between escapes are copied as they are.
    private mutating func string() throws(JSONSyntaxError) -> String {
        offset += 1
        var out: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x0A, 0x0D:
                throw failure("a string must end on its line (a '\"' missing?)")
            case ..<0x20:
                throw failure("a control character in a string must be escaped, like \\t")
            default:
                out.append(byte)
                offset += 1
            }
        }
        throw failure("a string is not closed at the end of the file")
    }

    /// One escape from its backslash, appended as UTF-8; a surrogate pair makes one scalar (RFC 8259 §7).
    private mutating func escape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        let start = offset
        offset += 1
        guard let byte = peek() else { throw failure("a string is not closed at the end of the file") }
        if let replacement = Self.simpleEscapes[byte] {
            out.append(replacement)
            offset += 1
            return
        }
        guard byte == UInt8(ascii: "u") else {
            throw failure("unknown escape; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX")
        }
        offset += 1
        var scalar = try hex4()
        if (0xD800..<0xE000).contains(scalar) {
            // A high surrogate must be followed by an escaped low one; together they name one scalar.
            var low: UInt32 = 0
            if scalar < 0xDC00, peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") {
                offset += 2
                low = try hex4()
            }
            guard (0xDC00..<0xE000).contains(low) else {
                offset = start
                throw failure("\\u escape of a lone surrogate")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
    }

    /// The 4 hexadecimal digits of a `\u` escape.
    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexDigit(byte) else {
                throw failure("\\u needs 4 hexadecimal digits")
            }
            value = value << 4 | digit
            offset += 1
        }
        return value
    }

    /// A number (RFC 8259 §6), returned as its literal text.
    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        if peek() == UInt8(ascii: "0") {
            offset += 1
            if let next = peek(), Self.isDigit(next) { throw failure("a number must not start with 0") }
        } else {
            try digits(after: "'-'")
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            try digits(after: "'.'")
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            try digits(after: "the exponent")
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// One or more digits, which must follow `what`.
    private mutating func digits(after what: String) throws(JSONSyntaxError) {
        guard let first = peek(), Self.isDigit(first) else { throw expected("a digit after \(what)") }
        while let byte = peek(), Self.isDigit(byte) { offset += 1 }
    }

    /// `true`, `false` or `null`, spelled exactly.
    private mutating func literal(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes[offset...].starts(with: expected) else {
            throw failure("expected a value (text needs double quotes; literals are true, false and null)")
        }
        offset += expected.count
        return value
    }
}
