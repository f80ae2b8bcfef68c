import Foundation
import Testing

@testable import FeedCore

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; anything else is ignored.
@Suite struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_795_935_600)  // 2026-11-29T07:00:00Z

    @Test(arguments: [
        ("120", 120.0),
        ("0", 0),
        (" 30 ", 30),
        ("Sun, 29 Nov 2026 08:00:00 GMT", 3_600),
        ("Sun, 29 Nov 2026 06:00:00 GMT", -3_600),  // past: returned as it is, the caller clamps
        ("Sunday, 29-Nov-26 07:00:10 GMT", 10),
        ("99999999999999999999999", 31_536_000),  // capped at a year
        ("40000000", 31_536_000),
    ])
    func validValues(value: String, offset: Double) {
        #expect(RetryAfter.date(value, now: Self.now) == Self.now.addingTimeInterval(offset))
    }

    @Test(arguments: ["", "  ", "-5", "1.5", "+10", "soon", "120s", "2026-11-29T08:00:00Z", "1e3"])
    func invalidValuesAreIgnored(value: String) {
        #expect(RetryAfter.date(value, now: Self.now) == nil)
    }

    @Test func missingHeaderIsIgnored() {
        #expect(RetryAfter.date(nil, now: Self.now) == nil)
    }
}
