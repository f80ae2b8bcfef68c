import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// `feedd run` as a real child process: config edits, SIGHUP, SIGTERM, and kill -9 at random moments.
@Suite(.serialized) struct RunEndToEndTests {
    @Test func runPicksUpAFeedAddedByEditingTheConfigAndBySIGHUP() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 3, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0)])
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { Set(workspace.loggedGuids()) == farm.guids(0) }, "\(daemon.stderr)")

        try workspace.writeConfig(feeds: [farm.url(0), farm.url(1)])
        #expect(await FeeddProcess.eventually { farm.guids(1).isSubset(of: Set(workspace.loggedGuids())) }, "\(daemon.stderr)")

        // Edit the file in place without a new inode and without closing it for writing: only SIGHUP tells.
        let config = workspace.directory.appendingPathComponent("feeds.json")
        let handle = try FileHandle(forUpdating: config)
        let text = #"{"state_dir": "state", "interval": "1s", "feeds": ["\#(farm.url(0))", "\#(farm.url(1))", "\#(farm.url(2))"]}"#
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        daemon.signal(SIGHUP)
        #expect(await FeeddProcess.eventually { farm.guids(2).isSubset(of: Set(workspace.loggedGuids())) }, "\(daemon.stderr)")
        try handle.close()
        #expect(daemon.stderr.contains("reason=SIGHUP"))

        farm.grow(0)
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().contains(farm.guid(0, 2)) })
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
        let guids = workspace.loggedGuids()
        #expect(guids.count == Set(guids).count)
    }

    @Test func invalidEditKeepsTheDaemonRunningOnTheLastGoodConfig() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 2, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0)])
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 1 })

        try workspace.writeConfig(#"{"state_dir": "state", "interval": "1s", "feeds": [{"url": "\#(farm.url(1))", "enabeld": true}]}"#)
        #expect(await FeeddProcess.eventually { daemon.stderr.contains("configuration invalid") }, "\(daemon.stderr)")
        // The problems follow the "configuration invalid" line, maybe a moment later through the pipe.
        #expect(await FeeddProcess.eventually { daemon.stderr.contains("feeds[0].enabeld: unknown field") })
        #expect(daemon.process.isRunning)
        farm.grow(0)
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().contains(farm.guid(0, 1)) }, "the old config is still served")

        try workspace.writeConfig(feeds: [farm.url(0), farm.url(1)])
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().contains(farm.guid(1, 0)) }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
    }

    /// SIGTERM ends stalled fetches rather than waiting for them: the daemon exits long before the stall (300 s)
    /// or the fetch timeout (600 s) would end them; the bound is loose, since a loaded machine or a sanitizer slows
    /// everything.
    @Test func sigtermDuringFetchesExitsCleanlyWithoutWaitingForThem() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        for index in 0..<4 { server.route("/slow/\(index).xml", TestHTTPServer.stall(300)) }
        let farm = FeedFarm(server: server, feeds: 1, items: 3)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            #"{"state_dir": "state", "interval": "1s", "timeout": "600s", "per_host_concurrency": 8, "feeds": ["\#(farm.url(0))", "# +
            (0..<4).map { "\"\(server.url("/slow/\($0).xml").absoluteString)\"" }.joined(separator: ", ") + "]}")
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { server.requests.filter { $0.path.hasPrefix("/slow/") }.count == 4 })
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 3 })
        let start = Date()
        daemon.signal(SIGTERM)
        let status = await daemon.wait(timeout: 120)
        #expect(status == 0, "\(daemon.stderr)")
        #expect(Date().timeIntervalSince(start) < 120)
        #expect(daemon.stderr.contains("stopping"))
        #expect(workspace.loggedStories().problems.isEmpty)
    }

    /// kill -9 at random moments while feeds grow and the config changes, many times; then one last pass: every
    /// story the server ever served is in the log exactly once, and no line is torn.
    @Test func killNineAtRandomMomentsLosesAndRepeatsNothing() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 12, items: 3)
        let workspace = try Workspace()
        defer { workspace.remove() }
        var active = Array(0..<8)
        try workspace.writeConfig(feeds: active.map(farm.url))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<15 {
            let daemon = try FeeddProcess(["run"], directory: workspace.directory)
            for _ in 0..<3 { farm.grow(Int.random(in: 0..<12, using: &generator), by: Int.random(in: 1...4, using: &generator)) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...700, using: &generator)))
            if round % 4 == 3 {
                active = Array(Set(active + [Int.random(in: 0..<12, using: &generator)])).sorted()
                try workspace.writeConfig(feeds: active.map(farm.url))
                daemon.signal(SIGHUP)
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...300, using: &generator)))
            }
            daemon.signal(SIGKILL)
            await daemon.wait(timeout: 10)
        }
        try workspace.writeConfig(feeds: (0..<12).map(farm.url))
        let last = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(last.status == 0, "\(last.stderr)")
        let (stories, problems) = workspace.loggedStories()
        #expect(problems.isEmpty, "\(problems)")
        let guids = stories.compactMap { $0["guid"] as? String }
        let duplicates = Dictionary(grouping: guids) { $0 }.filter { $0.value.count > 1 }.keys
        #expect(duplicates.isEmpty, "logged twice: \(duplicates.sorted().prefix(5))")
        let expected = (0..<12).reduce(into: Set<String>()) { $0.formUnion(farm.guids($1)) }
        #expect(Set(guids) == expected, "missing: \(expected.subtracting(guids).sorted().prefix(5))")
        #expect(farm.servedGuids.isSubset(of: Set(guids)))
    }
}
