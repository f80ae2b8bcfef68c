import Foundation
import Testing

@testable import FeedCore

#if canImport(Glibc)
    import Glibc
#endif

/// `feedd once` beside servers that push bodies as fast as loopback carries them, on a machine kept busy by two
/// CPU-bound processes: memory stays bounded, the good feeds beside the floods are all logged, and the pass ends in
/// time. It keeps both cores busy for a while, which would upset the timing of tests running beside it, so it runs
/// on its own: `FEEDD_FLOOD_TEST=1 swift test --filter FloodOnceTests` (`.ci/run` does).
@Suite struct FloodOnceTests {
    static let enabled = ProcessInfo.processInfo.environment["FEEDD_FLOOD_TEST"] == "1"
    static let memoryBound = 250 << 20
    static let timeBound: TimeInterval = 45

    @Test(.enabled(if: enabled, "set FEEDD_FLOOD_TEST=1"))
    func floodsBesideGoodFeedsOnABusyMachine() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        var feeds: [String] = []
        // 8 endless bodies: half chunked, half ended by a close that never comes.
        for index in 0..<8 {
            let path = "/endless/\(index).xml"
            server.route(path) { _ in
                .init(
                    status: 200, headers: [("Content-Type", "application/rss+xml")], body: EndlessBody.data,
                    drip: (EndlessBody.chunk, 0), closeDelimited: index % 2 == 1, chunked: index % 2 == 0)
            }
            feeds.append(#"{"id": "endless-\#(index)", "url": "\#(server.url(path))"}"#)
        }
        // 3 bodies of 200 MB: with a Content-Length, chunked, and ended by closing.
        let oversized = EndlessBody.data.prefix(200_000_000)
        for index in 0..<3 {
            let path = "/oversized/\(index).xml"
            server.route(path) { _ in
                .init(
                    status: 200, headers: [("Content-Type", "application/rss+xml")], body: oversized,
                    drip: (EndlessBody.chunk, 0), closeDelimited: index == 2, chunked: index == 1)
            }
            feeds.append(#"{"id": "oversized-\#(index)", "url": "\#(server.url(path))"}"#)
        }
        // 8 good feeds of 5 stories each.
        var expected: Set<String> = []
        for index in 0..<8 {
            let path = "/good/\(index).xml"
            let guids = (0..<5).map { "good-\(index)-\($0)" }
            expected.formUnion(guids.map { "good-\(index) \($0)" })
            server.route(path, TestHTTPServer.document(TestHTTPServer.rss(guids: guids)))
            feeds.append(#"{"id": "good-\#(index)", "url": "\#(server.url(path))"}"#)
        }
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            #"{"state_dir": "state", "timeout": "10s", "concurrency": 16, "per_host_concurrency": 16, "#
                + #""feeds": [\#(feeds.joined(separator: ", "))]}"#)

        let hogs = try (0..<2).map { _ in try CPUHog() }
        defer { hogs.forEach { $0.stop() } }
        let once = try FeeddProcess(["once"], directory: workspace.directory)
        let (status, peak, elapsed) = await ProcessMemory.watch(once, patience: Self.timeBound + 15)
        hogs.forEach { $0.stop() }

        #expect(status == 0, "\(once.stderr.suffix(2000))")
        #expect(peak > 0 && peak <= Self.memoryBound, "VmHWM \(peak >> 20) MB")
        #expect(elapsed <= Self.timeBound, "the pass took \(Int(elapsed)) s")
        let logged = Set(
            workspace.loggedStories().stories.compactMap { story -> String? in
                guard let feed = story["feed"] as? String, feed.hasPrefix("good-"), let id = story["id"] as? String
                else { return nil }
                return "\(feed) \(id)"
            })
        let missing = expected.subtracting(logged)
        let reasons = once.stderr.split(separator: "\n").filter { $0.contains("feed=good-") }.prefix(3)
        #expect(missing.isEmpty, "\(missing.count) good stories missing: \(reasons)")
    }
}

/// A process that keeps one core busy until stopped, and for a minute or two at most should the test die first.
///
/// A shell counting, and nothing else: no `timeout` wrapper, whose SIGTERM the child inherits blocked from the test
/// process (a first version hung in `stop()` that way), and SIGKILL to stop it, which nothing can block.
final class CPUHog {
    private let process = Process()

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "i=0; while [ $i -lt 300000000 ]; do i=$((i + 1)); done"]
        try process.run()
    }

    /// Kills the hog and reaps it.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
