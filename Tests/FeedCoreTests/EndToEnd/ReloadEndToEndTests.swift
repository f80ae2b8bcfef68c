import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// What a reload of `feedd run` (a config edit, or SIGHUP) applies of the top-level settings, and what it says
/// about those that wait for a restart.
@Suite(.serialized) struct ReloadEndToEndTests {
    @Test func reloadWithANewLogMaxBytesRotatesTheLogAtTheNewSize() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0)], extra: #", "log_max_bytes": "1MB""#)
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 2 }, "\(daemon.stderr)")

        try workspace.writeConfig(feeds: [farm.url(0)], extra: #", "log_max_bytes": 4096"#)
        #expect(await FeeddProcess.eventually { daemon.stderr.contains("configuration reloaded") }, "\(daemon.stderr)")
        // About 400 bytes a story: 20 more take the log past 4096 bytes, far from 1 MB.
        farm.grow(0, by: 20)
        let rotated = await FeeddProcess.eventually(timeout: 15) { rotatedLogs(in: workspace).count == 1 }
        #expect(rotated, "\(daemon.stderr)")
        #expect(await FeeddProcess.eventually { daemon.stderr.contains("story log rotated") })
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
    }

    @Test func reloadWithANewPerHostConcurrencyChangesHowManyFetchesRunAtOnceToOneHost() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let gauge = ConcurrencyGauge()
        let feeds = (0..<6).map { server.url("/slow/\($0).xml").absoluteString }
        for index in 0..<6 {
            server.route("/slow/\(index).xml") { _ in
                gauge.enter()
                defer { gauge.leave() }
                Thread.sleep(forTimeInterval: 0.3)
                return .init(status: 200, body: Data(DaemonTests.rss(["s\(index)"]).utf8))
            }
        }
        let workspace = try Workspace()
        defer { workspace.remove() }
        func config(perHost: Int, userAgent: String) -> String {
            #"{"state_dir": "state", "interval": "1s", "timeout": "20s", "concurrency": 8, "#
                + #""per_host_concurrency": \#(perHost), "user_agent": "\#(userAgent)", "feeds": ["#
                + feeds.map { "\"\($0)\"" }.joined(separator: ", ") + "]}"
        }
        try workspace.writeConfig(config(perHost: 1, userAgent: "before/1"))
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        // Six feeds every second, 0.3 s each, one at a time: the host always has fetches waiting.
        #expect(await FeeddProcess.eventually { server.requests.count >= 8 }, "\(daemon.stderr)")
        #expect(gauge.peak == 1)

        try workspace.writeConfig(config(perHost: 3, userAgent: "after/2"))
        #expect(await FeeddProcess.eventually { daemon.stderr.contains("configuration reloaded") }, "\(daemon.stderr)")
        let reloadedAt = server.requests.count
        gauge.resetPeak()
        #expect(await FeeddProcess.eventually(timeout: 10) { gauge.peak >= 3 }, "peak \(gauge.peak)")
        #expect(gauge.peak == 3)
        // Fetches that had started when the reload came carry the old User-Agent; those started since, the new one.
        #expect(await FeeddProcess.eventually { server.requests.count >= reloadedAt + 16 })
        let later = server.requests.dropFirst(reloadedAt + 8)
        #expect(!later.isEmpty && later.allSatisfy { $0.header("User-Agent") == "after/2" })
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
    }

    @Test func aChangedStateDirIsLoggedAsWaitingForARestartAndTheOldOneKeptMeanwhile() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0)])
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 1 }, "\(daemon.stderr)")

        let edited = #"{"state_dir": "elsewhere", "interval": "1s", "timeout": "5s", "concurrency": 4, "#
            + #""per_host_concurrency": 8, "feeds": ["\#(farm.url(0))"]}"#
        try workspace.writeConfig(edited)
        #expect(await FeeddProcess.eventually { daemon.stderr.contains("configuration reloaded") }, "\(daemon.stderr)")
        let warnings = daemon.stderr.split(separator: "\n").filter { $0.contains("after a restart") }
        #expect(warnings.count == 1, "\(daemon.stderr)")
        #expect(warnings.first?.hasPrefix("<4>") == true)
        #expect(warnings.first?.contains("field=state_dir") == true)
        #expect(warnings.first?.contains("/elsewhere") == true)
        #expect(!daemon.stderr.contains("field=concurrency"), "a live setting waits for nothing")

        farm.grow(0)
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 2 }, "still the old state directory")
        let elsewhere = workspace.directory.appendingPathComponent("elsewhere").path
        #expect(!FileManager.default.fileExists(atPath: elsewhere))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
    }

    private func rotatedLogs(in workspace: Workspace) -> [String] {
        let state = workspace.directory.appendingPathComponent("state").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: state)) ?? []
        return names.filter { $0.hasPrefix("stories-") && $0.hasSuffix(".jsonl") }
    }
}

/// Counts the requests a test server is answering at once, and the most it has answered at once.
final class ConcurrencyGauge: @unchecked Sendable {
    // @unchecked: the counts are guarded by `lock`.
    private let lock = NSLock()
    private var current = 0
    private var highest = 0

    func enter() {
        lock.withLock {
            current += 1
            highest = max(highest, current)
        }
    }

    func leave() {
        lock.withLock { current -= 1 }
    }

    var peak: Int { lock.withLock { highest } }

    /// Starts counting the peak again from the requests being answered now.
    func resetPeak() {
        lock.withLock { highest = current }
    }
}
