import Foundation
import Testing

@testable import FeedCore

/// The freshness lifetime a response asks for (RFC 9111 §4.2.1, §5.2, §5.3).
@Suite struct CachePolicyTests {
    static let now = Date(timeIntervalSince1970: 1_795_935_600)  // 2026-11-29T07:00:00Z
    static let date = "Sun, 29 Nov 2026 07:00:00 GMT"
    static let inOneHour = "Sun, 29 Nov 2026 08:00:00 GMT"

    struct Case: Sendable, CustomTestStringConvertible {
        var cacheControl: String?
        var expires: String?
        var date: String?
        var expected: TimeInterval?
        var testDescription: String { "\(cacheControl ?? "-") | \(expires ?? "-") | \(date ?? "-")" }
    }

    @Test(arguments: [
        Case(cacheControl: nil, expires: nil, date: nil, expected: nil),
        Case(cacheControl: "max-age=600", expires: nil, date: nil, expected: 600),
        Case(cacheControl: "public, max-age=600, must-revalidate", expires: nil, date: nil, expected: 600),
        Case(cacheControl: "Max-Age = \"600\"", expires: nil, date: nil, expected: 600),
        Case(cacheControl: "max-age=600, max-age=60", expires: nil, date: nil, expected: 600),  // first wins
        Case(cacheControl: "max-age=0", expires: nil, date: nil, expected: 0),
        Case(cacheControl: "no-cache", expires: nil, date: nil, expected: 0),
        Case(cacheControl: "max-age=600, no-cache", expires: nil, date: nil, expected: 0),
        Case(cacheControl: "no-store", expires: nil, date: nil, expected: 0),
        Case(cacheControl: "private, no-cache=\"Set-Cookie\"", expires: nil, date: nil, expected: 0),
        // s-maxage is for shared caches only (RFC 9111 §5.2.2.10); feedd is a private cache.
        Case(cacheControl: "s-maxage=600", expires: nil, date: nil, expected: nil),
        Case(cacheControl: "s-maxage=600, max-age=60", expires: nil, date: nil, expected: 60),
        // max-age takes precedence over Expires (RFC 9111 §5.3).
        Case(cacheControl: "max-age=60", expires: inOneHour, date: date, expected: 60),
        // An invalid max-age is ignored.
        Case(cacheControl: "max-age=soon", expires: inOneHour, date: date, expected: 3_600),
        Case(cacheControl: "max-age=-5", expires: nil, date: nil, expected: nil),
        Case(cacheControl: "=, ,", expires: nil, date: nil, expected: nil),
        // Expires minus Date; the time of receipt when Date is missing or invalid.
        Case(cacheControl: nil, expires: inOneHour, date: date, expected: 3_600),
        Case(cacheControl: nil, expires: inOneHour, date: "Sun, 29 Nov 2026 07:30:00 GMT", expected: 1_800),
        Case(cacheControl: nil, expires: inOneHour, date: nil, expected: 3_600),
        Case(cacheControl: nil, expires: inOneHour, date: "yesterday", expected: 3_600),
        Case(cacheControl: "public", expires: inOneHour, date: date, expected: 3_600),
        // Already expired, or invalid (the value 0 especially): expired (RFC 9111 §5.3).
        Case(cacheControl: nil, expires: "Sun, 29 Nov 2026 06:00:00 GMT", date: date, expected: 0),
        Case(cacheControl: nil, expires: "0", date: date, expected: 0),
        Case(cacheControl: nil, expires: "-1", date: nil, expected: 0),
    ])
    func freshness(_ example: Case) {
        let seconds = CachePolicy.freshness(
            cacheControl: example.cacheControl, expires: example.expires, date: example.date, now: Self.now)
        #expect(seconds == example.expected)
    }

    @Test func directivesAreParsedByName() {
        let directives = CachePolicy.parseDirectives("Public, MAX-AGE=60, no-cache=\"a, b\"")
        #expect(directives["public"] == .some(nil))
        #expect(directives["max-age"] == "60")
        #expect(directives["s-maxage"] == nil)
    }
}
