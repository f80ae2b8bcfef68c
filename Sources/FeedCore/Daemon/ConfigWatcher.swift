import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Tells when the config file is written, by inotify on its directory: editors replace files by rename, which a
/// watch on the file itself would miss (docs/PLATFORM.md, "Dispatch"). Reacts to CLOSE_WRITE and MOVED_TO of that name,
/// debounced, on the daemon's queue.
final class ConfigWatcher: @unchecked Sendable {
    // @unchecked: `source` and `pending` are touched only on `queue`.
    private let queue: DispatchQueue
    private let fileName: String
    private let onChange: @Sendable () -> Void
    private var source: DispatchSourceRead?
    private var pending = false
    private let debounce: TimeInterval

    /// Starts watching `path`; returns nil (and the daemon relies on SIGHUP) when inotify is unavailable.
    init?(path: String, queue: DispatchQueue, debounce: TimeInterval = 0.2, onChange: @escaping @Sendable () -> Void) {
        let url = URL(fileURLWithPath: path)
        self.queue = queue
        self.fileName = url.lastPathComponent
        self.onChange = onChange
        self.debounce = debounce
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
        guard inotify_add_watch(fd, url.deletingLastPathComponent().path, mask) >= 0 else {
            close(fd)
            return nil
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.drain(fd) }
        source.setCancelHandler { close(fd) }
        self.source = source
        source.resume()
    }

    func cancel() {
        source?.cancel()
        source = nil
    }

    /// Reads every queued event; schedules one change notice if any names the config file.
    private func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var matched = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= count {
                let (length, name) = buffer.withUnsafeBytes { raw -> (Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameBytes = raw[(offset + header)..<(offset + header + Int(event.len))].prefix { $0 != 0 }
                    return (Int(event.len), String(decoding: nameBytes, as: UTF8.self))
                }
                if name == fileName { matched = true }
                offset += header + length
            }
        }
        guard matched, !pending else { return }
        pending = true
        queue.asyncAfter(deadline: .now() + debounce) { [weak self] in
            guard let self else { return }
            self.pending = false
            self.onChange()
        }
    }
}
