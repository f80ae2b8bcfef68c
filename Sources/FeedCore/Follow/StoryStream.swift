import Foundation
import Glibc

/// Reads the story log line by line from a saved `FollowCursor` on, through the rest of the file the cursor names,
/// every file rotated after it, and the current log, which it then follows as the daemon appends and rotates.
///
/// `LogFollower` (`feedd tail -f`) starts at the end of the current log and has to reach no further back than the
/// lines it just showed; a durable reader must resume at any byte of any file of the chain, after it was stopped
/// across rotations, so it walks the chain itself, by inode, as the daemon's checkpoint replay does. Lines are
/// read with `pread(2)` from descriptors opened `O_CLOEXEC`; only complete lines are delivered. Not thread-safe.
final class StoryStream {
    /// A complete line of the log and the cursor just after it.
    struct Line {
        let bytes: [UInt8]
        let cursor: FollowCursor
    }

    let directory: String
    private let logger: Logger
    private var fd: Int32?
    /// The open file's name when it was opened or last found, for the cursor and the log.
    private var name = LogFiles.current
    private var inode: UInt64 = 0
    /// Just after the last line delivered.
    private(set) var cursor: FollowCursor
    /// Bytes read from `cursor.offset` on; `consumed` of them belong to lines delivered since the last read.
    private var buffer: [UInt8] = []
    private var consumed = 0
    /// The lines delivered from the open file since the stream opened it, for finding where a cut left it.
    private var delivered = DeliveredLines()

    /// Positions the stream at `cursor`. When the file it names is gone (its rotated file was deleted, or the log
    /// was replaced), says so in the log and starts at the oldest log file there is.
    init(directory: String, cursor: FollowCursor, logger: Logger) throws(StoreError) {
        self.directory = directory
        self.logger = logger
        self.cursor = cursor
        guard let inode = cursor.inode else {
            try openOldest()
            return
        }
        for candidate in try chain() where candidate.inode == inode {
            guard let opened = try open(candidate.name, expecting: inode) else { continue }
            if let first = cursor.firstLine, try Self.firstLineHash(opened, path: path(candidate.name)) != first {
                FileIO.close(opened)
                continue  // the inode of a deleted file, given to a new one
            }
            fd = opened
            name = candidate.name
            self.inode = inode
            self.cursor.file = candidate.name
            _ = try rewindIfCut()
            return
        }
        logger.warning(
            "log file of the saved position is gone, reading on from the oldest log file",
            ["file": cursor.file, "offset": cursor.offset])
        try openOldest()
    }

    deinit {
        if let fd { FileIO.close(fd) }
    }

    /// The next complete line, or nil when there is none yet (poll again later).
    func next() throws(StoreError) -> Line? {
        if fd == nil {
            try openOldest()
            if fd == nil { return nil }
        }
        while true {
            if let line = takeLine() { return line }
            // Before each read: what the next read continues must still be there.
            if try rewindIfCut() { continue }
            if try readMore() > 0 { continue }
            guard try moveToNextFile() else { return nil }
        }
    }

    // MARK: - Lines

    /// The next complete line in the buffer; nil when there is none. A story delivered before from a line since
    /// cut, and logged again, comes as an empty line: the cursor moves past it, nobody handles it twice.
    private func takeLine() -> Line? {
        guard let newline = buffer[consumed...].firstIndex(of: 0x0A) else { return nil }
        var bytes = Array(buffer[consumed..<newline])
        let start = cursor.offset
        consumed = newline + 1
        let hash = DeliveredLines.hash(bytes[...])
        cursor.offset = start + bytes.count + 1
        cursor.lineStart = start
        cursor.lineHash = hash
        if start == 0 { cursor.firstLine = hash }
        cursor.file = name
        if !delivered.deliver(bytes, start: start, end: cursor.offset) { bytes = [] }
        return Line(bytes: bytes, cursor: cursor)
    }

    /// Reads what the open file holds past the buffer; returns how many bytes came.
    private func readMore() throws(StoreError) -> Int {
        guard let fd else { return 0 }
        if consumed > 0 {
            buffer.removeFirst(consumed)
            consumed = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = try FileIO.read(fd, into: &chunk, 0..<chunk.count, at: cursor.offset + buffer.count, path: path(name))
        buffer.append(contentsOf: chunk[..<count])
        return count
    }

    /// Goes back when the file was cut back under the cursor (shorter than it, or the last line delivered is no
    /// longer there); returns whether it did. The daemon cuts a batch it could not make durable and logs those
    /// stories again later, maybe after others.
    ///
    /// A cut keeps a prefix of the file, so the lines delivered from this file (`delivered`, remembered while the
    /// stream runs) that are still there are the oldest ones: reading goes on after the newest of them, and a story
    /// whose cut line is logged again is not delivered again. When none is left (or, just started, only the
    /// cursor's own line was known): a file that ends before the oldest line known holds nothing new, and is read
    /// on from its end; one that grew past it again may hold new lines anywhere, and is read again from its start
    /// (at least once: stories handled before come again).
    private func rewindIfCut() throws(StoreError) -> Bool {
        guard let fd, cursor.offset > 0 else { return false }
        let size = Int(try FileIO.status(fd, path: path(name)).st_size)
        let newest: DeliveredLines.Line? = delivered.isEmpty
            ? cursor.lineStart.flatMap { start in
                cursor.lineHash.map { DeliveredLines.Line(start: start, end: cursor.offset, hash: $0, key: nil) }
            }
            : delivered[delivered.count - 1]
        if size >= cursor.offset, try newest.map({ line throws(StoreError) in try holds(line) }) ?? true {
            // The start of a line read before its end: read again when it changed under it.
            let pending = buffer[consumed...]
            if !pending.isEmpty {
                var bytes = [UInt8](repeating: 0, count: pending.count)
                let count = try FileIO.read(fd, into: &bytes, 0..<bytes.count, at: cursor.offset, path: path(name))
                if count != bytes.count || bytes[...] != pending {
                    buffer = []
                    consumed = 0
                }
            }
            return false
        }
        let kept = try delivered.newestHeld { index throws(StoreError) in try holds(delivered[index]) }
        let resume: Int
        if let kept {
            resume = delivered[kept].end
        } else {
            let oldestKnown = delivered.isEmpty ? (cursor.lineStart ?? cursor.offset) : delivered[0].start
            resume = size <= oldestKnown ? try LogFiles.endOfLastLine(fd, size: size, path: path(name)) : 0
        }
        delivered.cut(after: kept)
        logger.warning(
            "log was cut back under the position, reading on from the last line still there",
            ["file": name, "offset": cursor.offset, "resume": resume])
        reposition(at: resume)
        return true
    }

    /// Whether the open file still holds `line` where it was.
    private func holds(_ line: DeliveredLines.Line) throws(StoreError) -> Bool {
        guard let fd else { return false }
        var bytes = [UInt8](repeating: 0, count: line.end - line.start)
        let count = try FileIO.read(fd, into: &bytes, 0..<bytes.count, at: line.start, path: path(name))
        guard count == bytes.count, bytes.last == 0x0A else { return false }
        return DeliveredLines.hash(bytes.dropLast()) == line.hash
    }

    // MARK: - Files

    /// Moves on to the file after the open one when there is one; returns whether it did (false: the open file is
    /// the newest, the current log or one just renamed away with no new log yet).
    private func moveToNextFile() throws(StoreError) -> Bool {
        let files = try chain()
        let index = files.firstIndex { $0.inode == inode }
        if let index, index == files.count - 1 { return false }
        if index == nil && files.isEmpty { return false }
        // Lines appended after the last read and before the rename are in the old file still. A line the old file
        // never finished is left with it: the daemon never continues a line in a new file.
        if try readMore() > 0 { return true }
        let next: (name: String, inode: UInt64)
        if let index {
            next = files[index + 1]
        } else {
            logger.warning(
                "log file was deleted before the follower reached its end, reading on from the oldest log file",
                ["file": name])
            next = files[0]
        }
        guard let opened = try open(next.name, expecting: next.inode) else { return true }  // renamed meanwhile
        if let fd { FileIO.close(fd) }
        begin(next.name, inode: next.inode, fd: opened)
        return true
    }

    /// Reads on from the start of the log file `name`, open as `fd`: nothing of the file before is kept.
    private func begin(_ name: String, inode: UInt64, fd opened: Int32) {
        fd = opened
        self.name = name
        self.inode = inode
        cursor = FollowCursor(file: name, inode: inode, offset: 0)
        buffer = []
        consumed = 0
        delivered.removeAll()
    }

    /// Opens the oldest log file at its start; stays closed when there is none yet.
    private func openOldest() throws(StoreError) {
        guard let oldest = try chain().first, let opened = try open(oldest.name, expecting: oldest.inode) else { return }
        begin(oldest.name, inode: oldest.inode, fd: opened)
    }

    /// The log files, oldest first, each with its inode: the rotated ones, then the current log. The current log is
    /// looked at before the rotated ones are listed, so that a rotation in between shows the file twice (once by
    /// each name, counted once) rather than not at all.
    private func chain() throws(StoreError) -> [(name: String, inode: UInt64)] {
        let current = try FileIO.status(path: path(LogFiles.current)).map { UInt64($0.st_ino) }
        var files: [(name: String, inode: UInt64)] = []
        for rotated in try LogFiles.rotated(in: directory) {
            guard let info = try FileIO.status(path: path(rotated)) else { continue }  // deleted since the listing
            files.append((rotated, UInt64(info.st_ino)))
        }
        if let current, !files.contains(where: { $0.inode == current }) { files.append((LogFiles.current, current)) }
        return files
    }

    /// Opens `name` when it still is the file with `inode`; nil when it is gone or another file by now.
    private func open(_ name: String, expecting inode: UInt64) throws(StoreError) -> Int32? {
        let opened: Int32
        do throws(StoreError) {
            opened = try FileIO.open(path(name), O_RDONLY)
        } catch .io(_, _, ENOENT) {
            return nil
        }
        do throws(StoreError) {
            if UInt64(try FileIO.status(opened, path: path(name)).st_ino) == inode { return opened }
        } catch {
            FileIO.close(opened)
            throw error
        }
        FileIO.close(opened)
        return nil
    }

    private func reposition(at offset: Int) {
        cursor.offset = offset
        cursor.lineStart = nil
        cursor.lineHash = nil
        buffer = []
        consumed = 0
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    /// FNV-1a 64 of the first line of `fd`; nil when the file holds no complete line.
    static func firstLineHash(_ fd: Int32, path: String) throws(StoreError) -> UInt64? {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try FileIO.read(fd, into: &chunk, 0..<chunk.count, at: line.count, path: path)
            guard count > 0 else { return nil }
            if let newline = chunk[..<count].firstIndex(of: 0x0A) {
                line.append(contentsOf: chunk[..<newline])
                return DeliveredLines.hash(line[...])
            }
            line.append(contentsOf: chunk[..<count])
        }
    }
}
