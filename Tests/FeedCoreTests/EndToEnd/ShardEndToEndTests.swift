import Foundation
import Testing

@testable import FeedCore

#if canImport(Glibc)
    import Glibc
#endif

/// Three instances of the real `feedd` share one config with `--shard K/3`, each with its own state directory:
/// every feed is fetched by exactly one of them, and the union of their story logs has every story exactly once.
@Suite(.serialized) struct ShardEndToEndTests {
    private static let count = 3

    /// The guids of the story log in `state` (relative to the workspace), in order, with each line's feed id.
    private func stories(in workspace: Workspace, state: String) -> [(feed: String, guid: String)] {
        let url = workspace.directory.appendingPathComponent("\(state)/stories.jsonl")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let feed = object["feed"] as? String, let guid = object["guid"] as? String
            else { return nil }
            return (feed, guid)
        }
    }

    /// The feed ids whose state is saved in `state`.
    private func statefulFeeds(in workspace: Workspace, state: String) -> Set<FeedID> {
        Set(FeedStateStore(directory: workspace.directory.appendingPathComponent(state)).allStates().keys)
    }

    /// The farm's feeds that `shard` handles, by index (ids are derived from the URLs, as in most configs).
    private func indices(of shard: Shard, among feeds: Range<Int>, in farm: FeedFarm) -> Set<Int> {
        Set(feeds.filter { shard.handles(FeedID.derived(from: farm.url($0))) })
    }

    private func shard(_ index: Int) -> Shard { Shard(index: index, count: Self.count)! }

    @Test func threeOnceInstancesFetchEveryFeedOnceAndLogEveryStoryOnce() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 30, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: (0..<30).map(farm.url))

        for round in 0..<2 {
            var fetched: [String] = []
            for index in 1...Self.count {
                let before = server.requests.count
                let once = try await FeeddProcess.run(
                    ["once", "--shard", "\(index)/\(Self.count)", "--state", "state-\(index)"],
                    directory: workspace.directory)
                #expect(once.status == 0, "\(once.stderr)")
                let paths = server.requests.dropFirst(before).map(\.path)
                let mine = indices(of: shard(index), among: 0..<30, in: farm)
                #expect(!mine.isEmpty)
                #expect(paths.sorted() == mine.map { "/feeds/\($0).xml" }.sorted(), "shard \(index), round \(round)")
                #expect(once.stderr.contains("pass done feeds=\(mine.count) "), "\(once.stderr)")
                fetched += paths
            }
            // Each feed fetched by exactly one instance, none left out.
            #expect(fetched.count == 30)
            #expect(Set(fetched) == Set((0..<30).map { "/feeds/\($0).xml" }))
            if round == 0 { for feed in [0, 7, 13, 29] { farm.grow(feed, by: 2) } }
        }
        var union: [String] = []
        for index in 1...Self.count {
            let logged = stories(in: workspace, state: "state-\(index)")
            let ids = Set(
                indices(of: shard(index), among: 0..<30, in: farm).map { FeedID.derived(from: farm.url($0)).rawValue })
            #expect(Set(logged.map(\.feed)).isSubset(of: ids), "shard \(index) logged another shard's feed")
            union += logged.map(\.guid)
        }
        let expected = (0..<30).reduce(into: Set<String>()) { $0.formUnion(farm.guids($1)) }
        #expect(union.count == 68)
        #expect(Set(union) == expected)
    }

    /// Three daemons at once, then a config edit that adds feeds and names a shard the flags override: the new
    /// feeds too are fetched by one instance each. The interval is an hour, so that each feed is polled once.
    @Test func threeRunInstancesShareTheFeedsAlsoAfterAReload() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 36, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        // Three daemons fetch at once from one test server: under a sanitizer a fetch can take more than 5 s, and a
        // failed one waits for its backoff, past the test's patience.
        let timeout = Int(TestEnvironment.scaled(5))
        let config: (Int, String) -> String = { feeds, extra in
            let list = (0..<feeds).map { "\"\(farm.url($0))\"" }.joined(separator: ", ")
            return #"{"interval": "1h", "timeout": "\#(timeout)s", "per_host_concurrency": 8\#(extra), "#
                + #""feeds": [\#(list)]}"#
        }
        try workspace.writeConfig(config(30, ""))
        let daemons = try (1...Self.count).map { index in
            try FeeddProcess(
                ["run", "--shard", "\(index)/\(Self.count)", "--state", "state-\(index)"],
                directory: workspace.directory)
        }
        defer { for daemon in daemons { daemon.signal(SIGKILL) } }
        let union = { (1...Self.count).flatMap { self.stories(in: workspace, state: "state-\($0)").map(\.guid) } }
        #expect(
            await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) { union().count == 60 },
            "\(daemons.map(\.stderr))")
        for (offset, daemon) in daemons.enumerated() {
            let mine = indices(of: shard(offset + 1), among: 0..<30, in: farm)
            #expect(daemon.stderr.contains("started feeds=\(mine.count) shard=\(offset + 1)/3 "), "\(daemon.stderr)")
        }

        try workspace.writeConfig(config(36, #", "shard": "1/3""#))
        #expect(
            await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) { union().count == 72 },
            "\(daemons.map(\.stderr))")
        // A moment for any fetch that should not happen (an instance taking the config's 1/3) to show.
        try await Task.sleep(for: .seconds(1))
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { #expect(await daemon.wait(timeout: 30) == 0, "\(daemon.stderr)") }

        let paths = server.requests.map(\.path)
        for feed in 0..<36 {
            #expect(paths.filter { $0 == "/feeds/\(feed).xml" }.count == 1, "feed \(feed): \(paths.sorted())")
        }
        for index in 1...Self.count {
            let mine = indices(of: shard(index), among: 0..<36, in: farm)
            #expect(
                statefulFeeds(in: workspace, state: "state-\(index)")
                    == Set(mine.map { FeedID.derived(from: farm.url($0)) }))
        }
        let logged = union()
        #expect(logged.count == Set(logged).count)
        #expect(Set(logged) == (0..<36).reduce(into: Set<String>()) { $0.formUnion(farm.guids($1)) })
    }

    /// A feed of another shard is not a removed feed: the state this directory holds of it (here from before the
    /// split) is kept, while a feed that really left the config is pruned as always.
    @Test func aShardKeepsTheStateOfOtherShardsFeeds() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 8, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: (0..<8).map(farm.url))
        let all = Set((0..<8).map { FeedID.derived(from: farm.url($0)) })
        let whole = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(statefulFeeds(in: workspace, state: "state") == all)

        let first = Shard(index: 1, count: 2)!
        let sharded = try await FeeddProcess.run(["once", "--shard", "1/2"], directory: workspace.directory)
        #expect(sharded.status == 0, "\(sharded.stderr)")
        #expect(!sharded.stderr.contains("removed feeds pruned"), "\(sharded.stderr)")
        #expect(statefulFeeds(in: workspace, state: "state") == all)
        #expect(workspace.loggedGuids().count == 8)

        let other = try #require((0..<8).first { !first.handles(FeedID.derived(from: farm.url($0))) })
        try workspace.writeConfig(feeds: (0..<8).filter { $0 != other }.map(farm.url))
        let removed = try await FeeddProcess.run(["once", "--shard", "1/2"], directory: workspace.directory)
        #expect(removed.stderr.contains("removed feeds pruned feeds=1 "), "\(removed.stderr)")
        #expect(
            statefulFeeds(in: workspace, state: "state") == all.subtracting([FeedID.derived(from: farm.url(other))]))
    }

    /// The config's "shard" is applied by a reload: the daemon moves from shard 1/2 to 2/2 without a restart, and
    /// the feeds it left keep their states.
    @Test func aReloadAppliesTheConfigShard() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 8, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: (0..<8).map(farm.url), extra: #", "shard": "1/2""#)
        let first = indices(of: Shard(index: 1, count: 2)!, among: 0..<8, in: farm)
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == first.count }, "\(daemon.stderr)")
        try workspace.writeConfig(feeds: (0..<8).map(farm.url), extra: #", "shard": "2/2""#)
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 8 }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 30) == 0)
        #expect(Set(workspace.loggedGuids()) == Set((0..<8).map { farm.guid($0, 0) }))
        #expect(statefulFeeds(in: workspace, state: "state") == Set((0..<8).map { FeedID.derived(from: farm.url($0)) }))
    }

    /// Two shards on one state directory: the second is refused (the directory's lock), and told why.
    @Test func twoShardsCannotShareAStateDirectory() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 2, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: (0..<2).map(farm.url))
        let daemon = try FeeddProcess(["run", "--shard", "1/2"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { daemon.stderr.contains("started") }, "\(daemon.stderr)")
        let second = try await FeeddProcess.run(["once", "--shard", "2/2"], directory: workspace.directory)
        #expect(second.status == 1)
        #expect(
            second.stderr.contains("in use by another feedd process; shard 2/2 needs a state directory of its own"),
            "\(second.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 30) == 0)
    }

    @Test func aBadShardExitsTwoNamingTheFlagOrTheConfigPath() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(#"{"shard": "3/2", "feeds": []}"#)
        let config = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(config.status == 2)
        #expect(config.stderr.contains("feeds.json: shard: expected K/N"), "\(config.stderr)")
        try workspace.writeConfig(#"{"feeds": []}"#)
        let flag = try await FeeddProcess.run(["run", "--shard", "0/2"], directory: workspace.directory)
        #expect(flag.status == 2)
        #expect(flag.stderr.contains("--shard: expected K/N"), "\(flag.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("state").path))
    }
}
