import Foundation
import Testing

@testable import FeedCore

@Suite struct LoggerTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", "\"\""),
        ("HTTP 503", "\"HTTP 503\""),
        ("a=b", "\"a=b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("two\nlines", "\"two\\nlines\""),
        ("\u{1B}[31mred", "\"\\u{1b}[31mred\""),
        ("bell\u{7}", "\"bell\\u{7}\""),
        ("c1\u{9B}", "\"c1\\u{9b}\""),
        ("café", "café"),
    ])
    func valuesAreQuotedAndControlCharactersEscaped(value: String, expected: String) {
        #expect(Logger.quoted(value) == expected)
    }

    @Test func linesCarryThePriorityPrefixAndATimeOnlyOutsideJournald() {
        let sink = MemoryLogSink()
        let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_935_600) }
        Logger(sink: sink, timestamps: true, clock: clock).warning("fetch failed", ["feed": "a", "error": "HTTP 503"])
        Logger(sink: sink, timestamps: false, clock: clock).info("fetched", ["feed": "a", "skipped": nil])
        Logger(sink: sink, threshold: .info, timestamps: false, clock: clock).log(.debug, "not modified")
        #expect(sink.lines == [
            "<4>2026-11-29T07:00:00Z fetch failed feed=a error=\"HTTP 503\"",
            "<6>fetched feed=a",
        ])
    }
}
