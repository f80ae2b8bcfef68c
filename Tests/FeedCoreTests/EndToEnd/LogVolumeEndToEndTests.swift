import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// How much `feedd run` writes to its log when nothing happens: a log a person can read at thousands of feeds.
@Suite(.serialized) struct LogVolumeEndToEndTests {
    /// 200 feeds on one test server, every one polled every 3 s, already fetched once so that every poll is a 304.
    private func unchangedFeeds() async throws -> (server: TestHTTPServer, farm: FeedFarm, workspace: Workspace) {
        let server = try TestHTTPServer()
        let farm = FeedFarm(server: server, feeds: 200, items: 1)
        let workspace = try Workspace()
        let list = (0..<200).map { "\"\(farm.url($0))\"" }.joined(separator: ", ")
        try workspace.writeConfig(
            #"{"state_dir": "state", "interval": "3s", "timeout": "10s", "concurrency": 16, "per_host_concurrency": 16, "feeds": ["#
                + list + "]}")
        let first = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(first.status == 0, "\(first.stderr.suffix(500))")
        #expect(first.stderr.contains("pass done feeds=200 new=200 failed=0"), "once still ends with its pass line")
        return (server, farm, workspace)
    }

    /// Runs `feedd run` with `arguments` for `seconds`, stops it, and returns its stderr lines.
    private func run(_ arguments: [String], in workspace: Workspace, for seconds: Int, environment: [String: String] = [:])
        async throws -> [Substring]
    {
        let daemon = try FeeddProcess(["run"] + arguments, directory: workspace.directory, environment: environment)
        defer { daemon.signal(SIGKILL) }
        try await Task.sleep(for: .seconds(seconds))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 20) == 0, "\(daemon.stderr.suffix(500))")
        return daemon.stderr.split(separator: "\n")
    }

    @Test func unchangedFeedsPolledEveryThreeSecondsWriteAtMostThirtyLinesInSixteenSeconds() async throws {
        let (server, _, workspace) = try await unchangedFeeds()
        defer { server.stop(); workspace.remove() }
        let before = server.requests.count
        let lines = try await run([], in: workspace, for: Int(TestEnvironment.scaled(16)))
        // Every feed was polled again and again: the silence is not idleness.
        #expect(server.requests.count - before >= 400, "\(server.requests.count - before) polls")
        #expect(lines.count <= 30, "\(lines.count) lines:\n\(lines.prefix(40).joined(separator: "\n"))")
        #expect(!lines.contains { $0.contains("pass done") })
    }

    @Test func verboseAndTheEnvironmentBringBackALinePerPoll() async throws {
        let (server, _, workspace) = try await unchangedFeeds()
        defer { server.stop(); workspace.remove() }
        for (arguments, environment) in [(["--verbose"], [:]), ([], ["FEEDD_LOG_LEVEL": "debug"])] {
            let lines = try await run(
                arguments, in: workspace, for: Int(TestEnvironment.scaled(5)), environment: environment)
            #expect(lines.filter { $0.contains("not modified") }.count >= 200, "\(arguments) \(environment): \(lines.count) lines")
        }
        let wrong = try await FeeddProcess.run(["run"], directory: workspace.directory, environment: ["FEEDD_LOG_LEVEL": "loud"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("FEEDD_LOG_LEVEL: 'loud' is not a level"), "\(wrong.stderr)")
    }
}
