import Foundation

extension Checkpoint {
    /// Reconciles the seen files with the log on start, after `StoryLog` has cut a torn last line: every line after
    /// the checkpoint adds its key to its feed's seen keys (a seen file that does not parse is rebuilt from the whole
    /// log), the seen files that changed are written, and the checkpoint moves to the log's end. The log is the
    /// truth: a story it holds is never logged again, whatever the seen files missed.
    /// - Parameter now: the time replayed keys count as last listed.
    /// - Returns: how many lines were replayed.
    static func recover(
        log: StoryLog, store: FeedStateStore, directory: URL, now: Date = Date()
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
            case .absent: seen = SeenKeys()
            case .corrupt:
                seen = try rebuildSeen(for: feed, directory: directory, now: now)
                changed = true
            }
            for id in idsByFeed[feed] ?? [] where seen.insert(id, at: now) { changed = true }
            if changed { try store.saveSeen(seen, for: feed) }
        }
        if checkpoint != Checkpoint(log.position) { try save(log: log, directory: directory) }
        return keys.count
    }

    /// A feed's seen keys rebuilt from every log file, each key as last listed `now`: for a seen file that does
    /// not parse. The latest listing is unknown, so it is empty until the next fetch records one.
    static func rebuildSeen(for feed: FeedID, directory: URL, now: Date) throws(StoreError) -> SeenKeys {
        var seen = SeenKeys()
        for id in try replayAll(in: directory, for: feed) { seen.insert(id, at: now) }
        return seen
    }

    /// Saves the checkpoint at the log's end (see `save(to:)`): every line appended so far has had its feed's seen
    /// file written.
    static func save(log: StoryLog, directory: URL) throws(StoreError) {
        try Checkpoint(log.position).save(to: directory)
    }
}
