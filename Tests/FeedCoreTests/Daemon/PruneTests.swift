import Dispatch
import Foundation
import Testing

@testable import FeedCore

/// What the state directory keeps of a feed the config no longer lists: its state goes at the start or reload
/// that finds it removed, its seen keys a day later, so that adding it back by mistake logs nothing twice. The
/// daemon runs in process on a real state directory, with a clock the test moves (`ManualTimers`).
@Suite(.serialized) struct PruneTests {
    let server: TestHTTPServer
    let directory: TemporaryDirectory
    let sink = MemoryLogSink()
    /// The real time: the files the daemon writes carry it, and the test's clock moves on from it.
    let start = Date()

    init() throws {
        server = try TestHTTPServer()
        directory = try TemporaryDirectory()
    }

    var state: URL { directory.url.appendingPathComponent("state") }

    func feed(_ id: String, backfill: Int? = nil) -> FeedConfig {
        FeedConfig(
            id: FeedID(id), url: server.url("/\(id).xml"), interval: 900, timeout: TestEnvironment.scaled(5),
            backfill: backfill)
    }

    /// Serves `/<id>.xml` with the guids `items` holds at the time of each request, with an ETag that changes
    /// with them.
    func serve(_ id: String, _ items: Box<[String]>) {
        server.route("/\(id).xml") { request in
            let etag = "\"\(items.value.joined(separator: "-"))\""
            if request.header("If-None-Match") == etag { return .init(status: 304, headers: [("ETag", etag)]) }
            return .init(status: 200, headers: [("ETag", etag)], body: Data(DaemonTests.rss(items.value).utf8))
        }
    }

    /// A daemon on the state directory with the test's clock (retrying while a child process that another test
    /// forked holds a copy of the previous daemon's lock).
    func open(_ feeds: [FeedConfig], timers: ManualTimers, queue: DispatchQueue) async throws -> Daemon {
        let dependencies = Daemon.Dependencies(
            client: URLSessionHTTPClient(maximumConnectionsPerHost: 2), timers: timers,
            logger: Logger(sink: sink, threshold: .debug, timestamps: false), notifier: nil)
        for attempt in 0..<100 {
            do {
                return try Daemon(
                    config: Config(feeds: feeds), stateDirectory: state, queue: queue, dependencies: dependencies)
            } catch {
                guard case .busy = error, attempt < 99 else { throw error }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        preconditionFailure("unreachable")
    }

    /// One `feedd once` pass over `feeds` at `time`.
    func once(_ feeds: [FeedConfig], at time: Date) async throws {
        let queue = DispatchQueue(label: "test.prune")
        let daemon = try await open(feeds, timers: ManualTimers(queue: queue, now: time), queue: queue)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in daemon.runOnce { done.resume() } }
    }

    /// The feeds `feed-states.json` and its changes files hold a state for, as `feedd status` reads them.
    func savedFeeds() -> Set<String> {
        Set(FeedStateStore(directory: state).allStates().keys.map(\.rawValue))
    }

    /// The lines of the changes files.
    func changeLines() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: state.path)
            .filter { $0.hasPrefix(FeedStateStore.changesPrefix) }
            .map { try String(contentsOf: state.appendingPathComponent($0), encoding: .utf8) }
            .flatMap { $0.split(separator: "\n").map(String.init) }
    }

    func hasSeenFile(_ id: String) -> Bool {
        FileManager.default.fileExists(atPath: state.appendingPathComponent("seen/\(id).json").path)
    }

    func logged(_ id: String) -> [String] {
        let text = (try? String(contentsOf: state.appendingPathComponent("stories.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { StoryLine.parse(line: String($0)) }
            .filter { $0.feed == FeedID(id) }.map(\.id)
    }

    @Test func aRemovedFeedsStateGoesAtStartAndItsSeenKeysADayLater() async throws {
        defer { server.stop() }
        serve("f", Box(["f1"]))
        let items = Box(["g2", "g1"])
        serve("g", items)
        var clock = start
        try await once([feed("f"), feed("g")], at: clock)
        #expect(savedFeeds() == ["f", "g"])

        clock += 3600
        try await once([feed("f")], at: clock)
        #expect(savedFeeds() == ["f"])
        #expect(try changeLines().allSatisfy { !$0.contains("\"g\"") })
        #expect(hasSeenFile("g"), "kept for a day")

        // Added back by mistake an hour later: only the story it has listed since is logged.
        items.value = ["g3", "g2", "g1"]
        clock += 3600
        try await once([feed("f"), feed("g")], at: clock)
        #expect(logged("g") == ["g1", "g2", "g3"])

        // Removed again: the day counts from this removal, also across the restarts of each pass.
        clock += 3600
        try await once([feed("f")], at: clock)
        clock += 23 * 3600
        try await once([feed("f")], at: clock)
        #expect(hasSeenFile("g"))
        clock += 2 * 3600
        try await once([feed("f")], at: clock)
        #expect(!hasSeenFile("g"))
        #expect(savedFeeds() == ["f"])

        // Added back after the day: a new feed, whose first fetch logs its newest `backfill` items.
        try await once([feed("f"), feed("g", backfill: 0)], at: clock)
        #expect(logged("g") == ["g1", "g2", "g3"])
        #expect(logged("f") == ["f1"])
    }

    /// A states file that pruning left empty is not a lost one: a feed added later is new, not rebuilt from the log.
    @Test func aStatesFileEmptiedByPruningIsNotTakenForALostOne() async throws {
        defer { server.stop() }
        serve("f", Box(["f1"]))
        serve("g", Box(["g3", "g2", "g1"]))
        try await once([feed("f")], at: start)
        try await once([], at: start + 60)
        #expect(savedFeeds().isEmpty)
        try await once([feed("g", backfill: 1)], at: start + 120)
        #expect(logged("g") == ["g3"])
        #expect(!sink.lines.contains { $0.contains("rebuilt from the story log") }, "\(sink.lines)")
    }

    @Test func reloadDropsARemovedFeedsStateAndAddingItBackBringsItBack() async throws {
        defer { server.stop() }
        serve("f", Box(["f1"]))
        serve("g", Box(["g1"]))
        let queue = DispatchQueue(label: "test.prune.run")
        let timers = ManualTimers(queue: queue, now: start)
        let daemon = try await open([feed("f"), feed("g")], timers: timers, queue: queue)
        daemon.start()
        timers.advance(by: 1)
        #expect(await FeeddProcess.eventually { logged("f") == ["f1"] && logged("g") == ["g1"] }, "\(sink.lines)")
        #expect(await FeeddProcess.eventually { savedFeeds() == ["f", "g"] }, "the changes file has both")

        daemon.reload(Config(feeds: [feed("f")]))
        daemon.queue.sync {}
        #expect(savedFeeds() == ["f"], "\(sink.lines)")
        #expect(try changeLines().allSatisfy { !$0.contains("\"g\"") })
        #expect(hasSeenFile("g"))
        #expect(sink.lines.contains { $0.contains("removed feeds pruned") && $0.contains("feeds=1") })

        // Back within the day: with its state, so its next poll is the conditional GET it would have been.
        daemon.reload(Config(feeds: [feed("f"), feed("g")]))
        timers.advance(by: 1000)
        #expect(await FeeddProcess.eventually { server.requests(to: "/g.xml").count == 2 })
        #expect(server.requests(to: "/g.xml").last?.header("If-None-Match") == "\"g1\"")
        #expect(logged("g") == ["g1"])

        // Removed again, and a day passes.
        #expect(await FeeddProcess.eventually { daemon.queue.sync { daemon.isIdle } })
        daemon.reload(Config(feeds: [feed("f")]))
        daemon.queue.sync {}
        #expect(hasSeenFile("g"))
        timers.advance(by: 86400 + 60)
        #expect(!hasSeenFile("g"), "\(sink.lines)")
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in daemon.stop { done.resume() } }
        #expect(savedFeeds() == ["f"])
    }
}
