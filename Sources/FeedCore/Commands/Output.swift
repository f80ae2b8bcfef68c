#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where a command writes: standard output or error in production, memory in tests.
public final class Output: @unchecked Sendable {
    // @unchecked: `lock` guards `buffer`; the fd is written only while holding it.
    private let fd: Int32?
    private let lock = NSLock()
    private var buffer: [UInt8] = []

    public static let standardOutput = Output(fd: STDOUT_FILENO)
    public static let standardError = Output(fd: STDERR_FILENO)

    private init(fd: Int32?) {
        self.fd = fd
    }

    /// An output that keeps what is written, for tests.
    public static func memory() -> Output { Output(fd: nil) }

    /// What was written to a memory output, as text.
    public var text: String {
        lock.withLock { String(decoding: buffer, as: UTF8.self) }
    }

    public func write(_ text: String) {
        write(Array(text.utf8))
    }

    /// Writes the bytes whole: partial writes are continued and EINTR retried.
    public func write(_ bytes: [UInt8]) {
        lock.withLock {
            guard let fd else {
                buffer.append(contentsOf: bytes)
                return
            }
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return  // a closed pipe (`feedd parse … | head`) ends the output, not the program
                    }
                    offset += n
                }
            }
        }
    }

    /// Writes the bytes whole, as `write` does; returns false when the descriptor refuses them (a closed pipe), for
    /// a writer that must know its output was read (`feedd follow` moves its position only past what was written).
    public func writeAll(_ bytes: [UInt8]) -> Bool {
        lock.withLock {
            guard let fd else {
                buffer.append(contentsOf: bytes)
                return true
            }
            return bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += n
                }
                return true
            }
        }
    }

    /// Writes one line to standard error style outputs: `text` and a newline.
    public func line(_ text: String) {
        write(text + "\n")
    }
}
