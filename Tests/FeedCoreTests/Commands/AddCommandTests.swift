import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// `feedd add URL`: a feed is checked by fetching it, then appended with the rest of the file kept byte for byte;
/// whatever is refused leaves the file as it was, with exit status 2 for a clash or a bad configuration and 1 for a
/// URL that is no feed or cannot be fetched.
@Suite(.serialized) struct AddCommandTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let config = """
        {
          "state_dir": "state",
          "feeds": [
            { "id": "ladaily", "url": "https://example.com/feed/", "title": "LA News Daily", "tags": ["news", "la"] },
            "https://example.org/atom.xml"
          ]
        }

        """

    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Server News</title><link>https://server.example/</link>
        <item><title>One</title><guid>tag:server,1</guid></item><item><title>Two</title><guid>tag:server,2</guid></item>
        </channel></rss>
        """

    let server: TestHTTPServer
    let directory: TemporaryDirectory

    init() throws {
        server = try TestHTTPServer()
        directory = try TemporaryDirectory()
        server.route("/feed.xml", TestHTTPServer.document(Self.rss))
        server.route("/plain.txt", TestHTTPServer.document("just some text\n", contentType: "text/plain"))
        server.route("/missing.xml", TestHTTPServer.status(404))
        try directory.write(Self.config, to: "feeds.json")
    }

    private func feedd(_ words: [String]) async -> Outcome {
        let stdout = Output.memory()
        let stderr = Output.memory()
        let status = await Feedd.main(
            arguments: ["feedd"] + words + ["--config", directory.path("feeds.json")], environment: [:],
            stdout: stdout, stderr: stderr)
        return Outcome(status: status, stdout: stdout.text, stderr: stderr.text)
    }

    private var feedURL: String { server.url("/feed.xml").absoluteString }

    /// The config is as it was, and no temporary file is left beside it.
    private func expectUntouched(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try directory.read("feeds.json") == Self.config, sourceLocation: sourceLocation)
        #expect(try directory.names() == ["feeds.json"], sourceLocation: sourceLocation)
    }

    @Test func aFeedIsCheckedThenAppendedInTheLayoutOfItsNeighbours() async throws {
        defer { server.stop() }
        let outcome = await feedd(
            ["add", feedURL, "--id", "server", "--title", "Server \"News\"", "--tag", "a", "--tag", "b"]
                + ["--interval", "30m"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            checked \(feedURL): rss2.0, "Server News", 2 items
            added to \(directory.path("feeds.json")) as feeds[2]: {"url": "\(feedURL)", "id": "server", \
            "title": "Server \\"News\\"", "tags": ["a", "b"], "interval": "30m"} (id server)

            """)
        let expected = Self.config.replacingOccurrences(
            of: "\"https://example.org/atom.xml\"\n",
            with: "\"https://example.org/atom.xml\",\n    { \"id\": \"server\", \"url\": \"\(feedURL)\", "
                + "\"title\": \"Server \\\"News\\\"\", \"tags\": [\"a\", \"b\"], \"interval\": \"30m\" }\n")
        #expect(try directory.read("feeds.json") == expected)
        #expect(try directory.names() == ["feeds.json"])
        let config = try #require(try? ConfigFile.load(path: directory.path("feeds.json")).get())
        #expect(config.feeds.last?.id == FeedID("server") && config.feeds.last?.interval == 1800)
        #expect(server.requests(to: "/feed.xml").count == 1)
    }

    /// A site's page, not a feed: the feed it declares first (the main one, not its comments feed) is found,
    /// checked and added in the page's place.
    @Test func aPageURLIsReplacedByItsBestFeed() async throws {
        let page = """
            <!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">
            <link rel='alternate' type='application/rss+xml' title='Server News &raquo; Comments Feed' href='/comments/feed/' />
            <link rel='alternate' type='application/rss+xml' title='Server News &raquo; Feed' href='/feed.xml' />
            <link rel='stylesheet' href='/wp-content/themes/x/style.css' /></head><body><p>Welcome</p></body></html>
            """
        server.route("/", TestHTTPServer.document(page, contentType: "text/html; charset=UTF-8"))
        server.route("/comments/feed/", TestHTTPServer.document(Self.rss))
        let outcome = await feedd(["add", server.url("/").absoluteString, "--tag", "local"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("found \(feedURL) on \(server.url("/").absoluteString) (via link)"), "\(outcome.stdout)")
        let config = try directory.read("feeds.json")
        #expect(config.contains(#""url": "\#(feedURL)""#), "\(config)")
        #expect(!config.contains("comments"), "\(config)")
    }

    /// A page that offers no feed changes nothing and says what was tried.
    @Test func aPageWithoutAFeedIsRefused() async throws {
        let site = try TestHTTPServer()
        defer { site.stop() }
        site.route("/hours.html", TestHTTPServer.document(
            "<html><head><title>Opening hours</title></head><body>9 to 5</body></html>", contentType: "text/html"))
        let outcome = await feedd(["add", site.url("/hours.html").absoluteString])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("no feed"), "\(outcome.stderr)")
        #expect(try directory.read("feeds.json") == Self.config)
    }

    @Test func withoutOptionsTheEntryHasOnlyItsURLAndADerivedID() async throws {
        defer { server.stop() }
        let outcome = await feedd(["add", feedURL])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(#"feeds[2]: {"url": "\#(feedURL)"} (id \#(FeedID.derived(from: feedURL)))"#))
        #expect(try directory.read("feeds.json").contains(#"    { "url": "\#(feedURL)" }"#))
    }

    @Test func dryRunChecksAndPrintsTheEntryButChangesNothing() async throws {
        defer { server.stop() }
        let outcome = await feedd(["add", feedURL, "--tag", "x", "--dry-run"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(#"would add to "#))
        #expect(outcome.stdout.contains(#"{"url": "\#(feedURL)", "tags": ["x"]}"#))
        #expect(outcome.stdout.hasSuffix("not changed\n"))
        try expectUntouched()
    }

    @Test func aURLThatDoesNotParseAsAFeedIsRefusedWithExitOne() async throws {
        defer { server.stop() }
        // A site with no feed anywhere: discovery's guesses at its root (`/feed.xml`…) must find nothing.
        let site = try TestHTTPServer()
        defer { site.stop() }
        site.route("/plain.txt", TestHTTPServer.document("just some text\n", contentType: "text/plain"))
        let outcome = await feedd(["add", site.url("/plain.txt").absoluteString])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("not a feed: text that is not XML"), "\(outcome.stderr)")
        #expect(outcome.stderr.hasSuffix("not changed\n"))
        try directory.write("<html><body>no feed here</body></html>", to: "page.html")
        let file = await feedd(["add", "file://" + directory.path("page.html")])
        #expect(file.status == 1)
        #expect(file.stderr.contains("page.html: not a feed: an HTML page; "), "\(file.stderr)")
        try FileManager.default.removeItem(atPath: directory.path("page.html"))
        try expectUntouched()
    }

    @Test func aURLThatCannotBeFetchedIsExitOneInTheDaemonsWords() async throws {
        defer { server.stop() }
        let outcome = await feedd(["add", server.url("/missing.xml").absoluteString])
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "feedd add: \(server.url("/missing.xml").absoluteString): HTTP 404; "
            + "\(directory.path("feeds.json")) not changed\n")
        try expectUntouched()
    }

    @Test(arguments: [
        (["https://example.org/atom.xml"], #"already configured as feeds[1] (id "example.org-atom.xml-533697")"#),
        (["HTTPS://Example.ORG:443/atom.xml"], #"already configured as feeds[1] (id "example.org-atom.xml-533697")"#),
        (["https://example.com/feed/#top"], #"already configured as feeds[0] (id "ladaily")"#),
        (
            ["https://other.example/feed", "--id", "ladaily"],
            #"id "ladaily" is already used by feeds[0] (https://example.com/feed/)"#
        ),
    ])
    func aURLOrIDAlreadyConfiguredIsExitTwoBeforeAnythingIsFetched(words: [String], clash: String) async throws {
        defer { server.stop() }
        let outcome = await feedd(["add"] + words)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "feedd add: \(directory.path("feeds.json")): \(words[0]): \(clash)\n")
        #expect(server.requests.isEmpty)
        try expectUntouched()
    }

    @Test func aConfigurationThatDoesNotLoadIsExitTwoAndStaysAsItIs() async throws {
        defer { server.stop() }
        let broken = "{\"feeds\": [], \"intreval\": \"1h\"}\n"
        try directory.write(broken, to: "feeds.json")
        let outcome = await feedd(["add", feedURL])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(#"intreval: unknown field (did you mean "interval"?)"#), "\(outcome.stderr)")
        #expect(try directory.read("feeds.json") == broken)
        try FileManager.default.removeItem(atPath: directory.path("feeds.json"))
        let missing = await feedd(["add", feedURL])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("feeds.json: cannot open: No such file or directory"), "\(missing.stderr)")
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: [
        ["add"], ["add", "https://a.example/", "https://b.example/"], ["add", "example.org"],
        ["add", "https://a.example/", "--id", "no spaces"], ["add", "https://a.example/", "--interval", "soon"],
        ["add", "https://a.example/", "--interval", "0"], ["add", "https://a.example/", "--title", " "],
        ["add", "https://a.example/", "--tag", ""], ["add", "https://a.example/", "--nosuch"],
    ])
    func badCommandLinesAreUsageErrors(words: [String]) async throws {
        defer { server.stop() }
        let outcome = await feedd(words)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasSuffix("(see 'feedd add --help')\n"), "\(outcome.stderr)")
        try expectUntouched()
    }

    @Test func aWholeNumberIntervalIsWrittenAsSeconds() async throws {
        defer { server.stop() }
        #expect(await feedd(["add", feedURL, "--interval", "90"]).status == 0)
        #expect(try directory.read("feeds.json").contains(#""interval": 90 }"#))
    }

    @Test func aFileWithoutFeedsGetsTheArray() async throws {
        defer { server.stop() }
        try directory.write("{\n  \"state_dir\": \"state\"\n}\n", to: "feeds.json")
        #expect(await feedd(["add", feedURL]).status == 0)
        #expect(try directory.read("feeds.json")
            == "{\n  \"state_dir\": \"state\",\n  \"feeds\": [\n    {\"url\": \"\(feedURL)\"}\n  ]\n}\n")
    }

    @Test func theFilesModeIsKept() async throws {
        defer { server.stop() }
        chmod(directory.path("feeds.json"), 0o640)
        #expect(await feedd(["add", feedURL]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.path("feeds.json"))
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() async throws {
        defer { server.stop() }
        try FileManager.default.createDirectory(atPath: directory.path("etc"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: directory.path("feeds.json"), toPath: directory.path("etc/real.json"))
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("feeds.json"), withDestinationPath: "etc/real.json")
        let outcome = await feedd(["add", feedURL])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("in another folder: a running 'feedd run' does not see the change by itself"))
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: directory.path("feeds.json"))
        #expect(link == "etc/real.json")
        #expect(try directory.read("etc/real.json").contains(feedURL))
        #expect(try directory.names(in: "etc") == ["real.json"])
    }
}
