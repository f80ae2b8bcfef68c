import Foundation
import Glibc

/// The story log `<state>/stories.jsonl` (docs/FORMATS.md, "stories.jsonl"), open for appending.
///
/// Not thread-safe: the daemon owns one and calls it only from its serial queue. While it is open it holds an
/// exclusive lock on the state directory, so a second feedd (a `feedd once` beside `feedd run`) cannot append the
/// same stories again; the lock goes with the process, so `kill -9` leaves none behind.
final class StoryLog {
    let directory: URL
    /// The log rotates once it has grown to this many bytes (config `log_max_bytes`, which a reload may change:
    /// the next append rotates at the new size).
    var maxBytes: Int
    private let directoryPath: String
    private let path: String
    private var lockFD: Int32
    private var fd: Int32
    private var inode: UInt64
    /// Where the log ends: every byte before it is a complete, synced line, or a line of the batch being written.
    private var size: Int

    /// Opens the log in `directory` (created when missing), cutting off a torn last line a crash left behind.
    /// - Throws: `StoreError.busy` when another process has the state directory open.
    init(directory: URL, maxBytes: Int) throws(StoreError) {
        self.directory = directory
        self.maxBytes = maxBytes
        directoryPath = directory.path
        path = directoryPath + "/" + LogFiles.current
        try FileIO.makeDirectories(directoryPath)
        lockFD = try FileIO.open(directoryPath, O_RDONLY | O_DIRECTORY)
        do throws(StoreError) {
            try FileIO.lock(lockFD, path: directoryPath)
            (fd, inode, size) = try Self.open(path)
            // The log may have just been created: make its name durable before any line in it is called durable.
            try FileIO.syncDirectory(directoryPath)
        } catch {
            FileIO.close(lockFD)
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the log and releases the state directory's lock, so that another feedd may open it; nothing may be
    /// appended afterwards. Calling it again does nothing.
    func close() {
        guard fd >= 0 else { return }
        FileIO.close(fd)
        FileIO.close(lockFD)
        fd = -1
        lockFD = -1
    }

    /// The end of the log, for the checkpoint: the current file's name, its inode (which rotation keeps, so a
    /// checkpoint taken before a rotation still finds its file) and its size.
    var position: (file: String, inode: UInt64, offset: Int) {
        (LogFiles.current, inode, size)
    }

    /// Appends one line per story, in order, each with one `write(2)` (so O_APPEND keeps it whole), then one
    /// `fdatasync` for the batch: when this returns the lines are durable and the feeds' state may be written.
    /// - Throws: the first failure (ENOSPC…), after cutting the log back to where the batch began, so that no line
    ///   of a failed batch, whole or partial, is left for a reader or a replay to count as logged.
    func append(_ stories: [Story]) throws(StoreError) {
        guard !stories.isEmpty else { return }
        try resynchronize()
        let start = size
        do throws(StoreError) {
            for story in stories {
                var line = StoryLine.encode(story)
                line.append(0x0A)
                try FileIO.write(fd, line, path: path)
                size += line.count
            }
            try FileIO.fdatasync(fd, path: path)
        } catch {
            size = start
            // Should this fail too, `resynchronize` cuts the remains before the next batch.
            try? FileIO.truncate(fd, to: start, path: path)
            throw error
        }
    }

    /// Renames the log to `stories-YYYYMMDDTHHMMSSZ.jsonl` and starts a new one once it has reached `maxBytes`.
    /// - Returns: the rotated file, or nil when the log is still below the limit.
    func rotateIfNeeded(now: Date) throws(StoreError) -> URL? {
        guard size >= maxBytes, size > 0 else { return nil }
        var counter = 0
        var name = LogFiles.rotatedName(at: now, counter: counter)
        while try FileIO.status(path: directoryPath + "/" + name) != nil {
            counter += 1
            name = LogFiles.rotatedName(at: now, counter: counter)
        }
        try FileIO.rename(path, to: directoryPath + "/" + name)
        let (newFD, newInode, newSize) = try Self.open(path)
        FileIO.close(fd)
        (fd, inode, size) = (newFD, newInode, newSize)
        // Both names must be durable before lines appended to the new file are: fdatasync does not cover them.
        try FileIO.syncDirectory(directoryPath)
        return directory.appendingPathComponent(name)
    }

    /// Takes the file's real size as the log's end, cutting off what a failed batch may have left beyond `size`.
    private func resynchronize() throws(StoreError) {
        let actual = Int(try FileIO.status(fd, path: path).st_size)
        if actual > size { try FileIO.truncate(fd, to: size, path: path) }
        // Smaller: someone truncated the log; later lines go after what is there.
        size = min(size, actual)
    }

    /// Opens (creating) the log for appending and cuts off a last line that has no newline, which can only be a
    /// write a crash interrupted. Returns the descriptor, the inode and the size after the cut.
    private static func open(_ path: String) throws(StoreError) -> (Int32, UInt64, Int) {
        let fd = try FileIO.open(path, O_WRONLY | O_APPEND | O_CREAT, mode: 0o644)
        do throws(StoreError) {
            let info = try FileIO.status(fd, path: path)
            let size = Int(info.st_size)
            var end = size
            if size > 0 {
                let reader = try FileIO.open(path, O_RDONLY)
                defer { FileIO.close(reader) }
                end = try LogFiles.endOfLastLine(reader, size: size, path: path)
            }
            if end < size {
                try FileIO.truncate(fd, to: end, path: path)
                try FileIO.fdatasync(fd, path: path)
            }
            return (fd, UInt64(info.st_ino), end)
        } catch {
            FileIO.close(fd)
            throw error
        }
    }
}
