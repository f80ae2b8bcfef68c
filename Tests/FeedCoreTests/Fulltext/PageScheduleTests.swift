import Foundation
import Testing

@testable import FeedCore

/// Story pages in the schedule: the same per-host limits, delays and pauses as feeds.
@Suite struct PageScheduleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func feed(_ id: String, host: String = "a.example") -> FeedConfig {
        FeedConfig(id: FeedID(id), url: URL(string: "https://\(host)/\(id).xml")!, interval: 60)
    }

    func page(_ number: Int, host: String = "a.example") -> URL {
        URL(string: "https://\(host)/story/\(number)")!
    }

    func pages(_ actions: [Schedule.Action]) -> [Int] {
        actions.compactMap { if case .fetchPage(let token) = $0 { return token } else { return nil } }
    }

    func fetches(_ actions: [Schedule.Action]) -> [String] {
        actions.compactMap { if case .fetch(let id) = $0 { return id.rawValue } else { return nil } }
    }

    /// A schedule with feed `f` on a.example in flight.
    func scheduleWithFetchInFlight(_ limits: Schedule.Limits) -> Schedule {
        var schedule = Schedule()
        _ = schedule.load([feed("f")], limits: limits, states: [:], now: start)
        _ = schedule.due(FeedID("f"), now: start)
        return schedule
    }

    @Test func pagesTakeTheFeedsSlotAndNoMoreThanThePerHostLimit() {
        var schedule = scheduleWithFetchInFlight(.init(concurrency: 8, perHostConcurrency: 2))
        // With one slot held by the feed's fetch, only one page could start; the feed gives its slot back.
        #expect(pages(schedule.release(FeedID("f"), now: start)).isEmpty)
        var started: [Int] = []
        for number in 0..<4 { started += pages(schedule.enqueuePage(number, url: page(number), now: start)) }
        #expect(started == [0, 1])
        #expect(pages(schedule.pageFinished(0, retryAfter: nil, now: start + 1)) == [2])
        #expect(pages(schedule.pageFinished(1, retryAfter: nil, now: start + 1)) == [3])
        // Pages on another host do not wait for a.example.
        #expect(pages(schedule.enqueuePage(9, url: page(9, host: "b.example"), now: start + 1)) == [9])
    }

    @Test func pagesCountAgainstGlobalConcurrency() {
        var schedule = scheduleWithFetchInFlight(.init(concurrency: 1, perHostConcurrency: 4))
        _ = schedule.release(FeedID("f"), now: start)
        #expect(pages(schedule.enqueuePage(0, url: page(0, host: "b.example"), now: start)) == [0])
        #expect(pages(schedule.enqueuePage(1, url: page(1, host: "c.example"), now: start)).isEmpty)
        #expect(pages(schedule.pageFinished(0, retryAfter: nil, now: start + 1)) == [1])
    }

    @Test func perHostDelaySpacesPagesToo() {
        var schedule = scheduleWithFetchInFlight(.init(concurrency: 8, perHostConcurrency: 8, perHostDelay: 5))
        _ = schedule.release(FeedID("f"), now: start + 1)
        // The feed started on a.example at `start`: its first page waits until `start + 5`.
        let first = schedule.enqueuePage(0, url: page(0), now: start + 1)
        #expect(pages(first).isEmpty)
        #expect(first.contains(.wake(at: start + 5)))
        _ = schedule.enqueuePage(1, url: page(1), now: start + 1)
        #expect(pages(schedule.dispatch(now: start + 5)) == [0])
        #expect(pages(schedule.dispatch(now: start + 9)).isEmpty)
        #expect(pages(schedule.dispatch(now: start + 10)) == [1])
    }

    @Test func aPageRetryAfterPausesItsHostForFeedsAndPages() {
        var schedule = Schedule()
        let limits = Schedule.Limits(concurrency: 8, perHostConcurrency: 8)
        _ = schedule.load([feed("f"), feed("g")], limits: limits, states: [:], now: start)
        _ = schedule.due(FeedID("f"), now: start)
        _ = schedule.release(FeedID("f"), now: start)
        #expect(pages(schedule.enqueuePage(0, url: page(0), now: start)) == [0])
        _ = schedule.pageFinished(0, retryAfter: start + 120, now: start + 1)
        let paused = schedule.enqueuePage(1, url: page(1), now: start + 1)
        #expect(pages(paused) == [])
        #expect(paused.contains(.wake(at: start + 120)))
        // The feed on the paused host waits as well.
        #expect(fetches(schedule.due(FeedID("g"), now: start + 2)).isEmpty)
        let resumed = schedule.dispatch(now: start + 120)
        #expect(pages(resumed) == [1])
        #expect(fetches(resumed) == ["g"])
    }

    @Test func aReleasedFeedIsNotPolledAgainUntilItFinishes() {
        var schedule = scheduleWithFetchInFlight(.init())
        _ = schedule.release(FeedID("f"), now: start)
        #expect(!schedule.isIdle)
        #expect(schedule.due(FeedID("f"), now: start + 3600).isEmpty)
        #expect(fetches(schedule.fetchAllNow(now: start + 3600)).isEmpty)
        let finished = schedule.finished(FeedID("f"), .succeeded(hint: nil), now: start + 10)
        let next = finished.compactMap { action -> Date? in
            if case .arm(FeedID("f"), let at) = action { return at } else { return nil }
        }
        #expect(next.count == 1 && next[0] > start + 10, "\(finished)")
        #expect(schedule.isIdle)
        #expect(schedule.inFlight == 0)
    }
}
