import Foundation

/// The feeds that left the config less than `grace` ago: their states are no longer saved, but their seen files
/// stay until the grace ends, so that a feed removed by mistake and added back does not log its current items
/// again, as a new feed would. While the daemon runs, a feed added back within the grace also gets its state back
/// (validators, backoff, gone, redirect); after a restart only its seen keys remain.
///
/// The grace counts from the removal: the seen file's modification time is set to it, so that the count goes on
/// across restarts (at start, the seen files of feeds the config does not list count from their modification
/// time). Memory and disk stay bounded by the feeds removed within one grace, each with at most
/// `NewStories.cap` keys.
struct RetiredFeeds {
    /// How long a removed feed's seen keys are kept: long enough to put back a feed removed by mistake, or to
    /// finish an edit made in two steps, short enough that the files of feeds that are gone do not pile up.
    static let grace: TimeInterval = 86400

    struct Retired: Equatable {
        /// When the feed left the config.
        var since: Date
        /// Its state when it left; nil when it had none, or when it left before the daemon started.
        var state: FeedState?
    }

    private(set) var feeds: [FeedID: Retired] = [:]

    /// Records that `id` left the config at `date`, with the state it had.
    mutating func retire(_ id: FeedID, state: FeedState?, at date: Date) {
        feeds[id] = Retired(since: date, state: state)
    }

    /// Takes `id` out: it is back in the config, or another feed took over its seen keys.
    mutating func restore(_ id: FeedID) -> Retired? {
        feeds.removeValue(forKey: id)
    }

    /// Takes out and returns the feeds whose grace has ended at `now`.
    mutating func expire(now: Date) -> [FeedID] {
        let ended = feeds.filter { $0.value.since + Self.grace <= now }.keys.sorted()
        for id in ended { feeds[id] = nil }
        return ended
    }
}
