import Foundation

/// The `feedd` command line: picks the subcommand and maps its outcome to an exit status
/// (0 success, 1 runtime failure, 2 bad usage or invalid configuration).
public enum Feedd {
    public static let version = FeeddVersion.current

    static let usage = """
        feedd \(version): an RSS/Atom feed aggregator daemon

        Usage: feedd <command> [options]

        Commands:
          run                    the daemon: fetch every feed on its schedule, log each new story once
          once                   fetch every enabled feed once now, log new stories, exit
          check                  validate the configuration and print every problem
          parse FILE_OR_URL...   parse feed documents and print them normalized, one JSON line each
          discover URL_OR_FILE [--json] [--check]
                                 the feeds a web page offers, best first: URL, format, title
          extract FILE_OR_URL... [--text]
                                 the main article of web pages, without menus, ads or comments, as JSON lines
          tail [-f] [-n N] [--json] [--feed ID]
                                 print the newest stories of the log (-f: follow it; --json: the raw lines)
          follow NAME [--json] [--from start|end] [--exec CMD [ARG...]]
                                 a durable, named reader of the log: print or hand each story to CMD, once
          status [--json] [--wide]
                                 one row per feed: last attempt, success, HTTP status, failures, next due
          add URL [--id ID] [--title T] [--tag T]... [--interval D] [--dry-run]
                                 add a feed to the configuration, or the best feed of a web page
          import FILE.opml [--dry-run]
                                 add every feed of an OPML subscription list (folders become tags)
          export                 print the configured feeds as an OPML 2.0 subscription list
          help [COMMAND]         this help, or a command's own
          version                print the version

        Options for every command:
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     the state directory (default: the config's state_dir, else $STATE_DIRECTORY, else ./state)
          -h, --help      show help for feedd or for one command
          --version       print the version

        Run 'feedd <command> --help' or 'feedd help <command>' for a command's own options.

        """

    /// Runs the command line `arguments` (including the program name) and returns the exit status.
    public static func main(
        arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        stdout: Output = .standardOutput, stderr: Output = .standardError
    ) async -> Int32 {
        let words = Array(arguments.dropFirst())
        guard let command = words.first, !command.hasPrefix("-") else {
            if words.contains("--version") {
                stdout.line("feedd \(version)")
                return 0
            }
            if words.isEmpty || words.contains("--help") || words.contains("-h") {
                stdout.write(usage)
                return words.isEmpty ? 2 : 0
            }
            stderr.line("feedd: \(UsageError(message: "unknown option \(words[0])", command: nil))")
            return 2
        }
        let rest = Array(words.dropFirst())
        do {
            switch command {
            case "run", "once":
                return try await RunCommand.run(rest, once: command == "once", environment: environment, stdout: stdout, stderr: stderr)
            case "check":
                return try await CheckCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "parse":
                return try await ParseCommand.run(rest, stdout: stdout, stderr: stderr)
            case "discover":
                return try await DiscoverCommand.run(rest, stdout: stdout, stderr: stderr)
            case "extract":
                return try await ExtractCommand.run(rest, stdout: stdout, stderr: stderr)
            case "status":
                return try await StatusCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "tail":
                return try await TailCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "follow":
                return try await FollowCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "add":
                return try await AddCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "import":
                return try await ImportCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "export":
                return try await ExportCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "help":
                // `feedd help run` is `feedd run --help`; the command's own check refuses an unknown one.
                guard let topic = rest.first else {
                    stdout.write(usage)
                    return 0
                }
                guard rest.count == 1, topic != "help", !topic.hasPrefix("-") else {
                    let found = rest.joined(separator: " ")
                    throw UsageError(message: "help takes one command name, found '\(found)'", command: nil)
                }
                return await main(
                    arguments: ["feedd", topic, "--help"], environment: environment, stdout: stdout, stderr: stderr)
            case "version":
                guard rest.isEmpty else {
                    throw UsageError(message: "version takes no operands, found '\(rest[0])'", command: nil)
                }
                stdout.line("feedd \(version)")
                return 0
            default:
                throw UsageError(message: "unknown command '\(command)'", command: nil)
            }
        } catch {
            stderr.line("feedd: \(error)")
            return 2
        }
    }
}
