import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// The state directory as a user can get it wrong: one that cannot be created. The built binary, real files.
@Suite(.serialized) struct StateDirectoryEndToEndTests {
    /// Longer than any of these commands takes when it works, short enough that a command that hangs fails the test
    /// instead of holding up the suite: `FeeddProcess.wait` kills the child by its pid once it passes.
    static let patience: TimeInterval = 10

    /// Runs `arguments` in a workspace with a valid config; returns the exit status (nil: killed after `patience`),
    /// the lines of stderr and how long it took.
    private func feedd(_ arguments: [String], in workspace: Workspace) async throws
        -> (status: Int32?, errors: [Substring], seconds: TimeInterval)
    {
        let started = Date()
        let run = try await FeeddProcess.run(arguments, directory: workspace.directory, timeout: Self.patience)
        return (run.status, run.stderr.split(separator: "\n"), Date().timeIntervalSince(started))
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
            #expect(run.seconds < Self.patience)
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

    /// `tail` never creates the directory: it says there is none, at once.
    @Test func tailOfAStateDirectoryThatCannotExistFailsAtOnce() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: ["file:nothing.xml"])
        for arguments in [["tail"], ["tail", "-f"]] {
            let run = try await feedd(arguments + ["--state", "/proc/x"], in: workspace)
            #expect(run.status == 1)
            #expect(run.errors.count == 1 && run.errors.first?.contains("/proc/x: no such state directory") == true)
        }
    }
}
