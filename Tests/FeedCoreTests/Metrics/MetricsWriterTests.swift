import Dispatch
import Foundation
import Testing

@testable import FeedCore

/// When the daemon writes the metrics file: at start, every `metricsInterval` on its clock, at stop; where
/// `metrics_file` says, and never when it says `false`. In process, with a clock the test moves (`ManualTimers`).
@Suite(.serialized) struct MetricsWriterTests {
    let directory: TemporaryDirectory
    let sink = MemoryLogSink()

    init() throws {
        directory = try TemporaryDirectory()
    }

    var state: URL { directory.url.appendingPathComponent("state") }

    func open(_ config: Config, timers: ManualTimers, queue: DispatchQueue) throws -> Daemon {
        var dependencies = Daemon.Dependencies(
            client: URLSessionHTTPClient(maximumConnectionsPerHost: 2), timers: timers,
            logger: Logger(sink: sink, threshold: .debug, timestamps: false), notifier: nil)
        dependencies.metricsInterval = 10
        return try Daemon(config: config, stateDirectory: state, queue: queue, dependencies: dependencies)
    }

    func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    /// A paused feed, so that nothing is fetched and only the metrics timer runs.
    var config: Config {
        Config(feeds: [FeedConfig(id: FeedID("quiet"), url: URL(string: "https://quiet.example/feed")!, enabled: false)])
    }

    @Test func writtenAtStartEveryIntervalAndAtStop() async throws {
        let queue = DispatchQueue(label: "test.metrics")
        let timers = ManualTimers(queue: queue)
        let daemon = try open(config, timers: timers, queue: queue)
        let file = state.appendingPathComponent("metrics.prom")
        daemon.start()
        timers.advance(by: 0)
        let first = try ExpositionParser.parse(String(contentsOf: file, encoding: .utf8))
        #expect(first.value("feedd_feeds", ["state": "paused"]) == 1)

        try FileManager.default.removeItem(at: file)
        timers.advance(by: 9)
        #expect(!exists(file))
        timers.advance(by: 1)
        #expect(exists(file))
        try FileManager.default.removeItem(at: file)
        timers.advance(by: 10)
        #expect(exists(file))

        try FileManager.default.removeItem(at: file)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in daemon.stop { done.resume() } }
        #expect(exists(file))
        // No temp file is left for the textfile collector to trip on.
        #expect(try FileManager.default.contentsOfDirectory(atPath: state.path).filter { $0.contains("tmp") }.isEmpty)
    }

    @Test func metricsFileNamesAnotherPathOrNone() async throws {
        let queue = DispatchQueue(label: "test.metrics")
        let timers = ManualTimers(queue: queue)
        var moved = config
        moved.metricsFile = .path("../textfile/feedd.prom")
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("textfile"), withIntermediateDirectories: true)
        let daemon = try open(moved, timers: timers, queue: queue)
        daemon.start()
        timers.advance(by: 0)
        let elsewhere = directory.url.appendingPathComponent("textfile/feedd.prom")
        #expect(exists(elsewhere))
        #expect(!exists(state.appendingPathComponent("metrics.prom")))

        // A reload that turns the metrics off stops the writes.
        var off = config
        off.metricsFile = .none
        daemon.reload(off)
        timers.advance(by: 0)
        try FileManager.default.removeItem(at: elsewhere)
        timers.advance(by: 30)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in daemon.stop { done.resume() } }
        #expect(!exists(elsewhere))
        #expect(!exists(state.appendingPathComponent("metrics.prom")))
    }

    @Test func aFailedWriteIsLoggedOnceAndTheDaemonGoesOn() async throws {
        let queue = DispatchQueue(label: "test.metrics")
        let timers = ManualTimers(queue: queue)
        var unwritable = config
        unwritable.metricsFile = .path("no-such-directory/metrics.prom")
        let daemon = try open(unwritable, timers: timers, queue: queue)
        daemon.start()
        timers.advance(by: 35)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in daemon.stop { done.resume() } }
        #expect(sink.lines.filter { $0.contains("cannot write the metrics file") }.count == 1, "\(sink.lines)")
    }
}
