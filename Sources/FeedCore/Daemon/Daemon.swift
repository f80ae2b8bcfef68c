import Dispatch
import Foundation

/// The running daemon, and the composition root: it wires the schedule, the fetcher, the parser and the store.
///
/// Threading: every mutable property is touched only on `queue`, a serial queue that also runs the timers.
/// Fetches and parses run as tasks off the queue and hop back onto it with their result; story lines and state
/// files are written on the queue in batches (one fdatasync per batch), so lines are durable before the state
/// that claims them.
final class Daemon: @unchecked Sendable {
    struct Dependencies {
        var client: any HTTPClient
        var timers: any Timers
        var logger: Logger
        var notifier: ServiceNotifier?
    }

    let queue: DispatchQueue
    private let deps: Dependencies
    private(set) var config: Config
    private let stateDirectory: URL
    private let log: StoryLog
    private let store: FeedStateStore
    private var schedule = Schedule()
    private var feeds: [FeedID: FeedConfig] = [:]
    private var states: [FeedID: FeedState] = [:]
    private var feedTimers: [FeedID: any TimerHandle] = [:]
    private var wake: (at: Date, handle: any TimerHandle)?
    private var tasks: [FeedID: Task<Void, Never>] = [:]
    private var pending: [FeedUpdate] = []
    /// Seen keys whose file could not be written (a full disk): used instead of the file, retried at every flush,
    /// and holding back the checkpoint, so that their stories are not logged twice.
    private var unsavedSeen: [FeedID: SeenKeys] = [:]
    private var flushScheduled = false
    private var checkpointDirty = false
    /// Whether `states` changed since feeds.json was last written; it is written with the checkpoints, at most
    /// every `statesInterval` seconds, and when a pass or the daemon ends.
    private var statesDirty = false
    private var statesWritten = Date.distantPast
    private static let statesInterval: TimeInterval = 30
    private var stopping = false
    private var whenIdle: (() -> Void)?
    private var pass = PassCounters()
    /// Whether a pass ends with its summary line: in `once`; `run` logs `summary` once per period instead.
    private var logsPasses = false
    private var summary = PollSummary()
    private var recent = RecentStories()

    private struct PassCounters {
        var started: Date?
        var fetched = 0
        var new = 0
        var failed = 0
    }

    /// Opens the state directory: repairs the log's last line, replays the log since the last checkpoint into
    /// the seen keys, and loads every feed's state.
    init(config: Config, stateDirectory: URL, queue: DispatchQueue, dependencies: Dependencies) throws(StoreError) {
        self.config = config
        self.stateDirectory = stateDirectory
        self.queue = queue
        self.deps = dependencies
        log = try StoryLog(directory: stateDirectory, maxBytes: config.logMaxBytes)
        store = FeedStateStore(directory: stateDirectory)
        store.removeLeftoverTempFiles()
        let replayed = try Checkpoint.recover(log: log, store: store, directory: stateDirectory)
        if replayed > 0 { deps.logger.info("replayed story log", ["stories": replayed]) }
        states = store.allStates()
    }

    // MARK: - Life cycle

    /// Schedules every feed: the daemon runs from now on, on its timers.
    func start() {
        queue.async { [self] in
            load(config)
            scheduleCheckpoints()
            scheduleSummary()
        }
    }

    /// Fetches every feed once now, whatever its schedule says, then calls `completion` on the queue.
    func runOnce(_ completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            logsPasses = true
            load(config)
            whenIdle = { [self] in
                perform(schedule.stop())
                flush()
                saveStates()
                saveCheckpoint()
                log.close()
                completion()
            }
            perform(schedule.fetchAllNow(now: deps.timers.now))
            if schedule.isIdle { whenIdle?() }
        }
    }

    /// Takes a new configuration: new feeds start, removed ones stop, changed ones take their settings.
    func reload(_ newConfig: Config) {
        queue.async { [self] in
            config = newConfig
            load(newConfig)
            deps.logger.info("configuration reloaded", ["feeds": newConfig.feeds.count])
        }
    }

    /// Stops scheduling, cancels fetches in flight, writes what is pending, then calls `completion` on the queue.
    func stop(_ completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            stopping = true
            perform(schedule.stop())
            wake?.handle.cancel()
            wake = nil
            for task in tasks.values { task.cancel() }
            let finish: @Sendable () -> Void = { [self] in
                flush()
                saveStates()
                saveCheckpoint()
                log.close()
                completion()
            }
            if tasks.isEmpty {
                finish()
            } else {
                whenIdle = finish
                // Fetches normally end at once when cancelled; do not wait past systemd's patience for one that does not.
                deps.timers.schedule(after: 3) { [self] in
                    if let finish = whenIdle {
                        whenIdle = nil
                        finish()
                    }
                }
            }
        }
    }

    // MARK: - Scheduling

    private func load(_ config: Config) {
        var wanted: [FeedID: FeedConfig] = [:]
        for feed in config.feeds {
            wanted[feed.id] = feed
            if var state = states[feed.id], state.configURL != nil, state.reconcile(withConfigURL: feed.url.absoluteString) {
                states[feed.id] = state
                statesDirty = true
            }
        }
        feeds = wanted
        let limits = Schedule.Limits(
            concurrency: config.concurrency, perHostConcurrency: config.perHostConcurrency,
            perHostDelay: config.perHostDelay)
        perform(schedule.load(config.feeds, limits: limits, states: states, now: deps.timers.now))
    }

    private func perform(_ actions: [Schedule.Action]) {
        let now = deps.timers.now
        for action in actions {
            switch action {
            case .arm(let id, let at):
                feedTimers[id]?.cancel()
                feedTimers[id] = nil
                if let at {
                    feedTimers[id] = deps.timers.schedule(after: at.timeIntervalSince(now)) { [self] in
                        feedTimers[id] = nil
                        perform(schedule.due(id, now: deps.timers.now))
                    }
                }
            case .fetch(let id):
                startFetch(id)
            case .wake(let at):
                guard wake == nil || at < wake!.at else { continue }
                wake?.handle.cancel()
                let handle = deps.timers.schedule(after: at.timeIntervalSince(now)) { [self] in
                    wake = nil
                    perform(schedule.dispatch(now: deps.timers.now))
                }
                wake = (at, handle)
            }
        }
    }

    private func startFetch(_ id: FeedID) {
        guard let feed = feeds[id], !stopping else {
            perform(schedule.finished(id, .cancelled, now: deps.timers.now))
            return
        }
        if pass.started == nil { pass = PassCounters(started: deps.timers.now) }
        let state = states[id] ?? FeedState(configURL: feed.url.absoluteString)
        let fetcher = Fetcher(client: deps.client, maxBodyBytes: config.maxBodyBytes, clock: { [timers = deps.timers] in timers.now })
        let target = state.permanentURL.flatMap(URL.init(string:))
        let validators = Validators(etag: state.etag, lastModified: state.lastModified)
        let sizeLimit = config.maxBodyBytes
        let timers = deps.timers
        tasks[id] = Task { [self] in
            let started = timers.now
            let outcome = await fetcher.fetch(feed, at: target, validators: validators)
            var parsed: Result<ParsedFeed, ParseError>?
            if case .fresh(let body, let finalURL, _, _, _) = outcome {
                do throws(ParseError) {
                    parsed = .success(try FeedParser.parse(body, url: finalURL, sizeLimit: sizeLimit))
                } catch {
                    parsed = .failure(error)
                }
            }
            let fetched = FeedUpdate.Fetched(outcome: outcome, parsed: parsed, started: started, finished: timers.now)
            queue.async { [self] in finished(feed, fetched) }
        }
    }

    private func finished(_ feed: FeedConfig, _ fetched: FeedUpdate.Fetched) {
        let id = feed.id
        tasks[id] = nil
        let now = deps.timers.now
        guard !stopping, feeds[id] == feed else {
            // Cancelled by shutdown, or the config changed the feed meanwhile: nothing learned is recorded.
            perform(schedule.finished(id, .cancelled, now: now))
            idleCheck()
            return
        }
        let previous = states[id] ?? FeedState(configURL: feed.url.absoluteString)
        // Only a parsed document is compared with the seen keys: a 304 or a failure reads no file.
        var seen: SeenKeys?
        if case .fresh = fetched.outcome, case .success = fetched.parsed { seen = loadSeen(id) }
        var update = FeedUpdate.apply(fetched, feed: feed, state: previous, seen: seen)
        let actions = schedule.finished(id, update.result, now: now)
        for case .arm(let armed, let at) in actions where armed == id { update.state.nextDue = at }
        states[id] = update.state
        if let moved = update.movedTo {
            deps.logger.log(.notice, "feed moved permanently; update its URL in the config", ["feed": id, "url": moved])
        }
        deps.logger.log(update.event.level, update.event.message, update.event.fields)
        pass.fetched += 1
        pass.new += update.stories.count
        summary.count(stories: update.stories.count)
        if case .failed = update.result { pass.failed += 1 }
        pending.append(update)
        scheduleFlush()
        perform(actions)
        idleCheck()
    }

    private func idleCheck() {
        guard schedule.isIdle, tasks.isEmpty else { return }
        if let started = pass.started {
            let milliseconds = Int(deps.timers.now.timeIntervalSince(started) * 1000)
            if logsPasses {
                deps.logger.info(
                    "pass done", ["feeds": pass.fetched, "new": pass.new, "failed": pass.failed, "ms": milliseconds])
            }
            pass = PassCounters()
        }
        if let action = whenIdle {
            whenIdle = nil
            action()
        }
    }

    /// The feed's seen keys; a seen file that does not parse is rebuilt from the whole log.
    private func loadSeen(_ id: FeedID) -> SeenKeys? {
        if let unsaved = unsavedSeen[id] { return unsaved }
        switch store.loadSeen(id) {
        case .absent: return nil
        case .loaded(let keys): return keys
        case .corrupt:
            deps.logger.warning("seen keys unreadable, rebuilding from the story log", ["feed": id])
            return try? Checkpoint.rebuildSeen(for: id, directory: stateDirectory, now: deps.timers.now)
        }
    }

    // MARK: - Writing

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        // Run after the completions already queued, so that they share one fdatasync.
        queue.async { [self] in
            flushScheduled = false
            flush()
        }
    }

    /// Appends the pending stories (durably), then writes the feeds' seen keys and states.
    private func flush() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll()
        let stories = batch.flatMap(\.stories)
        do throws(StoreError) {
            try log.append(stories)
        } catch {
            // Nothing of this batch is recorded: the feeds keep their old validators and seen keys, so the stories
            // come again on the next poll instead of being lost.
            deps.logger.error("cannot write the story log", ["error": error.description, "stories": stories.count])
            for update in batch where states[update.feed] == update.state {
                var restored = update.previousState
                restored.lastError = "story log: \(error)"
                restored.nextDue = update.state.nextDue
                states[update.feed] = restored
            }
            statesDirty = true
            return
        }
        recent.add(stories.count, at: deps.timers.now)
        for update in batch {
            if let seen = update.seen { unsavedSeen[update.feed] = seen }
        }
        statesDirty = true
        saveUnsavedSeen()
        do throws(StoreError) {
            // The batch's stories are durable: the states that claim them may reach the disk, for `feedd status`.
            try store.appendChanges(batch.compactMap { update in states[update.feed].map { (update.feed, $0) } })
        } catch {
            deps.logger.error("cannot append feed states", ["error": error.description])
        }
        checkpointDirty = true
        do throws(StoreError) {
            if let rotated = try log.rotateIfNeeded(now: deps.timers.now) {
                deps.logger.info("story log rotated", ["to": rotated.lastPathComponent])
                saveCheckpoint()
            }
        } catch {
            deps.logger.error("cannot rotate the story log", ["error": error.description])
        }
        notifyStatus()
    }

    private func scheduleCheckpoints() {
        deps.timers.schedule(after: 5) { [self] in
            guard !stopping else { return }
            saveCheckpoint()
            if deps.timers.now.timeIntervalSince(statesWritten) >= Self.statesInterval { saveStates() }
            scheduleCheckpoints()
        }
    }

    /// Writes every feed's state, when any changed.
    private func saveStates() {
        guard statesDirty else { return }
        do throws(StoreError) {
            try store.saveStates(states)
            statesDirty = false
            statesWritten = deps.timers.now
        } catch {
            deps.logger.error("cannot write feed states", ["error": error.description])
        }
    }

    /// Writes the seen keys still waiting for their file; what fails waits for the next try.
    private func saveUnsavedSeen() {
        for (id, seen) in unsavedSeen.sorted(by: { $0.key < $1.key }) {
            do throws(StoreError) {
                try store.saveSeen(seen, for: id)
                unsavedSeen[id] = nil
            } catch {
                deps.logger.error("cannot write seen keys", ["feed": id, "error": error.description])
            }
        }
    }

    /// Makes the state files durable, then records how far the log is reflected in them.
    private func saveCheckpoint() {
        saveUnsavedSeen()
        // Lines whose keys are only in memory must be replayed after a crash: the checkpoint waits for them.
        guard checkpointDirty, unsavedSeen.isEmpty else { return }
        do throws(StoreError) {
            try Checkpoint.save(log: log, directory: stateDirectory)
            checkpointDirty = false
        } catch {
            deps.logger.error("cannot save the checkpoint", ["error": error.description])
        }
    }

    /// Logs what the last period's polls came to, every period (see `PollSummary`), until the daemon stops.
    private func scheduleSummary() {
        let period = PollSummary.period(for: config)
        deps.timers.schedule(after: period) { [self] in
            guard !stopping else { return }
            summary.log(to: deps.logger, failing: failingFeeds, feeds: feeds.count, period: period)
            scheduleSummary()
        }
    }

    // MARK: - Status

    /// One line for `systemctl status`: `312 feeds, 14 new stories in the last hour, 2 failing`.
    var statusLine: String {
        let now = deps.timers.now
        let failing = failingFeeds
        let stories = recent.count(since: now - 3600)
        return "\(feeds.count) feed\(feeds.count == 1 ? "" : "s"), \(stories) new stor\(stories == 1 ? "y" : "ies") in the last hour, "
            + "\(failing) failing"
    }

    /// The configured feeds whose last poll failed.
    private var failingFeeds: Int {
        feeds.keys.filter { (states[$0]?.consecutiveFailures ?? 0) > 0 }.count
    }

    private func notifyStatus() {
        deps.notifier?.send("STATUS=\(statusLine)")
    }
}

/// How many stories were found when, for the last hour's count; one bucket per minute.
struct RecentStories {
    private var buckets: [(minute: Int, count: Int)] = []

    mutating func add(_ count: Int, at date: Date) {
        guard count > 0 else { return }
        let minute = Int(date.timeIntervalSince1970 / 60)
        if buckets.last?.minute == minute {
            buckets[buckets.count - 1].count += count
        } else {
            buckets.append((minute, count))
        }
        let oldest = minute - 60
        buckets.removeAll { $0.minute < oldest }
    }

    func count(since date: Date) -> Int {
        let minute = Int(date.timeIntervalSince1970 / 60)
        return buckets.filter { $0.minute >= minute }.reduce(0) { $0 + $1.count }
    }
}
