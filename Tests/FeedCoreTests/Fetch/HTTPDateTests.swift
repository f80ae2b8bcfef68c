import Foundation
import Testing

@testable import FeedCore

@Suite struct HTTPDateTests {
    /// 1994-11-06T08:49:37Z, the example instant of RFC 9110 §5.6.7.
    static let example = Date(timeIntervalSince1970: 784_111_777)

    /// The three forms a recipient must accept (RFC 9110 §5.6.7), and tolerated variations.
    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",  // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT",  // obsolete RFC 850
        "Sun Nov  6 08:49:37 1994",  // asctime
        "sun, 06 nov 1994 08:49:37 gmt",  // case
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "  Sun, 06 Nov 1994 08:49:37 GMT  ",
        "Mon, 06 Nov 1994 08:49:37 GMT",  // wrong weekday: not checked
    ])
    func acceptedForms(text: String) {
        #expect(HTTPDate.parse(text) == Self.example)
    }

    @Test(arguments: [
        "", "0", "-1", "120", "soon", "2026-11-29T07:00:00Z", "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 +0100", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 994 08:49:37 GMT",
        "Sun, 6 Nov 1994 8:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun Nov  6 08:49:37 1994 GMT",
    ])
    func rejectedForms(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func twoDigitYearsPivotAt70() {
        #expect(HTTPDate.parse("Thursday, 01-Jan-70 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(HTTPDate.parse("Monday, 01-Jan-69 00:00:00 GMT") == Date(timeIntervalSince1970: 3_124_224_000))
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777.9, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_795_935_600, "Sun, 29 Nov 2026 07:00:00 GMT"),
        (-86_400, "Wed, 31 Dec 1969 00:00:00 GMT"),
    ])
    func formatsIMFFixdate(seconds: Double, text: String) {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func formatThenParseIsIdentityForWholeSeconds() {
        for seconds in stride(from: -2_000_000_000, through: 4_000_000_000, by: 86_399 * 97) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(HTTPDate.parse(HTTPDate.format(date)) == date)
        }
    }
}
