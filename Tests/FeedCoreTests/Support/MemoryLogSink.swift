import Foundation

@testable import FeedCore

/// Keeps log lines in memory, for tests that check what the daemon said.
final class MemoryLogSink: LogSink, @unchecked Sendable {
    // @unchecked: `stored` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: [String] = []

    func write(_ line: String) {
        lock.withLock { stored.append(line) }
    }

    var lines: [String] { lock.withLock { stored } }
}
