import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Speaks systemd's notify protocol (sd_notify(3)) over the datagram socket `$NOTIFY_SOCKET` names, without
/// libsystemd: READY=1, RELOADING=1, STOPPING=1, STATUS=…, WATCHDOG=1.
public final class ServiceNotifier: @unchecked Sendable {
    // @unchecked: the fd and address are immutable after init; sendto(2) is thread-safe.
    private let fd: Int32
    private var address = sockaddr_un()
    private let addressLength: socklen_t

    /// The notifier for `$NOTIFY_SOCKET`; nil when it is unset (not run by systemd) or unusable.
    public init?(environment: [String: String]) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        var bytes = Array(path.utf8)
        // A leading @ names an abstract socket, whose name starts with a NUL byte instead.
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        self.fd = fd
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        // The exact length: sizeof(sockaddr_un) would make an abstract name include trailing NULs
        // (docs/PLATFORM.md, "systemd notify").
        addressLength = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
    }

    deinit {
        close(fd)
    }

    /// Sends one message of newline-separated assignments; failures are ignored, as sd_notify's callers do.
    public func send(_ message: String) {
        var address = self.address
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, addressLength) }
            }
        }
    }

    /// The watchdog interval systemd asks for, halved as sd_watchdog_enabled(3) advises; nil when not asked.
    public static func watchdogInterval(environment: [String: String]) -> TimeInterval? {
        guard let text = environment["WATCHDOG_USEC"], let usec = Double(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], let value = Int32(pid), value != getpid() { return nil }
        return usec / 1_000_000 / 2
    }

    /// CLOCK_MONOTONIC in microseconds, for `MONOTONIC_USEC=` with RELOADING=1.
    public static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
