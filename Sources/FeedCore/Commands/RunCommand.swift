import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `feedd run` (the daemon) and `feedd once` (one pass over every feed, by the same code path).
enum RunCommand {
    static let runHelp = """
        Usage: feedd run [--verbose] [--shard K/N] [--config PATH] [--state DIR]

        Run the daemon: fetch every enabled feed on its own schedule, append each new story once to
        <state>/stories.jsonl, and keep going. Edits of the config are picked up without a restart, all but
        state_dir, which is logged as waiting for one (an invalid edit is logged and the last good configuration
        kept); SIGHUP reloads at once; SIGTERM or SIGINT stop cleanly. Feeds removed from the config lose their
        state at once and their seen keys a day later.
        Under systemd (Type=notify) it reports READY, RELOADING, STOPPING, STATUS and watchdog pings.

        It logs on stderr a line per new-story fetch, failure and change of state (gone, moved, recovered), and
        one summary line per period (polls, new stories, failing feeds): the shortest feed interval, at least 1m.
        A poll that finds nothing new logs nothing unless --verbose.

        Options:
          -v, --verbose   a line per poll, also for those that find nothing new (the debug level)
          --shard K/N     handle only the feeds of shard K of N (those whose id hashes to K-1 modulo N), so
                          that N instances share one config; each needs its own state directory. It wins over
                          the config's "shard"
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     the state directory (default: the config's state_dir, else $STATE_DIRECTORY, else ./state)
          -h, --help      show this help

        Environment:
          FEEDD_LOG_LEVEL   the least severe level logged: debug, info (the default), notice, warning, error

        """

    static let onceHelp = """
        Usage: feedd once [--verbose] [--shard K/N] [--config PATH] [--state DIR]

        Fetch every enabled feed once now, whatever its schedule says (conditional GET still applies; feeds marked
        gone are skipped), log the new stories, then exit. Exit status 0 when the pass ran, even if some feeds
        failed: those are reported on stderr and in 'feedd status'. It ends with one line for the whole pass.

        Options:
          -v, --verbose   a line per feed, also for those with nothing new ($FEEDD_LOG_LEVEL as for run)
          --shard K/N     fetch only the feeds of shard K of N, as run does (wins over the config's "shard")
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     the state directory (default: the config's state_dir, else $STATE_DIRECTORY, else ./state)
          -h, --help      show this help

        """

    static func run(
        _ words: [String], once: Bool, environment: [String: String], stdout: Output, stderr: Output
    ) async throws(UsageError) -> Int32 {
        let command = once ? "once" : "run"
        let arguments = try Arguments(
            words, command: command, valued: CommandContext.valuedOptions.union([ShardOption.name]),
            flags: ["--help", "-h", "--verbose", "-v"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(once ? onceHelp : runHelp)
            return 0
        }
        guard arguments.operands.isEmpty else {
            throw UsageError(message: "\(command) takes no operands, found '\(arguments.operands[0])'", command: command)
        }
        let shard = try ShardOption.value(of: arguments, command: command)
        var threshold = Logger.Level.info
        if let name = environment["FEEDD_LOG_LEVEL"], !name.isEmpty {
            guard let level = Logger.Level(name: name) else {
                let names = Logger.Level.names.map(\.key).joined(separator: ", ")
                throw UsageError(message: "FEEDD_LOG_LEVEL: '\(name)' is not a level (\(names))", command: command)
            }
            threshold = level
        }
        if arguments.has("--verbose") || arguments.has("-v") { threshold = .debug }
        MemoryTuning.apply()
        if !once {
            // Until the signal sources are set up (after the log is replayed), a SIGHUP must not kill the daemon.
            signal(SIGHUP, SIG_IGN)
        }
        let context = CommandContext.load(arguments, environment: environment)
        guard let loaded = context.config else {
            context.report(to: stderr)
            return 2
        }
        let config = ShardOption.apply(shard, to: loaded)
        // Before anything is written: a configuration that is one of the state directory's files would be
        // overwritten (or read as a log), so the layout is refused as a configuration error.
        let state = context.stateDirectory
        if let collision = StateDirectoryFiles.collision(config: context.configPath, stateDirectory: state) {
            stderr.line("feedd: \(collision)")
            return 2
        }
        let logger = Logger.standardError(environment: environment, threshold: threshold)
        let queue = DispatchQueue(label: "feedd.daemon")
        let notifier = once ? nil : ServiceNotifier(environment: environment)
        let dependencies = Daemon.Dependencies(
            client: URLSessionHTTPClient(maximumConnectionsPerHost: config.perHostConcurrency),
            timers: DispatchTimers(queue: queue), logger: logger, notifier: notifier)
        let daemon: Daemon
        do {
            daemon = try Daemon(config: config, stateDirectory: context.stateDirectory, queue: queue, dependencies: dependencies)
        } catch {
            // Two instances on one state directory would share one story log and overwrite each other's states:
            // the directory's lock refuses the second, and for a shard the line says what to change.
            var hint = ""
            if case .busy = error, let shard = config.shard {
                hint = "; shard \(shard) needs a state directory of its own (--state DIR)"
            }
            stderr.line("feedd: \(error)\(hint)")
            return 1
        }
        if once {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                daemon.runOnce { continuation.resume() }
            }
            return 0
        }
        return await serve(
            daemon, context: context, shard: shard, logger: logger, notifier: notifier, environment: environment)
    }

    /// Runs the daemon until SIGTERM or SIGINT; reloads on SIGHUP and on edits of the config file.
    /// - Parameter shard: `--shard`, which wins over the `"shard"` of every config reloaded.
    private static func serve(
        _ daemon: Daemon, context: CommandContext, shard: Shard?, logger: Logger, notifier: ServiceNotifier?,
        environment: [String: String]
    ) async -> Int32 {
        let queue = daemon.queue
        let path = context.configPath
        let reload: @Sendable (String) -> Void = { reason in
            switch ConfigFile.load(path: path) {
            case .success(let loaded):
                let config = ShardOption.apply(shard, to: loaded)
                notifier?.send("RELOADING=1\nMONOTONIC_USEC=\(ServiceNotifier.monotonicMicroseconds())")
                logger.info("reloading configuration", ["reason": reason])
                daemon.reload(config, stateDirectory: context.stateDirectory(for: config))
                queue.async { notifier?.send("READY=1\nSTATUS=\(daemon.statusLine)") }
            case .failure(let problems):
                logger.error("configuration invalid, keeping the last good one", ["problems": problems.count])
                for problem in problems { logger.error("config problem", ["problem": problem.description]) }
            }
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            queue.async {
                let watcher = ConfigWatcher(path: path, queue: queue) { reload("file changed") }
                let stopOnce = StopOnce()
                let stop: @Sendable () -> Void = {
                    guard stopOnce.claim() else { return }
                    notifier?.send("STOPPING=1")
                    logger.info("stopping")
                    watcher?.cancel()
                    daemon.stop { continuation.resume(returning: 0) }
                }
                let signals = SignalSource(queue: queue, handlers: [SIGHUP: { reload("SIGHUP") }, SIGTERM: stop, SIGINT: stop])
                _ = signals
                daemon.start()
                logger.info(
                    "started",
                    [
                        "feeds": daemon.config.handledFeeds.count, "shard": daemon.config.shard,
                        "state": context.stateDirectory.path,
                    ])
                queue.async {
                    notifier?.send("READY=1\nSTATUS=\(daemon.statusLine)")
                    if let interval = ServiceNotifier.watchdogInterval(environment: environment) {
                        Watchdog.start(every: interval, queue: queue, notifier: notifier)
                    }
                }
                // Keep the sources alive for the life of the daemon.
                Retained.keep([watcher as Any, signals])
            }
        }
    }
}

/// Lets one of several racing callers through (two signals, say).
final class StopOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.withLock {
            defer { claimed = true }
            return !claimed
        }
    }
}

/// Pings systemd's watchdog from the daemon's queue, so that a wedged queue stops the pings and gets restarted.
enum Watchdog {
    static func start(every interval: TimeInterval, queue: DispatchQueue, notifier: ServiceNotifier?) {
        notifier?.send("WATCHDOG=1")
        queue.asyncAfter(deadline: .now() + interval) { start(every: interval, queue: queue, notifier: notifier) }
    }
}

/// Objects that live as long as the process.
enum Retained {
    nonisolated(unsafe) private static var objects: [Any] = []
    private static let lock = NSLock()

    static func keep(_ values: [Any]) {
        lock.withLock { objects.append(contentsOf: values) }
    }
}
