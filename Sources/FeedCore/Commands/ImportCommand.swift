import Foundation

/// `feedd import FILE.opml`: every feed of an OPML subscription list appended to the config in one atomic
/// replace, without fetching anything (README.md, "Commands"; docs/FORMATS.md, "OPML").
enum ImportCommand {
    static let help = """
        Usage: feedd import FILE.opml [--dry-run] [--config PATH]

        Add every feed of an OPML subscription list, as Feedly, Inoreader, NewsBlur, Miniflux, FreshRSS, newsboat
        and most readers export one (OPML 1.0 or 2.0), to the configuration, as 'feedd add' does but without
        fetching anything. Each outline with an xmlUrl, at any depth, becomes {"url": …, "title": …, "tags": […]}:

          title   the outline's text, else its title; none when it is empty or only the URL again
          tags    the folders the outline is in, outer first, then its category attribute, a comma-separated
                  list of slash-separated paths whose every part is a tag: category="/News/Tech,Linux" gives
                  News, Tech and Linux; a tag given twice (in any case) is kept once

        A feed already configured (the same URL, as 'feedd add' compares them) is skipped; a feed the file lists
        twice, in two folders say, is added once with the tags of both. Prints one line per feed added or
        skipped, then a total. The configuration is replaced once, atomically, with every other byte kept.

        FILE may be a path, a file: or http(s) URL, or - for standard input. A document that is not OPML (an
        HTML page, a feed, anything else) changes nothing and exits 1, saying what it is; a configuration that
        does not load exits 2.

        Options:
          --dry-run       print what would be added and skipped, change nothing
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     accepted, as by every command; import does not use it
          -h, --help      show this help

        """

    static func run(_ words: [String], environment: [String: String], stdout: Output, stderr: Output)
        async throws(UsageError) -> Int32
    {
        let arguments = try Arguments(
            words, command: "import", valued: CommandContext.valuedOptions, flags: ["--dry-run", "--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        guard arguments.operands.count == 1 else {
            let message =
                arguments.operands.isEmpty
                ? "import needs an OPML file" : "import takes one OPML file, found \(arguments.operands.count)"
            throw UsageError(message: message, command: "import")
        }
        let source = arguments.operands[0]
        let document: OPMLDocument
        do throws(DocumentLoader.Failure) {
            let loaded = try await DocumentLoader(sizeLimit: OPMLDocument.sizeLimit).load(source)
            do throws(OPMLDocument.Failure) {
                document = try OPMLDocument.parse(loaded.data)
            } catch {
                stderr.line("feedd import: \(source): \(error); nothing imported")
                return 1
            }
        } catch {
            stderr.line("feedd import: \(source): \(error); nothing imported")
            return 1
        }
        for problem in document.problems { stderr.line("feedd import: \(source): \(problem)") }
        let editing = ConfigEditing(arguments, environment: environment)
        do throws(ConfigFile.UpdateFailure) {
            return try importing(
                document, from: source, editing: editing, dryRun: arguments.has("--dry-run"), stdout: stdout)
        } catch {
            for line in error.description.split(separator: "\n") { stderr.line("feedd import: \(line)") }
            return error.exitStatus
        }
    }

    /// The entries of the list's feeds, in document order.
    static func entries(of document: OPMLDocument) -> [FeedEntry] {
        document.feeds.map { feed in
            let id = feed.id.flatMap { FeedID.isValid($0) ? $0 : nil }
            return FeedEntry(url: feed.url, id: id, title: feed.title, tags: feed.tags)
        }
    }

    /// Plans the import against `bytes`. A `feedd:id` another feed already uses is dropped rather than the feed:
    /// the feed then takes the id derived from its URL.
    static func plan(_ document: OPMLDocument, into bytes: [UInt8], editing: ConfigEditing)
        throws(ConfigFile.UpdateFailure) -> FeedAddition
    {
        var entries = entries(of: document)
        var addition = try editing.plan(entries, into: bytes)
        let taken = addition.outcomes.indices.filter { position in
            if case .idTaken(_, _, _, derived: false) = addition.outcomes[position] { return true }
            return false
        }
        guard !taken.isEmpty else { return addition }
        for position in taken { entries[position].id = nil }
        addition = try editing.plan(entries, into: bytes)
        return addition
    }

    private static func importing(
        _ document: OPMLDocument, from source: String, editing: ConfigEditing, dryRun: Bool, stdout: Output
    ) throws(ConfigFile.UpdateFailure) -> Int32 {
        // The plan is made first without the lock, so that a config that does not load is refused as it is.
        var addition = try plan(document, into: try editing.currentBytes(), editing: editing)
        if !dryRun && addition.addedCount > 0 {
            _ = try ConfigFile.update(path: editing.path) { current throws(ConfigFile.UpdateFailure) in
                // The file may have changed since it was read: the plan is made again against what is there.
                addition = try plan(document, into: current, editing: editing)
                return addition.addedCount > 0 ? addition.bytes : nil
            }
        }
        let verb = dryRun ? "would add" : "added"
        for (position, outcome) in addition.outcomes.enumerated() {
            let feed = document.feeds[position]
            if case .added(let index, let id) = outcome {
                stdout.line("\(verb) feeds[\(index)]: \(addition.entries[position].line) (id \(id))")
            } else {
                stdout.line("skipped \(feed.url) (line \(feed.line)): \(ConfigEditing.reason(outcome) ?? "")")
            }
        }
        let added = addition.addedCount
        let skipped = addition.outcomes.count - added
        let feeds = document.feeds.count == 1 ? "1 feed" : "\(document.feeds.count) feeds"
        let total =
            "\(editing.name): \(added) \(dryRun ? "to add" : "added"), \(skipped) skipped, of \(feeds) in \(source)"
        stdout.line(dryRun ? total + "; dry run: \(editing.name) not changed" : total)
        return 0
    }
}
