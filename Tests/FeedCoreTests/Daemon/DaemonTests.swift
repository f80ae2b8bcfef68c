import Dispatch
import Foundation
import Testing

@testable import FeedCore

/// The daemon in process, one `once` pass at a time, against a real HTTP server on 127.0.0.1 and a real state
/// directory: what each kind of answer does to the log and to the feed's state.
@Suite(.serialized) struct DaemonTests {
    let server: TestHTTPServer
    let state: URL
    let sink = MemoryLogSink()

    init() throws {
        server = try TestHTTPServer()
        state = FileManager.default.temporaryDirectory.appendingPathComponent("feedd-daemon-\(UUID().uuidString)")
    }

    func feed(_ path: String, id: String = "f", backfill: Int? = nil) -> FeedConfig {
        FeedConfig(
            id: FeedID(id), url: server.url(path), interval: 900, timeout: TestEnvironment.scaled(5),
            backfill: backfill)
    }

    /// One `feedd once` pass over `feeds`, with a fresh daemon on the same state directory (as separate runs are).
    /// - Returns: the daemon's status line at the end of the pass.
    @discardableResult
    func once(_ feeds: [FeedConfig]) async throws -> String {
        var config = Config(feeds: feeds)
        config.perHostConcurrency = 8
        let queue = DispatchQueue(label: "test.daemon")
        let dependencies = Daemon.Dependencies(
            client: URLSessionHTTPClient(maximumConnectionsPerHost: 8), timers: DispatchTimers(queue: queue),
            logger: Logger(sink: sink, threshold: .debug, timestamps: false), notifier: nil)
        var opened: Daemon?
        // The previous pass released the state directory's lock, but a child process that other tests fork at that
        // moment holds a copy of the descriptor (and so the lock) until it execs: try again for a little while.
        for attempt in 0..<100 where opened == nil {
            do {
                opened = try Daemon(config: config, stateDirectory: state, queue: queue, dependencies: dependencies)
            } catch {
                guard case .busy = error, attempt < 99 else { throw error }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let daemon = opened!
        return await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
            daemon.runOnce { done.resume(returning: daemon.statusLine) }
        }
    }

    func stateOf(_ id: String = "f") -> FeedState? {
        FeedStateStore(directory: state).loadState(FeedID(id))
    }

    func logged() -> [StoryLine] {
        let text = (try? String(contentsOf: state.appendingPathComponent("stories.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { StoryLine.parse(line: String($0)) }
    }

    static func rss(_ guids: [String]) -> String {
        "<rss version=\"2.0\"><channel><title>T</title>"
            + guids.map { "<item><title>\($0)</title><guid>\($0)</guid></item>" }.joined() + "</channel></rss>"
    }

    @Test(arguments: [301, 308])
    func permanentRedirectIsRememberedAndUsed(status: Int) async throws {
        defer { server.stop() }
        server.route("/old.xml", TestHTTPServer.redirect(status, to: "/new.xml"))
        server.route("/new.xml", TestHTTPServer.document(Self.rss(["a"]), etag: "\"1\""))
        try await once([feed("/old.xml")])
        #expect(stateOf()?.permanentURL == server.url("/new.xml").absoluteString)
        #expect(sink.lines.contains { $0.contains("feed moved permanently") && $0.contains("/new.xml") })
        try await once([feed("/old.xml")])
        #expect(server.requests(to: "/old.xml").count == 1)
        #expect(server.requests(to: "/new.xml").count == 2)
        #expect(server.requests(to: "/new.xml").last?.header("If-None-Match") == "\"1\"")
        #expect(logged().map(\.id) == ["a"])
    }

    @Test func followingTheAdviceAfterA301LogsNothingTwice() async throws {
        defer { server.stop() }
        server.route("/old.xml", TestHTTPServer.redirect(301, to: "/new.xml"))
        server.route("/new.xml", TestHTTPServer.document(Self.rss(["b", "a"]), etag: "\"1\""))
        func derived(_ path: String) -> FeedConfig {
            FeedConfig(
                id: FeedID.derived(from: server.url(path).absoluteString), url: server.url(path), interval: 900,
                timeout: TestEnvironment.scaled(5))
        }
        try await once([derived("/old.xml")])
        #expect(sink.lines.contains { $0.contains("feed moved permanently; update its URL in the config") })
        // The user updates the URL; the feed's derived id changes with it.
        let moved = derived("/new.xml")
        try await once([moved])
        #expect(server.requests(to: "/new.xml").last?.header("If-None-Match") == "\"1\"")
        server.route("/new.xml", TestHTTPServer.document(Self.rss(["c", "b", "a"]), etag: "\"2\""))
        try await once([moved])
        #expect(logged().map(\.id) == ["a", "b", "c"])
        #expect(logged().last?.feed == moved.id)
        #expect(stateOf(moved.id.rawValue)?.permanentURL == nil)
        #expect(stateOf(FeedID.derived(from: server.url("/old.xml").absoluteString).rawValue) == nil)
    }

    @Test func temporaryRedirectIsNotRemembered() async throws {
        defer { server.stop() }
        server.route("/old.xml", TestHTTPServer.redirect(302, to: "/new.xml"))
        server.route("/new.xml", TestHTTPServer.document(Self.rss(["a"])))
        try await once([feed("/old.xml")])
        try await once([feed("/old.xml")])
        #expect(stateOf()?.permanentURL == nil)
        #expect(server.requests(to: "/old.xml").count == 2)
        #expect(logged().count == 1)
    }

    @Test func goneStopsPollingUntilTheURLChanges() async throws {
        defer { server.stop() }
        server.route("/gone.xml", TestHTTPServer.status(410))
        server.route("/back.xml", TestHTTPServer.document(Self.rss(["a"])))
        try await once([feed("/gone.xml")])
        #expect(stateOf()?.gone == true)
        #expect(stateOf()?.lastStatus == 410)
        try await once([feed("/gone.xml")])
        #expect(server.requests(to: "/gone.xml").count == 1)
        try await once([feed("/back.xml")])
        #expect(stateOf()?.gone == false)
        #expect(logged().map(\.id) == ["a"])
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        defer { server.stop() }
        server.route("/busy.xml", TestHTTPServer.status(429, headers: [("Retry-After", "3600")]))
        try await once([feed("/busy.xml")])
        let saved = try #require(stateOf())
        #expect(saved.lastStatus == 429)
        #expect(saved.lastError == "HTTP 429")
        let retry = try #require(saved.retryAfter)
        #expect(abs(retry.timeIntervalSinceNow - 3600) < 60)
        #expect(try #require(saved.nextDue) >= retry - 1)
    }

    @Test func serverErrorsBackOffAndOneSuccessResets() async throws {
        defer { server.stop() }
        let failing = Flag(true)
        server.route("/flaky.xml") { _ in
            failing.value ? .init(status: 500) : .init(status: 200, body: Data(Self.rss(["a"]).utf8))
        }
        var waits: [TimeInterval] = []
        for _ in 0..<3 {
            try await once([feed("/flaky.xml")])
            waits.append(try #require(stateOf()?.nextDue).timeIntervalSinceNow)
        }
        #expect(stateOf()?.consecutiveFailures == 3)
        #expect(waits[0] < waits[1] && waits[1] < waits[2])
        failing.value = false
        try await once([feed("/flaky.xml")])
        #expect(stateOf()?.consecutiveFailures == 0)
        #expect(stateOf()?.lastError == nil)
        #expect(logged().count == 1)
    }

    /// The failing feeds are counted as fetches are recorded, and from the states at start.
    @Test func theStatusLineCountsFeedsAsTheyFailAndRecover() async throws {
        defer { server.stop() }
        let failing = Flag(true)
        server.route("/bad.xml") { _ in
            failing.value ? .init(status: 500) : .init(status: 200, body: Data(Self.rss(["b"]).utf8))
        }
        server.route("/good.xml") { _ in .init(status: 200, body: Data(Self.rss(["a"]).utf8)) }
        let feeds = [feed("/good.xml"), feed("/bad.xml", id: "bad")]
        #expect(try await once(feeds).hasSuffix("2 feeds, 1 new story in the last hour, 1 failing"))
        #expect(try await once(feeds).hasSuffix(", 1 failing"), "still failing")
        #expect(try await once([feeds[0]]).hasSuffix("1 feed, 0 new stories in the last hour, 0 failing"))
        failing.value = false
        #expect(try await once(feeds).hasSuffix(", 0 failing"), "recovered")
    }

    /// At the default level a poll that finds nothing new says nothing; new stories, failures and the end of a
    /// failure streak each say so.
    @Test func onlyNewStoriesFailuresAndChangesOfStateLogAboveDebug() async throws {
        defer { server.stop() }
        let failing = Flag(false)
        server.route("/f.xml") { _ in
            failing.value ? .init(status: 500) : .init(status: 200, body: Data(Self.rss(["a"]).utf8))
        }
        try await once([feed("/f.xml")])
        try await once([feed("/f.xml")])
        failing.value = true
        try await once([feed("/f.xml")])
        failing.value = false
        try await once([feed("/f.xml")])
        let lines = sink.lines.filter { !$0.contains("pass done") }
        #expect(lines.count == 4, "\(lines)")
        #expect(lines[0].hasPrefix("<6>fetched feed=f status=200 new=1 "))
        #expect(lines[1].hasPrefix("<7>fetched feed=f status=200 new=0 "))
        #expect(lines[2].hasPrefix("<4>fetch failed feed=f error=\"HTTP 500\" failures=1"))
        #expect(lines[3] == "<6>feed recovered feed=f failures=1 new=0")
    }

    @Test func reorderedAndReservedItemsAreNotLoggedAgain() async throws {
        defer { server.stop() }
        let items = Box(["c", "b", "a"])
        server.route("/feed.xml") { _ in .init(status: 200, body: Data(Self.rss(items.value).utf8)) }
        try await once([feed("/feed.xml")])
        items.value = ["a", "c", "b"]
        try await once([feed("/feed.xml")])
        items.value = ["d", "b", "a", "c"]
        try await once([feed("/feed.xml")])
        #expect(logged().map(\.id) == ["a", "b", "c", "d"])
    }

    @Test func conditionalGetByLastModifiedCostsNoParsing() async throws {
        defer { server.stop() }
        let modified = "Sat, 28 Nov 2026 10:00:00 GMT"
        server.route("/lm.xml", TestHTTPServer.document(Self.rss(["a"]), lastModified: modified))
        try await once([feed("/lm.xml")])
        try await once([feed("/lm.xml")])
        #expect(server.requests(to: "/lm.xml").last?.header("If-Modified-Since") == modified)
        #expect(stateOf()?.lastStatus == 304)
        #expect(logged().count == 1)
    }

    @Test func htmlPageWithStatus200IsAFailureAndItsValidatorsAreNotKept() async throws {
        defer { server.stop() }
        server.route("/page", TestHTTPServer.document("<html><head><title>Sign in</title></head></html>", contentType: "text/html", etag: "\"p\""))
        try await once([feed("/page")])
        let saved = try #require(stateOf())
        #expect(saved.lastError == "not a feed: an HTML page (title \"Sign in\")")
        #expect(saved.etag == nil)
        #expect(saved.consecutiveFailures == 1)
        #expect(logged().isEmpty)
    }

    @Test func backfillLogsOnlyTheNewestOfANewFeed() async throws {
        defer { server.stop() }
        let items = Box((1...10).reversed().map { "s\($0)" })
        server.route("/big.xml") { _ in .init(status: 200, body: Data(Self.rss(items.value).utf8)) }
        try await once([feed("/big.xml", backfill: 3)])
        #expect(logged().map(\.id) == ["s8", "s9", "s10"])
        items.value.insert("s11", at: 0)
        try await once([feed("/big.xml", backfill: 3)])
        #expect(logged().map(\.id) == ["s8", "s9", "s10", "s11"])
    }

    @Test func aLostSeenFileIsRebuiltFromTheLogNotTakenForANewFeed() async throws {
        defer { server.stop() }
        let items = Box(["b", "a"])
        server.route("/feed.xml") { _ in .init(status: 200, body: Data(Self.rss(items.value).utf8)) }
        try await once([feed("/feed.xml")])
        try FileManager.default.removeItem(at: state.appendingPathComponent("seen/f.json"))
        items.value = ["c", "b", "a"]
        try await once([feed("/feed.xml")])
        #expect(logged().map(\.id) == ["a", "b", "c"])
        #expect(sink.lines.contains { $0.contains("rebuilt from the story log") && $0.contains("feed=f") })
        // And a seen file that does not parse: kept aside, rebuilt.
        try Data("{\"latest\":".utf8).write(to: state.appendingPathComponent("seen/f.json"))
        items.value = ["d", "c", "b", "a"]
        try await once([feed("/feed.xml")])
        #expect(logged().map(\.id) == ["a", "b", "c", "d"])
        let names = try FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("seen").path)
        #expect(names.contains { $0.hasPrefix("f.json.corrupt-") }, "\(names)")
    }

    @Test func anUnreadableStatesFileIsReportedAndKeptAside() async throws {
        defer { server.stop() }
        let items = Box(["a"])
        server.route("/feed.xml") { _ in .init(status: 200, body: Data(Self.rss(items.value).utf8)) }
        try await once([feed("/feed.xml")])
        let states = state.appendingPathComponent("feed-states.json")
        try Data("{\"f\": {\"etag\": ".utf8).write(to: states)
        try FileManager.default.removeItem(at: state.appendingPathComponent("seen/f.json"))
        items.value = ["b", "a"]
        try await once([feed("/feed.xml")])
        #expect(sink.lines.contains { $0.hasPrefix("<3>feed states unreadable") && $0.contains("kept_as=") })
        let names = try FileManager.default.contentsOfDirectory(atPath: state.path)
        #expect(names.contains { $0.hasPrefix("feed-states.json.corrupt-") }, "\(names)")
        #expect(logged().map(\.id) == ["a", "b"])
        #expect(stateOf()?.lastStatus == 200)
    }

    @Test func gzipIsDecoded() async throws {
        defer { server.stop() }
        server.route("/gz.xml", TestHTTPServer.gzip(Self.rss(["z"])))
        try await once([feed("/gz.xml")])
        #expect(logged().map(\.id) == ["z"])
    }
}

/// A value that a server handler and the test share.
final class Box<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `stored` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) {
        stored = value
    }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

typealias Flag = Box<Bool>
