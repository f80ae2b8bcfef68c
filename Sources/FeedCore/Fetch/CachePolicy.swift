import Foundation

/// Reads how long a response asks to be considered fresh (RFC 9111 §4.2.1), so that the scheduler never polls a
/// feed sooner than its server asks. feedd is a private cache: `s-maxage` (shared caches only, RFC 9111 §5.2.2.10)
/// does not apply.
enum CachePolicy {
    /// The freshness lifetime in seconds, or nil when the response gives none.
    /// - `Cache-Control: no-cache` or `no-store` give 0 (RFC 9111 §5.2.2.4, §5.2.2.5).
    /// - `max-age=N` gives N and takes precedence over `Expires` (RFC 9111 §5.3).
    /// - Else `Expires` minus `Date` (the time of receipt when `Date` is missing or invalid); an invalid `Expires`,
    ///   such as `0`, means already expired (RFC 9111 §5.3), so 0.
    static func freshness(cacheControl: String?, expires: String?, date: String?, now: Date) -> TimeInterval? {
        let directives = parseDirectives(cacheControl ?? "")
        if directives["no-cache"] != nil || directives["no-store"] != nil { return 0 }
        if let maxAge = directives["max-age"], let value = maxAge, let seconds = deltaSeconds(value) {
            return seconds
        }
        guard let expires else { return nil }
        guard let expiry = HTTPDate.parse(expires) else { return 0 }
        let origin = date.flatMap(HTTPDate.parse) ?? now
        return max(0, expiry.timeIntervalSince(origin))
    }

    /// The directives of a `Cache-Control` value (RFC 9111 §5.2): lowercased names, values unquoted; the first
    /// occurrence of a name wins.
    static func parseDirectives(_ value: String) -> [String: String?] {
        var directives: [String: String?] = [:]
        for part in value.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, directives[name] == nil else { continue }
            let argument = pieces.count > 1 ? pieces[1].trimmingCharacters(in: .whitespaces) : nil
            // updateValue, not subscript assignment: assigning a nil value would remove the key.
            directives.updateValue(
                argument.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }, forKey: name)
        }
        return directives
    }

    /// A `delta-seconds` value (RFC 9111 §1.2.2): digits only; too many digits mean "a very long time".
    private static func deltaSeconds(_ text: String) -> TimeInterval? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return TimeInterval(Int(text) ?? Int(Int32.max))
    }
}
