import Foundation

/// `feedd status [--json]`: one row per feed, read from the state files, whether or not the daemon runs.
enum StatusCommand {
    static let help = """
        Usage: feedd status [--json] [--config PATH] [--state DIR]

        One row per feed: last attempt, last success, HTTP status, stories found last time, consecutive failures,
        next due, last error. Read from the state directory, so it works whether or not the daemon runs.

        Options:
          --json          one JSON object per feed and line instead of the table
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
        let arguments = try Arguments(words, command: "status", valued: CommandContext.valuedOptions, flags: ["--json", "--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        guard arguments.operands.isEmpty else {
            throw UsageError(message: "status takes no operands, found '\(arguments.operands[0])'", command: "status")
        }
        let context = CommandContext.load(arguments, environment: environment)
        if context.config == nil {
            stderr.line("feedd status: the configuration has problems; showing every feed the state directory knows")
            context.report(to: stderr)
        }
        let states = FeedStateStore(directory: context.stateDirectory).allStates()
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
            stdout.write(table(rows, now: now))
        }
        return 0
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
        json.key("found_last")
        json.number(state?.lastFound)
        json.key("consecutive_failures")
        json.number(state?.consecutiveFailures ?? 0)
        json.key("next_due")
        json.date(state?.gone == true ? nil : state?.nextDue)
        json.key("last_error")
        json.string(state?.lastError)
        json.key("gone")
        json.string(state?.gone == true ? state?.goneReason ?? "HTTP 410 Gone" : nil)
        json.key("moved_to")
        json.string(state?.permanentURL)
        json.endObject()
        return json.bytes
    }

    static func table(_ rows: [Row], now: Date) -> String {
        let header = ["FEED", "LAST ATTEMPT", "LAST SUCCESS", "HTTP", "FOUND", "FAILS", "NEXT DUE", "LAST ERROR"]
        var lines = [header]
        for row in rows {
            let state = row.state
            let next: String
            if !row.enabled {
                next = "disabled"
            } else if state?.gone == true {
                next = "gone"
            } else {
                next = state?.nextDue.map { relative($0, now: now) } ?? "soon"
            }
            lines.append([
                row.id.rawValue, state?.lastAttempt.map { relative($0, now: now) } ?? "never",
                state?.lastSuccess.map { relative($0, now: now) } ?? "never",
                state?.lastStatus.map(String.init) ?? "-", state.map { String($0.lastFound) } ?? "-",
                String(state?.consecutiveFailures ?? 0), next, printable(state?.lastError ?? ""),
            ])
        }
        let widths = (0..<header.count - 1).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            var line = ""
            for (column, cell) in cells.enumerated() {
                line += column < widths.count ? cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0) : cell
            }
            return line.trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// `text` with control characters shown as U+FFFD: an error message may quote what a server sent.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isControlCharacter ? "\u{FFFD}" : $0 }))
    }

    /// `3m ago`, `in 12m`, `2d ago`: what a person reads at a glance.
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now).rounded())
        let magnitude = abs(seconds)
        let text: String
        switch magnitude {
        case ..<60: text = "\(magnitude)s"
        case ..<3600: text = "\(magnitude / 60)m"
        case ..<86400: text = "\(magnitude / 3600)h\(magnitude % 3600 / 60 > 0 ? "\(magnitude % 3600 / 60)m" : "")"
        default: text = "\(magnitude / 86400)d"
        }
        if magnitude < 1 { return "now" }
        return seconds < 0 ? "\(text) ago" : "in \(text)"
    }
}
