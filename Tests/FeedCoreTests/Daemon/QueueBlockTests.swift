import Dispatch
import Foundation
import Testing

@testable import FeedCore

/// How long the daemon's queue is held up when a feed's seen keys must be rebuilt from a long log history: 1 GB of
/// rotated logs by default (`FEEDD_QUEUE_BLOCK_MB` to change it). Heavy (it writes the logs first), so it runs only
/// with `FEEDD_HEAVY_TESTS=1`.
@Suite(.serialized) struct QueueBlockTests {
    static let enabled = ProcessInfo.processInfo.environment["FEEDD_HEAVY_TESTS"] == "1"

    @Test(.enabled(if: enabled, "set FEEDD_HEAVY_TESTS=1"))
    func rebuildingSeenKeysFromAGigabyteOfLogsDoesNotHoldUpTheQueue() async throws {
        let megabytes = Int(ProcessInfo.processInfo.environment["FEEDD_QUEUE_BLOCK_MB"] ?? "") ?? 1024
        let server = try TestHTTPServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        // Rotated logs of 128 MB: lines of ~1 KB, one in a hundred of feed "f", the rest of 1,000 other feeds.
        var line = 0
        for file in 0..<max(1, megabytes / 128) {
            let path = directory.path(LogFiles.rotatedName(at: SampleStory.found + Double(file), counter: 0))
            let fd = try FileIO.open(path, O_WRONLY | O_CREAT | O_APPEND)
            var chunk: [UInt8] = []
            var written = 0
            while written < min(megabytes, 128) << 20 {
                let feed = line % 100 == 0 ? "f" : "other\(line % 1000)"
                chunk += StoryLine.encode(SampleStory.make(feed, id: "s\(line)", padding: 800)) + [0x0A]
                line += 1
                if chunk.count > 1 << 20 {
                    try FileIO.write(fd, chunk, path: path)
                    written += chunk.count
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            FileIO.close(fd)
        }
        // The feed fetched before; its seen file is gone.
        try FeedStateStore(directory: directory.url).saveStates([FeedID("f"): FeedState(lastSuccess: SampleStory.found)])
        server.route("/f.xml", TestHTTPServer.document(DaemonTests.rss(["s0", "new"])))

        let queue = DispatchQueue(label: "test.queue-block")
        let sink = MemoryLogSink()
        let daemon = try Daemon(
            config: Config(feeds: [FeedConfig(id: FeedID("f"), url: server.url("/f.xml"), interval: 900, timeout: 30)]),
            stateDirectory: directory.url, queue: queue,
            dependencies: .init(
                client: URLSessionHTTPClient(maximumConnectionsPerHost: 2), timers: DispatchTimers(queue: queue),
                logger: Logger(sink: sink, threshold: .debug, timestamps: false), notifier: nil))
        // A probe on the queue every 10 ms: the longest gap between two of its runs is the longest block.
        let probe = QueueProbe(queue: queue)
        let started = Date()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in daemon.runOnce { done.resume() } }
        let total = Date().timeIntervalSince(started)
        let longest = probe.stop()
        let logged = try String(contentsOf: directory.url.appendingPathComponent("stories.jsonl"), encoding: .utf8)
        print("queue block: \(megabytes) MB of rotated logs, \(line) lines; once took \(total) s; longest queue gap \(longest) s")
        #expect(logged.split(separator: "\n").compactMap { StoryLine.parse(line: String($0))?.id } == ["new"])
        #expect(longest < 1, "longest block of the queue: \(longest) s")
    }
}

/// Runs on a queue every 10 ms and keeps the longest time between two runs.
final class QueueProbe: @unchecked Sendable {
    // @unchecked: `last` and `longest` are touched on `queue` only, and read after `stop` has synced with it.
    private let queue: DispatchQueue
    private let timer: DispatchSourceTimer
    private var last = Date()
    private var longest: TimeInterval = 0

    init(queue: DispatchQueue) {
        self.queue = queue
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .milliseconds(10), leeway: .milliseconds(1))
        timer.setEventHandler { [unowned self] in
            let now = Date()
            longest = max(longest, now.timeIntervalSince(last))
            last = now
        }
        timer.resume()
    }

    /// Stops probing and returns the longest gap seen.
    func stop() -> TimeInterval {
        queue.sync {
            timer.cancel()
            return max(longest, Date().timeIntervalSince(last))
        }
    }
}
