import Foundation
import Testing

@testable import FeedCore

/// `feedd import FILE.opml` and `feedd export`: feeds come in from real readers' exports with their folders as
/// tags, nothing is added twice, a document that is not OPML changes nothing, and an export imported into an
/// empty config gives the same feeds.
@Suite struct ImportExportCommandTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let directory: TemporaryDirectory
    var config: String { directory.path("feeds.json") }

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func feedd(_ words: [String], config: String? = nil) async -> Outcome {
        let stdout = Output.memory()
        let stderr = Output.memory()
        let status = await Feedd.main(
            arguments: ["feedd"] + words + ["--config", config ?? self.config, "--state", directory.path("state")],
            environment: [:], stdout: stdout, stderr: stderr)
        return Outcome(status: status, stdout: stdout.text, stderr: stderr.text)
    }

    private func loaded(_ path: String? = nil) throws -> Config {
        try ConfigFile.load(path: path ?? config).get()
    }

    @Test func aFeedlyExportIsAddedWithFoldersAsTagsAndItsRepeatAddedOnce() async throws {
        let before = """
            {
              "feeds": [
                {"url": "https://HNRSS.org/frontpage", "id": "hn"}
              ],
              "interval": "30m"
            }

            """
        try directory.write(before, to: "feeds.json")
        let outcome = await feedd(["import", Fixtures.url("opml-feedly.opml").path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        #expect(lines[0].hasPrefix(#"added feeds[1]: {"url": "https://feeds.arstechnica.com/arstechnica/index", "#
            + #""title": "Ars Technica - All content", "tags": ["Tech", "News & Politics"]} (id feeds.arstechnica"#))
        #expect(lines[2] == #"skipped https://hnrss.org/frontpage (line 11): already configured as feeds[0] (id "hn")"#)
        #expect(lines[5].hasPrefix("skipped https://feeds.arstechnica.com/arstechnica/index (line 16): listed again"))
        #expect(lines[7] == "\(config): 5 added, 2 skipped, of 7 feeds in \(Fixtures.url("opml-feedly.opml").path)")
        let text = try directory.read("feeds.json")
        #expect(text.hasPrefix("{\n  \"feeds\": [\n    {\"url\": \"https://HNRSS.org/frontpage\", \"id\": \"hn\"},\n"
            + "    {\"url\": \"https://feeds.arstechnica.com/arstechnica/index\", "
            + "\"title\": \"Ars Technica - All content\""))
        #expect(text.hasSuffix("\"tags\": [\"Cooking\"]}\n  ],\n  \"interval\": \"30m\"\n}\n"))
        let feeds = try loaded().feeds
        #expect(feeds.count == 6)
        #expect(feeds[4].title == "Le Monde.fr - Actualités et Infos en France et dans le monde")
        #expect(feeds[4].tags == ["News & Politics"] && feeds[4].interval == 1800)

        // A second import finds every feed there and writes nothing.
        let again = await feedd(["import", Fixtures.url("opml-feedly.opml").path])
        #expect(again.status == 0)
        #expect(again.stdout.hasSuffix("0 added, 7 skipped, of 7 feeds in \(Fixtures.url("opml-feedly.opml").path)\n"))
        #expect(try directory.read("feeds.json") == text)
    }

    @Test(arguments: [
        "opml-feedly.opml", "opml-inoreader.opml", "opml-newsblur.opml", "opml-miniflux.opml", "opml-freshrss.opml",
        "opml-newsboat.opml", "opml2-categories.opml",
    ])
    func everyReadersExportImportsIntoAConfigThatLoads(fixture: String) async throws {
        try directory.write("{\"feeds\": []}\n", to: "feeds.json")
        let outcome = await feedd(["import", Fixtures.url(fixture).path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let document = try OPMLDocument.parse(try Fixtures.data(fixture))
        let urls = Set(document.feeds.map(\.url)).filter { $0.hasPrefix("http") }
        #expect(Set(try loaded().feeds.map(\.url.absoluteString)) == urls)
    }

    @Test func dryRunPrintsWhatWouldBeAddedAndWritesNothing() async throws {
        try directory.write("{\"feeds\": []}", to: "feeds.json")
        let outcome = await feedd(["import", Fixtures.url("opml-newsboat.opml").path, "--dry-run"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == #"would add feeds[0]: {"url": "https://lwn.net/headlines/rss", "title": "LWN.net"} "#
            + "(id \(FeedID.derived(from: "https://lwn.net/headlines/rss")))")
        #expect(lines.contains("skipped exec:~/bin/weather-feed.sh (line 10): url: not an http(s) or file URL"))
        let list = Fixtures.url("opml-newsboat.opml").path
        #expect(lines.last == "\(config): 3 to add, 1 skipped, of 4 feeds in \(list); dry run: \(config) not changed")
        #expect(try directory.read("feeds.json") == "{\"feeds\": []}")
        #expect(try directory.names() == ["feeds.json"])
    }

    @Test(arguments: ["not-a-feed-html.html", "rss2-wordpress-local-news.xml", "jsonfeed-1.1.json", "missing.opml"])
    func aDocumentThatIsNotOPMLChangesNothingAndSaysWhy(fixture: String) async throws {
        try directory.write("{\"feeds\": []}", to: "feeds.json")
        let outcome = await feedd(["import", Fixtures.url(fixture).path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("feedd import: \(Fixtures.url(fixture).path): "))
        #expect(outcome.stderr.contains(fixture == "missing.opml" ? "no such file" : "not OPML: "), "\(outcome.stderr)")
        #expect(outcome.stderr.hasSuffix("; nothing imported\n"))
        #expect(try directory.read("feeds.json") == "{\"feeds\": []}")
    }

    @Test func aConfigurationThatDoesNotLoadIsExitTwo() async throws {
        try directory.write("{\"feeds\": [1]}", to: "feeds.json")
        let outcome = await feedd(["import", Fixtures.url("opml-newsboat.opml").path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("feeds[0]: expected a URL string or an object, found 1"), "\(outcome.stderr)")
        #expect(try directory.read("feeds.json") == "{\"feeds\": [1]}")
        #expect(await feedd(["import"]).status == 2)
        #expect(await feedd(["import", "a.opml", "b.opml"]).status == 2)
    }

    @Test func anIDTheConfigAlreadyUsesIsDroppedForTheDerivedOne() async throws {
        try directory.write(#"{"feeds": [{"url": "https://mine.example/", "id": "news"}]}"#, to: "feeds.json")
        try directory.write(
            #"<opml version="2.0" xmlns:feedd="https://github.com/feedd/feedd"><body>"#
                + #"<outline text="Theirs" xmlUrl="https://theirs.example/" feedd:id="news"/>"#
                + #"<outline text="Kept" xmlUrl="https://kept.example/" feedd:id="kept"/></body></opml>"#,
            to: "ids.opml")
        let outcome = await feedd(["import", directory.path("ids.opml")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let derived = FeedID.derived(from: "https://theirs.example/").rawValue
        #expect(try loaded().feeds.map(\.id.rawValue) == ["news", derived, "kept"])
    }

    @Test func anExportImportedIntoAnEmptyConfigGivesTheSameFeedsAndTags() async throws {
        let original = """
            {
              "feeds": [
                { "id": "ladaily", "url": "https://example.com/feed/", "title": "LA News Daily", \
            "tags": ["news", "la"] },
                "https://example.org/atom.xml",
                { "url": "https://example.net/rss?x=1&y=2", "title": "Tom & Jerry's \\"Café\\" <Weekly> — 東京", \
            "tags": ["a b", "Ünï"] },
                { "url": "https://example.net/untitled", "tags": ["solo"] }
              ]
            }
            """
        try directory.write(original, to: "feeds.json")
        let export = await feedd(["export"])
        #expect(export.status == 0, "\(export.stderr)")
        try directory.write(export.stdout, to: "export.opml")
        try directory.write("{\"feeds\": []}\n", to: "empty.json")
        let imported = await feedd(["import", directory.path("export.opml")], config: directory.path("empty.json"))
        #expect(imported.status == 0, "\(imported.stderr)")
        let before = try loaded().feeds
        let after = try loaded(directory.path("empty.json")).feeds
        #expect(after.map(\.url) == before.map(\.url))
        #expect(after.map(\.title) == before.map(\.title))
        #expect(after.map(\.tags) == before.map(\.tags))
        #expect(after.map(\.id) == before.map(\.id))
    }

    @Test func exportWritesOneOutlinePerFeedWithTheSiteTheLastFetchNamed() async throws {
        try directory.write(
            #"{"feeds": [{"id": "a", "url": "https://a.example/feed", "title": "A & B", "tags": ["x", "y"]}, "#
                + #""https://b.example/feed", {"id": "c", "url": "https://c.example/new"}]}"#,
            to: "feeds.json")
        let store = FeedStateStore(directory: URL(fileURLWithPath: directory.path("state")))
        try FileManager.default.createDirectory(atPath: directory.path("state"), withIntermediateDirectories: true)
        let b = FeedID.derived(from: "https://b.example/feed")
        try store.saveStates([
            FeedID("a"): FeedState(configURL: "https://a.example/feed", siteURL: "https://a.example/?x=1&y=\"2\""),
            b: FeedState(siteURL: "https://b.example/"),
            // Made for the URL the config had before: its site is another feed's.
            FeedID("c"): FeedState(configURL: "https://c.example/old", siteURL: "https://old.example/"),
        ])
        let outcome = await feedd(["export"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0" xmlns:feedd="https://github.com/feedd/feedd">
              <head>
                <title>feedd subscriptions</title>
              </head>
              <body>
                <outline type="rss" text="A &amp; B" title="A &amp; B" xmlUrl="https://a.example/feed" \
            htmlUrl="https://a.example/?x=1&amp;y=&quot;2&quot;" category="x,y" feedd:id="a"/>
                <outline type="rss" text="https://b.example/feed" xmlUrl="https://b.example/feed" \
            htmlUrl="https://b.example/"/>
                <outline type="rss" text="https://c.example/new" xmlUrl="https://c.example/new" feedd:id="c"/>
              </body>
            </opml>

            """)
        let reread = try OPMLDocument.parse(Data(outcome.stdout.utf8))
        #expect(reread.feeds.map(\.title) == ["A & B", nil, nil])
        #expect(reread.feeds.map(\.siteURL) == ["https://a.example/?x=1&y=\"2\"", "https://b.example/", nil])
    }

    @Test func exportOfAConfigurationThatDoesNotLoadIsExitTwo() async throws {
        try directory.write("{\"feeds\": 3}", to: "feeds.json")
        let outcome = await feedd(["export"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(await feedd(["export", "extra"]).status == 2)
    }

    @Test func helpOfEachNewCommand() async {
        for words in [["help", "add"], ["import", "--help"], ["export", "-h"]] {
            let stdout = Output.memory()
            let status = await Feedd.main(
                arguments: ["feedd"] + words, environment: [:], stdout: stdout, stderr: .memory())
            #expect(status == 0)
            #expect(stdout.text.hasPrefix("Usage: feedd \(words[0] == "help" ? words[1] : words[0])"))
            #expect(stdout.text.split(separator: "\n").allSatisfy { $0.count <= 116 }, "fits the usage's indentation")
        }
        let top = Output.memory()
        _ = await Feedd.main(arguments: ["feedd", "--help"], environment: [:], stdout: top, stderr: .memory())
        for line in ["add URL [--id ID]", "import FILE.opml [--dry-run]", "export "] {
            #expect(top.text.contains(line), "\(line)")
        }
    }
}
