import Foundation

/// The story keys a feed has logged, each with the last time a fetch of the feed listed it: the memory that keeps
/// a story from reaching the log twice. Bounded by `forget` and `limit`, so it does not grow with the age of the feed
/// nor with how often its keys change.
struct SeenKeys: Equatable, Sendable {
    /// Each key with the last time a listing of the feed included it.
    private(set) var lastListed: [String: Date] = [:]
    /// The keys of the latest listing, which are never forgotten: the feed still serves them.
    private(set) var latest: Set<String> = []

    init() {}

    /// Keys as a seen file stored them; every key of `latest` is also in `lastListed`.
    init(lastListed: [String: Date], latest: Set<String>) {
        self.lastListed = lastListed
        self.latest = latest
    }

    var count: Int { lastListed.count }

    func contains(_ key: String) -> Bool {
        lastListed[key] != nil
    }

    /// Records a successful fetch that listed `keys` at `date`: they become the latest listing and their times move
    /// to `date`.
    /// - Returns: whether the seen file must be rewritten: a key is new or the listing differs from the last one.
    ///   Moving the times of an unchanged listing alone does not count; the times on disk then lag, which is safe
    ///   because the latest listing is kept whatever its times, and a key leaving it changes the listing.
    @discardableResult
    mutating func record(_ keys: [String], at date: Date) -> Bool {
        let listing = Set(keys)
        var changed = listing != latest
        for key in keys where lastListed.updateValue(date, forKey: key) == nil {
            changed = true
        }
        latest = listing
        return changed
    }

    /// Adds `key`, logged at `date`, without touching the latest listing: replay of the log after a crash.
    /// - Returns: whether the key was new.
    @discardableResult
    mutating func insert(_ key: String, at date: Date) -> Bool {
        guard lastListed[key] == nil else { return false }
        lastListed[key] = date
        return true
    }

    /// Once there are more than `maximum` keys, forgets the oldest (by last listing) down to nine tenths of it,
    /// never a key of the latest listing: the bound that holds when a feed's keys change on every fetch, which the
    /// 90 days of `forget` alone would let grow to hundreds of thousands. The tenth of room spares such a feed a
    /// sort of all its keys on every fetch.
    /// - Returns: how many keys were forgotten.
    @discardableResult
    mutating func limit(to maximum: Int) -> Int {
        guard lastListed.count > maximum else { return 0 }
        let count = min(lastListed.count - maximum * 9 / 10, lastListed.count - latest.count)
        let oldest = lastListed.filter { !latest.contains($0.key) }
            .sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(count)
        for (key, _) in oldest { lastListed[key] = nil }
        return oldest.count
    }

    /// Forgets the keys no listing has included since `cutoff`, oldest first, but keeps every key of the latest
    /// listing and at least `minimum` keys in all, so a feed that has been failing for a long time does not lose its
    /// memory and log its old stories again when it comes back.
    /// - Returns: how many keys were forgotten.
    @discardableResult
    mutating func forget(notListedSince cutoff: Date, keepingAtLeast minimum: Int) -> Int {
        let stale = lastListed.filter { $0.value < cutoff && !latest.contains($0.key) }
        let count = min(stale.count, max(0, lastListed.count - minimum))
        guard count > 0 else { return 0 }
        let oldest = stale.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(count)
        for (key, _) in oldest { lastListed[key] = nil }
        return count
    }
}
