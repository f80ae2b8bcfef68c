import Foundation
import Testing

@testable import FeedCore

/// The command line of `feedd discover`: its help, its usage errors, and how it prints feeds.
@Suite struct DiscoverCommandTests {
    private func feedd(_ words: [String]) async -> (status: Int32, stdout: String, stderr: String) {
        let stdout = Output.memory()
        let stderr = Output.memory()
        let status = await Feedd.main(arguments: ["feedd"] + words, environment: [:], stdout: stdout, stderr: stderr)
        return (status, stdout.text, stderr.text)
    }

    @Test func helpExplainsTheCommand() async {
        for words in [["help", "discover"], ["discover", "--help"], ["discover", "-h"]] {
            let outcome = await feedd(words)
            #expect(outcome.status == 0)
            #expect(outcome.stdout.hasPrefix("Usage: feedd discover [--json] [--check] URL_OR_FILE\n"))
            for word in ["--json", "--check", "link, platform, anchor, guess", "Exit status 0"] {
                #expect(outcome.stdout.contains(word), "\(word)")
            }
        }
        let top = await feedd(["--help"]).stdout
        #expect(top.contains("discover URL_OR_FILE [--json] [--check]"))
    }

    @Test func usageErrorsExitTwo() async {
        let none = await feedd(["discover"])
        #expect(none.status == 2)
        #expect(none.stderr == "feedd: discover needs a URL_OR_FILE (see 'feedd discover --help')\n")
        let two = await feedd(["discover", "https://a.example/", "https://b.example/"])
        #expect(two.status == 2)
        #expect(two.stderr.contains("discover takes one URL_OR_FILE, found 'https://a.example/' 'https://b.example/'"))
        let unknown = await feedd(["discover", "--all", "https://a.example/"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown option --all"))
    }

    @Test func aHostNameGivenAsAFileGetsAHint() async throws {
        let directory = try TemporaryDirectory()
        let outcome = await feedd(["discover", directory.path("harbor.example")])
        #expect(outcome.status == 1)
        #expect(!outcome.stderr.contains("for a web page"))
        let bare = await feedd(["discover", "no-such-host-\(UUID().uuidString.prefix(8)).example"])
        #expect(bare.status == 1)
        #expect(bare.stderr.contains("(for a web page, give its URL: https://no-such-host-"), "\(bare.stderr)")
    }

    @Test func tableAlignsColumnsAndShowsUnknownsAsDashes() {
        let feeds = [
            DiscoveredFeed(url: URL(string: "https://b.example/feed/")!, format: "rss2.0", title: "Blog", via: .link),
            DiscoveredFeed(url: URL(string: "https://b.example/comments/feed/")!, format: nil, title: nil, via: .link),
            DiscoveredFeed(
                url: URL(string: "https://b.example/j.json")!, format: "json1.x", title: "A\u{1B}[2J", via: .anchor),
        ]
        #expect(DiscoverCommand.table(feeds) == """
            https://b.example/feed/           rss2.0   Blog
            https://b.example/comments/feed/  -        -
            https://b.example/j.json          json1.x  A\u{FFFD}[2J

            """)
    }
}
