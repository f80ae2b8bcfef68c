import Foundation

/// The typed readers: each returns the value, or records a problem saying what was expected and what was found
/// and returns nil (the caller then keeps the default, which is never used since the decode fails).
extension ConfigDecoder {
    /// The largest count accepted: more is a typo, and it keeps every count well inside `Int`.
    static let maximumCount = 1_000_000_000

    /// `true` or `false`.
    mutating func bool(_ value: JSONValue, at path: String) -> Bool? {
        guard case .bool(let flag) = value else {
            report(at: path, "expected true or false, found \(value.summary)")
            return nil
        }
        return flag
    }

    /// A string.
    /// - Parameters:
    ///   - nonEmpty: whether `""` is a problem.
    ///   - header: whether the text goes into an HTTP header, whose values cannot hold control characters
    ///     (RFC 9110 §5.5: a line break would end the header).
    mutating func string(_ value: JSONValue, at path: String, nonEmpty: Bool = false, header: Bool = false) -> String? {
        guard case .string(let text) = value else {
            report(at: path, "expected a string, found \(value.summary)")
            return nil
        }
        if nonEmpty && text.isEmpty {
            report(at: path, "must not be empty")
            return nil
        }
        if header && text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            report(at: path, "must not contain line breaks or other control characters, found \(value.summary)")
            return nil
        }
        return text
    }

    /// A whole number from `minimum` to `maximumCount`; `16.0` and `1e3` count as whole.
    mutating func integer(_ value: JSONValue, at path: String, minimum: Int) -> Int? {
        guard case .number(let literal) = value, let number = Double(literal), number.rounded() == number else {
            report(at: path, "expected a whole number, found \(value.summary)")
            return nil
        }
        guard number >= Double(minimum) else {
            report(at: path, "must be at least \(minimum), found \(value.summary)")
            return nil
        }
        guard number <= Double(Self.maximumCount) else {
            report(at: path, "must be at most \(Self.maximumCount), found \(value.summary)")
            return nil
        }
        return Int(number)
    }

    /// Seconds, in `DurationSyntax`.
    mutating func duration(_ value: JSONValue, at path: String, bound: DurationSyntax.Bound) -> TimeInterval? {
        switch DurationSyntax.seconds(in: value, bound: bound) {
        case .success(let seconds):
            return seconds
        case .failure(let problem):
            report(at: path, problem.message)
            return nil
        }
    }

    /// Bytes, in `ByteSizeSyntax`.
    mutating func byteSize(_ value: JSONValue, at path: String, minimum: Int) -> Int? {
        switch ByteSizeSyntax.bytes(in: value, minimum: minimum) {
        case .success(let bytes):
            return bytes
        case .failure(let problem):
            report(at: path, problem.message)
            return nil
        }
    }

    /// An array of non-empty strings; each bad element is its own problem.
    mutating func strings(_ value: JSONValue, at path: String) -> [String]? {
        guard case .array(let elements) = value else {
            report(at: path, "expected an array of strings, found \(value.summary)")
            return nil
        }
        var texts: [String] = []
        for (index, element) in elements.enumerated() {
            if let text = string(element, at: Self.path(path, index), nonEmpty: true) { texts.append(text) }
        }
        return texts.count == elements.count ? texts : nil
    }
}
