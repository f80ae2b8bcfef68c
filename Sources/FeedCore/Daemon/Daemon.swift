import Dispatch
import Foundation

/// The running daemon, and the composition root: it wires the schedule, the fetcher, the parser and the store.
///
/// Threading: every mutable property is touched only on `queue`, a serial queue that also runs the timers.
/// Fetches and parses run as tasks off the queue and hop back onto it with their result, which goes to the
/// `Journal`: it writes story lines and state files in batches, lines durable before anything that claims them.
final class Daemon: @unchecked Sendable {
    struct Dependencies {
        var client: any HTTPClient
        var timers: any Timers
        var logger: Logger
        var notifier: ServiceNotifier?
        /// Seconds between two writes of the metrics file while the daemon runs (README.md, "Metrics": at most 15).
        var metricsInterval: TimeInterval = 10
    }

    let queue: DispatchQueue
    private let deps: Dependencies
    private(set) var config: Config
    private let journal: Journal
    private var schedule = Schedule()
    private var feeds: [FeedID: FeedConfig] = [:]
    /// When each feed is due, behind one timer armed for the earliest (`DueQueue`): not a Dispatch timer per feed.
    private var due = DueQueue<FeedID>()
    private var dueTimer: (at: Date, handle: any TimerHandle)?
    /// Set while due feeds are started, so that the timer is armed once after them, not once per feed.
    private var startingDue = false
    /// The handled feeds whose last poll failed, kept as fetches are recorded: the status line and the summary
    /// count them, and walking 100,000 states for it every 5 s took 6% of the daemon's CPU.
    private var failing: Set<FeedID> = []
    /// The configured feeds in the order of their ids, as the metrics file lists them: sorted once per config, not
    /// at every write (sorting 100,000 ids every 10 s was most of the metrics' cost).
    private var feedsByID: [FeedConfig] = []
    private var wake: (at: Date, handle: any TimerHandle)?
    private var tasks: [FeedID: Task<Void, Never>] = [:]
    /// The fetches of `fulltext` feeds whose story pages are being fetched, not recorded yet (see `ArticleBatch`).
    private var articleBatches: [FeedID: ArticleBatch] = [:]
    /// The story pages enqueued in the schedule or in flight, by token: whose story they are and where.
    private var pageJobs: [Int: (feed: FeedID, index: Int, url: URL)] = [:]
    private var pageTasks: [Int: Task<Void, Never>] = [:]
    private var nextPageToken = 0
    private var flushScheduled = false
    private var stopping = false
    private var whenIdle: (() -> Void)?
    private var pass = PassCounters()
    /// Whether a pass ends with its summary line: in `once`; `run` logs `summary` once per period instead.
    private var logsPasses = false
    /// Whether feeds are polled again when due: not in `once`, whose one pass may take longer than an interval.
    private var repolls = true
    private var summary = PollSummary()
    /// When the last STATUS= line was sent, and whether a later one waits for `statusInterval` to pass.
    private var statusSent = Date.distantPast
    private var statusPending = false
    private static let statusInterval: TimeInterval = 5
    private var recent = RecentStories()
    private let metrics = MetricsCounters()
    private let started: Date
    /// When the last pass ended, for the metrics.
    private var lastPass: Date?
    /// Whether the last write of the metrics file failed: the next failure is not logged again, a success is.
    private var metricsFailing = false

    private struct PassCounters {
        var started: Date?
        var fetched = 0
        var new = 0
        var failed = 0
    }

    /// Opens the state directory (see `Journal.init`).
    init(config: Config, stateDirectory: URL, queue: DispatchQueue, dependencies: Dependencies) throws(StoreError) {
        self.config = config
        self.queue = queue
        self.deps = dependencies
        started = dependencies.timers.now
        journal = try Journal(
            directory: stateDirectory, maxBytes: config.logMaxBytes, logger: dependencies.logger,
            clock: { [timers = dependencies.timers] in timers.now })
    }

    // MARK: - Life cycle

    /// Schedules every feed: the daemon runs from now on, on its timers.
    func start() {
        queue.async { [self] in
            load(config)
            scheduleCheckpoints()
            scheduleSummary()
            writeMetrics()
            scheduleMetrics()
        }
    }

    /// Fetches every feed once now, whatever its schedule says, then calls `completion` on the queue.
    func runOnce(_ completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            logsPasses = true
            repolls = false
            load(config)
            whenIdle = { [self] in
                perform(schedule.stop())
                flush()
                writeMetrics()
                journal.close()
                completion()
            }
            perform(schedule.fetchAllNow(now: deps.timers.now))
            if schedule.isIdle { whenIdle?() }
        }
    }

    /// Takes a new configuration: new feeds start, removed ones stop and their states are pruned (`Journal.follow`),
    /// changed ones take their settings, and so do the schedule, the HTTP client and the log (`ReloadScope`). A
    /// setting that waits for a restart is logged as a warning, once per reload that finds it changed.
    /// - Parameter stateDirectory: the state directory the new config names, resolved as at start; nil when the
    ///   caller does not know it.
    func reload(_ newConfig: Config, stateDirectory: URL? = nil) {
        queue.async { [self] in
            let pending = stateDirectory.map {
                ReloadScope.pending(runningStateDirectory: journal.directory, configuredStateDirectory: $0)
            }
            for setting in pending ?? [] {
                deps.logger.warning(
                    "setting changed; it takes effect after a restart",
                    ["field": setting.field, "running": setting.running, "configured": setting.configured])
            }
            journal.logMaxBytes = newConfig.logMaxBytes
            deps.client.setMaximumConnectionsPerHost(newConfig.perHostConcurrency)
            config = newConfig
            load(newConfig)
            deps.logger.info("configuration reloaded", ["feeds": feeds.count, "shard": newConfig.shard])
        }
    }

    /// Stops scheduling, cancels fetches in flight, writes what is pending, then calls `completion` on the queue.
    func stop(_ completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            stopping = true
            perform(schedule.stop())
            wake?.handle.cancel()
            wake = nil
            dueTimer?.handle.cancel()
            dueTimer = nil
            for task in tasks.values { task.cancel() }
            for task in pageTasks.values { task.cancel() }
            // Stories waiting for their pages are not logged: like a crash, it leaves their seen keys unsaved, and
            // they come again at the next start. The schedule's answer is not acted on: it is stopping.
            for id in articleBatches.keys { _ = schedule.finished(id, .cancelled, now: deps.timers.now) }
            articleBatches.removeAll()
            pageJobs.removeAll()
            let finish: @Sendable () -> Void = { [self] in
                flush()
                writeMetrics()
                journal.close()
                completion()
            }
            if tasks.isEmpty && pageTasks.isEmpty {
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

    /// Schedules the feeds this instance handles (`Config.handledFeeds`). The journal follows every configured
    /// feed: a feed of another shard is not a removed feed, and whatever this state directory holds of it (from
    /// before the shards, or from another split) is kept, as for a disabled feed, not pruned.
    private func load(_ config: Config) {
        journal.follow(config.feeds)
        feedsByID = config.feeds.sorted { $0.id < $1.id }
        let handled = config.handledFeeds
        var wanted: [FeedID: FeedConfig] = [:]
        for feed in handled {
            wanted[feed.id] = feed
            if var state = journal.states[feed.id], state.configURL != nil,
                state.reconcile(withConfigURL: feed.url.absoluteString)
            {
                journal.setState(state, for: feed.id)
            }
        }
        feeds = wanted
        failing = Set(handled.lazy.map(\.id).filter { (self.journal.states[$0]?.consecutiveFailures ?? 0) > 0 })
        let limits = Schedule.Limits(
            concurrency: config.concurrency, perHostConcurrency: config.perHostConcurrency,
            perHostDelay: config.perHostDelay)
        perform(schedule.load(handled, limits: limits, states: journal.states, now: deps.timers.now))
        for (id, batch) in articleBatches where wanted[id] != batch.feed { dropArticles(of: id) }
    }

    private func perform(_ actions: [Schedule.Action]) {
        let now = deps.timers.now
        for action in actions {
            switch action {
            case .arm(let id, let at):
                due.arm(id, at: repolls ? at : nil)
                armDueTimer()
            case .fetch(let id):
                startFetch(id)
            case .fetchPage(let token):
                startPage(token)
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

    /// Arms the timer for the earliest due feed, unless it is armed for that date already.
    private func armDueTimer() {
        guard !startingDue else { return }
        let earliest = due.earliest()
        guard earliest != dueTimer?.at else { return }
        dueTimer?.handle.cancel()
        dueTimer = nil
        guard let earliest else { return }
        let handle = deps.timers.schedule(after: earliest.timeIntervalSince(deps.timers.now)) { [self] in
            dueTimer = nil
            startDueFeeds()
        }
        dueTimer = (earliest, handle)
    }

    /// Tells the schedule of every feed due now (or within a few milliseconds: the timer's clock and `now` may
    /// differ by that much), then arms the timer for the next.
    private func startDueFeeds() {
        startingDue = true
        let now = deps.timers.now
        while let (id, _) = due.next(dueBy: now + 0.005) {
            perform(schedule.due(id, now: now))
        }
        startingDue = false
        armDueTimer()
    }

    private func startFetch(_ id: FeedID) {
        guard let feed = feeds[id], !stopping else {
            perform(schedule.finished(id, .cancelled, now: deps.timers.now))
            return
        }
        if pass.started == nil { pass = PassCounters(started: deps.timers.now) }
        let state = journal.states[id] ?? FeedState(configURL: feed.url.absoluteString)
        let fetcher = Fetcher(client: deps.client, maxBodyBytes: config.maxBodyBytes, clock: { [timers = deps.timers] in timers.now })
        let target = state.permanentURL.flatMap(URL.init(string:))
        let validators = Validators(etag: state.etag, lastModified: state.lastModified)
        let sizeLimit = config.maxBodyBytes
        let timers = deps.timers
        let seenSource = journal.seenSource(for: id)
        tasks[id] = Task { [self] in
            let started = timers.now
            let outcome = await fetcher.fetch(feed, at: target, validators: validators)
            var parsed: Result<ParsedFeed, ParseError>?
            var seen: Result<SeenKeysSource.Loaded, StoreError>?
            if case .fresh(let body, let finalURL, _, _, _) = outcome {
                do throws(ParseError) {
                    parsed = .success(try FeedParser.parse(body, url: finalURL, sizeLimit: sizeLimit))
                    // Only a parsed document is compared with the seen keys: a 304 or a failure reads no file.
                    seen = Result { () throws(StoreError) in try seenSource.load() }
                } catch {
                    parsed = .failure(error)
                }
            }
            let fetched = FeedUpdate.Fetched(outcome: outcome, parsed: parsed, started: started, finished: timers.now)
            queue.async { [self, seen] in finished(feed, fetched, seen: seen) }
        }
    }

    private func finished(
        _ feed: FeedConfig, _ fetched: FeedUpdate.Fetched, seen loaded: Result<SeenKeysSource.Loaded, StoreError>?
    ) {
        let id = feed.id
        tasks[id] = nil
        let now = deps.timers.now
        guard !stopping, feeds[id] == feed else {
            // Cancelled by shutdown, or the config changed the feed meanwhile: nothing learned is recorded.
            perform(schedule.finished(id, .cancelled, now: now))
            idleCheck()
            return
        }
        let previous = journal.states[id] ?? FeedState(configURL: feed.url.absoluteString)
        var seen: SeenKeys?
        switch loaded {
        case nil: break
        case .success(.stored(let stored)): seen = journal.seenKeys(for: id, stored: stored)
        case .success(.rebuilt(let rebuilt, let setAside)):
            deps.logger.warning(
                "seen keys missing or unreadable, rebuilt from the story log",
                ["feed": id, "keys": rebuilt.count, "kept_as": setAside])
            seen = journal.seenKeys(for: id, stored: rebuilt)
        case .failure(let error):
            // Without the keys, new stories cannot be told from logged ones: this fetch is dropped, loudly.
            deps.logger.error("cannot read seen keys, fetch dropped", ["feed": id, "error": error.description])
            var state = previous
            state.lastError = "seen keys: \(error)"
            journal.setState(state, for: id)
            perform(schedule.finished(id, .cancelled, now: now))
            idleCheck()
            return
        }
        let update = FeedUpdate.apply(fetched, feed: feed, state: previous, seen: seen)
        if feed.fulltext && !update.stories.isEmpty {
            fetchArticles(of: feed, update)
        } else {
            complete(feed, update)
        }
        idleCheck()
    }

    /// Records what a fetch decided, with the stories' articles if the feed has `fulltext`, and schedules its next.
    private func complete(_ feed: FeedConfig, _ decided: FeedUpdate) {
        let id = feed.id
        var update = decided
        let actions = schedule.finished(id, update.result, now: deps.timers.now)
        for case .arm(let armed, let at) in actions where armed == id { update.state.nextDue = at }
        update.state.nextDueReason = schedule.reason(of: id)?.description
        update.state.publicationRate = schedule.rate(of: id)
        journal.record(
            Journal.Entry(
                feed: id, stories: update.stories, state: update.state, previousState: update.previousState,
                seen: update.seen))
        if update.state.consecutiveFailures > 0 { failing.insert(id) } else { failing.remove(id) }
        if let moved = update.movedTo {
            deps.logger.log(.notice, "feed moved permanently; update its URL in the config", ["feed": id, "url": moved])
        }
        deps.logger.log(update.event.level, update.event.message, update.event.fields)
        metrics.recordFetch(
            result: update.resultLabel, seconds: update.seconds, bytes: update.bodyBytes, filtered: update.filtered)
        pass.fetched += 1
        pass.new += update.stories.count
        summary.count(stories: update.stories.count)
        if case .failed = update.result { pass.failed += 1 }
        scheduleFlush()
        perform(actions)
    }

    // MARK: - Story pages

    /// Fetches the pages of a `fulltext` feed's new stories before anything of the fetch is recorded: the feed's
    /// slot frees for the pages (`Schedule.release`), which queue under the per-host limits like feeds, and the
    /// feed is not polled again until they are all done (`articlesDone`).
    private func fetchArticles(of feed: FeedConfig, _ update: FeedUpdate) {
        let now = deps.timers.now
        let batch = ArticleBatch(feed: feed, update: update)
        articleBatches[feed.id] = batch
        var actions = schedule.release(feed.id, now: now)
        for page in batch.pages {
            let token = nextPageToken
            nextPageToken += 1
            pageJobs[token] = (feed.id, page.index, page.url)
            actions += schedule.enqueuePage(token, url: page.url, now: now)
        }
        for index in update.stories.indices where ArticleBatch.pageURL(of: batch.story(at: index)) == nil {
            logUnavailable(batch.story(at: index), url: nil, reason: ArticleBatch.noPage)
        }
        perform(actions)
        if batch.isComplete { articlesDone(feed.id) }
    }

    private func startPage(_ token: Int) {
        guard let job = pageJobs[token], let feed = articleBatches[job.feed]?.feed, !stopping else {
            pageJobs[token] = nil
            perform(schedule.pageFinished(token, retryAfter: nil, now: deps.timers.now))
            return
        }
        let fetcher = PageFetcher(
            client: deps.client, maxBodyBytes: config.maxBodyBytes, clock: { [timers = deps.timers] in timers.now })
        pageTasks[token] = Task { [self] in
            // Extraction runs here too, off the queue: it is the costly part.
            let outcome = await fetcher.fetch(job.url, for: feed)
            queue.async { [self] in pageFetched(token, outcome) }
        }
    }

    private func pageFetched(_ token: Int, _ outcome: PageFetcher.Outcome) {
        pageTasks[token] = nil
        perform(schedule.pageFinished(token, retryAfter: outcome.retryAfter, now: deps.timers.now))
        if let job = pageJobs.removeValue(forKey: token), var batch = articleBatches[job.feed] {
            batch.resolve(job.index, outcome.article)
            articleBatches[job.feed] = batch
            if case .unavailable(let reason) = outcome.article {
                logUnavailable(batch.story(at: job.index), url: job.url, reason: reason)
            }
            if batch.isComplete { articlesDone(job.feed) }
        }
        idleCheck()
    }

    /// Every page of a feed's fetch is in: the fetch is recorded with its articles, unless the daemon is stopping
    /// or a reload changed the feed meanwhile, in which case nothing is recorded and the stories come again.
    private func articlesDone(_ id: FeedID) {
        guard let batch = articleBatches.removeValue(forKey: id) else { return }
        guard !stopping, feeds[id] == batch.feed else {
            perform(schedule.finished(id, .cancelled, now: deps.timers.now))
            return
        }
        complete(batch.feed, batch.completed)
    }

    /// Gives up the pages of a feed that a reload changed or removed: nothing of its fetch is recorded, its pages in
    /// flight are cancelled, and the feed is polled again as its new config says (its stories come again then).
    private func dropArticles(of id: FeedID) {
        articleBatches[id] = nil
        for (token, job) in pageJobs where job.feed == id {
            pageJobs[token] = nil
            pageTasks[token]?.cancel()
        }
        perform(schedule.finished(id, .cancelled, now: deps.timers.now))
    }

    private func logUnavailable(_ story: Story, url: URL?, reason: String) {
        deps.logger.warning(
            "article unavailable, story logged without it",
            ["feed": story.feed, "story": story.id, "url": url?.absoluteString, "reason": reason])
    }

    private func idleCheck() {
        guard schedule.isIdle, tasks.isEmpty, pageTasks.isEmpty, articleBatches.isEmpty else { return }
        if let started = pass.started {
            let milliseconds = Int(deps.timers.now.timeIntervalSince(started) * 1000)
            if logsPasses {
                deps.logger.info(
                    "pass done", ["feeds": pass.fetched, "new": pass.new, "failed": pass.failed, "ms": milliseconds])
            }
            pass = PassCounters()
            lastPass = deps.timers.now
        }
        if let action = whenIdle {
            whenIdle = nil
            action()
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

    private func flush() {
        guard let written = journal.flush() else { return }
        metrics.recordLogged(written)
        recent.add(written, at: deps.timers.now)
        notifyStatus()
    }

    private func scheduleCheckpoints() {
        deps.timers.schedule(after: 5) { [self] in
            guard !stopping else { return }
            journal.saveIfDue()
            scheduleCheckpoints()
        }
    }

    /// Logs what the last period's polls came to, every period (see `PollSummary`), until the daemon stops.
    private func scheduleSummary() {
        let period = PollSummary.period(for: config)
        deps.timers.schedule(after: period) { [self] in
            guard !stopping else { return }
            summary.log(to: deps.logger, failing: failing.count, feeds: feeds.count, period: period)
            scheduleSummary()
        }
    }

    // MARK: - Metrics

    /// Rewrites the metrics file every `metricsInterval` seconds until the daemon stops (which writes it once more).
    private func scheduleMetrics() {
        deps.timers.schedule(after: deps.metricsInterval) { [self] in
            guard !stopping else { return }
            writeMetrics()
            scheduleMetrics()
        }
    }

    /// Writes the metrics file as things stand, unless `metrics_file` is `false`. A failure is logged once, not
    /// at every write; the daemon goes on without it.
    private func writeMetrics() {
        guard let writer = MetricsWriter(config.metricsFile, stateDirectory: journal.directory) else { return }
        do throws(StoreError) {
            try writer.write(metricsSnapshot())
            if metricsFailing { deps.logger.info("metrics file written again", ["path": writer.path]) }
            metricsFailing = false
        } catch {
            if !metricsFailing { deps.logger.warning("cannot write the metrics file", ["error": error.description]) }
            metricsFailing = true
        }
    }

    /// The metrics now: the counters, and every configured feed's condition from its state.
    private func metricsSnapshot() -> MetricsSnapshot {
        let feeds = feedsByID.map { feed in
            let state = journal.states[feed.id]
            let condition: MetricsSnapshot.FeedCondition
            if !feed.enabled {
                condition = .paused
            } else if state?.gone == true {
                condition = .gone
            } else if (state?.consecutiveFailures ?? 0) > 0 {
                condition = .failing
            } else {
                condition = .ok
            }
            return MetricsSnapshot.Feed(
                id: feed.id, condition: condition, lastSuccess: state?.lastSuccess,
                consecutiveFailures: state?.consecutiveFailures ?? 0)
        }
        return MetricsSnapshot(
            counters: metrics.current, feeds: feeds, logBytes: journal.logSize, lastPass: lastPass, started: started)
    }

    // MARK: - Status

    /// One line for `systemctl status`: `312 feeds, 14 new stories in the last hour, 2 failing`.
    var statusLine: String {
        let now = deps.timers.now
        let failing = self.failing.count
        let stories = recent.count(since: now - 3600)
        return "\(feeds.count) feed\(feeds.count == 1 ? "" : "s"), \(stories) new stor\(stories == 1 ? "y" : "ies") in the last hour, "
            + "\(failing) failing"
    }

    /// Whether no fetch is in flight or waiting to start. Read it on the queue.
    var isIdle: Bool { schedule.isIdle && tasks.isEmpty && pageTasks.isEmpty && articleBatches.isEmpty }


    /// Sends the status line now, or once `statusInterval` has passed since the last one: the line counts the
    /// failing feeds, a walk over every feed, and a flush follows every batch of fetches. With 100,000 feeds a
    /// line per flush took a third of a core (bench/scale_bench.py); systemd shows the latest line only.
    private func notifyStatus() {
        guard let notifier = deps.notifier, !statusPending else { return }
        let wait = Self.statusInterval - deps.timers.now.timeIntervalSince(statusSent)
        guard wait > 0 else {
            statusSent = deps.timers.now
            notifier.send("STATUS=\(statusLine)")
            return
        }
        statusPending = true
        deps.timers.schedule(after: wait) { [self] in
            statusPending = false
            guard !stopping else { return }
            notifyStatus()
        }
    }
}
