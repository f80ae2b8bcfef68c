import Foundation

/// Reads a feed's seen keys for a fetch, off the daemon's queue (the fetch's task calls `load` after parsing), so
/// that neither a large seen file nor a rebuild from years of log holds up the daemon's timers.
///
/// A seen file that is missing for a feed that has fetched before, or that does not parse, is rebuilt from every
/// log file: the log is the truth, and taking the feed for a new one would log all its current items again. A
/// file that does not parse is renamed aside first, so that nothing a person may want to look at is overwritten.
/// Only this feed's task touches its seen file while it runs: the daemon writes the file only when a fetch of the
/// feed has come back, and starts the next fetch after that.
struct SeenKeysSource: Sendable {
    let directory: URL
    let feed: FeedID
    /// Whether the feed has fetched before (or the states that would say so were lost): a missing seen file is
    /// then rebuilt, instead of counting as the first fetch, which logs every current item.
    let fetchedBefore: Bool
    /// The time rebuilt keys count as last listed.
    let now: Date

    /// The keys as found.
    enum Loaded: Equatable {
        /// The seen file's keys; nil for a feed's first fetch.
        case stored(SeenKeys?)
        /// Keys rebuilt from the log; `setAside` is where the unreadable seen file went, if there was one.
        case rebuilt(SeenKeys, setAside: String?)
    }

    /// The feed's seen keys from its file, else rebuilt from the log.
    /// - Throws: what made the log unreadable: the fetch's stories must then wait, since without the keys they
    ///   cannot be told from those already logged.
    func load() throws(StoreError) -> Loaded {
        let store = FeedStateStore(directory: directory)
        var setAside: String?
        switch store.loadSeen(feed) {
        case .loaded(let keys):
            return .stored(keys)
        case .absent:
            guard fetchedBefore else { return .stored(nil) }
        case .corrupt:
            setAside = try store.setSeenAside(feed, now: now)
        }
        var seen = SeenKeys()
        for id in try Checkpoint.replayAll(in: directory, for: feed) { seen.insert(id, at: now) }
        return .rebuilt(seen, setAside: setAside)
    }
}
