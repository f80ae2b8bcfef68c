import Foundation

/// What a reload (a config edit, or SIGHUP) does with each top-level setting of the config (README.md, "Reload").
/// Every setting applies at the reload but the state directory, which the daemon holds open and locked from its
/// start: the story log, the states and the seen keys live there.
enum ReloadScope {
    /// The settings a reload applies: `feeds` and, through each feed, `interval` (with `min_interval` and
    /// `max_interval`), `timeout`, `user_agent`, `backfill` and `fulltext`; the schedule's `concurrency`,
    /// `per_host_concurrency` and `per_host_delay` at once; the HTTP client's connections per host
    /// (`per_host_concurrency`) and `max_body_bytes` for the fetches that start from then on; `log_max_bytes` at
    /// the next append to the log; `shard` (unless `--shard` overrides it) at once: the feeds that leave the shard
    /// stop, with their states kept, and those that join it start; `filters` for the documents parsed from then
    /// on; `metrics_file` at the next write of the metrics.
    static let live: Set<String> = [
        "feeds", "interval", "timeout", "user_agent", "backfill", "concurrency", "per_host_concurrency",
        "per_host_delay", "max_body_bytes", "log_max_bytes", "fulltext", "min_interval", "max_interval", "shard",
        "filters", "metrics_file",
    ]

    /// The settings that take effect only after a restart; a reload that changes one logs a warning instead.
    static let restartOnly: Set<String> = ["state_dir"]

    /// A restart-only setting whose configured value is not the one the daemon runs with.
    struct Pending: Equatable {
        var field: String
        var running: String
        var configured: String
    }

    /// The restart-only settings that differ between the running daemon and a new config: the state directory
    /// (where the story log is), compared as resolved, so that `--state` or an equivalent spelling changes nothing.
    static func pending(runningStateDirectory: URL, configuredStateDirectory: URL) -> [Pending] {
        let running = runningStateDirectory.standardizedFileURL.path
        let configured = configuredStateDirectory.standardizedFileURL.path
        guard running != configured else { return [] }
        return [Pending(field: "state_dir", running: running, configured: configured)]
    }
}
