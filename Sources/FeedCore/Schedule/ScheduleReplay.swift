import Foundation

/// Replays publication times through the real `Schedule` on a virtual clock, to measure what a polling policy
/// costs (fetches) and gives (how late each story is found). `schedule-sim` drives it with the corpus' item dates.
///
/// Each simulated feed takes the gaps between the item dates of one document and publishes by them over and over,
/// from a random point of the cycle; its document at any time holds its newest `documentSize` stories with their
/// dates. Fetches answer at once; every feed is on its own host, so no limit holds a fetch back.
public struct ScheduleReplay {
    /// The polling policy replayed.
    public enum Policy: Sendable, CustomStringConvertible {
        case fixed(TimeInterval)
        /// `"interval": "auto"` with its default bounds; `datesVisible` false hides the item dates from the schedule,
        /// as for feeds without dates.
        case auto(datesVisible: Bool)

        public var description: String {
            switch self {
            case .fixed(let seconds): "fixed \(DurationSyntax.format(seconds))"
            case .auto(let dated): dated ? "auto" : "auto, dates hidden"
            }
        }
    }

    /// What a replay measured.
    public struct Report: Sendable {
        public var policy: Policy
        public var feeds: Int
        public var fetchesPerDay: Double
        /// Seconds from each story's publication to the fetch that found it.
        public var delays: [TimeInterval]
        /// The same for feeds that publish at least daily (7 stories or more in the week replayed).
        public var frequentFeeds: Int
        public var frequentFetchesPerDay: Double
        public var frequentDelays: [TimeInterval]
        /// Each feed's median delay (feeds that published in the window), so that busy feeds do not outweigh others.
        public var feedMedians: [TimeInterval]
        public var frequentFeedMedians: [TimeInterval]
    }

    /// Stories a document holds.
    public static let documentSize = 20

    /// One simulated feed's stories, as times relative to the start of the replay (history before 0).
    struct Feed {
        var times: [TimeInterval]
        var storiesInWindow: Int
    }

    let feeds: [Feed]
    let days: Double

    /// Builds `count` feeds from `patterns` (each the item dates of one document, three distinct ones at least),
    /// chosen and phased by a generator seeded with `seed`, publishing for `days` days.
    public init(patterns: [[Date]], count: Int, days: Double = 7, seed: UInt64 = 1) {
        var random = SplitMix64(seed: seed)
        let cycles: [[TimeInterval]] = patterns.compactMap { dates in
            let sorted = Set(dates).sorted()
            let gaps = zip(sorted.dropFirst(), sorted).map { $0.timeIntervalSince($1) }
            return gaps.count >= 2 ? gaps : nil
        }
        let span = days * 86400
        var feeds: [Feed] = []
        for _ in 0..<(cycles.isEmpty ? 0 : count) {
            let gaps = cycles[Int(random.next() % UInt64(cycles.count))]
            var index = Int(random.next() % UInt64(gaps.count))
            // History first, backwards from a random point in the first gap, so that the first poll finds a document.
            var time = -Double(random.next() % 1_000_000) / 1_000_000 * gaps[index]
            var history: [TimeInterval] = []
            var back = index
            var past = time
            for _ in 0..<Self.documentSize {
                history.append(past)
                back = (back + gaps.count - 1) % gaps.count
                past -= gaps[back]
            }
            var times = Array(history.reversed())
            while true {
                time += gaps[index]
                index = (index + 1) % gaps.count
                guard time < span + 2 * 86400 else { break }
                times.append(time)
            }
            feeds.append(Feed(times: times, storiesInWindow: times.filter { $0 >= 0 && $0 < span }.count))
        }
        self.feeds = feeds
        self.days = days
    }

    /// Runs the replay under `policy`.
    public func run(_ policy: Policy) -> Report {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let span = days * 86400
        let ids = feeds.indices.map { FeedID("f\($0)") }
        let configs = feeds.indices.map { index -> FeedConfig in
            let url = URL(string: "https://f\(index).example/feed")!
            switch policy {
            case .fixed(let seconds): return FeedConfig(id: ids[index], url: url, interval: seconds)
            case .auto: return FeedConfig(id: ids[index], url: url, interval: AutoInterval.defaultMinimum, auto: AutoInterval())
            }
        }
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var schedule = Schedule()
        var timers = DueQueue<Int>()
        var seenCount = [Int](repeating: 0, count: feeds.count)
        var fetches = [Int](repeating: 0, count: feeds.count)
        var delays = [[TimeInterval]](repeating: [], count: feeds.count)
        let limits = Schedule.Limits(concurrency: Int.max / 2, perHostConcurrency: Int.max / 2, perHostDelay: 0)
        var pending = schedule.load(configs, limits: limits, states: [:], now: start)
        var now = start
        // Past the window by the longest interval, so that every story of the window is found.
        let end = span + 86400 * 1.2
        while true {
            while let action = pending.popLast() {
                switch action {
                case .arm(let id, let at): timers.arm(index[id]!, at: at)
                case .wake, .fetchPage: break
                case .fetch(let id):
                    let feed = index[id]!
                    let elapsed = now.timeIntervalSince(start)
                    let times = feeds[feed].times
                    var published = seenCount[feed]
                    while published < times.count && times[published] <= elapsed { published += 1 }
                    let first = seenCount[feed] == 0
                    for time in times[seenCount[feed]..<published] where time >= 0 && time < span {
                        delays[feed].append(elapsed - time)
                    }
                    let document = times[max(0, published - Self.documentSize)..<published]
                    let new = first ? document.count : published - seenCount[feed]
                    seenCount[feed] = published
                    if elapsed < span { fetches[feed] += 1 }
                    var dates: [Date]? = nil
                    if case .auto(true) = policy { dates = document.map { start + $0 } } else if case .auto = policy { dates = [] }
                    let findings = Schedule.Findings(publisher: nil, newStories: new, itemDates: dates)
                    pending += schedule.finished(id, .succeeded(hint: nil, findings: findings), now: now).reversed()
                }
            }
            guard let (feed, at) = timers.next(), at.timeIntervalSince(start) < end else { break }
            now = at
            pending = schedule.due(ids[feed], now: now).reversed()
        }
        let frequent = feeds.indices.filter { Double(feeds[$0].storiesInWindow) >= days }
        let medians = delays.map { $0.isEmpty ? nil : $0.sorted()[$0.count / 2] }
        return Report(
            policy: policy, feeds: feeds.count, fetchesPerDay: Double(fetches.reduce(0, +)) / days,
            delays: delays.flatMap { $0 }, frequentFeeds: frequent.count,
            frequentFetchesPerDay: Double(frequent.map { fetches[$0] }.reduce(0, +)) / days,
            frequentDelays: frequent.flatMap { delays[$0] }, feedMedians: medians.compactMap { $0 },
            frequentFeedMedians: frequent.compactMap { medians[$0] })
    }
}

/// A small seeded generator (Steele, Lea and Flood's SplitMix64), so that a replay is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
