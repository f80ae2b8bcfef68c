import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// `feedd status` as a user reads it: what happened to `file:` feeds in words, a table that fits 100 columns,
/// and one JSON value per meaning.
@Suite(.serialized) struct StatusEndToEndTests {
    /// A workspace with three `file:` feeds: one that changes between two passes, one that does not, one missing;
    /// the changing one has a long derived id.
    private func threeFileFeeds() async throws -> Workspace {
        let workspace = try Workspace()
        let folder = workspace.directory.appendingPathComponent("local/feeds/written/by/a/nightly/script")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.feed(items: 1).utf8).write(to: folder.appendingPathComponent("changing-feed.xml"))
        try Data(Self.feed(items: 1).utf8).write(to: workspace.directory.appendingPathComponent("steady.xml"))
        try workspace.writeConfig(#"""
            {"state_dir": "state", "feeds": [
              "file:local/feeds/written/by/a/nightly/script/changing-feed.xml",
              {"id": "steady", "url": "file:steady.xml"},
              {"id": "missing", "url": "file:missing.xml"}]}
            """#)
        let first = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(first.status == 0, "\(first.stderr)")
        try Data(Self.feed(items: 2).utf8).write(to: folder.appendingPathComponent("changing-feed.xml"))
        let second = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(second.status == 0, "\(second.stderr)")
        return workspace
    }

    private static func feed(items: Int) -> String {
        let entries = (0..<items).map { "<item><guid>item-\($0)</guid><title>Item \($0)</title></item>" }.joined()
        return #"<rss version="2.0"><channel><title>Local</title><link>https://local.example/</link>"#
            + entries + "</channel></rss>"
    }

    @Test func fileFeedsSayWhatTheReadFoundNotAnHTTPStatus() async throws {
        let workspace = try await threeFileFeeds()
        defer { workspace.remove() }
        let status = try await FeeddProcess.run(["status", "--json"], directory: workspace.directory)
        #expect(status.status == 0, "\(status.stderr)")
        let rows = status.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(rows.count == 3)
        let byFeed = Dictionary(uniqueKeysWithValues: rows.map { ($0["feed"] as? String ?? "", $0) })
        #expect(byFeed["steady"]?["file_result"] as? String == "unchanged")
        #expect(byFeed["missing"]?["file_result"] as? String == "missing")
        let changing = try #require(rows.first { ($0["feed"] as? String)?.contains("nightly") == true })
        #expect(changing["file_result"] as? String == "changed")
        for row in rows {
            #expect(row["http_status"] is NSNull, "a file has no HTTP status: \(row)")
            #expect(row["gone"] as? Bool == false, "gone is a boolean: \(row)")
            #expect(row["gone_reason"] is NSNull)
        }
    }

    @Test func theTableFitsOneHundredColumnsUnlessWide() async throws {
        let workspace = try await threeFileFeeds()
        defer { workspace.remove() }
        let status = try await FeeddProcess.run(["status"], directory: workspace.directory)
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        for line in lines { #expect(line.count <= 100, "\(line.count) columns: \(line)") }
        #expect(lines[0].hasPrefix("FEED "))
        #expect(lines.contains { $0.contains("…") && $0.contains("changed") }, "\(status.stdout)")
        #expect(lines.contains { $0.hasPrefix("steady ") && $0.contains(" unchanged ") }, "\(status.stdout)")
        #expect(lines.contains { $0.hasPrefix("missing ") && $0.contains(" missing ") }, "\(status.stdout)")

        let wide = try await FeeddProcess.run(["status", "--wide"], directory: workspace.directory)
        let derived = FeedID.derived(from: "file:local/feeds/written/by/a/nightly/script/changing-feed.xml").rawValue
        #expect(wide.stdout.contains(derived + " "), "\(wide.stdout)")
        #expect(!wide.stdout.contains("…"))
    }

    /// The daemon writes feed-states.json every 30 s (the first time 5 s after it starts); status must not show a feed
    /// polled every 2 s as polled 10 s ago and due 8 s ago.
    @Test func statusShowsWhatTheRunningDaemonDidSecondsAgo() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(#"{"state_dir": "state", "interval": "2s", "feeds": [{"id": "farm", "url": "\#(farm.url(0))"}]}"#)
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: 60) { server.requests.count >= 8 }, "\(daemon.stderr)")
        // The 8th poll happened about now: what status shows must be that poll, not one of 10 s before.
        let polled = Date()
        let status = try await FeeddProcess.run(["status", "--json"], directory: workspace.directory)
        let row = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let attempt = try #require((row["last_attempt"] as? String).flatMap(FeedDate.parse), "\(row)")
        let due = try #require((row["next_due"] as? String).flatMap(FeedDate.parse), "\(row)")
        #expect(attempt > polled - 4, "last attempt \(attempt), the 8th poll at \(polled)")
        #expect(due > polled - 2, "next due \(due), the 8th poll at \(polled)")
        #expect(row["http_status"] as? Int == 304)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
    }
}
