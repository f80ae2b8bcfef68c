/// A JSON document as written (RFC 8259), for the configuration: object members keep their order, their
/// duplicates and where each key stands, and numbers keep their literal text. JSONDecoder would ignore unknown and
/// duplicate keys, and JSONSerialization turns `1` and `true` into the same NSNumber (docs/PLATFORM.md, "JSON"), so
/// neither can tell a user exactly what is wrong with feeds.json.
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text (RFC 8259 §6), so that `16`, `16.0` and `1.6e1` stay distinguishable.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// The members in document order, duplicates included.
    case object([Member])

    /// One `"key": value` of an object, with the line and column (both from 1) of the key's opening quote.
    struct Member: Equatable, Sendable {
        var key: String
        var value: JSONValue
        var line: Int
        var column: Int
    }

    /// Parses a whole document: one value, surrounded by whitespace only.
    /// - Throws: the first syntax error, with its line and column.
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(bytes)
    }

    /// How a message shows this value: strings quoted (and shortened), numbers and literals as written, containers
    /// by their kind.
    var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let literal): return literal
        case .string(let text):
            let limit = 60
            guard text.count > limit else { return Self.quoted(text) }
            return String(Self.quoted(String(text.prefix(limit))).dropLast()) + "…\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// `text` as a JSON string literal (RFC 8259 §7): so that a message quoting user input stays on one line.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Where and why a document is not JSON: `line 3, column 14: expected ',' or '}'`. Columns count characters
/// (Unicode scalars), as editors do, not bytes.
struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    var line: Int
    var column: Int
    var message: String

    var description: String { "line \(line), column \(column): \(message)" }
}
