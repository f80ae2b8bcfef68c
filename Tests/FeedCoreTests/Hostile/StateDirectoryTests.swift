import Foundation
import Testing

@testable import FeedCore

#if canImport(Glibc)
    import Glibc
#endif

/// The state directory when the disk fills up, and when it cannot be written at all: `feedd run` as a real child
/// process over a small tmpfs (mounting needs root; the tests that need it are skipped without).
@Suite(.serialized) struct StateDirectoryTests {
    /// Whether this process may mount a tmpfs: tried once, on a scratch directory.
    static let canMount: Bool = {
        guard let directory = try? TemporaryDirectory() else { return false }
        guard Tmpfs.mount(at: directory.path, options: "size=64k") else { return false }
        Tmpfs.unmount(directory.path)
        return true
    }()

    /// A state directory on a 256 KiB tmpfs fills up (a file takes what is left) while stories come in: feedd says so
    /// on stderr, keeps running, keeps what it wrote whole, and once the file is deleted logs every story exactly
    /// once, also across a restart.
    @Test(.enabled(if: canMount, "needs to mount a tmpfs (root)"))
    func fullDiskIsReportedAndNothingIsLostWhenSpaceReturns() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 3, items: 5)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let state = workspace.directory.appendingPathComponent("state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try #require(Tmpfs.mount(at: state, options: "size=256k"))
        defer { Tmpfs.unmount(state) }
        try workspace.writeConfig(feeds: (0..<3).map(farm.url))
        let daemon = try FeeddProcess(["run"], directory: workspace.directory)
        defer { daemon.signal(SIGKILL) }
        let everything = { (0..<3).reduce(into: Set<String>()) { $0.formUnion(farm.guids($1)) } }
        #expect(await FeeddProcess.eventually { Set(workspace.loggedGuids()) == everything() }, "\(daemon.stderr)")

        let filler = state + "/filler"
        let filled = Tmpfs.fill(filler)
        #expect(filled > 0)
        // Stories keep coming while the disk is full: one more per feed every second or so.
        for round in 0..<6 {
            let feed = round % 3
            farm.grow(feed)
            let polls = server.requests(to: "/feeds/\(feed).xml").count
            _ = await FeeddProcess.eventually(timeout: 5) {
                server.requests(to: "/feeds/\(feed).xml").count >= polls + 2
            }
        }
        #expect(daemon.stderr.contains("No space left on device"), "\(daemon.stderr.suffix(2000))")
        let line = daemon.stderr.split(separator: "\n").first { $0.contains("No space left on device") }
        #expect(line?.contains(state + "/") == true, "names the file: \(line ?? "")")
        #expect(daemon.process.isRunning)
        let (_, problems) = workspace.loggedStories()
        #expect(problems.isEmpty, "\(problems)")
        let duringFull = workspace.loggedGuids()
        #expect(duringFull.count == Set(duringFull).count, "logged twice while the disk was full")

        // Space returns: every story comes, once.
        unlink(filler)
        #expect(
            await FeeddProcess.eventually { Set(workspace.loggedGuids()) == everything() },
            "\(daemon.stderr.suffix(2000))")
        farm.grow(0)
        farm.grow(1)
        #expect(await FeeddProcess.eventually { Set(workspace.loggedGuids()) == everything() })
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
        farm.grow(2)
        let once = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(once.status == 0, "\(once.stderr)")
        let guids = workspace.loggedGuids()
        let twice = Dictionary(grouping: guids) { $0 }.filter { $0.value.count > 1 }.keys.sorted()
        #expect(twice.isEmpty, "logged twice: \(twice.prefix(5))")
        #expect(Set(guids) == everything(), "\(once.stderr)")
        #expect(farm.servedGuids.isSubset(of: Set(guids)))
        #expect(workspace.loggedStories().problems.isEmpty)
    }

    /// How a state directory can be unusable, and what feedd must name in its one line.
    enum Unusable: String, CaseIterable, Sendable {
        case readOnly = "a read-only state directory"
        case isAFile = "a state path that is a file"
        case underAFile = "a state path that cannot be created (its parent is a file)"
    }

    /// Each makes `run` and `once` fail at start with one clear line on stderr and exit status 1.
    @Test(arguments: Unusable.allCases)
    func unusableStateDirectoryFailsAtStartWithOneLine(_ kind: Unusable) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        var statePath = workspace.directory.appendingPathComponent("state").path
        let expected: String
        switch kind {
        case .readOnly:
            try FileManager.default.createDirectory(atPath: statePath, withIntermediateDirectories: true)
            if geteuid() == 0 {
                // root writes through file modes: only a read-only mount stops it.
                guard StateDirectoryTests.canMount else { return }
                try #require(Tmpfs.mount(at: statePath, options: "size=64k", readOnly: true))
                expected = "Read-only file system"
            } else {
                chmod(statePath, 0o555)
                expected = "Permission denied"
            }
        case .isAFile:
            try Data("not a directory\n".utf8).write(to: URL(fileURLWithPath: statePath))
            expected = "Not a directory"
        case .underAFile:
            let blocker = workspace.directory.appendingPathComponent("blocker")
            try Data("not a directory\n".utf8).write(to: blocker)
            statePath = blocker.appendingPathComponent("state").path
            expected = "Not a directory"
        }
        defer { if kind == .readOnly { Tmpfs.unmount(statePath) } }
        try workspace.writeConfig(#"{"state_dir": "\#(statePath)", "feeds": ["http://127.0.0.1:9/feed.xml"]}"#)
        for command in ["run", "once"] {
            let run = try await FeeddProcess.run([command], directory: workspace.directory, timeout: 20)
            #expect(run.status == 1, "\(kind.rawValue), \(command): exit \(run.status.map(String.init) ?? "none")")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(kind.rawValue), \(command): \(run.stderr)")
            #expect(
                lines.first?.hasPrefix("feedd: \(statePath)") == true, "\(kind.rawValue), \(command): \(run.stderr)")
            #expect(lines.first?.contains(expected) == true, "\(kind.rawValue), \(command): \(run.stderr)")
        }
    }

    /// A state directory that does not exist yet is made, parents and all.
    @Test func missingStateDirectoryIsCreated() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(#"{"state_dir": "deep/er/state", "feeds": ["\#(farm.url(0))"]}"#)
        let run = try await FeeddProcess.run(["once"], directory: workspace.directory)
        #expect(run.status == 0, "\(run.stderr)")
        let log = workspace.directory.appendingPathComponent("deep/er/state/stories.jsonl")
        #expect(
            String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).split(separator: "\n").count == 2)
    }
}

/// Mounting a tmpfs for a test, with mount(2) itself (no helper process to wait for).
enum Tmpfs {
    /// Mounts a tmpfs at `path` with `options` (`size=256k`); false when not permitted.
    static func mount(at path: String, options: String, readOnly: Bool = false) -> Bool {
        Glibc.mount("tmpfs", path, "tmpfs", readOnly ? UInt(MS_RDONLY) : 0, options) == 0
    }

    /// Detaches the mount at `path`, even while a file in it is still open.
    static func unmount(_ path: String) {
        _ = umount2(path, Int32(MNT_DETACH))
    }

    /// Writes a file at `path` until the file system is full; returns the bytes written.
    static func fill(_ path: String) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let page = [UInt8](repeating: 0x2E, count: 4096)
        var total = 0
        while true {
            let count = page.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return total }
            total += count
        }
    }
}
