import Foundation
import Glibc

/// `<state>/checkpoint.json`: the point of the story log up to which every line is reflected in the seen files on
/// disk. On start, the lines after it are replayed into the seen keys, so that a story logged just before a crash,
/// whose feed's seen file never reached the disk, is not logged again.
///
/// The inode, not the name, identifies the file: rotation renames the log and keeps its inode, so a checkpoint
/// taken before a rotation still finds the rest of its file.
struct Checkpoint: Codable, Equatable, Sendable {
    static let fileName = "checkpoint.json"

    /// The log's name when the checkpoint was taken (for people reading the file).
    var file: String
    var inode: UInt64
    /// Every line before this byte offset is reflected in the seen files.
    var offset: Int

    init(file: String, inode: UInt64, offset: Int) {
        self.file = file
        self.inode = inode
        self.offset = offset
    }

    /// The checkpoint at a log position (`StoryLog.position`).
    init(_ position: (file: String, inode: UInt64, offset: Int)) {
        self.init(file: position.file, inode: position.inode, offset: position.offset)
    }

    /// The saved checkpoint in `directory`; nil when there is none or it cannot be read, which replays the whole
    /// current log: slower, never wrong.
    static func load(from directory: URL) -> Checkpoint? {
        guard let bytes = try? FileIO.readFile(directory.path + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(Checkpoint.self, from: Data(bytes))
    }

    /// Saves the checkpoint durably, after making every file written so far in `directory` durable.
    ///
    /// The seen files are written without fsync; one `syncfs(2)` puts them on disk first, so that a crash can never
    /// leave a checkpoint that counts on seen keys the disk lost (a replay from it would miss them). Then temp file,
    /// fsync, rename(2), fsync of the directory (docs/PLATFORM.md, "Files"). Take the position (`StoryLog.position`)
    /// after writing the seen files of the lines before it.
    func save(to directory: URL) throws(StoreError) {
        try FileIO.syncFileSystem(of: directory.path)
        try FileIO.atomicReplace(directory.path + "/" + Self.fileName, withJSONOf: self)
    }

    // MARK: - Replay

    /// The (feed, id) of every complete line of the log in `directory` after `checkpoint`, in log order: the tail
    /// of the checkpoint's file, any file rotated after it, and the current log. Reads only from the checkpoint on.
    /// Without a checkpoint, or when its file is gone, the whole current log is replayed.
    static func replay(in directory: URL, from checkpoint: Checkpoint?) throws(StoreError) -> [(FeedID, String)] {
        var keys: [(FeedID, String)] = []
        for (path, offset) in try filesToReplay(in: directory.path, from: checkpoint) {
            try LogFiles.forEachLine(in: path, from: offset) { line in
                if let story = StoryLine.parse(bytes: line) { keys.append((story.feed, story.id)) }
            }
        }
        return keys
    }

    /// The ids of every line for `feed` in all the log files of `directory`: rebuilds a feed's seen keys when its
    /// seen file is missing or unreadable. Safe beside the daemon appending and rotating: a file rotated while the
    /// current log was being read is read too (an id found twice is one key).
    static func replayAll(in directory: URL, for feed: FeedID) throws(StoreError) -> [String] {
        var ids: [String] = []
        var read: Set<String> = []
        // Every line starts with its feed (the log's keys come in a fixed order, and ids need no escaping): only
        // the feed's own lines are parsed, which makes a rebuild read at the speed of the disk.
        let prefix = Array("{\"feed\":\"\(feed.rawValue)\",".utf8)
        let readFile = { (path: String) throws(StoreError) in
            try LogFiles.forEachLine(in: path, from: 0) { line in
                guard line.count > prefix.count, memcmp(line.baseAddress!, prefix, prefix.count) == 0 else { return }
                if let story = StoryLine.parse(bytes: line), story.feed == feed { ids.append(story.id) }
            }
        }
        for name in try LogFiles.rotated(in: directory.path) {
            try readFile(directory.path + "/" + name)
            read.insert(name)
        }
        try readFile(directory.path + "/" + LogFiles.current)
        for name in try LogFiles.rotated(in: directory.path) where !read.contains(name) {
            try readFile(directory.path + "/" + name)
        }
        return ids
    }

    /// The log files to read, each with the offset to read from.
    private static func filesToReplay(
        in directory: String, from checkpoint: Checkpoint?
    ) throws(StoreError) -> [(String, Int)] {
        let current = directory + "/" + LogFiles.current
        guard let checkpoint else { return [(current, 0)] }
        var candidates = try LogFiles.rotated(in: directory).map { directory + "/" + $0 }
        candidates.append(current)
        for (index, path) in candidates.enumerated() {
            guard let info = try FileIO.status(path: path), UInt64(info.st_ino) == checkpoint.inode else { continue }
            // A file shorter than the checkpoint was truncated since: all of it is after the checkpoint.
            let offset = checkpoint.offset <= Int(info.st_size) ? checkpoint.offset : 0
            return [(path, offset)] + candidates[(index + 1)...].map { ($0, 0) }
        }
        return [(current, 0)]
    }
}
