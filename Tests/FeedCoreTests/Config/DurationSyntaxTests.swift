import Foundation
import Testing

@testable import FeedCore

@Suite struct DurationSyntaxTests {
    @Test(arguments: [
        ("90s", 90.0), ("15m", 900), ("2h", 7200), ("1d", 86_400), ("1h30m", 5400), ("2d12h", 216_000),
        ("500ms", 0.5), ("1s500ms", 1.5), ("1.5h", 5400), ("0s", 0), ("30m1h", 5400), ("0.25s", 0.25),
    ])
    func parsesDurationStrings(text: String, seconds: Double) {
        #expect(DurationSyntax.parse(text) == seconds)
    }

    @Test(arguments: [
        "", "15", "15M", "15 m", " 15m", "m", "1.h", ".5s", "1h 30m", "-5m", "+5m", "1w", "5mss", "s", "1e3s",
        "15min", "1h30", "0x10s",
    ])
    func rejectsWhatIsNotADuration(text: String) {
        #expect(DurationSyntax.parse(text) == nil)
    }

    @Test(arguments: [
        (JSONValue.number("90"), DurationSyntax.Bound.atLeast(1), 90.0),
        (.number("0.5"), .positive, 0.5),
        (.number("1e2"), .positive, 100),
        (.number("0"), .nonNegative, 0),
        (.string("0s"), .nonNegative, 0),
        (.string("500ms"), .positive, 0.5),
        (.string("1s"), .atLeast(1), 1),
        (.string("365d"), .positive, 365 * 86_400),
    ])
    func acceptsValuesWithinTheirBound(value: JSONValue, bound: DurationSyntax.Bound, seconds: Double) {
        #expect(DurationSyntax.seconds(in: value, bound: bound) == .success(seconds))
    }

    @Test(arguments: [
        (JSONValue.string("-5m"), DurationSyntax.Bound.nonNegative, #"must not be negative, found "-5m""#),
        (.number("-3"), .nonNegative, "must not be negative, found -3"),
        (.number("0"), .positive, "must be more than 0, found 0"),
        (.string("0s"), .positive, #"must be more than 0, found "0s""#),
        (.string("500ms"), .atLeast(1), #"must be at least 1s, found "500ms""#),
        (.number("0.5"), .atLeast(1), "must be at least 1s, found 0.5"),
        (.string("400d"), .positive, #"must be at most 365d, found "400d""#),
        (.number("1e400"), .positive, "must be at most 365d, found 1e400"),
        (
            .string("soon"), .positive,
            #"expected a duration like "90s", "15m", "2h", "1d", "1h30m" or a number of seconds, found "soon""#
        ),
        (
            .string("15"), .positive,
            #"expected a duration like "90s", "15m", "2h", "1d", "1h30m" or a number of seconds, found "15""#
        ),
        (
            .bool(true), .positive,
            #"expected a duration like "90s", "15m", "2h", "1d", "1h30m" or a number of seconds, found true"#
        ),
        (
            .null, .positive,
            #"expected a duration like "90s", "15m", "2h", "1d", "1h30m" or a number of seconds, found null"#
        ),
    ])
    func rejectsValuesSayingWhatIsExpected(value: JSONValue, bound: DurationSyntax.Bound, message: String) {
        #expect(DurationSyntax.seconds(in: value, bound: bound) == .failure(DurationSyntax.Problem(message: message)))
    }

    @Test(arguments: [
        (0.0 as Double, "0s"), (1, "1s"), (0.5, "500ms"), (90, "1m30s"), (5400, "1h30m"), (86_400, "1d"),
        (31_536_000, "365d"), (90_061.001, "1d1h1m1s1ms"),
    ])
    func formatsInTheSameSyntax(seconds: Double, text: String) {
        #expect(DurationSyntax.format(seconds) == text)
        #expect(DurationSyntax.parse(text) == seconds)
    }
}
