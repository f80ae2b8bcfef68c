import Foundation

/// Durations in feeds.json (README.md, "feeds.json"): a JSON number of seconds, or a string of one or more
/// number-unit pairs: `"90s"`, `"15m"`, `"2h"`, `"1d"`, `"1h30m"`, `"500ms"`, `"1.5h"`. Units are `ms`, `s`, `m`,
/// `h` and `d`, lower case (an upper-case `M` would read as months); every pair needs its unit.
enum DurationSyntax {
    /// What a message says is expected.
    static let expected = "a duration like \"90s\", \"15m\", \"2h\", \"1d\", \"1h30m\" or a number of seconds"

    /// The longest duration accepted: longer ones are typos, and nanosecond timers overflow near 292 years.
    static let maximum: TimeInterval = 365 * 86_400

    /// The smallest value a field takes.
    enum Bound: Equatable, Sendable {
        /// 0 or more (`per_host_delay`).
        case nonNegative
        /// More than 0 (`timeout`).
        case positive
        /// At least this many seconds (`interval`).
        case atLeast(TimeInterval)
    }

    /// Why a value is not an acceptable duration; the message names what was found.
    struct Problem: Error, Equatable {
        var message: String
    }

    /// Reads a field's value: a number of seconds or a duration string, within `bound` and `maximum`.
    static func seconds(in value: JSONValue, bound: Bound) -> Result<TimeInterval, Problem> {
        let seconds: TimeInterval
        switch value {
        case .number(let literal):
            guard let number = Double(literal), number.isFinite else {
                return .failure(Problem(message: "must be at most \(format(maximum)), found \(value.summary)"))
            }
            seconds = number
        case .string(let text):
            if let parsed = parse(text) {
                seconds = parsed
            } else if text.hasPrefix("-"), parse(String(text.dropFirst())) != nil {
                return .failure(Problem(message: "must not be negative, found \(value.summary)"))
            } else {
                return .failure(Problem(message: "expected \(expected), found \(value.summary)"))
            }
        default:
            return .failure(Problem(message: "expected \(expected), found \(value.summary)"))
        }
        if seconds < 0 { return .failure(Problem(message: "must not be negative, found \(value.summary)")) }
        switch bound {
        case .nonNegative:
            break
        case .positive where seconds == 0:
            return .failure(Problem(message: "must be more than 0, found \(value.summary)"))
        case .atLeast(let minimum) where seconds < minimum:
            return .failure(Problem(message: "must be at least \(format(minimum)), found \(value.summary)"))
        case .positive, .atLeast:
            break
        }
        if seconds > maximum {
            return .failure(Problem(message: "must be at most \(format(maximum)), found \(value.summary)"))
        }
        return .success(seconds)
    }

    /// The seconds a duration string stands for, or nil when it is not one. Never negative.
    static func parse(_ text: String) -> TimeInterval? {
        let bytes = Array(text.utf8)
        var index = 0
        var total: TimeInterval = 0
        guard !bytes.isEmpty else { return nil }
        while index < bytes.count {
            let numberStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > numberStart else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > fractionStart else { return nil }
            }
            guard let number = Double(String(decoding: bytes[numberStart..<index], as: UTF8.self)),
                index < bytes.count
            else { return nil }
            let unit: TimeInterval
            switch bytes[index] {
            case UInt8(ascii: "m") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "s"):
                unit = 0.001
                index += 1
            case UInt8(ascii: "s"): unit = 1
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "h"): unit = 3600
            case UInt8(ascii: "d"): unit = 86_400
            default: return nil
            }
            index += 1
            total += number * unit
        }
        return total
    }

    /// `seconds` in the same syntax, largest units first: `"1h30m"`, `"1s"`, `"500ms"`, `"0s"`.
    static func format(_ seconds: TimeInterval) -> String {
        var milliseconds = Int64((seconds * 1000).rounded())
        guard milliseconds > 0 else { return "0s" }
        var out = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] {
            let count = milliseconds / size
            if count > 0 { out += "\(count)\(unit)" }
            milliseconds %= size
        }
        return out
    }
}
