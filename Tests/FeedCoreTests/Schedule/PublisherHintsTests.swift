import Foundation
import Testing

@testable import FeedCore

/// Publisher hints as floors and skipped hours and days, through the pure `Schedule`.
@Suite struct PublisherHintsTests {
    /// 2027-01-04T00:00:00Z, a Monday.
    let monday = Date(timeIntervalSince1970: 1_799_020_800)

    func hour(_ hours: Double) -> Date { monday + hours * 3600 }

    /// The next poll of a feed with `interval` and `hints` after a successful poll at `now`.
    func next(_ hints: PublisherHints?, interval: TimeInterval = 900, cacheFor: TimeInterval? = nil, now: Date)
        -> (Date, Schedule.DueReason)
    {
        var schedule = Schedule()
        let feed = FeedConfig(id: FeedID("a"), url: URL(string: "https://a.example/a.xml")!, interval: interval)
        _ = schedule.load([feed], limits: .init(), states: [:], now: now)
        _ = schedule.due(feed.id, now: now)
        let actions = schedule.finished(
            feed.id, .succeeded(hint: cacheFor, findings: .init(publisher: hints, newStories: 0, itemDates: [])), now: now)
        let at = actions.compactMap { if case .arm(_, let at?) = $0 { return at } else { return nil } }.first!
        return (at, schedule.reason(of: feed.id)!)
    }

    @Test func ttlAndUpdatePeriodAreFloorsUnderTheInterval() {
        let (ttl, why) = next(PublisherHints(ttl: 3600), now: hour(10))
        #expect(abs(ttl.timeIntervalSince(hour(10)) - 3600) <= 180)
        #expect(why == .ttl)
        let (period, periodWhy) = next(PublisherHints(updateStep: 2 * 3600), now: hour(10))
        #expect(abs(period.timeIntervalSince(hour(10)) - 7200) <= 360)
        #expect(periodWhy == .updatePeriod)
        // A floor shorter than the interval changes nothing.
        let (short, shortWhy) = next(PublisherHints(ttl: 60), interval: 900, now: hour(10))
        #expect(abs(short.timeIntervalSince(hour(10)) - 900) <= 45)
        #expect(shortWhy == .interval)
        let (cached, cachedWhy) = next(nil, cacheFor: 7200, now: hour(10))
        #expect(abs(cached.timeIntervalSince(hour(10)) - 7200) <= 360)
        #expect(cachedWhy == .cacheHeaders)
    }

    @Test func floorsAreCappedAtADay() {
        let (weekly, why) = next(PublisherHints(ttl: 30 * 86400, updateStep: 7 * 86400), now: hour(10))
        #expect(weekly.timeIntervalSince(hour(10)) <= 86400)
        #expect(weekly.timeIntervalSince(hour(10)) >= 86400 * 0.9)
        #expect(why == .updatePeriod || why == .ttl)
    }

    @Test func updateBaseAlignsPollsWithThePublishersUpdates() {
        // Updates every 2 hours from 00:30: a poll at 10:00 with a 2 h floor lands on 12:30, the first update after.
        let hints = PublisherHints(updateStep: 7200, updateBase: hour(0.5))
        let (at, why) = next(hints, now: hour(10))
        #expect(at == hour(12.5))
        #expect(why == .updatePeriod)
    }

    @Test func skipHoursMoveThePollToTheFirstHourNotSkipped() {
        let hints = PublisherHints(skipHours: [10, 11, 12])
        let (at, why) = next(hints, now: hour(9.9))
        #expect(at == hour(13))
        #expect(why == .skipHours)
        // Outside the skipped hours nothing moves.
        let (free, freeWhy) = next(hints, now: hour(14))
        #expect(free.timeIntervalSince(hour(14)) < 1000)
        #expect(freeWhy == .interval)
    }

    @Test func skipHoursWrapAroundMidnight() {
        let hints = PublisherHints(skipHours: [22, 23, 0, 1, 2, 3, 4, 5])
        let (at, why) = next(hints, now: hour(21.9))
        #expect(at == hour(30))  // Tuesday 06:00
        #expect(why == .skipHours)
    }

    @Test func skipDaysMoveThePollToTheNextDayNotSkipped() {
        // Monday (1) and Tuesday (2) skipped: a poll due Monday waits for Wednesday 00:00, capped at a day.
        let (at, why) = next(PublisherHints(skipDays: [1]), now: hour(12))
        #expect(at == hour(24))
        #expect(why == .skipDays)
        let (capped, cappedWhy) = next(PublisherHints(skipDays: [1, 2]), now: hour(12))
        #expect(capped == hour(36))
        #expect(cappedWhy == .skipDays)
        // Saturday and Sunday around the end of the week: Saturday 2027-01-09 is day 6.
        #expect(PublisherHints(skipDays: [6, 0]).firstAllowed(atOrAfter: hour(5 * 24 + 3))?.0 == hour(7 * 24))
    }

    @Test func everyHourSkippedPollsOnceADay() {
        let (at, why) = next(PublisherHints(skipHours: Array(0...23)), now: hour(10))
        #expect(at == hour(34))
        #expect(why == .skipHours)
        let (days, daysWhy) = next(PublisherHints(skipDays: Array(0...6)), now: hour(10))
        #expect(days == hour(34))
        #expect(daysWhy == .skipDays)
    }

    @Test func hintsOfTheLastDocumentHoldForA304AndAcrossARestart() {
        let feed = FeedConfig(id: FeedID("a"), url: URL(string: "https://a.example/a.xml")!, interval: 900)
        var schedule = Schedule()
        _ = schedule.load([feed], limits: .init(), states: [:], now: hour(9))
        _ = schedule.due(feed.id, now: hour(9))
        _ = schedule.finished(
            feed.id, .succeeded(hint: nil, findings: .init(publisher: PublisherHints(skipHours: [10]), itemDates: [])),
            now: hour(9))
        #expect(schedule.nextDue[feed.id]!! < hour(9.3))
        _ = schedule.due(feed.id, now: hour(9.3))
        // A 304: no document, no publisher hints given; those of the last document hold.
        _ = schedule.finished(feed.id, .succeeded(hint: nil), now: hour(9.9))
        #expect(schedule.nextDue[feed.id]! == hour(11))
        // After a restart, the state's hints are the schedule's.
        var state = FeedState(configURL: feed.url.absoluteString)
        state.publisherHints = PublisherHints(skipHours: [10])
        var restarted = Schedule()
        _ = restarted.load([feed], limits: .init(), states: [feed.id: state], now: hour(9.9))
        _ = restarted.due(feed.id, now: hour(9.9))
        _ = restarted.finished(feed.id, .succeeded(hint: nil), now: hour(9.9))
        #expect(restarted.nextDue[feed.id]! == hour(11))
        #expect(restarted.reason(of: feed.id) == .skipHours)
    }

    @Test func documentsGiveTheirHints() throws {
        let rss = """
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>t</title>
            <ttl> 30 </ttl><sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>
            <sy:updateBase>2000-01-01T12:00+00:00</sy:updateBase>
            <skipHours><hour>0</hour><hour>24</hour><hour>7</hour><hour>99</hour></skipHours>
            <skipDays><day>Saturday</day><day> sunday </day><day>Caturday</day></skipDays>
            <item><title>x</title></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8), url: URL(string: "https://a.example/a.xml"))
        #expect(feed.updatePeriod == "hourly")
        #expect(feed.updateFrequency == 2)
        #expect(feed.updateBase == Date(timeIntervalSince1970: 946_728_000))
        #expect(feed.skipHours == [0, 24, 7, 99])
        #expect(feed.skipDays == [6, 0])
        let hints = PublisherHints(feed)
        #expect(hints == PublisherHints(
            ttl: 1800, updateStep: 1800, updateBase: Date(timeIntervalSince1970: 946_728_000), skipHours: [0, 7],
            skipDays: [0, 6]))
        // sy: defaults: a period alone is one update per period; a frequency alone is per day.
        #expect(PublisherHints.step(period: "weekly", frequency: nil) == TimeInterval(7 * 86400))
        #expect(PublisherHints.step(period: nil, frequency: 4) == TimeInterval(21600))
        #expect(PublisherHints.step(period: "fortnightly", frequency: nil) == nil)
    }
}
