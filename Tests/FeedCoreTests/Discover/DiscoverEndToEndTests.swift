import Foundation
import Testing

@testable import FeedCore

/// `feedd discover` as people run it: the built binary against pages on 127.0.0.1, its output, its stderr and its
/// exit status.
@Suite struct DiscoverEndToEndTests {
    private func discover(_ arguments: [String]) async throws -> (status: Int32?, stdout: String, stderr: String) {
        let workspace = try Workspace()
        defer { workspace.remove() }
        return try await FeeddProcess.run(["discover"] + arguments, directory: workspace.directory, timeout: 60)
    }

    /// The WordPress category page, with its main and category feeds served and its comments feed missing.
    private func wordPress(_ server: TestHTTPServer) throws {
        try server.page(
            "/category/news/", fixture: "discover-wordpress-category.html", replacing: ["https://blog.example"])
        server.feed("/feed/", SampleFeeds.rss("Harbor Town Chronicle"))
        server.feed("/category/news/feed/", SampleFeeds.rss("Harbor Town Chronicle » News"))
    }

    @Test func listsDeclaredFeedsOneLineEachBestFirst() async throws {
        try await TestHTTPServer.serving { server in
            try wordPress(server)
            let run = try await discover([server.origin + "/category/news/"])
            #expect(run.status == 0, "\(run.stderr)")
            let o = server.origin
            #expect(run.stdout == """
                \(o)/feed/                -  -
                \(o)/category/news/feed/  -  -
                \(o)/comments/feed/       -  -

                """)
            #expect(run.stderr.isEmpty)
        }
    }

    @Test func checkFetchesEveryFeedAndSaysWhichItDropped() async throws {
        try await TestHTTPServer.serving { server in
            try wordPress(server)
            let run = try await discover(["--check", server.origin + "/category/news/"])
            #expect(run.status == 0, "\(run.stderr)")
            let o = server.origin
            #expect(run.stdout == """
                \(o)/feed/                rss2.0  Harbor Town Chronicle
                \(o)/category/news/feed/  rss2.0  Harbor Town Chronicle » News

                """)
            #expect(run.stderr == "feedd discover: dropped \(o)/comments/feed/ (declared by the page): HTTP 404\n")
        }
    }

    @Test func jsonGivesOneObjectPerFeedWithHowItWasFound() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/writing/", fixture: "discover-anchors-only.html")
            server.feed("/rss.xml", SampleFeeds.rss("Lena Okafor"))
            server.feed("/writing/feed.json", SampleFeeds.json(#"Lena \"Okafor\""#))
            let run = try await discover([server.origin + "/writing/", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let o = server.origin
            #expect(run.stdout == """
                {"url":"\(o)/rss.xml","format":"rss2.0","title":"Lena Okafor","via":"anchor"}
                {"url":"\(o)/writing/feed.json","format":"json1.x","title":"Lena \\"Okafor\\"","via":"anchor"}

                """)
            for line in run.stdout.split(separator: "\n") {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)")
            }
        }
    }

    @Test func jsonGivesNullsForFeedsItDidNotFetch() async throws {
        try await TestHTTPServer.serving { server in
            try wordPress(server)
            let run = try await discover(["--json", server.origin + "/category/news/"])
            #expect(run.status == 0)
            let first = try #require(run.stdout.split(separator: "\n").first)
            #expect(first == #"{"url":"\#(server.origin)/feed/","format":null,"title":null,"via":"link"}"#)
            #expect(run.stdout.split(separator: "\n").count == 3)
        }
    }

    @Test func platformFeedsOfAGitHubRepository() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/harbortown/tidewatch", fixture: "discover-github-repository.html")
            server.feed("/harbortown/tidewatch/releases.atom", SampleFeeds.atom("Release notes from tidewatch"))
            let run = try await discover(["--json", server.origin + "/harbortown/tidewatch"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == """
                {"url":"\(server.origin)/harbortown/tidewatch/releases.atom","format":"atom1.0",\
                "title":"Release notes from tidewatch","via":"platform"}

                """)
        }
    }

    @Test func noFeedExitsOneWithALineSayingWhatWasTried() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/hours.html", fixture: "discover-nothing.html")
            let run = try await discover([server.origin + "/hours.html"])
            #expect(run.status == 1)
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(run.stderr)")
            let start = "feedd discover: \(server.origin)/hours.html: no feed found (tried: "
            #expect(lines.first?.hasPrefix(start) == true, "\(run.stderr)")
            let paths = "the usual paths /feed, /feed.xml, /rss.xml, /atom.xml, /index.xml, /feed.json"
            #expect(run.stderr.contains(paths))
        }
    }

    @Test func aFeedGivenDirectlyIsItsOwnFeed() async throws {
        try await TestHTTPServer.serving { server in
            server.feed("/atom.xml", SampleFeeds.atom("Notes from the workshop"))
            let run = try await discover([server.origin + "/atom.xml"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "\(server.origin)/atom.xml  atom1.0  Notes from the workshop\n")
            #expect(server.requests.count == 1)
        }
    }

    @Test func aPageThatCannotBeReadExitsOne() async throws {
        try await TestHTTPServer.serving { server in
            let run = try await discover([server.origin + "/gone.html"])
            #expect(run.status == 1)
            #expect(run.stderr == "feedd discover: \(server.origin)/gone.html: HTTP 404\n")
        }
    }

    @Test func aLocalPageIsReadAsAFile() async throws {
        let run = try await discover([Fixtures.url("discover-atom-json-base.html").path])
        #expect(run.status == 0, "\(run.stderr)")
        // No web address: the <base href="/journal/"> resolves against the file's own URL.
        #expect(run.stdout == """
            file:///journal/feeds/atom.xml   -  -
            file:///journal/feeds/feed.json  -  -

            """)
    }
}
