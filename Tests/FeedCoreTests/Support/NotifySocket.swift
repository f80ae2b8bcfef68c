import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket that receives systemd notify messages the way systemd does, for tests: bound to a path, or
/// to an abstract name (`@name`).
final class NotifySocket: @unchecked Sendable {
    // @unchecked: `messages` is guarded by `lock`; the fd is closed only in `close()`.
    private let fd: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var closed = false
    /// The value to put in `$NOTIFY_SOCKET`.
    let address: String

    init(abstract: Bool, directory: URL) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        let name: String = abstract ? "@feedd-test-\(UUID().uuidString.prefix(8))" : directory.appendingPathComponent("notify.sock").path
        var bytes = Array(name.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        address = name
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !lock.withLock({ closed }) {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    let message = String(decoding: buffer[0..<count], as: UTF8.self)
                    lock.withLock { received.append(message) }
                }
            }
            Glibc.close(fd)
        }
    }

    var messages: [String] { lock.withLock { received } }

    func close() {
        lock.withLock { closed = true }
    }
}
