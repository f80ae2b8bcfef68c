import Foundation

/// The state directory as the daemon writes it, and the write-ahead rule in one place: a fetch's stories reach the
/// story log durably (one fdatasync per batch) before anything that claims them is written: first the feed's seen
/// keys, then the checkpoint, then the feed's state with its new validators.
///
/// The daemon hands it each fetch's `FeedUpdate` (`record`), then asks it to write (`flush`); states and the
/// checkpoint are written when the daemon's timers, the end of a pass or a stop ask for them, and only ever hold
/// what the log already holds. Not thread-safe: the daemon calls it from its serial queue only.
final class Journal {
    let directory: URL
    private let log: StoryLog
    private let store: FeedStateStore
    private let logger: Logger
    private let clock: () -> Date
    /// Every feed's state as the daemon knows it, including what fetches not yet flushed learned.
    private(set) var states: [FeedID: FeedState]
    private var pending: [Entry] = []
    /// For each feed with entries in `pending`, the state before the first of them: what the states file may hold
    /// for the feed until the entries' stories are durable, since the new state's validators claim them.
    private var claimed: [FeedID: FeedState] = [:]
    /// Seen keys whose file could not be written (a full disk): used instead of the file, retried at every flush,
    /// and holding back the checkpoint, so that their stories are not logged twice.
    private var unsavedSeen: [FeedID: SeenKeys] = [:]
    private var checkpointDirty = false
    /// Whether `states` changed since the states file was last written; it is written at most every
    /// `statesInterval` seconds by `saveStatesIfDue`, and whenever `saveStates` is called.
    private var statesDirty = false
    private var statesWritten = Date.distantPast
    private static let statesInterval: TimeInterval = 30
    /// The states file was unreadable or missing beside a log with stories: no state says which feeds fetched
    /// before, so every missing seen file is rebuilt from the log.
    private let statesLost: Bool
    /// Feeds the config no longer lists whose seen files are kept for now (see `follow`).
    private var retired = RetiredFeeds()
    /// Whether the seen files of feeds that left the config before this start have been found.
    private var retiredFound = false

    /// Opens the state directory: repairs the log's last line, adopts a states file under its old name, loads every
    /// feed's state (a states file that does not parse is renamed aside and reported, never silently replaced), and
    /// replays the log since the last checkpoint into the seen keys.
    /// - Throws: `StoreError.busy` when another feedd has the directory open, or what opening it failed with.
    init(directory: URL, maxBytes: Int, logger: Logger, clock: @escaping () -> Date) throws(StoreError) {
        self.directory = directory
        self.logger = logger
        self.clock = clock
        log = try StoryLog(directory: directory, maxBytes: maxBytes)
        store = FeedStateStore(directory: directory)
        if try store.adoptLegacyStates() {
            logger.info(
                "feed states file renamed",
                ["from": FeedStateStore.legacyStatesFileName, "to": FeedStateStore.statesFileName])
        }
        store.removeLeftoverTempFiles()
        var loaded: [FeedID: FeedState]? = nil
        do throws(StoreError) {
            loaded = try store.loadStates()
        } catch .corrupt(let path, let reason) {
            let aside = try store.setStatesAside(now: clock())
            logger.error(
                "feed states unreadable, kept aside; starting without them (seen keys come from the story log)",
                ["file": path, "reason": reason, "kept_as": aside])
        }
        let rotated = try LogFiles.rotated(in: directory.path)
        let hasStories = log.position.offset > 0 || !rotated.isEmpty
        states = loaded ?? [:]
        // An empty states file beside stories is what pruning leaves when every feed left the config: not a loss.
        statesLost = loaded == nil || (loaded!.isEmpty && hasStories && !store.hasStatesFile)
        let replayed = try Checkpoint.recover(
            log: log, store: store, directory: directory, now: clock(), fetchedBefore: fetchedBefore)
        if replayed > 0 { logger.info("replayed story log", ["stories": replayed]) }
    }

    /// The size past which the story log is rotated, checked after each batch is appended.
    var logMaxBytes: Int {
        get { log.maxBytes }
        set { log.maxBytes = newValue }
    }

    /// What one fetch of a feed learned, to be written.
    struct Entry {
        var feed: FeedID
        var stories: [Story]
        /// The feed's state after the fetch, which claims `stories` (its validators say the document was read).
        var state: FeedState
        /// The state before the fetch, restored when the stories cannot be written.
        var previousState: FeedState
        /// The new seen keys; nil when they did not change.
        var seen: SeenKeys?
    }

    // MARK: - What the daemon learns

    /// Sets a feed's state outside a fetch (a config edit reset it); written with the next save.
    func setState(_ state: FeedState, for id: FeedID) {
        states[id] = state
        statesDirty = true
    }

    // MARK: - The feeds of the config

    /// Takes the feeds the config lists, at start and at every reload, before they are scheduled:
    /// 1. a feed that left the config less than `RetiredFeeds.grace` ago and is back gets its state back;
    /// 2. a feed new to the config carries on from a feed that moved to its URL (`inheritMovedFeeds`);
    /// 3. the states of feeds no longer listed are dropped, and the states file, which the changes files are
    ///    compacted into, is written at once without them; their seen files stay for the grace (`RetiredFeeds`);
    /// 4. the seen files whose grace has ended are removed.
    /// A feed that is listed but disabled keeps everything.
    func follow(_ feeds: [FeedConfig]) {
        let configured = Set(feeds.map(\.id))
        for id in configured.sorted() {
            guard let back = retired.restore(id), states[id] == nil, let state = back.state else { continue }
            states[id] = state
            statesDirty = true
        }
        inheritMovedFeeds(feeds)
        retireRemovedFeeds(keeping: configured)
        expireRetiredFeeds()
    }

    /// Drops the states of the feeds not in `configured` and keeps their seen files for the grace, marked with the
    /// time of their removal; at the first call, also finds the seen files of feeds removed before this start.
    private func retireRemovedFeeds(keeping configured: Set<FeedID>) {
        let now = clock()
        let removed = states.keys.filter { !configured.contains($0) }.sorted()
        if !removed.isEmpty {
            // What the removed feeds have pending goes to disk under their own names first.
            flush()
            for id in removed {
                retired.retire(id, state: states.removeValue(forKey: id), at: now)
                do throws(StoreError) {
                    try store.touchSeen(id, at: now)
                } catch {
                    logger.error(
                        "cannot mark the seen keys of a removed feed", ["feed": id, "error": error.description])
                }
            }
            statesDirty = true
            saveStates()
            logger.info(
                "removed feeds pruned",
                ["feeds": removed.count, "seen_kept_until": FeedDate.format(now + RetiredFeeds.grace)])
        }
        guard !retiredFound else { return }
        retiredFound = true
        do throws(StoreError) {
            for (id, modified) in try store.seenFiles() where !configured.contains(id) && retired.feeds[id] == nil {
                retired.retire(id, state: nil, at: min(modified, now))
            }
        } catch {
            logger.error("cannot list the seen keys", ["error": error.description])
        }
    }

    /// Removes the seen files of the feeds that left the config more than `RetiredFeeds.grace` ago.
    private func expireRetiredFeeds() {
        for id in retired.expire(now: clock()) {
            unsavedSeen[id] = nil
            do throws(StoreError) {
                try store.removeSeen(id)
                logger.info("removed feed forgotten", ["feed": id])
            } catch {
                logger.error("cannot delete the seen keys of a removed feed", ["feed": id, "error": error.description])
            }
        }
    }

    /// Gives each feed of `feeds` that has no state, and whose URL is where a feed no longer in `feeds` was
    /// permanently redirected, that feed's state and seen keys: the daemon advises updating the URL after a 301,
    /// and a feed whose id is derived from its URL gets a new id when the advice is followed, which would
    /// otherwise start it over and log all its current items again. The moved feed may have left the config in an
    /// earlier reload, within the grace of `RetiredFeeds`.
    private func inheritMovedFeeds(_ feeds: [FeedConfig]) {
        let configured = Set(feeds.map(\.id))
        var movedFrom: [String: FeedID] = [:]
        for (id, retiree) in retired.feeds.sorted(by: { $0.key < $1.key }) {
            if let url = retiree.state?.permanentURL { movedFrom[url] = id }
        }
        for (id, state) in states where !configured.contains(id) {
            if let url = state.permanentURL { movedFrom[url] = id }
        }
        guard !movedFrom.isEmpty else { return }
        for feed in feeds where states[feed.id] == nil {
            guard let old = movedFrom[feed.url.absoluteString], var state = states[old] ?? retired.feeds[old]?.state
            else { continue }
            // What the old feed has in flight goes to disk under its own name first.
            flush()
            do throws(StoreError) {
                if let waiting = unsavedSeen.removeValue(forKey: old) { try store.saveSeen(waiting, for: old) }
                try store.moveSeen(from: old, to: feed.id)
            } catch {
                logger.error("cannot move seen keys", ["feed": feed.id, "from": old, "error": error.description])
                continue
            }
            state.configURL = feed.url.absoluteString
            state.permanentURL = nil
            states[old] = nil
            _ = retired.restore(old)
            states[feed.id] = state
            statesDirty = true
            logger.log(.notice, "feed carries on from the feed that moved to its URL", ["feed": feed.id, "from": old])
        }
    }

    /// Takes what one fetch learned: its state is known from now on, its stories and seen keys wait for `flush`.
    func record(_ entry: Entry) {
        if claimed[entry.feed] == nil { claimed[entry.feed] = entry.previousState }
        states[entry.feed] = entry.state
        pending.append(entry)
        statesDirty = true
    }

    /// Whether the feed has fetched successfully before, as far as its state says.
    func fetchedBefore(_ id: FeedID) -> Bool {
        statesLost || states[id]?.lastSuccess != nil
    }

    /// How a fetch of the feed, starting now, reads its seen keys off the queue.
    func seenSource(for id: FeedID) -> SeenKeysSource {
        SeenKeysSource(directory: directory, feed: id, fetchedBefore: fetchedBefore(id), now: clock())
    }

    /// The feed's seen keys as a fetch coming back should take them: those still waiting to be written, else
    /// `stored`, what the fetch's `SeenKeysSource` read.
    func seenKeys(for id: FeedID, stored: SeenKeys?) -> SeenKeys? {
        if let waiting = pending.last(where: { $0.feed == id && $0.seen != nil }) { return waiting.seen }
        return unsavedSeen[id] ?? stored
    }

    /// The size of the current story log, as far as it has been written.
    var logSize: Int { log.position.offset }

    // MARK: - Writing

    /// Appends the stories recorded since the last flush, durably, then writes their feeds' seen keys.
    /// - Returns: how many stories were appended; nil when nothing was pending or the log could not be written, in
    ///   which case nothing of the batch is recorded: the feeds keep their old validators and seen keys, so the
    ///   stories come again on the next poll instead of being lost.
    @discardableResult
    func flush() -> Int? {
        guard !pending.isEmpty else { return nil }
        let batch = pending
        pending.removeAll()
        claimed.removeAll()
        let stories = batch.flatMap(\.stories)
        do throws(StoreError) {
            try log.append(stories)
        } catch {
            logger.error("cannot write the story log", ["error": error.description, "stories": stories.count])
            for update in batch where states[update.feed] == update.state {
                var restored = update.previousState
                restored.lastError = "story log: \(error)"
                restored.nextDue = update.state.nextDue
                states[update.feed] = restored
            }
            statesDirty = true
            return nil
        }
        for update in batch {
            if let seen = update.seen { unsavedSeen[update.feed] = seen }
        }
        statesDirty = true
        saveUnsavedSeen()
        do throws(StoreError) {
            // The batch's stories are durable: the states that claim them may reach the disk, for `feedd status`.
            try store.appendChanges(batch.compactMap { update in states[update.feed].map { (update.feed, $0) } })
        } catch {
            logger.error("cannot append feed states", ["error": error.description])
        }
        checkpointDirty = true
        do throws(StoreError) {
            if let rotated = try log.rotateIfNeeded(now: clock()) {
                logger.info("story log rotated", ["to": rotated.lastPathComponent])
                saveCheckpoint()
            }
        } catch {
            logger.error("cannot rotate the story log", ["error": error.description])
        }
        return stories.count
    }

    /// The periodic save: the checkpoint, and the states when `statesInterval` has passed since they were written
    /// and the changes appended since make a rewrite worth it (`FeedStateStore.compactionDue`);
    /// and the seen files of removed feeds whose grace has ended go.
    func saveIfDue() {
        saveCheckpoint()
        if clock().timeIntervalSince(statesWritten) >= Self.statesInterval, store.compactionDue { saveStates() }
        expireRetiredFeeds()
    }

    /// Writes every feed's state, when any changed; a feed whose stories are still pending is written as it was
    /// before them (a crash or a full disk then costs a refetch, where a new ETag would make the server answer 304
    /// and hide those stories for good). The states stay dirty until they are written whole.
    func saveStates() {
        guard statesDirty else { return }
        do throws(StoreError) {
            try store.saveStates(states.merging(claimed) { _, before in before })
            statesDirty = !claimed.isEmpty
            statesWritten = clock()
        } catch {
            logger.error("cannot write feed states", ["error": error.description])
        }
    }

    /// Makes the state files durable, then records how far the log is reflected in them.
    func saveCheckpoint() {
        saveUnsavedSeen()
        // Lines whose keys are only in memory must be replayed after a crash: the checkpoint waits for them.
        guard checkpointDirty, unsavedSeen.isEmpty else { return }
        do throws(StoreError) {
            try Checkpoint.save(log: log, directory: directory)
            checkpointDirty = false
        } catch {
            logger.error("cannot save the checkpoint", ["error": error.description])
        }
    }

    /// Writes what is pending, the states and the checkpoint, then closes the log and releases the directory.
    func close() {
        flush()
        saveStates()
        saveCheckpoint()
        log.close()
    }

    /// Writes the seen keys still waiting for their file; what fails waits for the next try.
    private func saveUnsavedSeen() {
        for (id, seen) in unsavedSeen.sorted(by: { $0.key < $1.key }) {
            do throws(StoreError) {
                try store.saveSeen(seen, for: id)
                unsavedSeen[id] = nil
            } catch {
                logger.error("cannot write seen keys", ["feed": id, "error": error.description])
            }
        }
    }
}
