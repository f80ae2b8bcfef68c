import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// `feedd add` and `feedd import` as the built binary, beside a running daemon and a reader of the config: the
/// daemon picks a new feed up by itself, and whoever reads the config at any moment, even while writers are
/// killed, finds a whole file, the old one or the new one.
@Suite(.serialized) struct ConfigEditEndToEndTests {
    /// An OPML list of `count` feeds on `host`.
    private static func opml(host: String, count: Int) -> String {
        let outlines = (0..<count).map { index in
            #"<outline type="rss" text="Feed \#(index)" xmlUrl="https://\#(host)/\#(index).xml"/>"#
        }
        return #"<?xml version="1.0"?><opml version="2.0"><body>"# + outlines.joined(separator: "\n")
            + "</body></opml>\n"
    }

    /// The pid of a process that has exited, as a killed writer's would be.
    private static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func aRunningDaemonLogsTheStoriesOfAFeedAddedWithFeeddAdd() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 2, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(
            "{\n  \"state_dir\": \"state\",\n  \"interval\": \"1s\",\n  \"feeds\": [\n    \"\(farm.url(0))\"\n  ]\n}\n")
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 2 }, "\(daemon.stderr)")

        let add = try await FeeddProcess.run(["add", farm.url(1), "--title", "Second"], directory: workspace.directory)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains(#"added to feeds.json as feeds[1]: {"url": "\#(farm.url(1))", "title": "Second"}"#))
        let everything = farm.guids(0).union(farm.guids(1))
        #expect(await FeeddProcess.eventually { Set(workspace.loggedGuids()) == everything }, "\(daemon.stderr)")
        #expect(workspace.loggedGuids().count == 4)
        let titles = workspace.loggedStories().stories.filter { farm.guids(1).contains($0["guid"] as? String ?? "") }
        #expect(titles.map { $0["feed_title"] as? String } == ["Second", "Second"])
        #expect(daemon.stderr.contains("configuration reloaded feeds=2"), "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)

        // What the fetches found is what the export says of each feed's site.
        let export = try await FeeddProcess.run(["export"], directory: workspace.directory)
        #expect(export.status == 0)
        let site = #"xmlUrl="\#(farm.url(0))" htmlUrl="https://farm.example/0/"/>"#
        #expect(export.stdout.contains(site), "\(export.stdout)")
        #expect(export.stdout.contains(#"xmlUrl="\#(farm.url(1))" htmlUrl="https://farm.example/1/"/>"#))
    }

    @Test func aReaderOfTheConfigSeesTheOldFileOrTheNewOneWhileWritersTakeTurns() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig("{\n  \"feeds\": []\n}\n")
        for list in 0..<4 {
            try Data(Self.opml(host: "list\(list).example", count: 150).utf8)
                .write(to: workspace.directory.appendingPathComponent("list\(list).opml"))
        }
        try Data(AddCommandTests.rss.utf8).write(to: workspace.directory.appendingPathComponent("local.xml"))
        let reader = ConfigReader(path: workspace.directory.appendingPathComponent("feeds.json").path)
        reader.start()
        // Two imports and an add at once, twice: each takes its turn at the lock, and none is lost.
        for round in 0..<2 {
            let writers = try [
                FeeddProcess(["import", "list\(2 * round).opml"], directory: workspace.directory),
                FeeddProcess(["import", "list\(2 * round + 1).opml"], directory: workspace.directory),
                FeeddProcess(["add", "file:local.xml", "--id", "local-\(round)"], directory: workspace.directory),
            ]
            for writer in writers {
                let status = await writer.wait(timeout: 60)
                // The second add finds the file configured already: refused, and nothing else changes.
                #expect(status == (round == 1 && writer === writers[2] ? 2 : 0), "\(writer.stderr)")
            }
        }
        let seen = reader.stop()
        #expect(seen.problems.isEmpty, "\(seen.problems.prefix(3))")
        #expect(seen.counts.count >= 3, "versions seen: \(seen.counts)")
        #expect(seen.counts == seen.counts.sorted(), "a version with fewer feeds came after one with more")
        let config = try ConfigFile.load(path: workspace.directory.appendingPathComponent("feeds.json").path).get()
        #expect(config.feeds.count == 601)
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path)
        #expect(!names.contains { $0.contains(ConfigFile.temporaryInfix) })
    }

    @Test func aWriterKilledAtAnyMomentLeavesTheOldFileOrTheNewOne() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let configPath = workspace.directory.appendingPathComponent("feeds.json").path
        let empty = "{\n  \"feeds\": []\n}\n"
        try workspace.writeConfig(empty)
        try Data(Self.opml(host: "big.example", count: 400).utf8)
            .write(to: workspace.directory.appendingPathComponent("big.opml"))
        // One whole import, timed, so that the kills below fall anywhere within one.
        let started = Date()
        #expect(try await FeeddProcess.run(["import", "big.opml"], directory: workspace.directory).status == 0)
        let duration = Date().timeIntervalSince(started)
        for round in 0..<10 {
            try workspace.writeConfig(empty)
            let writer = try FeeddProcess(["import", "big.opml"], directory: workspace.directory)
            let delay = duration * Double(round) / 9 + Double.random(in: 0..<(duration / 10))
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            writer.signal(SIGKILL)
            await writer.wait(timeout: 10)
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: configPath)), as: UTF8.self)
            let config = try ConfigFile.load(path: configPath).get()
            #expect(text == empty || config.feeds.count == 400, "a mix after a kill at \(delay) s: \(text.prefix(200))")
        }
        // Whatever the kills left behind is removed by the next update, and never read as the config.
        try workspace.writeConfig(empty)
        #expect(try await FeeddProcess.run(["import", "big.opml"], directory: workspace.directory).status == 0)
        #expect(try ConfigFile.load(path: configPath).get().feeds.count == 400)
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path)
        #expect(!names.contains { $0.contains(ConfigFile.temporaryInfix) }, "\(names)")
    }

    @Test func aLeftoverTemporaryFileIsNotTakenForTheConfigAndTheNextEditRemovesIt() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 2, items: 1)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0)])
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 1 }, "\(daemon.stderr)")

        // What a writer killed before its rename leaves: half a config, under a name of its own.
        let name = ".feeds.json\(ConfigFile.temporaryInfix)\(try Self.deadPID())"
        let leftover = workspace.directory.appendingPathComponent(name)
        try Data("{\"state_dir\": \"elsewhere\", \"feeds\": [".utf8).write(to: leftover)
        try await Task.sleep(for: .seconds(1))
        #expect(!daemon.stderr.contains("reloading configuration"), "\(daemon.stderr)")
        #expect(!daemon.stderr.contains("configuration invalid"))
        #expect(try await FeeddProcess.run(["check"], directory: workspace.directory).status == 0)

        let add = try await FeeddProcess.run(["add", farm.url(1)], directory: workspace.directory)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(await FeeddProcess.eventually { workspace.loggedGuids().count == 2 }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
    }
}

/// Reads a file over and over on a thread of its own and decodes every version as a configuration, counting the
/// feeds of each new version and keeping every problem.
private final class ConfigReader: @unchecked Sendable {
    // @unchecked: `counts`, `problems` and `stopped` are guarded by `lock`.
    private let path: String
    private let lock = NSLock()
    private var counts: [Int] = []
    private var problems: [String] = []
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(path: String) {
        self.path = path
    }

    func start() {
        Thread.detachNewThread { [self] in
            var last: Data?
            while !lock.withLock({ stopped }) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    lock.withLock { problems.append("the config was missing") }
                    continue
                }
                if data == last { continue }
                last = data
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                switch ConfigDecoder.decode(data, file: "feeds.json", baseDirectory: folder) {
                case .success(let config): lock.withLock { counts.append(config.feeds.count) }
                case .failure(let found): lock.withLock { problems.append(found.map(\.description).joined()) }
                }
            }
            done.signal()
        }
    }

    /// Stops reading; returns the feed count of every version seen, in order, and every problem.
    func stop() -> (counts: [Int], problems: [String]) {
        lock.withLock { stopped = true }
        done.wait()
        return lock.withLock { (counts, problems) }
    }
}
