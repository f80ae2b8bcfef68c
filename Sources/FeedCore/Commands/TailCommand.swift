import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `feedd tail [-f] [-n N] [--json] [--feed ID]`: the newest stories of the log, readable or raw; `-f` follows
/// the log across rotation and truncation.
enum TailCommand {
    static let help = """
        Usage: feedd tail [-f] [-n N] [--json] [--feed ID] [--config PATH] [--state DIR]

        Print the newest stories of the story log (<state>/stories.jsonl) as readable lines: when found, feed,
        title, URL.

        Options:
          -f, --follow    keep printing new stories as they arrive, across log rotation
          -n N            how many of the newest stories to print first (default 10; 0 for none)
          --json          print the raw JSON lines instead
          --feed ID       only the stories of this feed
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     the state directory (default: the config's state_dir, else $STATE_DIRECTORY, else ./state)
          -h, --help      show this help

        """

    static func run(_ words: [String], environment: [String: String], stdout: Output, stderr: Output)
        async throws(UsageError) -> Int32
    {
        let arguments = try Arguments(
            words, command: "tail", valued: CommandContext.valuedOptions.union(["-n", "--feed"]),
            flags: ["-f", "--follow", "--json", "--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        guard arguments.operands.isEmpty else {
            throw UsageError(message: "tail takes no operands, found '\(arguments.operands[0])'", command: "tail")
        }
        var count = 10
        if let text = arguments.value("-n") {
            guard let value = Int(text), value >= 0 else {
                throw UsageError(message: "-n: '\(text)' is not a number of stories", command: "tail")
            }
            count = value
        }
        let feed = arguments.value("--feed").map(FeedID.init)
        let raw = arguments.has("--json")
        let follow = arguments.has("-f") || arguments.has("--follow")
        let context = CommandContext.load(arguments, environment: environment)
        // Nothing to show is said, never printed as an empty result: a typo in --state or --feed must not look
        // like a quiet log.
        let directory = context.stateDirectory
        guard (try? FileIO.status(path: directory.path)) != nil else {
            stderr.line(
                "feedd tail: \(directory.path): no such state directory (see --state; 'feedd run' creates it)")
            return 1
        }
        var unknownFeed = false
        if let feed, let config = context.config, !config.feeds.contains(where: { $0.id == feed }) {
            unknownFeed = true
            let known = config.feeds.map(\.id.rawValue)
            let hint = ConfigDecoder.suggestion(for: feed.rawValue, among: known).map { " (did you mean \"\($0)\"?)" }
            let file = ConfigFile.displayName(context.configPath)
            stderr.line("feedd tail: no feed \"\(feed)\" is configured in \(file)\(hint ?? "")")
        }
        do throws(StoreError) {
            let hasLog = try LogFiles.exists(in: directory.path)
            if !hasLog && !follow {
                stderr.line("feedd tail: \(directory.path): no story log yet ('feedd run' or 'feedd once' writes it)")
                return 1
            }
            let follower = try LogFollower(directory: directory)
            let first = try follower.lastLines(count, feed: feed)
            stdout.write(first.map { format($0, raw: raw) + "\n" }.joined())
            guard follow else { return unknownFeed && first.isEmpty ? 1 : 0 }
            if !hasLog { stderr.line("feedd tail: waiting for \(directory.path)/\(LogFiles.current) to be written") }
            try follower.follow(sleep: { duration in
                let (seconds, attoseconds) = duration.components
                usleep(useconds_t(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            }) { lines in
                let selected = lines.filter { line in feed == nil || StoryLine.parse(line: line)?.feed == feed }
                if !selected.isEmpty { stdout.write(selected.map { format($0, raw: raw) + "\n" }.joined()) }
                return true
            }
            return 0
        } catch {
            stderr.line("feedd tail: \(error)")
            return 1
        }
    }

    /// `2026-11-29 07:00  ladaily  Trump Orders ICE…  https://…`, or the raw line.
    static func format(_ line: String, raw: Bool) -> String {
        guard !raw, let story = StoryLine.parse(line: line) else { return line }
        let found = story.found.map { FeedDate.format($0).replacingOccurrences(of: "T", with: " ").dropLast(4) } ?? "?"
        let title = story.title.isEmpty ? "(untitled)" : story.title
        return "\(found)  \(story.feed)  \(title)" + (story.url.map { "  \($0)" } ?? "")
    }
}
