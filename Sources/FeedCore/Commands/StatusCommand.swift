import Foundation

/// `feedd status [--json]`: one row per feed, read from the state files (`FeedStateStore.loadStates`: the states
/// file, else one an older feedd left under the old name), whether or not the daemon runs.
enum StatusCommand {
    static let help = """
        Usage: feedd status [--json] [--wide] [--config PATH] [--state DIR]

        One row per feed: last attempt, last success, status (the HTTP status; for a file: feed changed, unchanged
        or missing), stories found last time, stories its filters dropped (all told), consecutive failures, next
        due, last error. The next due says why when it is not the plain interval: a publisher hint (ttl,
        sy:updatePeriod, Cache-Control, skipHours, skipDays), the learned interval of an "auto" feed, backoff or
        Retry-After. Read from the state directory (<state>/feed-states.json and the changes appended since), so it
        works whether or not the daemon runs. The table fits 100 columns: long ids are shortened in the middle and
        the last error cut, each with an ellipsis.

        Options:
          --json          one JSON object per feed and line instead of the table
          --wide          every id and error whole, however wide the table gets
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     the state directory (default: the config's state_dir, else $STATE_DIRECTORY, else ./state)
          -h, --help      show this help

        """

    struct Row {
        var id: FeedID
        var url: String?
        var enabled: Bool
        var state: FeedState?
    }

    static func run(_ words: [String], environment: [String: String], stdout: Output, stderr: Output, now: Date = Date())
        async throws(UsageError) -> Int32
    {
        let arguments = try Arguments(
            words, command: "status", valued: CommandContext.valuedOptions, flags: ["--json", "--wide", "--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        guard arguments.operands.isEmpty else {
            throw UsageError(message: "status takes no operands, found '\(arguments.operands[0])'", command: "status")
        }
        let context = CommandContext.load(arguments, environment: environment)
        let states = FeedStateStore(directory: context.stateDirectory).allStates()
        if context.config == nil {
            // Exit 2 as for any invalid configuration; what the state directory knows is still worth showing.
            context.report(to: stderr)
            guard !states.isEmpty else { return 2 }
            stderr.line("feedd status: the configuration has problems; showing every feed the state directory knows")
        }
        var rows: [Row] = []
        for feed in context.config?.feeds ?? [] {
            rows.append(Row(id: feed.id, url: feed.url.absoluteString, enabled: feed.enabled, state: states[feed.id]))
        }
        let configured = Set(rows.map(\.id))
        for (id, state) in states.sorted(by: { $0.key < $1.key }) where !configured.contains(id) && context.config == nil {
            rows.append(Row(id: id, url: state.configURL, enabled: true, state: state))
        }
        if arguments.has("--json") {
            for row in rows { stdout.write(json(row) + [0x0A]) }
        } else {
            let width = arguments.has("--wide") ? nil : StatusTable.width
            stdout.write(StatusTable(rows: rows, now: now).text(width: width))
        }
        return context.config == nil ? 2 : 0
    }

    static func json(_ row: Row) -> [UInt8] {
        var json = JSONWriter()
        let state = row.state
        json.beginObject()
        json.key("feed")
        json.string(row.id.rawValue)
        json.key("url")
        json.string(row.url)
        json.key("enabled")
        json.bool(row.enabled)
        json.key("last_attempt")
        json.date(state?.lastAttempt)
        json.key("last_success")
        json.date(state?.lastSuccess)
        json.key("http_status")
        json.number(state?.lastStatus)
        json.key("file_result")
        json.string(state?.fileResult?.rawValue)
        json.key("found_last")
        json.number(state?.lastFound)
        json.key("filtered")
        json.number(state?.filtered ?? 0)
        json.key("consecutive_failures")
        json.number(state?.consecutiveFailures ?? 0)
        json.key("next_due")
        json.date(state?.gone == true ? nil : state?.nextDue)
        json.key("next_due_reason")
        json.string(state?.gone == true ? nil : state?.nextDueReason)
        json.key("auto_interval")
        json.number(state?.publicationRate?.interval.map { Int($0.rounded()) })
        json.key("last_error")
        json.string(state?.lastError)
        json.key("gone")
        json.bool(state?.gone ?? false)
        json.key("gone_reason")
        json.string(state?.gone == true ? state?.goneReason ?? "HTTP 410 Gone" : nil)
        json.key("moved_to")
        json.string(state?.permanentURL)
        json.endObject()
        return json.bytes
    }
}
