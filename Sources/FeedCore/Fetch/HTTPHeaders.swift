/// HTTP header fields in order, looked up without regard to case (RFC 9110 §5.1). Setting a field replaces every
/// field of that name, so a feed's own `User-Agent` replaces feedd's whatever its spelling.
struct HTTPHeaders: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// One field as it will be sent or as it was received.
    struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    private(set) var fields: [Field] = []

    /// Fields in the order written; a later field replaces an earlier one of the same name.
    init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { self[name] = value }
    }

    /// Fields from a dictionary, in name order so that the result does not depend on hashing.
    init(_ dictionary: [String: String]) {
        for name in dictionary.keys.sorted() { self[name] = dictionary[name] }
    }

    /// The value of the first field named `name` in any case; setting nil removes the field.
    subscript(name: String) -> String? {
        get { fields.first { $0.name.lowercased() == name.lowercased() }?.value }
        set {
            let key = name.lowercased()
            let index = fields.firstIndex { $0.name.lowercased() == key }
            fields.removeAll { $0.name.lowercased() == key }
            guard let newValue else { return }
            fields.insert(Field(name: name, value: newValue), at: min(index ?? fields.count, fields.count))
        }
    }

    /// Sets every field of `other`, replacing fields of the same names.
    mutating func merge(_ other: HTTPHeaders) {
        for field in other.fields { self[field.name] = field.value }
    }
}
