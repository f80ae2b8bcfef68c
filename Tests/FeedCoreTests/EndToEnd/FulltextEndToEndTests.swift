import Foundation
import Testing

@testable import FeedCore

#if canImport(Glibc)
    import Glibc
#endif

/// `"fulltext": true` as a user runs it: the built `feedd`, a real server with a feed and its story pages.
@Suite(.serialized) struct FulltextEndToEndTests {
    /// A story page with a clear `<article>` of paragraphs amid navigation and a footer.
    static func page(_ number: Int) -> String {
        """
        <!DOCTYPE html><html><head><title>Story \(number)</title></head><body>
        <nav><a href="/">Home</a> <a href="/about">About</a></nav>
        <article><h1>Story \(number)</h1>
        <p>First paragraph of story \(number): the council met on Tuesday to vote on the budget for next year.</p>
        <p>Second paragraph of story \(number): the vote was close, and the mayor spoke for an hour before it.</p>
        <p>Third paragraph of story \(number): residents will see the changes in their bills from the spring.</p>
        </article>
        <footer><p>Copyright the publisher. All rights reserved.</p></footer>
        </body></html>
        """
    }

    /// The paragraphs of `page(number)` that the article must contain.
    static func paragraphs(_ number: Int) -> [String] {
        ["First", "Second", "Third"].map { "\($0) paragraph of story \(number)" }
    }

    /// An RSS feed of stories `numbers`, dated in order, each linking to `/page/N` on `server`.
    static func feed(_ numbers: [Int], server: TestHTTPServer) -> String {
        let items = numbers.map { number in
            "<item><title>Story \(number)</title><guid>story-\(number)</guid>"
                + "<link>\(server.url("/page/\(number)").absoluteString)</link>"
                + "<pubDate>Mon, 0\(number) Jun 2025 10:00:00 GMT</pubDate></item>"
        }
        return TestHTTPServer.rss(title: "Full", items: items.joined())
    }

    /// Configures the one `fulltext` feed at /full.xml, polled hourly, starts `feedd run`, and waits until the
    /// daemon asks for page `number`; returns the daemon and whether it asked.
    static func runUntilAsked(
        forPage number: Int, server: TestHTTPServer, workspace: Workspace
    ) async throws -> (daemon: FeeddProcess, asked: Bool) {
        try workspace.writeConfig(
            #"{"state_dir": "state", "interval": "1h", "timeout": "10m", "feeds": ["#
                + #"{"id": "full", "url": "\#(server.url("/full.xml"))", "fulltext": true}]}"#)
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        let asked = await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) {
            !server.requests(to: "/page/\(number)").isEmpty
        }
        return (daemon, asked)
    }

    static func servePage(_ number: Int, on server: TestHTTPServer, delay: TimeInterval = 0) {
        let body = Data(page(number).utf8)
        server.route("/page/\(number)") { _ in
            .init(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: body, delay: delay)
        }
    }

    @Test func newStoriesAreLoggedOnceWithTheirArticlesAndPagesAreFetchedOnce() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/full.xml", TestHTTPServer.document(Self.feed([1, 2, 3], server: server)))
        server.route("/plain.xml", TestHTTPServer.document(TestHTTPServer.rss(guids: ["plain-1", "plain-2"])))
        // The first page answers last: the log keeps the stories' order all the same.
        Self.servePage(1, on: server, delay: 1)
        Self.servePage(2, on: server)
        // No route for /page/3: a 404.
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            #"{"state_dir": "state", "user_agent": "fulltext-test/1", "per_host_concurrency": 4, "feeds": ["#
                + #"{"id": "full", "url": "\#(server.url("/full.xml"))", "fulltext": true},"#
                + #"{"id": "plain", "url": "\#(server.url("/plain.xml"))"}]}"#)

        let first = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(first.status == 0, "\(first.stderr)")
        let logged = workspace.loggedStories()
        #expect(logged.problems.isEmpty, "\(logged.problems)")
        let full = logged.stories.filter { $0["feed"] as? String == "full" }
        #expect(full.map { $0["guid"] as? String } == ["story-1", "story-2", "story-3"])
        for (index, story) in full.prefix(2).enumerated() {
            let article = try #require(story["article"] as? String, "story \(index + 1) has no article: \(story)")
            for paragraph in Self.paragraphs(index + 1) { #expect(article.contains(paragraph), "\(article)") }
            #expect(!article.contains("All rights reserved"))
        }
        #expect(full.count == 3 && full[2]["article"] is NSNull, "\(full.last ?? [:])")
        #expect(first.stderr.contains("article unavailable"), "\(first.stderr)")
        let reasonLine = first.stderr.split(separator: "\n").first { $0.contains("article unavailable") }
        #expect(reasonLine?.contains("story=story-3") == true, "\(first.stderr)")
        #expect(reasonLine?.contains("HTTP 404") == true, "\(first.stderr)")
        // Stories of a feed without fulltext have no article key at all.
        let plain = logged.stories.filter { $0["feed"] as? String == "plain" }
        #expect(plain.count == 2)
        #expect(plain.allSatisfy { $0["article"] == nil })
        // Pages are fetched with the feed's politeness: its User-Agent, once each.
        for number in 1...3 {
            let requests = server.requests(to: "/page/\(number)")
            #expect(requests.count == 1, "/page/\(number): \(requests.count) requests")
            #expect(requests.first?.header("User-Agent") == "fulltext-test/1")
        }

        // A second poll that finds one new story fetches that story's page only.
        server.route("/full.xml", TestHTTPServer.document(Self.feed([1, 2, 3, 4], server: server)))
        Self.servePage(4, on: server)
        let second = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(second.status == 0, "\(second.stderr)")
        let after = workspace.loggedStories().stories.filter { $0["feed"] as? String == "full" }
        #expect(after.map { $0["guid"] as? String } == ["story-1", "story-2", "story-3", "story-4"])
        let fourth = try #require(after.last?["article"] as? String)
        for paragraph in Self.paragraphs(4) { #expect(fourth.contains(paragraph)) }
        #expect((1...4).map { server.requests(to: "/page/\($0)").count } == [1, 1, 1, 1])
    }

    /// A page's 429 with Retry-After pauses its host: the next page there waits, and the story of the refused page
    /// is logged without its article.
    @Test func aPageRetryAfterPausesItsHost() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let arrivals = Arrivals()
        server.route("/full.xml", TestHTTPServer.document(Self.feed([1, 2], server: server)))
        server.route("/page/1") { _ in
            arrivals.note(1)
            return .init(status: 429, headers: [("Retry-After", "2")], body: Data("slow down\n".utf8))
        }
        let second = Data(Self.page(2).utf8)
        server.route("/page/2") { _ in
            arrivals.note(2)
            return .init(status: 200, headers: [("Content-Type", "text/html")], body: second)
        }
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            #"{"state_dir": "state", "per_host_concurrency": 1, "feeds": ["#
                + #"{"id": "full", "url": "\#(server.url("/full.xml"))", "fulltext": true}]}"#)
        let once = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(once.status == 0, "\(once.stderr)")
        let times = arrivals.times
        let first = try #require(times[1])
        let then = try #require(times[2])
        let gap = then.timeIntervalSince(first)
        #expect(gap >= 1.9, "the second page came \(gap) s after the 429")
        let stories = workspace.loggedStories().stories
        #expect(stories.map { $0["guid"] as? String } == ["story-1", "story-2"])
        #expect(stories.first?["article"] is NSNull)
        #expect((stories.last?["article"] as? String)?.contains(Self.paragraphs(2)[0]) == true)
        #expect(once.stderr.contains("story=story-1") && once.stderr.contains("HTTP 429"), "\(once.stderr)")
    }

    /// SIGTERM while a page is being fetched stops at once, cleanly, without logging the story: its seen key is not
    /// saved, so the next run logs it with its article.
    @Test func aStopWhilePagesAreFetchedLogsNothingAndTheNextRunDoes() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/full.xml", TestHTTPServer.document(Self.feed([1, 2], server: server)))
        Self.servePage(1, on: server)
        Self.servePage(2, on: server, delay: 600)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (daemon, asked) = try await Self.runUntilAsked(forPage: 2, server: server, workspace: workspace)
        #expect(asked, "the page was never requested: \(daemon.stderr)")
        daemon.signal(SIGTERM)
        let status = await daemon.wait(timeout: TestEnvironment.scaled(20))
        #expect(status == 0, "\(daemon.stderr)")
        #expect(workspace.loggedGuids().isEmpty)

        Self.servePage(2, on: server)
        let again = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(again.status == 0, "\(again.stderr)")
        let stories = workspace.loggedStories().stories
        #expect(stories.map { $0["guid"] as? String } == ["story-1", "story-2"])
        #expect(stories.allSatisfy { $0["article"] is String })
    }

    /// A reload that changes a feed while its pages are fetched gives them up at once: nothing of that fetch is
    /// logged, and the next poll, under the new config, logs the story once, with its article.
    @Test func aReloadThatChangesTheFeedGivesUpItsPagesAndPollsAgain() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/full.xml", TestHTTPServer.document(Self.feed([1], server: server)))
        Self.servePage(1, on: server, delay: 600)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = { (title: String) in
            #"{"state_dir": "state", "interval": "1s", "timeout": "10m", "feeds": ["#
                + #"{"id": "full", "title": "\#(title)", "url": "\#(server.url("/full.xml"))", "fulltext": true}]}"#
        }
        try workspace.writeConfig(config("Before"))
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        let asked = await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) {
            !server.requests(to: "/page/1").isEmpty
        }
        #expect(asked, "the page was never requested: \(daemon.stderr)")
        Self.servePage(1, on: server)
        try workspace.writeConfig(config("After"))
        let logged = await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) {
            !workspace.loggedGuids().isEmpty
        }
        #expect(logged, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: TestEnvironment.scaled(20)) == 0)
        let stories = workspace.loggedStories().stories
        #expect(stories.map { $0["guid"] as? String } == ["story-1"])
        #expect(stories.first?["feed_title"] as? String == "After")
        #expect((stories.first?["article"] as? String)?.contains(Self.paragraphs(1)[0]) == true)
        #expect(server.requests(to: "/page/1").count == 2)
    }

    /// A crash while a story's page is being fetched loses nothing and logs nothing twice: the story was not
    /// logged, so its seen key was not saved, and the next poll finds it again and fetches its page again.
    @Test func aKillBeforeTheStoryIsLoggedRefetchesItsPageNextTime() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/full.xml", TestHTTPServer.document(Self.feed([1], server: server)))
        // The page hangs: the daemon is stuck between finding the story and logging it.
        Self.servePage(1, on: server, delay: 600)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (daemon, asked) = try await Self.runUntilAsked(forPage: 1, server: server, workspace: workspace)
        daemon.signal(SIGKILL)
        await daemon.wait()
        #expect(asked, "the page was never requested: \(daemon.stderr)")
        #expect(workspace.loggedGuids().isEmpty)
        let seen = workspace.directory.appendingPathComponent("state/seen/full.json")
        let keys = (try? String(contentsOf: seen, encoding: .utf8)) ?? ""
        #expect(!keys.contains("story-1"), "the seen key was saved before the story was logged: \(keys)")

        Self.servePage(1, on: server)
        let again = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(again.status == 0, "\(again.stderr)")
        let stories = workspace.loggedStories().stories
        #expect(stories.map { $0["guid"] as? String } == ["story-1"])
        let article = try #require(stories.first?["article"] as? String)
        for paragraph in Self.paragraphs(1) { #expect(article.contains(paragraph)) }
        #expect(server.requests(to: "/page/1").count == 2)
    }
}

/// When each page was first asked for, from the server's threads.
private final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var first: [Int: Date] = [:]

    func note(_ page: Int) {
        lock.withLock { if first[page] == nil { first[page] = Date() } }
    }

    var times: [Int: Date] { lock.withLock { first } }
}
