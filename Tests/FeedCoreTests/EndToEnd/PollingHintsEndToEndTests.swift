import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// Publisher hints and `"interval": "auto"` through the real `feedd run` and `feedd once` and the test server.
@Suite(.serialized) struct PollingHintsEndToEndTests {
    /// An RSS document with `items` stories dated an hour apart up to now, and `channelExtra` in its channel.
    static func rss(items: Int, channelExtra: String = "") -> String {
        let now = Date()
        let entries = (0..<items).map { index in
            "<item><guid>story-\(index)</guid><title>Story \(index)</title><pubDate>"
                + HTTPDate.format(now - Double(index) * 3600) + "</pubDate></item>"
        }.joined()
        return #"<rss version="2.0"><channel><title>Hinted</title><link>https://hinted.example/</link>"#
            + channelExtra + entries + "</channel></rss>"
    }

    /// Each row of `feedd status --json`, by feed id.
    static func statusRows(_ workspace: Workspace) async throws -> [String: [String: Any]] {
        let status = try await FeeddProcess.run(["status", "--json"], directory: workspace.directory)
        #expect(status.status == 0, "\(status.stderr)")
        let rows = status.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["feed"] as? String ?? "", $0) })
    }

    @Test func runDoesNotPollInSkippedHoursAndSaysWhyWhileOnceStillPolls() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        // This hour and the next two (UTC) skipped, so that the test cannot cross into an hour that is not.
        let hour = Int(Date().timeIntervalSince1970) % 86400 / 3600
        let hours = (0..<3).map { "<hour>\((hour + $0) % 24)</hour>" }.joined()
        server.route("/skipping.xml", TestHTTPServer.document(Self.rss(items: 2, channelExtra: "<skipHours>\(hours)</skipHours>")))
        server.route("/plain.xml", TestHTTPServer.document(Self.rss(items: 2)))
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            #"{"state_dir": "state", "interval": "1s", "feeds": [{"id": "skipping", "url": "\#(server.url("/skipping.xml"))"}, "#
                + #"{"id": "plain", "url": "\#(server.url("/plain.xml"))"}]}"#)
        func requests(_ path: String) -> Int { server.requests.filter { $0.path == path }.count }

        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        // The first poll cannot know the hints; after it, the plain feed is polled every second and the other not.
        #expect(await FeeddProcess.eventually { requests("/skipping.xml") == 1 && requests("/plain.xml") >= 4 }, "\(daemon.stderr)")
        #expect(requests("/skipping.xml") == 1)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: TestEnvironment.scaled(10)) == 0)

        let rows = try await Self.statusRows(workspace)
        #expect(rows["skipping"]?["next_due_reason"] as? String == "skipHours", "\(rows)")
        #expect(rows["plain"]?["next_due_reason"] as? String == "interval")
        let dueText = try #require(rows["skipping"]?["next_due"] as? String)
        let due = try #require(FeedDate.parse(dueText))
        #expect(Int(due.timeIntervalSince1970) % 86400 / 3600 == (hour + 3) % 24)
        let table = try await FeeddProcess.run(["status"], directory: workspace.directory)
        #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("skipping ") && $0.contains("(skipHours)") },
                "\(table.stdout)")

        // `once` ignores schedules, publisher hints included.
        let once = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(requests("/skipping.xml") == 2)
    }

    @Test func anAutoFeedsLearnedIntervalShowsInStatusAndSurvivesARestart() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/hourly.xml", TestHTTPServer.document(Self.rss(items: 10), etag: "\"v1\""))
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            #"{"state_dir": "state", "feeds": [{"id": "hourly", "url": "\#(server.url("/hourly.xml"))", "interval": "auto"}]}"#)
        func requests() -> Int { server.requests.filter { $0.path == "/hourly.xml" }.count }

        let first = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(first.status == 0, "\(first.stderr)")
        // Stories an hour apart: √(3600 s × 300 s) ≈ 17 minutes, far from the 5 minute minimum.
        let learned = try #require(try await Self.statusRows(workspace)["hourly"]?["auto_interval"] as? Int)
        #expect(learned > 900 && learned < 1300, "\(learned)")
        let state = try String(contentsOf: workspace.directory.appendingPathComponent("state/feed-states.json"), encoding: .utf8)
        #expect(state.contains("publication_rate") && state.contains("dated_gap"), "\(state)")

        // `run` after the restart keeps the learned due time: no poll in the seconds it runs.
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(10)) { daemon.stderr.contains("started") || daemon.stderr.contains("feeds=") })
        try await Task.sleep(for: .seconds(2))
        #expect(requests() == 1, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: TestEnvironment.scaled(10)) == 0)

        // A 304 after the restart: the interval comes from what was learned, not from the minimum.
        let second = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(requests() == 2)
        let rows = try await Self.statusRows(workspace)
        let relearned = try #require(rows["hourly"]?["auto_interval"] as? Int)
        #expect(relearned > 900 && relearned < 1300, "\(relearned)")
        #expect((rows["hourly"]?["next_due_reason"] as? String)?.hasPrefix("auto ") == true, "\(rows)")
    }
}
