import Foundation

/// `feedd export`: the configured feeds as an OPML 2.0 subscription list on stdout (README.md, "Commands";
/// docs/FORMATS.md, "OPML").
enum ExportCommand {
    static let help = """
        Usage: feedd export [--config PATH] [--state DIR]

        Print the configured feeds as an OPML 2.0 subscription list on standard output, for another reader or
        another feedd ('feedd import' reads it back into the same feeds, titles and tags). One outline per feed,
        in the order of the configuration:

          <outline type="rss" text="…" title="…" xmlUrl="…" htmlUrl="…" category="tag1,tag2" feedd:id="…"/>

        text and title are the feed's title in the configuration (text is the URL when it has none, and title is
        then left out); htmlUrl is the site the feed's last fetch named, read from the state directory (absent
        until a fetch has named one); category lists the tags; feedd:id is written for an id the configuration
        gives rather than derives, so that an import keeps it.

        Options:
          --config PATH   the configuration (default ./feeds.json, or $FEEDD_CONFIG)
          --state DIR     the state directory, for htmlUrl (default: the config's state_dir, else $STATE_DIRECTORY,
                          else ./state)
          -h, --help      show this help

        """

    static func run(_ words: [String], environment: [String: String], stdout: Output, stderr: Output)
        async throws(UsageError) -> Int32
    {
        let arguments = try Arguments(
            words, command: "export", valued: CommandContext.valuedOptions, flags: ["--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        guard arguments.operands.isEmpty else {
            throw UsageError(message: "export takes no operands, found '\(arguments.operands[0])'", command: "export")
        }
        let context = CommandContext.load(arguments, environment: environment)
        guard let config = context.config else {
            context.report(to: stderr)
            return 2
        }
        let states = FeedStateStore(directory: context.stateDirectory).allStates()
        stdout.write(OPMLWriter.document(feeds(of: config, states: states), title: "feedd subscriptions"))
        return 0
    }

    /// The outlines of `config`'s feeds, with the site each one's state knows.
    static func feeds(of config: Config, states: [FeedID: FeedState]) -> [OPMLWriter.Feed] {
        config.feeds.map { feed in
            let url = feed.url.absoluteString
            // A state made for another URL (the config's was edited since) knows another feed's site.
            let state = states[feed.id].flatMap { $0.configURL == nil || $0.configURL == url ? $0 : nil }
            let derived = FeedID.derived(from: url) == feed.id
            return OPMLWriter.Feed(
                url: url, title: feed.title, siteURL: state?.siteURL, tags: feed.tags,
                id: derived ? nil : feed.id.rawValue)
        }
    }
}
