import Foundation
import Glibc

extension FileIO {
    /// Replaces the file at `path` with `bytes` so that a reader, or a crash, sees the old content or the new,
    /// never a mix: write a temp file in the same directory, `rename(2)` it over the old one (docs/PLATFORM.md,
    /// "Files").
    ///
    /// The temp file is `.name.tmp-PID`: unique per process, so callers replacing one path serialize their calls.
    /// The old file's mode is kept (`Data.write(options: .atomic)` would not keep it).
    /// - Parameter durable: fsync the temp file before the rename and the directory after it, so the new content
    ///   survives a power loss once this returns; without it the kernel writes it back in its own time.
    static func atomicReplace(_ path: String, with bytes: [UInt8], durable: Bool) throws(StoreError) {
        let directory = parent(of: path)
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        let temp = "\(directory)/.\(name).tmp-\(getpid())"
        let mode = try status(path: path).map { $0.st_mode & 0o7777 }
        let fd = try open(temp, O_WRONLY | O_CREAT | O_TRUNC, mode: mode ?? 0o644)
        do throws(StoreError) {
            // open(2) applies the umask to the mode it is given; fchmod does not.
            if let mode { try changeMode(fd, to: mode, path: temp) }
            try write(fd, bytes, path: temp)
            if durable { try fsync(fd, path: temp) }
        } catch {
            close(fd)
            try? remove(temp)
            throw error
        }
        close(fd)
        do throws(StoreError) {
            try rename(temp, to: path)
        } catch {
            try? remove(temp)
            throw error
        }
        if durable { try syncDirectory(directory) }
    }

    /// The whole content of the file at `path`.
    static func readFile(_ path: String) throws(StoreError) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        return try readFile(fd, path: path)
    }

    /// The whole content of the open file `fd`, from its start.
    static func readFile(_ fd: Int32, path: String) throws(StoreError) -> [UInt8] {
        let size = Int(try status(fd, path: path).st_size)
        // Room for a byte more than the size: the read that finds the end then needs no larger buffer.
        var bytes = [UInt8](repeating: 0, count: max(size + 1, 4096))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let got = try read(fd, into: &bytes, count..<bytes.count, at: count, path: path)
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}

extension FileIO {
    /// Replaces the file at `path` durably with `value` as one line of JSON, keys sorted (a checkpoint, a
    /// follower's cursor: small records of strings and integers, which always encode).
    static func atomicReplace(_ path: String, withJSONOf value: some Encodable) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(value)) + [0x0A]
        } catch {
            preconditionFailure("\(type(of: value)) did not encode: \(error)")
        }
        try atomicReplace(path, with: bytes, durable: true)
    }
}
