import Foundation
import Glibc

/// Where a follower stands in the story log: `<state>/followers/NAME.json`, replaced durably (temp file, fsync,
/// rename, fsync of the directory) after each story is handled.
///
/// A byte offset alone names no place once the log rotates, so the file is identified the way the daemon's
/// checkpoint does it, by its inode (rotation renames and keeps it), and, because a deleted rotated file's inode
/// may come back as a new log, by a hash of its first line too. The hash of the last line handled, with where it
/// starts, tells a file cut back under the cursor (the daemon cuts a batch it could not make durable and logs it
/// again) from one that only grew. A cursor with no inode stands before the oldest log file: a follower that
/// started on an empty state directory, or with `--from start`.
struct FollowCursor: Codable, Equatable, Sendable {
    /// The file's name when the cursor was saved, for people reading the file; the inode is what counts.
    var file: String?
    var inode: UInt64?
    /// Every line before this byte offset has been handled.
    var offset: Int
    /// FNV-1a 64 of the file's first line (without its newline); nil while the file was empty.
    var firstLine: UInt64?
    /// Where the last line handled starts, and FNV-1a 64 of it (without its newline); nil at the file's start.
    var lineStart: Int?
    var lineHash: UInt64?

    enum CodingKeys: String, CodingKey {
        case file, inode, offset
        case firstLine = "first_line"
        case lineStart = "line_start"
        case lineHash = "line_hash"
    }

    /// Before the oldest log file.
    static let beforeOldest = FollowCursor(file: nil, inode: nil, offset: 0)

    // MARK: - The file

    /// `<directory>/NAME.json`.
    static func path(in directory: String, name: FollowerName) -> String {
        directory + "/" + name.rawValue + ".json"
    }

    /// The cursor saved at `path`; nil when there is none (a new follower).
    /// - Throws: `StoreError.corrupt` when the file holds something else: a follower must not guess where it was.
    static func load(from path: String) throws(StoreError) -> FollowCursor? {
        let bytes: [UInt8]
        do throws(StoreError) {
            bytes = try FileIO.readFile(path)
        } catch .io(_, _, ENOENT) {
            return nil
        }
        do {
            return try JSONDecoder().decode(FollowCursor.self, from: Data(bytes))
        } catch {
            throw .corrupt(path: path, reason: "not a follower position (remove it to start the follower anew)")
        }
    }

    /// Saves the cursor durably at `path`: once this returns, a crash or power loss keeps it.
    func save(to path: String) throws(StoreError) {
        try FileIO.atomicReplace(path, withJSONOf: self)
    }
}

extension FollowCursor {
    /// The cursor after the last complete line of the current log in `directory`: where a new follower starts with
    /// `--from end`. Before the oldest log file when there is no log yet, so that the first story logged is read.
    static func endOfLog(in directory: String) throws(StoreError) -> FollowCursor {
        let path = directory + "/" + LogFiles.current
        let fd: Int32
        do throws(StoreError) {
            fd = try FileIO.open(path, O_RDONLY)
        } catch .io(_, _, ENOENT) {
            return .beforeOldest
        }
        defer { FileIO.close(fd) }
        let info = try FileIO.status(fd, path: path)
        let end = try LogFiles.endOfLastLine(fd, size: Int(info.st_size), path: path)
        var cursor = FollowCursor(file: LogFiles.current, inode: UInt64(info.st_ino), offset: end)
        guard end > 0 else { return cursor }
        let start = try LogFiles.endOfLastLine(fd, size: end - 1, path: path)
        var last = [UInt8](repeating: 0, count: end - 1 - start)
        _ = try FileIO.read(fd, into: &last, 0..<last.count, at: start, path: path)
        cursor.lineStart = start
        cursor.lineHash = DeliveredLines.hash(last[...])
        cursor.firstLine = try StoryStream.firstLineHash(fd, path: path)
        return cursor
    }
}
