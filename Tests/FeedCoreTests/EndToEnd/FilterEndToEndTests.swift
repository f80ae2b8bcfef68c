import Foundation
import Testing

@testable import FeedCore

/// `filters` as a user runs them: the built `feedd`, a real server that lists every story on every poll (no
/// validators, so each poll parses the whole document again), real files.
@Suite(.serialized) struct FilterEndToEndTests {
    /// The stories the server lists, newest first: (guid, title, category, summary markup).
    final class Listing: @unchecked Sendable {
        // @unchecked: `items` is guarded by `lock`.
        private let lock = NSLock()
        private var items: [(guid: String, title: String, category: String, summary: String)] = []

        func add(_ guid: String, _ title: String, category: String = "News", summary: String = "<p>text</p>") {
            lock.withLock { items.insert((guid, title, category, summary), at: 0) }
        }

        var rss: String {
            let entries = lock.withLock { items }.map { item in
                "<item><guid>\(item.guid)</guid><title>\(item.title)</title><category>\(item.category)</category>"
                    + "<description><![CDATA[\(item.summary)]]></description></item>"
            }
            return TestHTTPServer.rss(title: "Listing", items: entries.joined())
        }
    }

    func serve(_ listing: Listing, on server: TestHTTPServer, at path: String) {
        server.route(path) { _ in .init(status: 200, body: Data(listing.rss.utf8)) }
    }

    func statusRows(_ workspace: Workspace) async throws -> [String: [String: Any]] {
        let status = try await FeeddProcess.run(["status", "--json"], directory: workspace.directory)
        var rows: [String: [String: Any]] = [:]
        for line in status.stdout.split(separator: "\n") {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            rows[row["feed"] as? String ?? ""] = row
        }
        return rows
    }

    @Test func droppedStoriesAreNeverLoggedAndStatusCountsThem() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let news = Listing()
        let blog = Listing()
        news.add("n1", "Council votes on budget")
        news.add("n2", "AD: Buy a car", category: "Promo")
        news.add("n3", "Weather", category: "Sport", summary: "<p>Storm <b>warning</b></p>")
        blog.add("b1", "Swift 6.3 is out", category: "Swift")
        blog.add("b2", "My cat", category: "Life")
        blog.add("b3", "sponsored: hosting", category: "Swift")
        serve(news, on: server, at: "/news.xml")
        serve(blog, on: server, at: "/blog.xml")
        let workspace = try Workspace()
        defer { workspace.remove() }
        // Top level: no ads anywhere (title, case-insensitive). News drops by plain-text summary; the blog keeps
        // Swift only.
        try workspace.writeConfig(
            #"""
            {"state_dir": "state", "filters": {"drop": {"title": "(?i)^(ad|sponsored):"}},
             "feeds": [{"id": "news", "url": "\#(server.url("/news.xml"))",
                        "filters": {"drop": {"summary": "^Storm warning$"}}},
                       {"id": "blog", "url": "\#(server.url("/blog.xml"))", "filters": {"keep": {"category": "^Swift$"}}}]}
            """#)
        let first = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Set(workspace.loggedGuids()) == ["n1", "b1"])
        var rows = try await statusRows(workspace)
        #expect(rows["news"]?["filtered"] as? Int == 2)
        #expect(rows["blog"]?["filtered"] as? Int == 2)

        // The next poll lists the dropped stories again, and new ones of each kind.
        news.add("n4", "Ad: another car")
        news.add("n5", "Bridge reopens")
        blog.add("b4", "Go 2", category: "Go")
        let second = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(workspace.loggedGuids() == ["n1", "b1", "n5"] || workspace.loggedGuids() == ["b1", "n1", "n5"])
        rows = try await statusRows(workspace)
        #expect(rows["news"]?["filtered"] as? Int == 3)
        #expect(rows["blog"]?["filtered"] as? Int == 3)
        let table = try await FeeddProcess.run(["status"], directory: workspace.directory)
        #expect(table.stdout.contains("FILTERED"), "\(table.stdout)")
    }

    @Test func anInvalidPatternIsAConfigErrorWithItsPath() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            #"{"feeds": ["https://a.example/f", "https://b.example/f", {"url": "https://c.example/f", "filters": {"drop": {"title": "(unclosed"}}}]}"#)
        for command in ["check", "once"] {
            let run = try await FeeddProcess.run([command], directory: workspace.directory, timeout: 20)
            #expect(run.status == 2)
            #expect(run.stderr.contains(#"feeds.json: feeds[2].filters.drop.title: invalid regular expression "(unclosed""#), "\(run.stderr)")
        }
    }
}
