import Foundation

/// Reads `Retry-After` (RFC 9110 §10.2.3): how long a 429 or 503 asks the client to wait.
enum RetryAfter {
    /// The instant `value` names: `now` plus a number of seconds (`delay-seconds = 1*DIGIT`) or an HTTP-date.
    /// Anything else (negative or fractional numbers, unknown date forms) gives nil: the header is then ignored,
    /// and ordinary backoff applies. A date in the past is returned as it is; the caller clamps.
    static func date(_ value: String?, now: Date) -> Date? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // More digits than an Int holds is still "a very long time", not garbage.
            let seconds = Int(text) ?? Int.max
            return now.addingTimeInterval(TimeInterval(min(seconds, maximumDelay)))
        }
        return HTTPDate.parse(text)
    }

    /// The longest delay kept (one year), so that an absurd value cannot overflow date arithmetic downstream.
    static let maximumDelay = 365 * 86_400
}
