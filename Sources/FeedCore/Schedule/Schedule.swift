import Foundation

/// When each feed is fetched next, and which fetches may start now: a pure state machine.
///
/// It takes the time as an argument and answers with actions for its driver (arm a feed's timer, start a fetch,
/// wake up later), so every rule here is tested as plain values. Limits: at most `concurrency` fetches in flight,
/// at most `perHostConcurrency` to one host, at least `perHostDelay` between two starts on one host, and none to a
/// host that a 429 or 503 with Retry-After paused. The pages of new stories (`fulltext`) wait in the same queues
/// under the same limits as feeds: a story's page is often on the feed's own host.
struct Schedule {
    enum Action: Equatable {
        case fetch(FeedID)
        /// Fetch the story page the daemon enqueued under this token (`enqueuePage`).
        case fetchPage(Int)
        /// Arm the feed's timer for the date (replacing an earlier one); nil disarms it.
        case arm(FeedID, at: Date?)
        /// Call `dispatch(now:)` again then: a host's delay or pause ends.
        case wake(at: Date)
    }

    /// How a fetch ended, as far as timing goes.
    enum FetchResult: Equatable {
        /// 200 or 304; `hint` is how long the response may be cached (Cache-Control, Expires).
        case succeeded(hint: TimeInterval?, findings: Findings = Findings())
        case failed(retryAfter: Date?, pausesHost: Bool)
        /// 410: stop polling until the config changes the feed.
        case gone
        /// Stopped by shutdown or a reload; nothing is learned.
        case cancelled
    }

    struct Limits: Equatable {
        var concurrency = 16
        var perHostConcurrency = 2
        var perHostDelay: TimeInterval = 0
    }

    /// Longest a publisher's hint may push the next poll out, so that a feed cannot silence itself for weeks.
    static let longestHint: TimeInterval = 86400
    /// Longest backoff after failures; polling never stops for good.
    static let longestBackoff: TimeInterval = 86400
    /// Gap between the starts of overdue feeds after a restart, so they do not all start in the same second.
    static let staggerStep: TimeInterval = 0.01

    /// A feed as the schedule tracks it, kept out of line (`CopyOnWrite`): `entries` has a slot per feed and
    /// more (262,144 for 100,000 feeds), each a pointer instead of 200 bytes.
    @dynamicMemberLookup
    private struct Entry {
        struct Fields {
            var config: FeedConfig
            var host: String
            var nextDue: Date?
            var failures: Int
            var gone: Bool
            var phase: Phase
            /// The publisher's hints as the last document (or the state file) gave them.
            var hints: PublisherHints
            /// What polls have learned of the feed's pace (`"interval": "auto"` only).
            var rate: PublicationRate?
            var reason: DueReason = .interval

            /// The interval the feed is polled at when nothing else decides: the configured one, or the learned one.
            func interval(now: Date) -> TimeInterval {
                guard let auto = config.auto else { return config.interval }
                return rate?.interval ?? AdaptiveInterval.interval(rate, bounds: auto, now: now)
            }
        }

        private var box: CopyOnWrite<Fields>

        init(
            config: FeedConfig, host: String, nextDue: Date?, failures: Int, gone: Bool, phase: Phase,
            hints: PublisherHints, rate: PublicationRate?
        ) {
            box = CopyOnWrite(
                Fields(
                    config: config, host: host, nextDue: nextDue, failures: failures, gone: gone, phase: phase,
                    hints: hints, rate: rate))
        }

        subscript<Value>(dynamicMember field: WritableKeyPath<Fields, Value>) -> Value {
            get { box[field] }
            set { box[field] = newValue }
        }

        func interval(now: Date) -> TimeInterval { box.value.interval(now: now) }
    }

    private enum Phase: Equatable { case idle, ready, inFlight }

    /// Something waiting for a slot: a feed's fetch, or a story page's.
    private enum Job: Hashable {
        case feed(FeedID)
        case page(Int)
    }

    private(set) var limits = Limits()
    private var entries: [FeedID: Entry] = [:]
    private var ready: [String: [Job]] = [:]
    private var readyHosts: [String] = []
    private var inFlightByHost: [String: Int] = [:]
    /// The host each fetch in flight counts against: a reload may remove its feed, or move it to another host,
    /// before the fetch ends, and the fetch must then free the slot it took, not one of the feed's new host.
    private var inFlightHosts: [FeedID: String] = [:]
    /// The host each page fetch in flight counts against, by its token.
    private var pageHosts: [Int: String] = [:]
    /// Feeds whose fetch gave back its slot (`release`) but has not finished: their story pages are being fetched.
    private var released: Set<FeedID> = []
    private var lastStartByHost: [String: Date] = [:]
    private var pausedUntil: [String: Date] = [:]
    private(set) var inFlight = 0

    /// Whether nothing is in flight or waiting to start: a `once` pass is over.
    var isIdle: Bool { inFlight == 0 && readyHosts.isEmpty && released.isEmpty }

    /// The feeds the schedule knows, with when each is due next (nil: gone, disabled, or in flight).
    var nextDue: [FeedID: Date?] { entries.mapValues { $0.nextDue } }

    func failures(of id: FeedID) -> Int { entries[id]?.failures ?? 0 }

    /// Why the feed's next poll is when it is.
    func reason(of id: FeedID) -> DueReason? { entries[id]?.reason }

    /// What the feed's polls have learned of its pace; nil unless its interval is `"auto"`.
    func rate(of id: FeedID) -> PublicationRate? { entries[id]?.config.auto == nil ? nil : entries[id]?.rate }

    /// The hosts the per-host maps (pauses, last starts, fetches in flight) hold an entry for.
    var trackedHosts: Set<String> {
        Set(pausedUntil.keys).union(lastStartByHost.keys).union(inFlightByHost.keys)
    }

    // MARK: - Configuration

    /// Takes a configuration, at start or on reload. Unchanged feeds keep their timers, changed ones take their
    /// new settings, new ones are due at once (staggered), removed ones stop; `limits` apply from now on. A feed
    /// whose fetch is still in flight (removed and added back) waits for that fetch. The pauses and last starts of
    /// hosts no config feed is on any more are forgotten, so that those maps stay as small as the config.
    /// - Parameter states: what the state files say of each feed, used for feeds the schedule does not know yet.
    mutating func load(_ feeds: [FeedConfig], limits: Limits, states: [FeedID: FeedState], now: Date) -> [Action] {
        self.limits = limits
        var actions: [Action] = []
        let wanted = Dictionary(feeds.filter(\.enabled).map { ($0.id, $0) }) { first, _ in first }
        for (id, entry) in entries where wanted[id] == nil {
            removeFromReady(id, host: entry.host)
            entries[id] = nil
            actions.append(.arm(id, at: nil))
        }
        var overdue = 0
        for config in feeds where config.enabled {
            if var entry = entries[config.id] {
                guard entry.config != config else { continue }
                let moved = entry.config.url != config.url
                entry.config = config
                if moved {
                    // A config edit of the URL is the user's answer to a 410 or a failure streak: start afresh.
                    entry.gone = false
                    entry.failures = 0
                    removeFromReady(config.id, host: entry.host)
                    entry.host = Self.host(of: config.url)
                    if entry.phase == .ready { entry.phase = .idle }
                    entry.nextDue = now
                } else if let due = entry.nextDue, due > now + (config.auto?.maximum ?? config.interval) {
                    entry.nextDue = now + (config.auto?.maximum ?? config.interval)
                    entry.reason = .interval
                }
                entries[config.id] = entry
                if entry.phase == .idle { actions.append(.arm(config.id, at: entry.gone ? nil : entry.nextDue)) }
                continue
            }
            let state = states[config.id]
            let gone = state?.gone == true && state?.configURL == config.url.absoluteString
            var due: Date? = nil
            if !gone {
                if let stateDue = state?.nextDue, stateDue > now {
                    due = stateDue
                } else {
                    due = now + Double(overdue) * Self.staggerStep
                    overdue += 1
                }
            }
            let sameURL = state?.configURL == config.url.absoluteString
            // Removed and added back while its fetch runs: that fetch's end arms the feed, as for any other.
            let busy = inFlightHosts[config.id] != nil || released.contains(config.id)
            entries[config.id] = Entry(
                config: config, host: Self.host(of: config.url), nextDue: busy ? nil : due,
                failures: sameURL ? state?.consecutiveFailures ?? 0 : 0, gone: gone, phase: busy ? .inFlight : .idle,
                hints: sameURL ? state?.publisherHints ?? PublisherHints() : PublisherHints(),
                rate: sameURL ? state?.publicationRate : nil)
            actions.append(.arm(config.id, at: busy ? nil : due))
        }
        forgetHostsNoLongerConfigured(now: now)
        return actions + dispatch(now: now)
    }

    /// Drops the pauses and last starts of hosts that no configured feed is on, and those that no longer hold
    /// anything back. Counts of fetches in flight stay until those fetches end (`finished` drops a count at 0).
    private mutating func forgetHostsNoLongerConfigured(now: Date) {
        // Hosts of story pages waiting or in flight keep their pauses too.
        let hosts = Set(entries.values.map(\.host)).union(pageHosts.values).union(readyHosts)
        pausedUntil = pausedUntil.filter { hosts.contains($0.key) && $0.value > now }
        let delay = limits.perHostDelay
        lastStartByHost = lastStartByHost.filter { hosts.contains($0.key) && $0.value + delay > now }
    }

    // MARK: - Events

    /// A feed's timer fired: it joins its host's queue and starts when the limits allow.
    mutating func due(_ id: FeedID, now: Date) -> [Action] {
        guard var entry = entries[id], entry.phase == .idle, !entry.gone else { return [] }
        entry.phase = .ready
        entry.nextDue = nil
        entries[id] = entry
        enqueue(.feed(id), host: entry.host)
        return dispatch(now: now)
    }

    /// Every enabled feed that is not gone is due now, whatever its timer says (`feedd once`).
    mutating func fetchAllNow(now: Date) -> [Action] {
        var actions: [Action] = []
        for id in entries.keys.sorted() where entries[id]!.phase == .idle && !entries[id]!.gone {
            actions.append(.arm(id, at: nil))
            actions += due(id, now: now)
        }
        return actions + dispatch(now: now)
    }

    /// A feed's fetch gave its answer but is not finished: its slot frees, so that the pages of its new stories
    /// can take slots (on its own host too), while the feed stays in flight, not polled again until `finished`.
    mutating func release(_ id: FeedID, now: Date) -> [Action] {
        guard let host = inFlightHosts.removeValue(forKey: id) else { return dispatch(now: now) }
        freeSlot(on: host)
        released.insert(id)
        return dispatch(now: now)
    }

    /// A fetch ended: its slot frees (unless `release` freed it) and the feed's next poll is set.
    mutating func finished(_ id: FeedID, _ result: FetchResult, now: Date) -> [Action] {
        let slotHost = inFlightHosts.removeValue(forKey: id)
        if let slotHost {
            freeSlot(on: slotHost)
        } else if released.remove(id) == nil {
            return dispatch(now: now)
        }
        // A feed the config removed meanwhile has no entry: its slot is free, nothing else is to be done.
        guard var entry = entries[id], entry.phase == .inFlight else { return dispatch(now: now) }
        entry.phase = .idle
        var interval = entry.interval(now: now)
        switch result {
        case .succeeded(let hint, let findings):
            entry.failures = 0
            if let publisher = findings.publisher { entry.hints = publisher }
            var reason = DueReason.interval
            if let auto = entry.config.auto {
                var rate = AdaptiveInterval.learn(
                    entry.rate, newStories: findings.newStories, itemDates: findings.itemDates, now: now)
                interval = AdaptiveInterval.interval(rate, bounds: auto, now: now)
                rate.interval = interval
                entry.rate = rate
                reason = .auto(interval)
            }
            (entry.nextDue, entry.reason) = entry.hints.nextPoll(
                after: now, interval: interval, reason: reason, cacheFor: hint,
                jitter: 1 + 0.05 * Self.jitter(id, entry.failures, now))
        case .failed(let retryAfter, let pausesHost):
            entry.failures += 1
            // Jitter only lengthens the wait: a failing feed is never polled sooner than a healthy one.
            let spread = 1 + 0.1 * (1 + Self.jitter(id, entry.failures, now))
            var wait = Self.backoff(interval: interval, failures: entry.failures) * spread
            entry.reason = .backoff
            if let retryAfter {
                let asked = min(max(0, retryAfter.timeIntervalSince(now)), Self.longestBackoff)
                if asked > wait { entry.reason = .retryAfter }
                wait = max(wait, asked)
                if pausesHost {
                    let host = slotHost ?? entry.host
                    pausedUntil[host] = max(pausedUntil[host] ?? now, now + asked)
                }
            }
            entry.nextDue = now + wait
        case .gone:
            entry.gone = true
            entry.nextDue = nil
        case .cancelled:
            entry.nextDue = now + interval
            entry.reason = entry.config.auto == nil ? .interval : .auto(interval)
        }
        entries[id] = entry
        return [.arm(id, at: entry.nextDue)] + dispatch(now: now)
    }

    // MARK: - Story pages

    /// Queues the fetch of a story page, known to the daemon by `token`, behind what waits for the page's host.
    mutating func enqueuePage(_ token: Int, url: URL, now: Date) -> [Action] {
        enqueue(.page(token), host: Self.host(of: url))
        return dispatch(now: now)
    }

    /// A page fetch ended: its slot frees; a 429 or 503 with Retry-After pauses its host as it would for a feed.
    mutating func pageFinished(_ token: Int, retryAfter: Date?, now: Date) -> [Action] {
        guard let host = pageHosts.removeValue(forKey: token) else { return dispatch(now: now) }
        freeSlot(on: host)
        if let retryAfter {
            let asked = min(max(0, retryAfter.timeIntervalSince(now)), Self.longestBackoff)
            pausedUntil[host] = max(pausedUntil[host] ?? now, now + asked)
        }
        return dispatch(now: now)
    }

    private mutating func freeSlot(on host: String) {
        inFlight -= 1
        inFlightByHost[host, default: 1] -= 1
        if inFlightByHost[host] == 0 { inFlightByHost[host] = nil }
    }

    /// Starts every ready fetch the limits allow; asks to be woken when a host's delay or pause ends.
    mutating func dispatch(now: Date) -> [Action] {
        var actions: [Action] = []
        var earliestWake: Date?
        var index = 0
        while index < readyHosts.count && inFlight < limits.concurrency {
            let host = readyHosts[index]
            if let until = pausedUntil[host], until > now {
                earliestWake = min(earliestWake ?? until, until)
                index += 1
                continue
            }
            pausedUntil[host] = nil

            while inFlight < limits.concurrency, inFlightByHost[host, default: 0] < limits.perHostConcurrency,
                let job = ready[host]?.first
            {
                if limits.perHostDelay > 0, let last = lastStartByHost[host], last + limits.perHostDelay > now {
                    let next = last + limits.perHostDelay
                    earliestWake = min(earliestWake ?? next, next)
                    break
                }
                ready[host]!.removeFirst()
                inFlight += 1
                inFlightByHost[host, default: 0] += 1
                lastStartByHost[host] = now
                switch job {
                case .feed(let id):
                    entries[id]!.phase = .inFlight
                    inFlightHosts[id] = host
                    actions.append(.fetch(id))
                case .page(let token):
                    pageHosts[token] = host
                    actions.append(.fetchPage(token))
                }

            }
            if ready[host]?.isEmpty ?? true {
                ready[host] = nil
                readyHosts.remove(at: index)
            } else {
                index += 1
            }
        }
        if let earliestWake { actions.append(.wake(at: earliestWake)) }
        return actions
    }

    /// Disarms every timer: the daemon is stopping.
    mutating func stop() -> [Action] {
        readyHosts.removeAll()
        ready.removeAll()
        return entries.keys.sorted().map { .arm($0, at: nil) }
    }

    // MARK: - Rules

    /// Exponential backoff after `failures` consecutive failures: the interval, doubled after each further
    /// failure, capped at a day. Never shorter than the interval: a failing server (a 500, a 429 or 503 without
    /// `Retry-After`) is polled less often than a healthy one, never more.
    static func backoff(interval: TimeInterval, failures: Int) -> TimeInterval {
        let doubled = interval * pow(2, Double(min(max(0, failures - 1), 32)))
        return max(interval, min(longestBackoff, doubled))
    }

    /// A number in -1...1 that differs between feeds and polls, so that feeds with one interval drift apart.
    static func jitter(_ id: FeedID, _ salt: Int, _ now: Date) -> Double {
        let hash = StableHash.fnv1a64("\(id.rawValue)/\(salt)/\(Int(now.timeIntervalSince1970))")
        return Double(hash % 2001) / 1000 - 1
    }

    static func host(of url: URL) -> String {
        url.host?.lowercased() ?? url.scheme ?? ""
    }

    private mutating func enqueue(_ job: Job, host: String) {
        if ready[host] == nil {
            ready[host] = []
            readyHosts.append(host)
        }
        ready[host]!.append(job)
    }

    private mutating func removeFromReady(_ id: FeedID, host: String) {
        guard let index = ready[host]?.firstIndex(of: .feed(id)) else { return }
        ready[host]!.remove(at: index)
        if ready[host]!.isEmpty {
            ready[host] = nil
            readyHosts.removeAll { $0 == host }
        }
    }
}
