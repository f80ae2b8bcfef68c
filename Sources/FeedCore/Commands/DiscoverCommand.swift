import Foundation

/// `feedd discover URL_OR_FILE [--json] [--check]`: the feeds a web page offers, best first (README.md, "feedd
/// discover").
enum DiscoverCommand {
    static let help = """
        Usage: feedd discover [--json] [--check] URL_OR_FILE

        Find the feeds a web page offers and print them best first, one line each: the feed's URL, its format (as
        feedd parse names it: rss2.0, atom1.0, json1.x…) and its title, or - for what is not known without fetching
        the feed. In this order:
          1. the feeds the page declares with <link rel="alternate"> (RSS, Atom, JSON Feed), as declared, the main
             feed before category and comment feeds;
          2. the feeds its platform is known to offer (WordPress, Blogger, Medium, Substack, Tumblr, a YouTube
             channel, a GitHub repository, Reddit, a Mastodon profile…) and the links in the page that look like
             feeds, each listed only when fetching it gives a feed;
          3. when nothing else is found, the usual feed paths at the site's root (/feed, /rss.xml, /atom.xml…),
             listed when fetching them gives a feed.
        A URL or file that is a feed itself is its own one feed. The page is an http(s) URL, a file, a file: URL or
        - for standard input. Exit status 0 when a feed is found; 1 when none is, with a line on stderr saying what
        was tried, or when the page cannot be read.

        Options:
          --json          one JSON object per feed and line: {"url":…,"format":…,"title":…,"via":…}, with via one
                          of link, platform, anchor, guess; format and title are null when the feed was not fetched
          --check         fetch the declared feeds too, list their format and title, and drop those that are not
                          feeds (each said on stderr)
          --config PATH, --state DIR   accepted, as by every command; discover does not use them
          -h, --help      show this help

        """

    static func run(_ words: [String], stdout: Output, stderr: Output) async throws(UsageError) -> Int32 {
        let arguments = try Arguments(
            words, command: "discover", valued: CommandContext.valuedOptions,
            flags: ["--json", "--check", "--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        guard let source = arguments.operands.first else {
            throw UsageError(message: "discover needs a URL_OR_FILE", command: "discover")
        }
        guard arguments.operands.count == 1 else {
            let found = arguments.operands.map { "'\($0)'" }.joined(separator: " ")
            throw UsageError(message: "discover takes one URL_OR_FILE, found \(found)", command: "discover")
        }
        let report: DiscoveryReport
        do throws(DiscoveryError) {
            report = try await FeedDiscovery.report(
                source, check: arguments.has("--check"), maxBodyBytes: FeedParser.defaultSizeLimit)
        } catch {
            stderr.line("feedd discover: \(source): \(error)\(hint(for: source, error: error))")
            return 1
        }
        for attempt in report.dropped {
            let reason = attempt.failure ?? "not a feed"
            let url = attempt.candidate.url.absoluteString
            stderr.line("feedd discover: dropped \(url) (declared by the page): \(reason)")
        }
        guard !report.feeds.isEmpty else {
            stderr.line("feedd discover: \(source): no feed found (tried: \(report.tried))")
            return 1
        }
        if arguments.has("--json") {
            var json = JSONWriter()
            for feed in report.feeds {
                write(feed, to: &json)
                json.endLine()
            }
            stdout.write(json.bytes)
        } else {
            stdout.write(table(report.feeds))
        }
        return 0
    }

    /// `{"url":…,"format":…,"title":…,"via":…}`.
    static func write(_ feed: DiscoveredFeed, to json: inout JSONWriter) {
        json.beginObject()
        json.key("url")
        json.string(feed.url.absoluteString)
        json.key("format")
        json.string(feed.format)
        json.key("title")
        json.string(feed.title)
        json.key("via")
        json.string(feed.via.rawValue)
        json.endObject()
    }

    /// One line per feed: URL, format, title, in columns two spaces apart, `-` for what is not known.
    static func table(_ feeds: [DiscoveredFeed]) -> String {
        let urls = feeds.map { StatusTable.printable($0.url.absoluteString) }
        let formats = feeds.map { $0.format ?? "-" }
        let urlWidth = urls.map(\.count).max() ?? 0
        let formatWidth = formats.map(\.count).max() ?? 0
        return zip(feeds, zip(urls, formats)).map { feed, columns in
            let title = StatusTable.printable(feed.title ?? "-")
            return columns.0.padding(toLength: urlWidth + 2, withPad: " ", startingAt: 0)
                + columns.1.padding(toLength: formatWidth + 2, withPad: " ", startingAt: 0) + title + "\n"
        }.joined()
    }

    /// A hint for a bare host name given as a file (`feedd discover example.com`): discover reads paths as files,
    /// as `feedd parse` does.
    private static func hint(for source: String, error: DiscoveryError) -> String {
        guard error.description.hasPrefix("no such file:"), !source.contains("/"), source.contains("."),
            !source.contains(" ")
        else { return "" }
        return " (for a web page, give its URL: https://\(source))"
    }
}
