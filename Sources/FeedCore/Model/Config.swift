import Foundation

/// The whole configuration (`feeds.json`), validated, with every default applied (README.md, "feeds.json").
public struct Config: Sendable, Equatable {
    public static let defaultUserAgent = "feedd/\(FeeddVersion.current) (+https://github.com/feedd/feedd)"

    /// `state_dir` as written in the file (relative paths are relative to the config file's directory), or nil.
    public var stateDirectory: String?
    /// Most fetches in flight at once.
    public var concurrency: Int = 16
    /// Most fetches in flight to one host at once.
    public var perHostConcurrency: Int = 2
    /// Seconds between the start of two fetches from one host.
    public var perHostDelay: TimeInterval = 0
    /// The story log rotates when it grows past this many bytes.
    public var logMaxBytes: Int = 256 * 1024 * 1024
    /// Responses larger than this fail as too large.
    public var maxBodyBytes: Int = 16 * 1024 * 1024
    /// The share of `feeds` this instance handles (`"shard"`, overridden by `--shard`); nil: all of them.
    public var shard: Shard?
    /// Where the daemon writes its metrics (README.md, "Metrics").
    public var metricsFile: MetricsFile = .inStateDirectory
    public var feeds: [FeedConfig] = []

    /// `metrics_file`: the default place, another path, or none (`false`).
    public enum MetricsFile: Sendable, Equatable {
        /// `metrics.prom` in the state directory.
        case inStateDirectory
        /// The path as written; a relative one is relative to the state directory.
        case path(String)
        /// `false`: no metrics file.
        case none
    }

    public init(feeds: [FeedConfig] = []) {
        self.feeds = feeds
    }
}

extension Config {
    /// The feeds this instance handles: those of its shard, or all of them. The others stay configured (their
    /// states and seen keys in this state directory are kept, as for a disabled feed), but are never fetched.
    public var handledFeeds: [FeedConfig] {
        guard let shard else { return feeds }
        return feeds.filter { shard.handles($0.id) }
    }
}

/// feedd's version, as `--version` and the User-Agent give it.
public enum FeeddVersion {
    public static let current = "0.1.0"
}
