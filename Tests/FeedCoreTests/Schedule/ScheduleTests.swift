import Foundation
import Testing

@testable import FeedCore

@Suite struct ScheduleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func feed(_ id: String, host: String = "a.example", interval: TimeInterval = 900, enabled: Bool = true) -> FeedConfig {
        FeedConfig(id: FeedID(id), url: URL(string: "https://\(host)/\(id).xml")!, enabled: enabled, interval: interval)
    }

    func fetches(_ actions: [Schedule.Action]) -> [String] {
        actions.compactMap { if case .fetch(let id) = $0 { return id.rawValue } else { return nil } }
    }

    @Test func newFeedsAreDueAtOnceStaggered() {
        var schedule = Schedule()
        let actions = schedule.load([feed("a"), feed("b"), feed("c")], limits: .init(), states: [:], now: start)
        let arms = actions.compactMap { action -> Date? in if case .arm(_, let at) = action { return at } else { return nil } }
        #expect(arms == [start, start + 0.01, start + 0.02])
        #expect(fetches(actions).isEmpty)  // timers decide, not the load
    }

    @Test func feedsWithAFutureNextDueKeepIt() {
        var schedule = Schedule()
        var state = FeedState()
        state.nextDue = start + 300
        state.configURL = "https://a.example/a.xml"
        let actions = schedule.load([feed("a")], limits: .init(), states: [FeedID("a"): state], now: start)
        #expect(actions == [.arm(FeedID("a"), at: start + 300)])
    }

    @Test func goneFeedsStayQuietUntilTheirURLChanges() {
        var schedule = Schedule()
        var state = FeedState()
        state.gone = true
        state.configURL = "https://a.example/a.xml"
        #expect(schedule.load([feed("a")], limits: .init(), states: [FeedID("a"): state], now: start) == [.arm(FeedID("a"), at: nil)])
        #expect(schedule.due(FeedID("a"), now: start).isEmpty)
        let moved = feed("a", host: "b.example")
        let actions = schedule.load([moved], limits: .init(), states: [:], now: start + 10)
        #expect(actions.contains(.arm(FeedID("a"), at: start + 10)))
    }

    @Test func globalAndPerHostConcurrencyAreRespected() {
        var schedule = Schedule()
        let feeds = (0..<6).map { feed("a\($0)") } + (0..<6).map { feed("b\($0)", host: "b.example") }
        _ = schedule.load(feeds, limits: .init(concurrency: 3, perHostConcurrency: 2), states: [:], now: start)
        var started: [String] = []
        for config in feeds { started += fetches(schedule.due(config.id, now: start)) }
        #expect(started == ["a0", "a1", "b0"])
        #expect(schedule.inFlight == 3)
        started = fetches(schedule.finished(FeedID("a0"), .succeeded(hint: nil), now: start + 1))
        #expect(started == ["a2"])
    }

    @Test func perHostDelaySpacesStartsAndAsksToBeWoken() {
        var schedule = Schedule()
        _ = schedule.load([feed("a"), feed("b")], limits: .init(concurrency: 4, perHostConcurrency: 4, perHostDelay: 5), states: [:], now: start)
        #expect(fetches(schedule.due(FeedID("a"), now: start)) == ["a"])
        #expect(schedule.due(FeedID("b"), now: start + 1) == [.wake(at: start + 5)])
        #expect(fetches(schedule.dispatch(now: start + 5)) == ["b"])
    }

    @Test func successPollsAgainAfterTheIntervalOrTheLongerHintCappedAtADay() {
        var schedule = Schedule()
        _ = schedule.load([feed("a", interval: 600)], limits: .init(), states: [:], now: start)
        _ = schedule.due(FeedID("a"), now: start)
        let plain = nextArm(schedule.finished(FeedID("a"), .succeeded(hint: nil), now: start))!
        #expect(abs(plain.timeIntervalSince(start) - 600) <= 30)
        _ = schedule.due(FeedID("a"), now: start)
        let hinted = nextArm(schedule.finished(FeedID("a"), .succeeded(hint: 3600), now: start))!
        #expect(abs(hinted.timeIntervalSince(start) - 3600) <= 180)
        _ = schedule.due(FeedID("a"), now: start)
        let capped = nextArm(schedule.finished(FeedID("a"), .succeeded(hint: 30 * 86400), now: start))!
        #expect(capped.timeIntervalSince(start) <= 86400 * 1.05)
    }

    @Test func failuresBackOffExponentiallyCappedAndOneSuccessResets() {
        var schedule = Schedule()
        _ = schedule.load([feed("a", interval: 900)], limits: .init(), states: [:], now: start)
        var waits: [TimeInterval] = []
        for _ in 0..<12 {
            _ = schedule.due(FeedID("a"), now: start)
            waits.append(nextArm(schedule.finished(FeedID("a"), .failed(retryAfter: nil, pausesHost: false), now: start))!.timeIntervalSince(start))
        }
        #expect(waits[0] >= 900 && waits[0] <= 900 * 1.2)
        #expect(waits[1] >= 1800 && waits[2] >= 3600)
        #expect(waits.last! <= 86400 * 1.2 && waits.last! >= 86400)
        #expect(schedule.failures(of: FeedID("a")) == 12)
        _ = schedule.due(FeedID("a"), now: start)
        _ = schedule.finished(FeedID("a"), .succeeded(hint: nil), now: start)
        #expect(schedule.failures(of: FeedID("a")) == 0)
        #expect(Schedule.backoff(interval: 900, failures: 1) == 900)
        #expect(Schedule.backoff(interval: 900, failures: 3) == 3600)
        #expect(Schedule.backoff(interval: 60, failures: 1) == 60)
        #expect(Schedule.backoff(interval: 7 * 86400, failures: 5) == 7 * 86400)
        #expect(Schedule.backoff(interval: 900, failures: 1000) == 86400)
    }

    /// A failing server must not be polled more often than a healthy one: not after a 500, not after a 429 or
    /// 503 whose `Retry-After` asks for less than the interval, whatever the jitter.
    @Test func aFailingFeedIsNeverPolledSoonerThanItsInterval() {
        for salt in 0..<200 {
            var schedule = Schedule()
            let now = start + TimeInterval(salt * 7)
            _ = schedule.load([feed("f\(salt)", interval: 900)], limits: .init(), states: [:], now: now)
            _ = schedule.due(FeedID("f\(salt)"), now: now)
            let failed = schedule.finished(FeedID("f\(salt)"), .failed(retryAfter: nil, pausesHost: false), now: now)
            #expect(nextArm(failed)!.timeIntervalSince(now) >= 900)
            _ = schedule.due(FeedID("f\(salt)"), now: now)
            let asked = schedule.finished(
                FeedID("f\(salt)"), .failed(retryAfter: now + 30, pausesHost: true), now: now)
            #expect(nextArm(asked)!.timeIntervalSince(now) >= 900)
        }
    }

    @Test func retryAfterPausesTheWholeHost() {
        var schedule = Schedule()
        _ = schedule.load([feed("a"), feed("b"), feed("c", host: "c.example")], limits: .init(), states: [:], now: start)
        _ = schedule.due(FeedID("a"), now: start)
        let actions = schedule.finished(FeedID("a"), .failed(retryAfter: start + 120, pausesHost: true), now: start)
        #expect(nextArm(actions)! >= start + 120)
        #expect(schedule.due(FeedID("b"), now: start + 1) == [.wake(at: start + 120)])
        #expect(fetches(schedule.due(FeedID("c"), now: start + 1)) == ["c"])
        #expect(fetches(schedule.dispatch(now: start + 120)) == ["b"])
    }

    @Test func goneStopsPolling() {
        var schedule = Schedule()
        _ = schedule.load([feed("a")], limits: .init(), states: [:], now: start)
        _ = schedule.due(FeedID("a"), now: start)
        #expect(schedule.finished(FeedID("a"), .gone, now: start) == [.arm(FeedID("a"), at: nil)])
        #expect(schedule.fetchAllNow(now: start + 1).isEmpty)
    }

    @Test func reloadKeepsUnchangedFeedsAndDropsRemovedOnes() {
        var schedule = Schedule()
        _ = schedule.load([feed("a"), feed("b")], limits: .init(), states: [:], now: start)
        let actions = schedule.load([feed("a"), feed("c")], limits: .init(), states: [:], now: start + 5)
        #expect(actions.contains(.arm(FeedID("b"), at: nil)))
        #expect(actions.contains(.arm(FeedID("c"), at: start + 5)))
        #expect(!actions.contains { if case .arm(let id, _) = $0 { return id == FeedID("a") } else { return false } })
    }

    /// A fetch in flight when a reload removes its feed still holds its host's slot until it ends, and frees it then:
    /// the feed's entry is gone, but not the count of what it has in flight.
    @Test func aFetchInFlightWhenItsFeedIsRemovedFreesItsSlotWhenItEnds() {
        var schedule = Schedule()
        let limits = Schedule.Limits(concurrency: 4, perHostConcurrency: 1)
        _ = schedule.load([feed("a")], limits: limits, states: [:], now: start)
        #expect(fetches(schedule.due(FeedID("a"), now: start)) == ["a"])
        _ = schedule.load([feed("b")], limits: limits, states: [:], now: start + 1)
        #expect(fetches(schedule.due(FeedID("b"), now: start + 1)).isEmpty, "a's fetch still holds the host")
        #expect(fetches(schedule.finished(FeedID("a"), .cancelled, now: start + 2)) == ["b"])
        _ = schedule.finished(FeedID("b"), .succeeded(hint: nil), now: start + 3)
        #expect(schedule.inFlight == 0)
        #expect(schedule.isIdle)
    }

    /// A reload that moves a feed in flight to another host: its fetch frees the slot of the host it went to.
    @Test func aFetchInFlightWhenItsFeedMovesToAnotherHostFreesTheHostItWentTo() {
        var schedule = Schedule()
        let limits = Schedule.Limits(concurrency: 4, perHostConcurrency: 1)
        _ = schedule.load([feed("a"), feed("b")], limits: limits, states: [:], now: start)
        #expect(fetches(schedule.due(FeedID("a"), now: start)) == ["a"])
        _ = schedule.load([feed("a", host: "c.example"), feed("b")], limits: limits, states: [:], now: start + 1)
        _ = schedule.finished(FeedID("a"), .cancelled, now: start + 2)
        #expect(fetches(schedule.due(FeedID("b"), now: start + 3)) == ["b"], "a.example is free again")
        #expect(fetches(schedule.due(FeedID("a"), now: start + 3)) == ["a"], "so is c.example")
        #expect(schedule.inFlight == 2)
    }

    /// A feed removed and added again while its fetch is in flight waits for that fetch instead of starting a second
    /// one of the same feed.
    @Test func aFeedAddedBackWhileItsFetchIsInFlightWaitsForIt() {
        var schedule = Schedule()
        _ = schedule.load([feed("a")], limits: .init(), states: [:], now: start)
        #expect(fetches(schedule.due(FeedID("a"), now: start)) == ["a"])
        _ = schedule.load([], limits: .init(), states: [:], now: start + 1)
        let actions = schedule.load([feed("a")], limits: .init(), states: [:], now: start + 2)
        #expect(actions == [.arm(FeedID("a"), at: nil)])
        #expect(schedule.due(FeedID("a"), now: start + 2).isEmpty)
        #expect(nextArm(schedule.finished(FeedID("a"), .succeeded(hint: nil), now: start + 3)) != nil)
        #expect(schedule.inFlight == 0)
    }

    /// Pauses (Retry-After) and the per-host delays' last starts are kept only for hosts the config still has, so
    /// that a daemon whose feeds come and go over months does not keep every host it ever fetched from.
    @Test func reloadForgetsThePausesAndDelaysOfHostsNoLongerConfigured() {
        var schedule = Schedule()
        let limits = Schedule.Limits(concurrency: 4, perHostConcurrency: 2, perHostDelay: 60)
        var now = start
        for round in 0..<100 {
            let config = feed("f\(round)", host: "h\(round).example")
            _ = schedule.load([feed("kept"), config], limits: limits, states: [:], now: now)
            _ = schedule.due(config.id, now: now)
            _ = schedule.finished(config.id, .failed(retryAfter: now + 3600, pausesHost: true), now: now)
            now += 10
        }
        _ = schedule.load([feed("kept")], limits: limits, states: [:], now: now)
        #expect(schedule.trackedHosts == [])
        _ = schedule.due(FeedID("kept"), now: now)
        _ = schedule.finished(FeedID("kept"), .failed(retryAfter: now + 3600, pausesHost: true), now: now)
        _ = schedule.load([feed("kept"), feed("other", host: "b.example")], limits: limits, states: [:], now: now + 1)
        #expect(schedule.trackedHosts == ["a.example"], "a host still configured keeps its pause")
        #expect(schedule.due(FeedID("kept"), now: now + 2) == [.wake(at: now + 3600)])
    }

    @Test func disabledFeedsAreNotScheduled() {
        var schedule = Schedule()
        #expect(schedule.load([feed("a", enabled: false)], limits: .init(), states: [:], now: start).isEmpty)
    }

    @Test func fetchAllNowStartsEverythingTheLimitsAllowAndIdlesWhenDone() {
        var schedule = Schedule()
        let feeds = (0..<5).map { feed("f\($0)", host: "h\($0).example") }
        _ = schedule.load(feeds, limits: .init(concurrency: 2), states: [:], now: start)
        #expect(fetches(schedule.fetchAllNow(now: start)).count == 2)
        var done = 0
        var running = ["f0", "f1"]
        while let id = running.first {
            running.removeFirst()
            running += fetches(schedule.finished(FeedID(id), .succeeded(hint: nil), now: start))
            done += 1
        }
        #expect(done == 5)
        #expect(schedule.isIdle)
    }

    @Test func thousandsOfFeedsWithOneIntervalSpreadOut() {
        var schedule = Schedule()
        let feeds = (0..<2000).map { feed("f\($0)", host: "h\($0 % 50).example") }
        _ = schedule.load(feeds, limits: .init(concurrency: 10_000, perHostConcurrency: 100), states: [:], now: start)
        var seconds = Set<Int>()
        for config in feeds {
            for action in schedule.due(config.id, now: start) {
                if case .fetch(let id) = action, let next = nextArm(schedule.finished(id, .succeeded(hint: nil), now: start)) {
                    seconds.insert(Int(next.timeIntervalSince(start)))
                }
            }
        }
        #expect(seconds.count > 50)  // ±5% of 900 s spread over ~90 distinct seconds, not one
    }

    func nextArm(_ actions: [Schedule.Action]) -> Date? {
        for action in actions { if case .arm(_, let at) = action { return at } }
        return nil
    }
}
