import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// `metrics.prom` as node_exporter's textfile collector would find it after `feedd once` and `feedd run`: the
/// built binary, a real server, a strict parser of the exposition format.
@Suite(.serialized) struct MetricsEndToEndTests {
    func metrics(at url: URL) throws -> ExpositionParser {
        try ExpositionParser.parse(String(contentsOf: url, encoding: .utf8))
    }

    func logLines(_ workspace: Workspace) -> Int {
        let text = (try? String(contentsOf: workspace.logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    @Test func onceWritesMetricsWhoseStoryCounterIsTheLogsLineCount() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 3, items: 4)
        server.route("/broken.xml", TestHTTPServer.status(503))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let urls = (0..<3).map(farm.url) + [server.url("/broken.xml").absoluteString]
        // Story 1 of every feed is dropped.
        try workspace.writeConfig(feeds: urls, extra: #", "filters": {"drop": {"title": "^Story 1 "}}"#)
        let run = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(run.status == 0, "\(run.stderr)")
        let file = workspace.directory.appendingPathComponent("state/metrics.prom")
        let first = try metrics(at: file)
        #expect(logLines(workspace) == 9)
        #expect(first.value("feedd_stories_logged_total") == Double(logLines(workspace)))
        #expect(first.value("feedd_stories_filtered_total") == 3)
        #expect(first.value("feedd_fetches_total", ["result": "200"]) == 3)
        #expect(first.value("feedd_fetches_total", ["result": "http_503"]) == 1)
        #expect(first.value("feedd_feeds", ["state": "ok"]) == 3)
        #expect(first.value("feedd_feeds", ["state": "failing"]) == 1)
        #expect(first.value("feedd_fetch_duration_seconds_count") == 4)
        #expect((first.value("feedd_fetched_bytes_total") ?? 0) > 0)
        let logSize = try FileManager.default.attributesOfItem(atPath: workspace.logURL.path)[.size] as? Int
        #expect(first.value("feedd_log_bytes") == logSize.map(Double.init))
        let pass = try #require(first.value("feedd_last_pass_timestamp_seconds"))
        #expect(abs(pass - Date().timeIntervalSince1970) < TestEnvironment.scaled(60))
        let broken = FeedID.derived(from: server.url("/broken.xml").absoluteString).rawValue
        #expect(first.value("feedd_feed_consecutive_failures", ["feed": broken]) == 1)
        #expect(first.value("feedd_feed_last_success_timestamp_seconds", ["feed": broken]) == nil)
        let good = FeedID.derived(from: farm.url(0)).rawValue
        #expect(first.value("feedd_feed_last_success_timestamp_seconds", ["feed": good]) != nil)

        // A second process counts its own stories: the two new ones, which are also the log's new lines.
        farm.grow(0, by: 2)
        _ = try await FeeddProcess.run(["once"], directory: workspace.directory)
        let second = try metrics(at: file)
        #expect(logLines(workspace) == 11)
        #expect(second.value("feedd_stories_logged_total") == 2)
        #expect(second.value("feedd_fetches_total", ["result": "304"]) == 2)
        #expect(second.value("feedd_feed_consecutive_failures", ["feed": broken]) == 2)
    }

    @Test func runWritesMetricsAtStartAndAtStopWithTheLogsLineCount() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 2, items: 3)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0), farm.url(1)])
        let file = workspace.directory.appendingPathComponent("state/metrics.prom")
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { FileManager.default.fileExists(atPath: file.path) }, "\(daemon.stderr)")
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 6 }, "\(daemon.stderr)")
        farm.grow(1, by: 2)
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 8 }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: TestEnvironment.scaled(10)) == 0)
        let final = try metrics(at: file)
        #expect(final.value("feedd_stories_logged_total") == Double(logLines(workspace)))
        #expect(logLines(workspace) == 8)
        #expect(final.value("feedd_feeds", ["state": "ok"]) == 2)
    }

    @Test func metricsFileNamesAnotherPathOrFalseTurnsItOff() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let textfile = workspace.directory.appendingPathComponent("textfile")
        try FileManager.default.createDirectory(at: textfile, withIntermediateDirectories: true)
        try workspace.writeConfig(feeds: [farm.url(0)], extra: #", "metrics_file": "\#(textfile.path)/feedd.prom""#)
        let run = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(run.status == 0, "\(run.stderr)")
        let moved = try metrics(at: textfile.appendingPathComponent("feedd.prom"))
        #expect(moved.value("feedd_stories_logged_total") == 2)
        let inState = workspace.directory.appendingPathComponent("state/metrics.prom")
        #expect(!FileManager.default.fileExists(atPath: inState.path))

        try FileManager.default.removeItem(at: textfile.appendingPathComponent("feedd.prom"))
        try workspace.writeConfig(feeds: [farm.url(0)], extra: #", "metrics_file": false"#)
        let off = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: textfile.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: inState.path))
    }
}
