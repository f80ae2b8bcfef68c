import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// The state directory as users lay it out, and get it wrong: beside the configuration, with the states file of an
/// older feedd, holding the configuration itself, or impossible to create. The built binary, real files.
@Suite(.serialized) struct StateDirectoryEndToEndTests {
    /// Longer than any of these commands takes when it works, short enough that a command that hangs fails the test
    /// instead of holding up the suite: `FeeddProcess.wait` kills the child by its pid once it passes.
    static let patience = TestEnvironment.scaled(20)

    /// Runs `arguments` in a workspace with a valid config; returns the exit status (nil: killed after `patience`),
    /// the lines of stderr and how long it took.
    private func feedd(_ arguments: [String], in workspace: Workspace) async throws
        -> (status: Int32?, errors: [Substring], seconds: TimeInterval)
    {
        let started = Date()
        let run = try await FeeddProcess.run(arguments, directory: workspace.directory, timeout: Self.patience)
        return (run.status, run.stderr.split(separator: "\n"), Date().timeIntervalSince(started))
    }

    static let feedID = "farm"

    private func config(_ farm: FeedFarm, stateDirectory: String?) -> String {
        let state = stateDirectory.map { #""state_dir": "\#($0)", "# } ?? ""
        return #"{\#(state)"feeds": [{"id": "\#(Self.feedID)", "url": "\#(farm.url(0))"}]}"# + "\n"
    }

    /// The state files beside the user's `feeds.json` (`"state_dir": "."` or `--state .`): the states file used to
    /// be called `feeds.json` too, and replaced the configuration at the end of the first pass.
    @Test(arguments: [false, true])
    func theStateDirectoryBesideTheConfigLeavesItAsItIs(byOption: Bool) async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 3)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let text = config(farm, stateDirectory: byOption ? nil : ".")
        let options = byOption ? ["--state", "."] : []
        try workspace.writeConfig(text)
        let configURL = workspace.directory.appendingPathComponent("feeds.json")
        let logURL = workspace.directory.appendingPathComponent("stories.jsonl")
        for pass in 1...2 {
            let run = try await feedd(["once"] + options, in: workspace)
            #expect(run.status == 0, "pass \(pass): \(run.errors)")
            #expect(try String(contentsOf: configURL, encoding: .utf8) == text, "pass \(pass) changed feeds.json")
            let lines = try String(contentsOf: logURL, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3, "pass \(pass)")
        }
        // The second pass sent the validators the first saved, and the states file is where it belongs.
        #expect(server.requests.last?.header("If-None-Match") == "\"0-3\"")
        let statesURL = workspace.directory.appendingPathComponent("feed-states.json")
        #expect(try String(contentsOf: statesURL, encoding: .utf8).hasPrefix(#"{"farm":{"#))
        let status = try await FeeddProcess.run(["status", "--json"] + options, directory: workspace.directory)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains(#""http_status":304"#), "\(status.stdout)")
    }

    /// A state directory an older feedd wrote: its states file `feeds.json` and a changes file for it. `status`
    /// reads them where they are; the next `once` adopts them and carries on with their validators.
    @Test func theStatesFileOfAnOlderFeeddIsAdopted() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 3)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(config(farm, stateDirectory: "state"))
        let first = try await feedd(["once"], in: workspace)
        #expect(first.status == 0, "\(first.errors)")
        #expect(workspace.loggedGuids().count == 3)
        // What an older feedd leaves: the states under the old name, and a feed's later state in a changes file.
        let state = workspace.directory.appendingPathComponent("state")
        for name in try FileManager.default.contentsOfDirectory(atPath: state.path) where name.hasPrefix("feed") {
            try FileManager.default.removeItem(at: state.appendingPathComponent(name))
        }
        let legacy = state.appendingPathComponent("feeds.json")
        // The changes file holds the feed's later state, with the ETag the server answers 304 to: sending it shows
        // that the changes were carried over, not only the states file.
        let farmURL = #""config_url":"\#(farm.url(0))","last_status":200"#
        let older = #"{"farm":{\#(farmURL),"etag":"\"stale\"","last_success":"2026-11-28T07:00:00Z"}}"#
        try Data(older.utf8).write(to: legacy)
        let inode = try #require(try FileIO.status(path: legacy.path)).st_ino
        let later = #"{"farm":{\#(farmURL),"etag":"\"0-3\"","last_success":"2026-11-29T07:00:00Z"}}"#
        try Data((later + "\n").utf8).write(to: state.appendingPathComponent("feeds.changes-\(inode).jsonl"))
        let requests = server.requests.count

        let status = try await FeeddProcess.run(["status", "--json"], directory: workspace.directory)
        #expect(status.stdout.contains(#""last_success":"2026-11-29T07:00:00Z""#), "\(status.stdout)")
        #expect(FileManager.default.fileExists(atPath: legacy.path), "status renamed the old states file")

        let second = try await feedd(["once"], in: workspace)
        #expect(second.status == 0, "\(second.errors)")
        #expect(second.errors.contains { $0.contains("feed states file renamed from=feeds.json to=feed-states.json") })
        #expect(server.requests.count == requests + 1)
        #expect(server.requests.last?.header("If-None-Match") == "\"0-3\"")
        #expect(workspace.loggedGuids().count == 3, "stories logged again")
        let names = try FileManager.default.contentsOfDirectory(atPath: state.path)
        #expect(!names.contains("feeds.json") && !names.contains { $0.hasPrefix("feeds.changes-") }, "\(names)")
        let states = try String(contentsOf: state.appendingPathComponent("feed-states.json"), encoding: .utf8)
        #expect(states.contains(#""etag":"\"0-3\"""#), "\(states)")
    }

    /// A configuration that is one of the state directory's files, by name, through a symlink, through a symlinked
    /// state directory, or as a hard link: refused as a configuration error before anything is written.
    @Test func aConfigurationThatIsAStateFileIsRefused() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 3)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let root = workspace.directory.standardizedFileURL.path
        let text = config(farm, stateDirectory: nil)
        try Data(text.utf8).write(to: workspace.directory.appendingPathComponent("feed-states.json"))
        try Data(text.utf8).write(to: workspace.directory.appendingPathComponent("feeds.json"))
        #expect(symlink("feed-states.json", root + "/conf.json") == 0)
        #expect(symlink(".", root + "/link") == 0)
        try FileManager.default.createDirectory(atPath: root + "/state", withIntermediateDirectories: false)
        #expect(link(root + "/feeds.json", root + "/state/stories.jsonl") == 0)
        let states = "the feed states file"
        let cases: [(arguments: [String], config: String, file: String, role: String)] = [
            (["once", "--config", "feed-states.json", "--state", "."], "feed-states.json", "feed-states.json", states),
            (["run", "--config", "conf.json", "--state", root], "conf.json", "feed-states.json", states),
            (["once", "--config", "feed-states.json", "--state", "link"], "feed-states.json", "link/feed-states.json",
             states),
            (["once", "--state", "state"], "feeds.json", "state/stories.jsonl", "the story log"),
        ]
        let before = try FileManager.default.subpathsOfDirectory(atPath: root).sorted()
        for (arguments, config, file, role) in cases {
            let run = try await feedd(arguments, in: workspace)
            #expect(run.status == 2, "\(arguments): \(run.errors)")
            #expect(run.errors == [
                "feedd: the configuration \(config) is \(root)/\(file), \(role) feedd writes in the state "
                    + "directory; use another state directory (--state or state_dir) or move the configuration"
            ])
            #expect(try String(contentsOfFile: root + "/feed-states.json", encoding: .utf8) == text)
            #expect(try String(contentsOfFile: root + "/feeds.json", encoding: .utf8) == text)
            #expect(try FileManager.default.subpathsOfDirectory(atPath: root).sorted() == before, "\(arguments)")
        }
        #expect(server.requests.isEmpty)
    }

    /// `mkdir /proc/x` fails with ENOENT even once `/proc` exists: creating the missing parent and trying again
    /// used to loop for ever, at full CPU and without a word. The line names the directory that could not be made,
    /// as `mkdir -p` does.
    @Test(arguments: ["once", "run"])
    func aStateDirectoryThatCannotBeCreatedFailsAtOnce(command: String) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: ["file:nothing.xml"])
        for state in ["/proc/x", "/proc/x/y"] {
            let run = try await feedd([command, "--state", state], in: workspace)
            #expect(run.status == 1, "\(command) --state \(state) did not exit 1 within \(Self.patience) s")
            #expect(run.errors == ["feedd: /proc/x: mkdir failed: No such file or directory"], "\(run.errors)")
        }
    }

    /// Root ignores the mode bits, so the case only means something for another user.
    @Test(.enabled(if: getuid() != 0, "root may create directories in a read-only directory"))
    func aStateDirectoryUnderAReadOnlyDirectoryFailsAtOnce() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: ["file:nothing.xml"])
        let readOnly = workspace.directory.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: false)
        #expect(chmod(readOnly.path, 0o555) == 0)
        defer { chmod(readOnly.path, 0o755) }
        for command in ["once", "run"] {
            for state in ["read-only/state", "read-only/a/b"] {
                let run = try await feedd([command, "--state", state], in: workspace)
                let failed = (state as NSString).deletingLastPathComponent == "read-only" ? state : "read-only/a"
                let full = workspace.directory.appendingPathComponent(failed).standardizedFileURL.path
                #expect(run.status == 1, "\(command) --state \(state) did not exit 1 within \(Self.patience) s")
                #expect(run.errors == ["feedd: \(full): mkdir failed: Permission denied"], "\(run.errors)")
            }
        }
    }

    /// The readers never create the directory, so they answer at once: `tail` says there is none (exit 1), and
    /// `status` shows the configured feeds as never polled, as before a first run.
    @Test func readersOfAStateDirectoryThatCannotExistAnswerAtOnce() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: ["file:nothing.xml"])
        for arguments in [["tail"], ["tail", "-f"]] {
            let run = try await feedd(arguments + ["--state", "/proc/x"], in: workspace)
            #expect(run.status == 1)
            #expect(run.errors.count == 1 && run.errors.first?.contains("/proc/x: no such state directory") == true)
        }
        let status = try await FeeddProcess.run(
            ["status", "--json", "--state", "/proc/x"], directory: workspace.directory, timeout: Self.patience)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains(#""last_attempt":null"#), "\(status.stdout)")
    }
}
