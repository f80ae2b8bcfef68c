import Foundation

/// Picks the stories of one fetched document that the feed has not shown before, and records what it lists.
enum NewStories {
    /// How long a key is remembered after the feed last listed it.
    static let memory: TimeInterval = 90 * 86400

    /// The most keys a feed keeps: 10,000, or ten times what one document lists when that is more; the oldest
    /// go first. Room for years of a normal feed, and a bound for one whose keys change on every fetch.
    static func cap(listing count: Int) -> Int {
        max(10_000, count * 10)
    }

    /// The new stories of `parsed`, oldest first (by date when every new story has one, else the reverse of
    /// document order, since feeds list newest first); `seen` is updated with every key the document lists.
    /// New stories that the feed's filters drop are left out before `backfill` counts, and their keys are seen
    /// all the same, so a dropped story is never logged on a later poll either.
    /// - Parameters:
    ///   - seen: the feed's seen keys; nil on the feed's first fetch, when the current items are all new but only
    ///     the newest `backfill` of them are logged.
    /// - Returns: the stories, whether `seen` changed enough to be written again, and how many new stories the
    ///   filters dropped.
    static func select(
        _ parsed: ParsedFeed, feed: FeedConfig, seen: inout SeenKeys?, now: Date
    ) -> (stories: [Story], seenChanged: Bool, filtered: Int) {
        var keys: [String] = []
        var fresh: [(index: Int, key: String, item: ParsedItem)] = []
        var listed = Set<String>()
        let firstFetch = seen == nil
        for (index, (item, key)) in zip(parsed.items, StoryKey.keys(of: parsed.items)).enumerated() {
            guard listed.insert(key).inserted else { continue }
            keys.append(key)
            if firstFetch || !(seen!.contains(key)) { fresh.append((index, key, item)) }
        }
        let unfiltered = fresh.count
        if !feed.filterPlan.isEmpty {
            fresh.removeAll { feed.filterPlan.drops($0.item) }
        }
        let filtered = unfiltered - fresh.count
        if firstFetch, let backfill = feed.backfill {
            fresh = Array(fresh.prefix(backfill))
        }
        var known = seen ?? SeenKeys()
        var changed = known.record(keys, at: now) || firstFetch
        changed = known.forget(notListedSince: now - memory, keepingAtLeast: max(1000, keys.count * 4)) > 0 || changed
        changed = known.limit(to: cap(listing: keys.count)) > 0 || changed
        seen = known
        let ordered = orderOldestFirst(fresh)
        let title = feed.title ?? parsed.title
        let stories = ordered.map { Story(feed: feed.id, feedTitle: title, id: $0.key, item: $0.item, found: now) }
        return (stories, changed, filtered)
    }

    private static func orderOldestFirst(_ fresh: [(index: Int, key: String, item: ParsedItem)])
        -> [(index: Int, key: String, item: ParsedItem)]
    {
        let dated = fresh.compactMap { entry in (entry.item.published ?? entry.item.updated).map { (entry, $0) } }
        if dated.count == fresh.count {
            return dated.sorted { ($0.1, -$0.0.index) < ($1.1, -$1.0.index) }.map(\.0)
        }
        return fresh.reversed()
    }
}
