import Dispatch
import Foundation
import Glibc

/// `feedd follow NAME [--json] [--from start|end] [--exec CMD [ARG...]]`: a named, durable reader of the story
/// log (`Follower`), its position in `<state>/followers/NAME.json`.
enum FollowCommand {
    static let help = """
        Usage: feedd follow NAME [--json] [--from start|end] [--timeout D] [--retry-min D] [--retry-max D]
                                 [--config PATH] [--state DIR] [--exec CMD [ARG...]]

        A named, durable reader of the story log: print every story after the position saved under NAME (as
        'feedd tail' shows them, or the raw lines with --json), then follow the log across rotation. The position
        is saved durably after each story is handled, in <state>/followers/NAME.json, so a restarted follower
        resumes where it stopped, also after log rotations. Followers with different names are independent; one
        name runs once at a time.

        With --exec (it must come last), CMD runs once per story instead, without a shell, one at a time in log
        order, with the story's JSON line on its standard input and FEEDD_FEED, FEEDD_ID, FEEDD_TITLE, FEEDD_URL in
        its environment. A CMD that exits non-zero or runs past --timeout is retried with backoff, and the follower
        does not move past its story. Every story is handled at least once; exactly once unless the follower dies
        while CMD runs.

        Options:
          NAME             letters, digits, '.', '_', '-' (up to 64): names the saved position
          --json           print the raw JSON lines
          --from start|end where a new NAME starts: the oldest story in the log, or the next one logged (default)
          --timeout D      kill a CMD running longer than this, and retry it (default 60s)
          --retry-min D    the wait before the first retry of a failed CMD, doubling after each failure (default 1s)
          --retry-max D    the longest wait between retries (default 5m)
          --exec CMD ...   run CMD with ARGs for each story (everything after --exec belongs to CMD)
          --config PATH    the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR      the state directory (default: the config's state_dir, else $STATE_DIRECTORY, else ./state)
          -h, --help       show this help

        SIGTERM or SIGINT stop the follower: a running CMD gets 10 seconds to finish (its story then counts as
        handled), after which it is killed and its story is handled again on the next start.

        """

    /// How long a running CMD may go on after SIGTERM/SIGINT.
    static let stopGrace = 10.0

    static func run(_ words: [String], environment: [String: String], stdout: Output, stderr: Output)
        async throws(UsageError) -> Int32
    {
        // Everything after --exec is the command's, options included.
        let execIndex = words.firstIndex(of: "--exec")
        let own = execIndex.map { Array(words[..<$0]) } ?? words
        let arguments = try Arguments(
            own, command: "follow",
            valued: CommandContext.valuedOptions.union(["--from", "--timeout", "--retry-min", "--retry-max"]),
            flags: ["--json", "--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        var command: [String]?
        if let execIndex {
            command = Array(words[(execIndex + 1)...])
            guard command?.first?.isEmpty == false else {
                throw UsageError(message: "--exec needs a command", command: "follow")
            }
        }
        guard arguments.operands.count == 1 else {
            let message = arguments.operands.isEmpty
                ? "follow needs a NAME" : "follow takes one NAME, found '\(arguments.operands.joined(separator: " "))'"
            throw UsageError(message: message, command: "follow")
        }
        let name: FollowerName
        do throws(FollowerNameError) {
            name = try FollowerName(arguments.operands[0])
        } catch {
            throw UsageError(message: "NAME '\(error.name)': \(error.reason)", command: "follow")
        }
        let fromStart: Bool
        switch arguments.value("--from") {
        case nil, "end": fromStart = false
        case "start": fromStart = true
        case let other?: throw UsageError(message: "--from: '\(other)' is neither start nor end", command: "follow")
        }
        let timeout = try duration(arguments, "--timeout", default: 60)
        let backoff = RetryBackoff(
            initial: try duration(arguments, "--retry-min", default: 1),
            maximum: try duration(arguments, "--retry-max", default: 300))
        guard timeout > 0, backoff.initial > 0, backoff.maximum >= backoff.initial else {
            throw UsageError(
                message: "--timeout and --retry-min must be above 0, and --retry-max at least --retry-min",
                command: "follow")
        }

        let context = CommandContext.load(arguments, environment: environment)
        let directory = context.stateDirectory.path
        guard (try? FileIO.status(path: directory)) != nil else {
            stderr.line("feedd follow: \(directory): no such state directory (see --state; 'feedd run' creates it)")
            return 1
        }
        let logger = Logger(
            sink: OutputLogSink(output: stderr), threshold: .info, timestamps: environment["JOURNAL_STREAM"] == nil)
        let followers = directory + "/followers"
        let lockPath = followers + "/" + name.rawValue + ".lock"
        let lockFD: Int32
        do throws(StoreError) {
            try FileIO.makeDirectories(followers)
            lockFD = try FileIO.open(lockPath, O_RDWR | O_CREAT, mode: 0o644)
            do throws(StoreError) {
                try FileIO.lock(lockFD, path: lockPath)
            } catch {
                FileIO.close(lockFD)
                throw error
            }
        } catch .busy {
            stderr.line("feedd follow: follower \(name) is already running (\(lockPath) is locked)")
            return 1
        } catch {
            stderr.line("feedd follow: \(error)")
            return 1
        }
        defer { FileIO.close(lockFD) }

        let stop = StopRequest()
        let signals = SignalSource(
            queue: DispatchQueue(label: "feedd.follow.signals"),
            handlers: [SIGTERM: { stop.request() }, SIGINT: { stop.request() }])
        defer { signals.cancel() }
        do throws(StoreError) {
            let cursorPath = FollowCursor.path(in: followers, name: name)
            let cursor: FollowCursor
            if let saved = try FollowCursor.load(from: cursorPath) {
                cursor = saved
            } else {
                cursor = try fromStart ? .beforeOldest : FollowCursor.endOfLog(in: directory)
                // Saved at once: a new follower stopped before the first story must not start at a later end.
                try cursor.save(to: cursorPath)
            }
            let stream = try StoryStream(directory: directory, cursor: cursor, logger: logger)
            let handler: Follower.Handler
            if let command {
                handler = .exec(
                    StoryCommand(
                        arguments: command, timeout: timeout, stopGrace: stopGrace, environment: environment,
                        scratchDirectory: followers))
            } else {
                handler = .print(stdout, raw: arguments.has("--json"))
            }
            let follower = Follower(
                name: name, stream: stream, handler: handler, cursorPath: cursorPath, backoff: backoff,
                logger: logger, stop: stop, sleep: { seconds in usleep(useconds_t(seconds * 1_000_000)) })
            logger.info(
                "follower started",
                ["follower": name, "file": stream.cursor.file, "offset": stream.cursor.offset,
                 "exec": command?.joined(separator: " ")])
            let outcome = try follower.run()
            logger.info(
                "follower stopped",
                ["follower": name, "file": stream.cursor.file, "reason": outcome == .stopped ? "signal" : "output closed"])
            return 0
        } catch {
            logger.error("follower failed", ["follower": name, "error": error.description])
            return 1
        }
    }

    private static func duration(_ arguments: Arguments, _ option: String, default value: Double)
        throws(UsageError) -> Double
    {
        guard let text = arguments.value(option) else { return value }
        guard let seconds = DurationSyntax.parse(text) ?? Double(text) else {
            throw UsageError(message: "\(option): '\(text)' is not a duration (90s, 15m, 500ms)", command: "follow")
        }
        return seconds
    }
}
