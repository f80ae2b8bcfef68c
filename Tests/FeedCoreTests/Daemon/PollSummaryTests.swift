import Foundation
import Testing

@testable import FeedCore

/// The line `feedd run` logs once per period instead of a line per poll.
@Suite struct PollSummaryTests {
    private func config(intervals: [TimeInterval], disabled: TimeInterval? = nil) -> Config {
        var feeds = intervals.enumerated().map { index, interval in
            FeedConfig(id: FeedID("f\(index)"), url: URL(string: "https://example.org/\(index)")!, interval: interval)
        }
        if let disabled {
            feeds.append(FeedConfig(id: FeedID("off"), url: URL(string: "https://example.org/off")!, enabled: false, interval: disabled))
        }
        return Config(feeds: feeds)
    }

    @Test func thePeriodIsTheShortestIntervalButAtLeastAMinute() {
        #expect(PollSummary.period(for: config(intervals: [900, 3600])) == 900)
        #expect(PollSummary.period(for: config(intervals: [10, 900])) == 60)
        #expect(PollSummary.period(for: config(intervals: [7200], disabled: 120)) == 7200, "disabled feeds are not polled")
        #expect(PollSummary.period(for: config(intervals: [])) == 60)
    }

    @Test func oneLineCountsThePeriodThenStartsAgain() {
        let sink = MemoryLogSink()
        let logger = Logger(sink: sink, timestamps: false)
        var summary = PollSummary()
        summary.count(stories: 0)
        summary.count(stories: 3)
        summary.count(stories: 1)
        summary.log(to: logger, failing: 2, feeds: 200, period: 60)
        summary.log(to: logger, failing: 0, feeds: 200, period: 60)
        #expect(sink.lines == [
            "<6>summary polls=3 new=4 failing=2 feeds=200 period=60s",
            "<6>summary polls=0 new=0 failing=0 feeds=200 period=60s",
        ])
    }
}
