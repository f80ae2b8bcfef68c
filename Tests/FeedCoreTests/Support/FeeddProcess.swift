import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The built `feedd` executable run as a child process, for end-to-end tests: real arguments, real files, real
/// signals.
final class FeeddProcess: @unchecked Sendable {
    // @unchecked: the buffers are guarded by `lock`; `process` is only read after launch.
    let process = Process()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    /// How many of the two pipes reached their end: only then is all the output in.
    private var closedPipes = 0

    /// The binary: `$FEEDD_BINARY`, else the one `swift build` put next to the test bundle.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["FEEDD_BINARY"] { return URL(fileURLWithPath: path) }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Fixtures.repositoryRoot.appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("feedd") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    init(_ arguments: [String], directory: URL, environment: [String: String] = [:]) throws {
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["JOURNAL_STREAM"] = nil
        env["NOTIFY_SOCKET"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        outPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.lock.withLock {
                self?.out.append(data)
                if data.isEmpty { self?.closedPipes += 1 }
            }
        }
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.lock.withLock {
                self?.err.append(data)
                if data.isEmpty { self?.closedPipes += 1 }
            }
        }
        try process.run()
    }

    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
    var pid: Int32 { process.processIdentifier }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit; returns its status, or nil (after killing it) when `timeout` passes first.
    /// Polls with `Task.sleep`, never blocking a thread: tests share two cooperative threads on a 2-core machine,
    /// and a blocked one delays every other test's timers.
    @discardableResult
    func wait(timeout: TimeInterval = 60) async -> Int32? {
        let deadline = Date() + timeout
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
                return nil
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        // Let the pipes' last data arrive: on a loaded machine the handlers can lag the exit by more than a moment,
        // and a fixed pause lost the end of a long output. A child that left the pipes to a grandchild still ends.
        let drained = Date() + 10
        while lock.withLock({ closedPipes }) < 2 && Date() < drained { try? await Task.sleep(for: .milliseconds(10)) }
        return process.terminationStatus
    }

    /// Waits until `condition` holds, polling; false when `timeout` passes first.
    static func eventually(timeout: TimeInterval = 20, _ condition: () -> Bool) async -> Bool {
        let deadline = Date() + timeout
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    /// Runs feedd to completion and returns (status, stdout, stderr).
    static func run(_ arguments: [String], directory: URL, environment: [String: String] = [:], timeout: TimeInterval = 60)
        async throws -> (status: Int32?, stdout: String, stderr: String)
    {
        let child = try FeeddProcess(arguments, directory: directory, environment: environment)
        let status = await child.wait(timeout: timeout)
        return (status, child.stdout, child.stderr)
    }
}
