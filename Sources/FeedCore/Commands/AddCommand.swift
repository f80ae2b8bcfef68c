import Foundation

/// `feedd add URL`: one feed appended to the config after fetching it to check that it is one; a web page is
/// replaced by the best feed found on it (README.md, "Commands").
enum AddCommand {
    static let help = """
        Usage: feedd add URL [--id ID] [--title TITLE] [--tag TAG]... [--interval DURATION] [--dry-run]

        Add one feed to the configuration. URL is fetched first: a feed (RSS, Atom, JSON Feed) must parse as one;
        a web page is replaced by the best feed found on it. The entry is appended to "feeds" with only the fields
        given, in the layout of the entries around it, and every other byte of the file stays as it was. The file
        is replaced atomically (a temporary file, fsynced, renamed over it), so a running 'feedd run' picks the
        feed up by itself and never reads half a file. A configuration that is a symbolic link is written through:
        the file it leads to is replaced. Prints the entry added.

        Refused with exit status 2, the file untouched: a URL already configured (the same URL, also with another
        case of scheme or host or a default port; one local file however spelled), an id already used, a
        configuration that does not load now. Exit status 1, the file untouched: a URL that cannot be fetched, a
        document that is neither a feed nor a page with one, a file that cannot be replaced.

        Options:
          --id ID               the feed's id (1-64 of A-Z a-z 0-9 . _ -); default: derived from the URL
          --title TITLE         the feed_title of its stories; default: the feed's own title
          --tag TAG             a tag; repeat it for more
          --interval DURATION   how often to poll it (90s, 15m, 2h, 1d, or seconds); default: the config's interval
          --dry-run             check the feed and print the entry, but change nothing
          --config PATH         the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR           accepted, as by every command; add does not use it
          -h, --help            show this help

        Example:
          feedd add https://example.org/ --tag news
          checked https://example.org/feed.xml: rss2.0, "Example News", 20 items
          added to feeds.json as feeds[12]: {"url": "https://example.org/feed.xml", "tags": ["news"]} …

        """

    static func run(_ words: [String], environment: [String: String], stdout: Output, stderr: Output)
        async throws(UsageError) -> Int32
    {
        let valued = CommandContext.valuedOptions.union(["--id", "--title", "--tag", "--interval"])
        let arguments = try Arguments(words, command: "add", valued: valued, flags: ["--dry-run", "--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        guard arguments.operands.count == 1 else {
            let message =
                arguments.operands.isEmpty
                ? "add needs the URL of a feed or of a page"
                : "add takes one URL, found \(arguments.operands.count) ('feedd import' adds many)"
            throw UsageError(message: message, command: "add")
        }
        let entry = try entry(from: arguments)
        let editing = ConfigEditing(arguments, environment: environment)
        do throws(ConfigFile.UpdateFailure) {
            let dryRun = arguments.has("--dry-run")
            return try await add(entry, editing: editing, dryRun: dryRun, stdout: stdout, stderr: stderr)
        } catch {
            for line in error.description.split(separator: "\n") { stderr.line("feedd add: \(line)") }
            return error.exitStatus
        }
    }

    /// The entry the command line asks for, each option checked as the config decoder would check it.
    static func entry(from arguments: Arguments) throws(UsageError) -> FeedEntry {
        let url = arguments.operands[0]
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file:") else {
            throw UsageError(message: "'\(url)' is not an http(s) or file: URL (\"https://\" missing?)", command: "add")
        }
        var entry = FeedEntry(url: url)
        if let id = arguments.value("--id") {
            guard FeedID.isValid(id) else {
                throw UsageError(
                    message: "--id: '\(id)' is not a valid id (1 to 64 of A-Z a-z 0-9 . _ -, not starting with '.')",
                    command: "add")
            }
            entry.id = id
        }
        if let title = arguments.value("--title") {
            guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw UsageError(message: "--title must not be empty", command: "add")
            }
            entry.title = title
        }
        for tag in arguments.values("--tag") {
            guard !tag.isEmpty else { throw UsageError(message: "--tag must not be empty", command: "add") }
            if !entry.tags.contains(tag) { entry.tags.append(tag) }
        }
        if let text = arguments.value("--interval") {
            // Whole seconds are written as a number, anything else as the duration string it is.
            let isSeconds = !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            let value: JSONValue = isSeconds ? .number(text) : .string(text)
            if case .failure(let problem) = DurationSyntax.seconds(in: value, bound: .atLeast(1)) {
                throw UsageError(message: "--interval: \(problem.message)", command: "add")
            }
            entry.interval = value
        }
        return entry
    }

    /// Checks the feed (discovering one on a page), then appends it unless `dryRun`.
    private static func add(
        _ given: FeedEntry, editing: ConfigEditing, dryRun: Bool, stdout: Output, stderr: Output
    ) async throws(ConfigFile.UpdateFailure) -> Int32 {
        var entry = given
        let bytes = try editing.currentBytes()
        // Clashes are refused before anything is fetched.
        var planned = try plan(entry, into: bytes, editing: editing)
        var checked = await FeedCheck.run(planned.feed, maxBodyBytes: planned.config.maxBodyBytes)
        if case .notAFeed(let error) = checked, !planned.feed.url.isFileURL {
            let found: [DiscoveredFeed]
            do {
                found = try await FeedDiscovery.discover(
                    given.url, check: true, maxBodyBytes: planned.config.maxBodyBytes)
            } catch {
                stderr.line("feedd add: \(given.url): \(error); \(editing.name) not changed")
                return 1
            }
            guard let best = found.first else {
                stderr.line(
                    "feedd add: \(given.url): \(error), and no feed was found on it; \(editing.name) not changed")
                return 1
            }
            stdout.line("found \(best.url.absoluteString) on \(given.url) (via \(best.via.rawValue))")
            entry.url = best.url.absoluteString
            planned = try plan(entry, into: bytes, editing: editing)
            checked = await FeedCheck.run(planned.feed, maxBodyBytes: planned.config.maxBodyBytes)
        }
        switch checked {
        case .feed(let feed):
            stdout.line("checked \(entry.url): \(FeedCheck.summary(of: feed))")
        case .failed(let reason):
            stderr.line("feedd add: \(entry.url): \(reason); \(editing.name) not changed")
            return 1
        case .notAFeed(let error):
            stderr.line("feedd add: \(entry.url): \(error); \(editing.name) not changed")
            return 1
        }
        if dryRun {
            stdout.line("would add to \(editing.name) as feeds[\(planned.index)]: \(entry.line) (id \(planned.id))")
            stdout.line("dry run: \(editing.name) not changed")
            return 0
        }
        var added = (index: planned.index, id: planned.id)
        let written = try ConfigFile.update(path: editing.path) { current throws(ConfigFile.UpdateFailure) in
            // The file may have changed since it was read: the check against its feeds is made again.
            let final = try plan(entry, into: current, editing: editing)
            added = (final.index, final.id)
            return final.addition.bytes
        }
        stdout.line("added to \(editing.name) as feeds[\(added.index)]: \(entry.line) (id \(added.id))")
        if let written, written.targetInAnotherFolder {
            stdout.line(
                "note: \(editing.name) leads to \(written.target), in another folder: a running 'feedd run' does "
                    + "not see the change by itself; reload it (SIGHUP, 'systemctl reload feedd')")
        }
        return 0
    }

    /// What adding `entry` to `bytes` gives: the new bytes, the feed as the daemon will read it, and its place.
    private struct Planned {
        var addition: FeedAddition
        var config: Config
        var feed: FeedConfig
        var index: Int
        var id: FeedID
    }

    /// Plans adding `entry`.
    /// - Throws: `.refused` naming the file and the clash, or the problems of a config that does not load.
    private static func plan(
        _ entry: FeedEntry, into bytes: [UInt8], editing: ConfigEditing
    ) throws(ConfigFile.UpdateFailure) -> Planned {
        let addition = try editing.plan([entry], into: bytes)
        guard case .added(let index, let id) = addition.outcomes[0] else {
            throw .refused(["\(editing.name): \(entry.url): \(ConfigEditing.reason(addition.outcomes[0]) ?? "")"])
        }
        let decoded = ConfigDecoder.decode(
            Data(addition.bytes), file: editing.name, baseDirectory: editing.baseDirectory)
        guard case .success(let config) = decoded else {
            throw .refused(["\(editing.name): not changed: the edit would make it invalid"])
        }
        return Planned(addition: addition, config: config, feed: config.feeds[index], index: index, id: id)
    }
}
