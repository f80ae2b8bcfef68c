import Foundation
import Testing

@testable import FeedCore

/// `"interval": "auto"`: the interval follows the feed's pace, learned from item dates and observed arrivals.
@Suite struct AdaptiveIntervalTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let bounds = AutoInterval()

    func autoFeed(_ id: String = "a", bounds: AutoInterval = AutoInterval()) -> FeedConfig {
        FeedConfig(id: FeedID(id), url: URL(string: "https://a.example/\(id).xml")!, interval: bounds.minimum, auto: bounds)
    }

    /// Polls the feed at `now` with `new` new stories and `dates`; returns the wait until the next poll.
    func poll(_ schedule: inout Schedule, _ feed: FeedConfig, new: Int, dates: [Date]?, now: Date) -> TimeInterval {
        _ = schedule.due(feed.id, now: now)
        let actions = schedule.finished(
            feed.id, .succeeded(hint: nil, findings: .init(publisher: nil, newStories: new, itemDates: dates)), now: now)
        let at = actions.compactMap { if case .arm(_, let at?) = $0 { return at } else { return nil } }.first!
        return at.timeIntervalSince(now)
    }

    @Test func itemDatesSetTheIntervalFromTheFirstPoll() {
        let hourly = (0..<10).map { start - Double($0) * 3600 }
        let daily = (0..<10).map { start - Double($0) * 86400 }
        let rareDates = (0..<10).map { start - Double($0) * 30 * 86400 }
        let silent = (1..<10).map { start - Double($0) * 60 * 86400 }
        func first(_ dates: [Date]) -> TimeInterval {
            var schedule = Schedule()
            _ = schedule.load([autoFeed()], limits: .init(), states: [:], now: start)
            return poll(&schedule, autoFeed(), new: dates.count, dates: dates, now: start)
        }
        let (fast, slow, rare) = (first(hourly), first(daily), first(rareDates))
        #expect(abs(fast - (3600 * AdaptiveInterval.reference).squareRoot()) <= 0.06 * fast)
        #expect(abs(slow - (86400 * AdaptiveInterval.reference).squareRoot()) <= 0.06 * slow)
        #expect(abs(rare - (30 * 86400 * AdaptiveInterval.reference).squareRoot()) <= 0.06 * rare)
        #expect(fast < slow && slow < rare)
        // Two months since the last story: longer still.
        #expect(first(silent) > rare)
    }

    @Test func futureAndRepeatedDatesAreIgnored() {
        let stamped = Array(repeating: start, count: 10)
        #expect(AdaptiveInterval.datedGap(stamped, now: start) == nil)
        let withFuture = [start + 400 * 86400] + (0..<10).map { start - Double($0) * 3600 }
        let rate = AdaptiveInterval.learn(nil, newStories: 0, itemDates: withFuture, now: start)
        #expect(rate.newestItem == start)
        #expect(abs(rate.datedGap! - 3600) < 1)
    }

    @Test func anUndatedFeedAdaptsDownWhenStoriesArriveAndUpWhenTheyStop() {
        let feed = autoFeed()
        var schedule = Schedule()
        _ = schedule.load([feed], limits: .init(), states: [:], now: start)
        var now = start
        var wait = poll(&schedule, feed, new: 20, dates: [], now: now)
        #expect(wait <= bounds.minimum * 1.06)
        // Quiet polls: the interval grows gradually, never by more than a step at a time.
        var waits: [TimeInterval] = []
        for _ in 0..<40 {
            now += wait
            wait = poll(&schedule, feed, new: 0, dates: [], now: now)
            waits.append(wait)
        }
        #expect(waits.last! > 3600)
        #expect(zip(waits.dropFirst(), waits).allSatisfy { $0 <= $1 * 1.8 })
        let quiet = waits.last!
        // Then a story every poll: it comes back down.
        for _ in 0..<12 {
            now += wait
            wait = poll(&schedule, feed, new: 3, dates: [], now: now)
        }
        #expect(wait < quiet / 3)
        #expect(schedule.rate(of: feed.id)?.observedGap != nil)
    }

    @Test func aDatedFeedThatFallsSilentIsPolledLessAndLess() {
        let feed = autoFeed()
        var schedule = Schedule()
        _ = schedule.load([feed], limits: .init(), states: [:], now: start)
        let dates = (0..<10).map { start - Double($0) * 1800 }
        let busy = poll(&schedule, feed, new: 10, dates: dates, now: start)
        let later = poll(&schedule, feed, new: 0, dates: dates, now: start + 3 * 86400)
        #expect(later > busy * 4)
        #expect(later <= 86400 * 1.05)
    }

    @Test func boundsHold() {
        let tight = AutoInterval(minimum: 600, maximum: 1200)
        let feed = autoFeed(bounds: tight)
        var schedule = Schedule()
        _ = schedule.load([feed], limits: .init(), states: [:], now: start)
        let fast = poll(&schedule, feed, new: 10, dates: (0..<10).map { start - Double($0) }, now: start)
        #expect(fast >= 600 * 0.95 && fast <= 600 * 1.05)
        let slow = poll(&schedule, feed, new: 0, dates: [], now: start + 30 * 86400)
        #expect(slow >= 1200 * 0.95 && slow <= 1200 * 1.05)
    }

    @Test func whatWasLearnedSurvivesARestartThroughTheState() throws {
        let feed = autoFeed()
        var schedule = Schedule()
        _ = schedule.load([feed], limits: .init(), states: [:], now: start)
        let dates = (0..<10).map { start - Double($0) * 7200 }
        _ = poll(&schedule, feed, new: 10, dates: dates, now: start)
        let learned = try #require(schedule.rate(of: feed.id))
        #expect(learned.interval != nil && learned.datedGap != nil)
        // Through the state file's JSON, as the daemon keeps it.
        var state = FeedState(configURL: feed.url.absoluteString)
        state.publicationRate = learned
        var json = JSONWriter()
        state.write(to: &json)
        let decoded = try FeedState(json: JSONValue.parse(json.bytes))
        #expect(decoded.publicationRate == learned)
        var restarted = Schedule()
        _ = restarted.load([feed], limits: .init(), states: [feed.id: decoded], now: start + 60)
        // A 304 right after the restart: the interval comes from what was learned, not from the minimum.
        let wait = poll(&restarted, feed, new: 0, dates: nil, now: start + 60)
        #expect(wait > 4 * bounds.minimum)
        #expect(restarted.rate(of: feed.id)?.datedGap == learned.datedGap)
        // A state file from before these fields still loads.
        let old = try FeedState(json: JSONValue.parse(Array(#"{"gone":false,"last_found":2}"#.utf8)))
        #expect(old.publicationRate == nil && old.publisherHints == nil && old.nextDueReason == nil)
    }

    @Test func fixedFeedsLearnNothing() {
        let feed = FeedConfig(id: FeedID("f"), url: URL(string: "https://a.example/f.xml")!, interval: 900)
        var schedule = Schedule()
        _ = schedule.load([feed], limits: .init(), states: [:], now: start)
        let wait = poll(&schedule, feed, new: 10, dates: (0..<10).map { start - Double($0) * 86400 }, now: start)
        #expect(abs(wait - 900) <= 50)
        #expect(schedule.rate(of: feed.id) == nil)
        #expect(schedule.reason(of: feed.id) == .interval)
    }
}
