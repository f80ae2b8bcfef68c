/// Sizes in feeds.json (`log_max_bytes`, `max_body_bytes`): a JSON whole number of bytes, or a string of a number
/// and a unit: `"512k"`, `"256MB"`, `"1GiB"`, `"1.5G"`. Units are case-insensitive and all powers of 1024, whether
/// written `k`, `KB` or `KiB` (as journald.conf and nginx read them), so `"256MB"` is the 256 MiB default.
enum ByteSizeSyntax {
    /// What a message says is expected.
    static let expected = "a size like 262144 (bytes), \"512k\", \"256MB\" or \"1GiB\""

    /// The largest size accepted; more is a typo.
    static let maximum = 1 << 40

    /// Why a value is not an acceptable size; the message names what was found.
    struct Problem: Error, Equatable {
        var message: String
    }

    /// Reads a field's value: a number of bytes or a size string, at least `minimum` and at most `maximum`.
    static func bytes(in value: JSONValue, minimum: Int) -> Result<Int, Problem> {
        let size: Double
        switch value {
        case .number(let literal):
            guard let number = Double(literal), number.rounded() == number else {
                return .failure(Problem(message: "expected \(expected), found \(value.summary)"))
            }
            size = number
        case .string(let text):
            guard let parsed = parse(text) else {
                return .failure(Problem(message: "expected \(expected), found \(value.summary)"))
            }
            size = parsed
        default:
            return .failure(Problem(message: "expected \(expected), found \(value.summary)"))
        }
        if size < Double(minimum) {
            let unit = minimum == 1 ? "byte" : "bytes"
            return .failure(Problem(message: "must be at least \(minimum) \(unit), found \(value.summary)"))
        }
        if size > Double(maximum) {
            return .failure(Problem(message: "must be at most 1TiB, found \(value.summary)"))
        }
        return .success(Int(size))
    }

    /// The bytes a size string stands for (fractions of a byte dropped), or nil when it is not one.
    static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        guard index > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > fractionStart else { return nil }
        }
        guard let number = Double(String(decoding: bytes[..<index], as: UTF8.self)),
            let multiplier = units[String(decoding: bytes[index...], as: UTF8.self).lowercased()]
        else { return nil }
        return (number * multiplier).rounded(.down)
    }

    private static let units: [String: Double] = [
        "": 1, "b": 1,
        "k": 0x400, "kb": 0x400, "kib": 0x400,
        "m": 0x10_0000, "mb": 0x10_0000, "mib": 0x10_0000,
        "g": 0x4000_0000, "gb": 0x4000_0000, "gib": 0x4000_0000,
        "t": 0x100_0000_0000, "tb": 0x100_0000_0000, "tib": 0x100_0000_0000,
    ]
}
