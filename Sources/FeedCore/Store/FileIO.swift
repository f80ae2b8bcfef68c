import Glibc

/// The system calls the store makes, one thin wrapper each (after swift-system's `Internals/Syscalls.swift`).
///
/// Every wrapper retries on `EINTR` and throws `StoreError.io` naming the path and the call, so no caller sees a
/// raw `-1`. Foundation's file APIs are avoided on purpose: `FileHandle(forWritingAtPath:)` opens without
/// `O_APPEND` and `FileManager.replaceItemAt` loses data on Linux (docs/PLATFORM.md, "Files").
enum FileIO {
    /// `open(2)`, always with `O_CLOEXEC` so that no child process inherits the store's descriptors.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(StoreError) -> Int32 {
        try retrying(path, "open") { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    /// `close(2)`, not retried: on Linux the descriptor is released even when close reports `EINTR`, and retrying
    /// could close a descriptor another thread has just been given.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Writes all of `bytes`: one `write(2)` for the whole buffer, continuing after a partial write.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StoreError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let count = try retrying(path, "write") { Glibc.write(fd, base + done, bytes.count - done) }
            // write(2) returns 0 only for an empty request; guard anyway so a broken device cannot spin this loop.
            guard count > 0 else { throw .io(path: path, operation: "write", errno: EIO) }
            done += count
        }
    }

    /// Writes all of `bytes` (see `write(_:_:path:)`).
    static func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StoreError) {
        // withUnsafeBytes rethrows untyped errors, so the typed one is carried out in a Result.
        var result: Result<Void, StoreError> = .success(())
        bytes.withUnsafeBytes { buffer in
            result = Result { () throws(StoreError) in try write(fd, buffer, path: path) }
        }
        try result.get()
    }

    /// `pread(2)` into `buffer` at `offset`; returns the bytes read, 0 at the end of the file.
    static func read(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String
    ) throws(StoreError) -> Int {
        try retrying(path, "read") { pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// `pread(2)` into `bytes[range]` at `offset`; returns the bytes read, 0 at the end of the file.
    static func read(
        _ fd: Int32, into bytes: inout [UInt8], _ range: Range<Int>, at offset: Int, path: String
    ) throws(StoreError) -> Int {
        // withUnsafeMutableBytes rethrows untyped errors, so the typed one is carried out in a Result.
        var result: Result<Int, StoreError> = .success(0)
        bytes.withUnsafeMutableBytes { buffer in
            let part = UnsafeMutableRawBufferPointer(rebasing: buffer[range])
            result = Result { () throws(StoreError) in try read(fd, into: part, at: offset, path: path) }
        }
        return try result.get()
    }

    /// `fsync(2)`: data and metadata reach the disk.
    static func fsync(_ fd: Int32, path: String) throws(StoreError) {
        _ = try retrying(path, "fsync") { Glibc.fsync(fd) }
    }

    /// `fdatasync(2)`: data and the size reach the disk; cheaper than fsync when only appending.
    static func fdatasync(_ fd: Int32, path: String) throws(StoreError) {
        _ = try retrying(path, "fdatasync") { Glibc.fdatasync(fd) }
    }

    /// `syncfs(2)` on the file system holding `directory`: flushes every file written there without naming each.
    static func syncFileSystem(of directory: String) throws(StoreError) {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        _ = try retrying(directory, "syncfs") { syncfsCall(fd) }
    }

    /// glibc's `syncfs`, which the Glibc module does not export (it is declared only under `_GNU_SOURCE`).
    private static let syncfsCall: @convention(c) (Int32) -> Int32 = {
        guard let symbol = dlsym(nil, "syncfs") else {
            // Not reached with glibc ≥ 2.14; sync(2) flushes every file system, a superset of what was asked.
            return { _ in
                sync()
                return 0
            }
        }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    /// fsync(2) of a directory, which makes the names created or renamed in it durable.
    static func syncDirectory(_ directory: String) throws(StoreError) {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: directory)
    }

    /// `ftruncate(2)`.
    static func truncate(_ fd: Int32, to length: Int, path: String) throws(StoreError) {
        _ = try retrying(path, "ftruncate") { Glibc.ftruncate(fd, off_t(length)) }
    }

    /// Takes an exclusive `flock(2)` on `fd` without waiting.
    /// - Throws: `StoreError.busy` when another open file description holds it.
    static func lock(_ fd: Int32, path: String) throws(StoreError) {
        while flock(fd, LOCK_EX | LOCK_NB) == -1 {
            if errno == EWOULDBLOCK { throw .busy(path: path) }
            if errno != EINTR { throw .io(path: path, operation: "flock", errno: errno) }
        }
    }

    /// `fchmod(2)`.
    static func changeMode(_ fd: Int32, to mode: mode_t, path: String) throws(StoreError) {
        _ = try retrying(path, "fchmod") { fchmod(fd, mode) }
    }

    /// `fstat(2)`.
    static func status(_ fd: Int32, path: String) throws(StoreError) -> stat {
        var info = stat()
        _ = try retrying(path, "fstat") { Glibc.fstat(fd, &info) }
        return info
    }

    /// `stat(2)`; nil when nothing is at `path`.
    static func status(path: String) throws(StoreError) -> stat? {
        var info = stat()
        while fstatat(AT_FDCWD, path, &info, 0) == -1 {
            if errno == ENOENT { return nil }
            if errno != EINTR { throw .io(path: path, operation: "stat", errno: errno) }
        }
        return info
    }

    /// `utimensat(2)`: sets the access and modification times of the file at `path` to `seconds` since the epoch.
    static func setTimes(_ path: String, to seconds: Double) throws(StoreError) {
        let whole = seconds.rounded(.down)
        let time = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        var times = (time, time)
        _ = try retrying(path, "utimensat") {
            withUnsafePointer(to: &times) { pair in
                pair.withMemoryRebound(to: timespec.self, capacity: 2) { utimensat(AT_FDCWD, path, $0, 0) }
            }
        }
    }

    /// `rename(2)`: atomically replaces `destination` when it exists.
    static func rename(_ source: String, to destination: String) throws(StoreError) {
        _ = try retrying(destination, "rename") { Glibc.rename(source, destination) }
    }

    /// `unlink(2)`; nothing at `path` is not an error.
    static func remove(_ path: String) throws(StoreError) {
        while Glibc.unlink(path) == -1 {
            if errno == ENOENT { return }
            if errno != EINTR { throw .io(path: path, operation: "unlink", errno: errno) }
        }
    }

    /// Creates `path` and its missing parents with mode 0755 (`mkdir -p`).
    ///
    /// The parent is made once: ENOENT again after that means no directory can be made there (`/proc/x` fails
    /// with ENOENT while `/proc` exists), and is thrown naming `path`, where retrying would spin for ever.
    static func makeDirectories(_ path: String) throws(StoreError) {
        var madeParent = false
        while Glibc.mkdir(path, 0o755) == -1 {
            switch errno {
            case EEXIST: return
            case EINTR: continue
            case ENOENT where path.contains("/") && !madeParent:
                try makeDirectories(parent(of: path))
                madeParent = true
            default: throw .io(path: path, operation: "mkdir", errno: errno)
            }
        }
    }

    /// The names in `directory` other than `.` and `..`; none when the directory does not exist.
    static func entries(of directory: String) throws(StoreError) -> [String] {
        guard let handle = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw .io(path: directory, operation: "opendir", errno: errno)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The directory part of `path` (`.` when it has none).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Calls `call` until it does not fail with `EINTR`; any other failure is thrown with the current errno.
    private static func retrying<Value: BinaryInteger>(
        _ path: String, _ operation: String, _ call: () -> Value
    ) throws(StoreError) -> Value {
        while true {
            let result = call()
            if result != -1 { return result }
            if errno != EINTR { throw .io(path: path, operation: operation, errno: errno) }
        }
    }
}
