import Foundation

extension Checkpoint {
    /// Reconciles the seen files with the log on start, after `StoryLog` has cut a torn last line: every line after
    /// the checkpoint adds its key to its feed's seen keys, the seen files that changed are written, and the
    /// checkpoint moves to the log's end. The log is the truth: a story it holds is never logged again, whatever the
    /// seen files missed. A seen file that does not parse, or that is missing for a feed that has fetched before,
    /// is left as it is: the feed's next fetch rebuilds it from the whole log (`SeenKeysSource`), which a file made
    /// from the tail alone would stop.
    /// - Parameters:
    ///   - now: the time replayed keys count as last listed.
    ///   - fetchedBefore: whether a feed has fetched before.
    /// - Returns: how many lines were replayed.
    static func recover(
        log: StoryLog, store: FeedStateStore, directory: URL, now: Date = Date(),
        fetchedBefore: (FeedID) -> Bool = { _ in false }
    ) throws(StoreError) -> Int {
        let checkpoint = load(from: directory)
        let keys = try replay(in: directory, from: checkpoint)
        var order: [FeedID] = []
        var idsByFeed: [FeedID: [String]] = [:]
        for (feed, id) in keys {
            if idsByFeed[feed] == nil { order.append(feed) }
            idsByFeed[feed, default: []].append(id)
        }
        for feed in order {
            var seen: SeenKeys
            var changed = false
            switch store.loadSeen(feed) {
            case .loaded(let stored): seen = stored
            case .absent where !fetchedBefore(feed): seen = SeenKeys()
            case .absent, .corrupt: continue
            }
            for id in idsByFeed[feed] ?? [] where seen.insert(id, at: now) { changed = true }
            if changed { try store.saveSeen(seen, for: feed) }
        }
        if checkpoint != Checkpoint(log.position) { try save(log: log, directory: directory) }
        return keys.count
    }

    /// Saves the checkpoint at the log's end (see `save(to:)`): every line appended so far has had its feed's seen
    /// file written.
    static func save(log: StoryLog, directory: URL) throws(StoreError) {
        try Checkpoint(log.position).save(to: directory)
    }
}
