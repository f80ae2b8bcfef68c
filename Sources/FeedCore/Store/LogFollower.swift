import Foundation
import Glibc

/// Reads `<state>/stories.jsonl` the way `feedd tail [-f]` shows it: the last lines, then each line as it is
/// appended, across rotation by rename and across truncation (docs/PLATFORM.md, "Files").
///
/// Only complete lines are delivered; a line still being written waits for its newline. Polling rather than a
/// Dispatch read source, which busy-loops on a regular file at its end (docs/PLATFORM.md, "Dispatch"). Not thread-safe.
///
/// No line is delivered twice, also when the file is cut back under it (`LogFollower+Rewind.swift`): the daemon
/// cuts a batch it could not make durable and logs those stories again later; someone may truncate the log.
final class LogFollower {
    let directory: URL
    let path: String
    var fd: Int32?
    private var inode: UInt64 = 0
    /// The next byte of the open file to read.
    var offset = 0
    /// Where the line being read (`pending`) starts in the file.
    var lineStart = 0
    /// The start of a line whose newline has not been read yet.
    var pending: [UInt8] = []
    /// The lines delivered last, for noticing that the file was cut back under them.
    var delivered = DeliveredLines()
    /// The file's first line, for telling a file emptied from one cut back further than `delivered` reaches.
    var firstLine: DeliveredLines.Line?

    /// Opens the log in `directory` positioned after its last complete line; a missing log is waited for.
    init(directory: URL) throws(StoreError) {
        self.directory = directory
        path = directory.path + "/" + LogFiles.current
        if let fd = try open() {
            let size = Int(try FileIO.status(fd, path: path).st_size)
            offset = try LogFiles.endOfLastLine(fd, size: size, path: path)
            lineStart = offset
            try rememberLastLine()
        }
    }

    deinit {
        if let fd { FileIO.close(fd) }
    }

    /// The newest `count` lines before the follower's position, oldest first, only those of `feed` when given;
    /// searched backwards, from the open log on into the rotated ones, reading no more than it needs.
    func lastLines(_ count: Int, feed: FeedID?) throws(StoreError) -> [String] {
        var newestFirst: [String] = []
        if let fd {
            try Self.collectBackwards(fd, end: offset, path: path, count: count, feed: feed, into: &newestFirst)
        }
        for name in try LogFiles.rotated(in: directory.path).reversed() where newestFirst.count < count {
            let rotatedPath = directory.path + "/" + name
            let rotated: Int32
            do throws(StoreError) {
                rotated = try FileIO.open(rotatedPath, O_RDONLY)
            } catch .io(_, _, ENOENT) {
                continue  // deleted since the listing
            }
            defer { FileIO.close(rotated) }
            let info = try FileIO.status(rotated, path: rotatedPath)
            // The open log itself, if it was rotated since the follower opened it.
            guard UInt64(info.st_ino) != inode || fd == nil else { continue }
            let end = try LogFiles.endOfLastLine(rotated, size: Int(info.st_size), path: rotatedPath)
            try Self.collectBackwards(
                rotated, end: end, path: rotatedPath, count: count, feed: feed, into: &newestFirst)
        }
        return newestFirst.reversed()
    }

    /// Reads every line completed since the last call: first to the end of the open file (after going back to the
    /// newest delivered line still there, when the file was cut back), then, when the path names a new file
    /// (rotation), the rest of the old one and the new one from its start.
    func poll() throws(StoreError) -> [String] {
        if fd == nil, try open() == nil { return [] }
        var lines: [String] = []
        try rewindIfCut()
        try readAvailable(into: &lines)
        guard let info = try FileIO.status(path: path) else {
            // Renamed away and not yet created again: keep reading the old file until the new one appears.
            return lines
        }
        if UInt64(info.st_ino) != inode, let old = fd {
            try readAvailable(into: &lines)
            FileIO.close(old)
            fd = nil
            // A line the old file never finished is dropped with it; the new file is read from its start.
            if try open() != nil { try readAvailable(into: &lines) }
        }
        return lines
    }

    /// Polls until `deliver` returns false, sleeping `interval` between polls with the injected `sleep`.
    /// - Parameter deliver: called after every poll with the lines it read, possibly none.
    func follow(
        every interval: Duration = .milliseconds(50), sleep: (Duration) -> Void, deliver: ([String]) -> Bool
    ) throws(StoreError) {
        while deliver(try poll()) { sleep(interval) }
    }

    // MARK: - Reading

    /// Opens the log to be read from its start and returns its descriptor; nil when there is no log yet.
    private func open() throws(StoreError) -> Int32? {
        let opened: Int32
        do throws(StoreError) {
            opened = try FileIO.open(path, O_RDONLY)
        } catch .io(_, _, ENOENT) {
            return nil
        }
        do throws(StoreError) {
            inode = UInt64(try FileIO.status(opened, path: path).st_ino)
        } catch {
            FileIO.close(opened)
            throw error
        }
        fd = opened
        offset = 0
        lineStart = 0
        pending = []
        delivered.removeAll()
        firstLine = nil
        return opened
    }

    /// Reads the open file to its end, appending the lines completed to `lines`.
    private func readAvailable(into lines: inout [String]) throws(StoreError) {
        guard let fd else { return }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try FileIO.read(fd, into: &chunk, 0..<chunk.count, at: offset, path: path)
            guard count > 0 else { return }
            let chunkStart = offset
            offset += count
            var start = 0
            while let newline = chunk[start..<count].firstIndex(of: 0x0A) {
                pending.append(contentsOf: chunk[start..<newline])
                let end = chunkStart + newline + 1
                if lineStart == 0 {
                    firstLine = DeliveredLines.Line(start: 0, end: end, hash: DeliveredLines.hash(pending[...]), key: nil)
                }
                if !pending.isEmpty, delivered.deliver(pending, start: lineStart, end: end) {
                    lines.append(String(decoding: pending, as: UTF8.self))
                }
                pending.removeAll(keepingCapacity: true)
                lineStart = end
                start = newline + 1
            }
            pending.append(contentsOf: chunk[start..<count])
        }
    }

    /// Appends to `lines`, newest first, the lines of `fd` before `end` (which follows a newline) until `lines`
    /// holds `count`, reading backwards in chunks; empty lines and, with `feed`, other feeds' lines are skipped.
    private static func collectBackwards(
        _ fd: Int32, end: Int, path: String, count: Int, feed: FeedID?, into lines: inout [String]
    ) throws(StoreError) {
        var end = end
        // The bytes from `end` to the start of the oldest line collected: the part of a line read so far.
        var tail: [UInt8] = []
        while end > 0, lines.count < count {
            let start = max(0, end - 64 * 1024)
            var chunk = [UInt8](repeating: 0, count: end - start)
            // A short read means the file was truncated meanwhile; there is nothing left to show before it.
            guard try FileIO.read(fd, into: &chunk, 0..<chunk.count, at: start, path: path) == chunk.count else {
                return
            }
            // The buffer ends with a newline: `end` follows one, and so does `tail`.
            let buffer = chunk + tail
            var lineEnd = buffer.count - 1
            while let newline = buffer[..<lineEnd].lastIndex(of: 0x0A) {
                if take(buffer[(newline + 1)..<lineEnd], feed: feed, count: count, into: &lines) { return }
                lineEnd = newline
            }
            // What precedes the first newline is a whole line only at the start of the file.
            if start == 0 {
                _ = take(buffer[..<lineEnd], feed: feed, count: count, into: &lines)
            } else {
                tail = Array(buffer[...lineEnd])
            }
            end = start
        }
    }

    /// Appends `line` when it is not empty and is `feed`'s; returns whether `lines` now holds `count`.
    private static func take(
        _ line: ArraySlice<UInt8>, feed: FeedID?, count: Int, into lines: inout [String]
    ) -> Bool {
        guard !line.isEmpty else { return false }
        if let feed, StoryLine.parse(line: line)?.feed != feed { return false }
        lines.append(String(decoding: line, as: UTF8.self))
        return lines.count == count
    }
}
