import Foundation

/// Everything one `metrics.prom` says, as values: the counters, and the gauges the daemon reads from its state at
/// the moment of writing.
struct MetricsSnapshot: Sendable, Equatable {
    /// A configured feed's state, as `feedd_feeds{state=…}` counts it.
    enum FeedCondition: String, Sendable, CaseIterable {
        /// Its last poll succeeded, or it has not been polled yet.
        case ok
        /// Its last poll failed.
        case failing
        /// It answered 410 Gone and is no longer polled.
        case gone
        /// `enabled: false` in the config.
        case paused
    }

    /// What the metrics say about one feed.
    struct Feed: Sendable, Equatable {
        var id: FeedID
        var condition: FeedCondition
        var lastSuccess: Date?
        var consecutiveFailures: Int
    }

    var counters = MetricsCounters.Values()
    var feeds: [Feed] = []
    /// The size of the current story log, `stories.jsonl`.
    var logBytes = 0
    /// When the last pass over the due feeds ended: the moment the daemon last had no fetch in flight or waiting.
    var lastPass: Date?
    /// When the process started, so that an alert can tell "no pass yet" from "no pass for long".
    var started: Date
}
