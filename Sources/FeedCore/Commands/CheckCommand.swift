/// `feedd check`: validates the configuration and prints every problem (README.md, "Commands").
enum CheckCommand {
    static let help = """
        Usage: feedd check [--shard K/N] [options]

        Validate the configuration. A valid one prints a summary line on stdout and exits 0, such as
          feeds.json: OK, 12 feeds (10 enabled)
        An invalid one prints every problem on stderr, one line each naming the file and the JSON path of the
        field at fault, and exits 2, such as
          feeds.json: feeds[3].intreval: unknown field (did you mean "interval"?)
        With a shard (--shard, or the config's "shard"), a valid configuration also lists the feeds that shard
        handles, after the summary: one line each, the id and the URL (and "disabled" for a disabled feed):
          feeds.json: OK, 12 feeds (10 enabled); shard 1/3 handles 4 (3 enabled):
          ladaily https://example.com/feed/

        Options:
          --shard K/N     list the feeds of shard K of N (wins over the config's "shard")
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     accepted, as by every command; check does not use it
          -h, --help      show this help

        """

    /// Runs `feedd check` with the arguments after the command name; returns 0, or 2 for an invalid configuration.
    /// - Throws: `UsageError` for an unknown option or an operand.
    static func run(
        _ words: [String], environment: [String: String], stdout: Output, stderr: Output
    ) async throws(UsageError) -> Int32 {
        let arguments = try Arguments(
            words, command: "check", valued: ["--config", "--state", ShardOption.name], flags: ["--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        if let operand = arguments.operands.first {
            throw UsageError(message: "check takes no operands, found '\(operand)'", command: "check")
        }
        let shard = try ShardOption.value(of: arguments, command: "check")
        let path = ConfigFile.locate(explicit: arguments.value("--config"), environment: environment)
        switch ConfigFile.load(path: path) {
        case .success(let loaded):
            let config = ShardOption.apply(shard, to: loaded)
            let enabled = config.feeds.count { $0.enabled }
            let feeds = config.feeds.count == 1 ? "1 feed" : "\(config.feeds.count) feeds"
            let summary = "\(ConfigFile.displayName(path)): OK, \(feeds) (\(enabled) enabled)"
            guard let shard = config.shard else {
                stdout.line(summary)
                return 0
            }
            let handled = config.handledFeeds
            let enabledHandled = handled.count { $0.enabled }
            stdout.line(summary + "; shard \(shard) handles \(handled.count) (\(enabledHandled) enabled):")
            for feed in handled {
                stdout.line("\(feed.id) \(feed.url.absoluteString)" + (feed.enabled ? "" : " disabled"))
            }
            return 0
        case .failure(let problems):
            for problem in problems { stderr.line(problem.description) }
            return 2
        }
    }
}
