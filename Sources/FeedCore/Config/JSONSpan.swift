/// A parsed JSON value with the bytes it spans in its document, and the same for everything it holds: what
/// `ConfigEditor` needs to insert text beside a value, and to copy the whitespace around it, without ever
/// re-serializing the document.
struct JSONSpan: Equatable {
    /// One value's place as `JSONParser` records it, in document order.
    struct Recorded: Equatable {
        /// From the value's first byte (`{`, `[`, `"`, `-`, a digit or a letter) to just past its last.
        var range: Range<Int>
        /// For a member of an object: its key's bytes, quotes included.
        var keyRange: Range<Int>?
    }

    var value: JSONValue
    var range: Range<Int>
    /// For a member of an object: its key, and the key's bytes, quotes included.
    var key: String?
    var keyRange: Range<Int>?
    /// An array's elements, or an object's members (duplicates included), in document order; empty otherwise.
    var children: [JSONSpan]

    /// Parses a whole document.
    /// - Throws: the first syntax error, as `JSONValue.parse` words it.
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONSpan {
        let (value, recorded) = try JSONParser.parseWithRanges(bytes)
        var next = 0
        return build(value, key: nil, recorded: recorded, next: &next)
    }

    /// The span of `value`, whose record is `recorded[next]`; its children's records follow it.
    private static func build(_ value: JSONValue, key: String?, recorded: [Recorded], next: inout Int) -> JSONSpan {
        let own = recorded[next]
        next += 1
        var children: [JSONSpan] = []
        switch value {
        case .array(let elements):
            children = elements.map { build($0, key: nil, recorded: recorded, next: &next) }
        case .object(let members):
            children = members.map { build($0.value, key: $0.key, recorded: recorded, next: &next) }
        default:
            break
        }
        return JSONSpan(value: value, range: own.range, key: key, keyRange: own.keyRange, children: children)
    }

    /// The first member named `key` of an object; nil for other values.
    func member(_ key: String) -> JSONSpan? {
        guard case .object = value else { return nil }
        return children.first { $0.key == key }
    }
}
