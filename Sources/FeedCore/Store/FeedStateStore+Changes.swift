import Foundation
import Glibc

/// The changes file: `feed-states.changes-<inode>.jsonl`, the states that changed since `feed-states.json` (the
/// file with that inode number) was written, one `{"<id>":{state}}` line each, appended by the daemon after every
/// flush.
///
/// Writing every state every few seconds would cost 10,000 encodes per write at 10,000 feeds; appending costs one
/// encode per poll, and `saveStates` compacts the lines into `feed-states.json` every 30 s. Naming the file after
/// the inode of the states file it applies to makes the pair consistent without a lock: a reader that opened the
/// old states file reads the old changes, one that opened the new one finds no changes yet, and changes left over
/// by a crash between the rename and the removal are never applied to a newer states file.
///
/// Like the states file, the file is never fsynced: the states only save work, the story log is the truth. A torn
/// last line (a crash mid-append) is ignored.
extension FeedStateStore {
    static let changesPrefix = "feed-states.changes-"

    /// Appends the states of `changed` (later lines win over earlier ones and over `feed-states.json`).
    ///
    /// Call it only once the stories of the fetches that made these states are durable in the log: a state
    /// carries the validators that stop those stories from being fetched again.
    func appendChanges(_ changed: [(FeedID, FeedState)]) throws(StoreError) {
        guard !changed.isEmpty else { return }
        var json = JSONWriter()
        for (id, state) in changed {
            json.beginObject()
            json.key(id.rawValue)
            state.write(to: &json)
            json.endObject()
            json.endLine()
        }
        let bytes = json.bytes
        let inode = try FileIO.status(path: statesPath).map { UInt64($0.st_ino) } ?? 0
        let path = changesPath(for: inode)
        let fd: Int32
        do throws(StoreError) {
            fd = try FileIO.open(path, O_WRONLY | O_APPEND | O_CREAT)
        } catch .io(_, "open", ENOENT) {
            try FileIO.makeDirectories(directory.path)
            fd = try FileIO.open(path, O_WRONLY | O_APPEND | O_CREAT)
        }
        defer { FileIO.close(fd) }
        // One write(2): with O_APPEND, a reader sees whole lines or a torn last one, never lines interleaved.
        try FileIO.write(fd, bytes, path: path)
        changesBytes += bytes.count
    }

    /// Applies the changes appended to the states file with inode number `inode` on top of `states`; `prefix`
    /// names the changes files (`legacyChangesPrefix` for those of a states file under the old name).
    func applyChanges(of inode: UInt64, prefix: String = changesPrefix, to states: inout [FeedID: FeedState]) {
        let path = changesPath(for: inode, prefix: prefix)
        guard let bytes = try? FileIO.readFile(path) else { return }
        changesBytes += bytes.count
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            let line = Array(bytes[start..<newline])
            start = newline + 1
            guard let keyed = try? decodeStates(line, path: path) else { continue }
            for (id, state) in keyed { states[id] = state }
        }
    }

    /// Removes the changes files: all of them once `feed-states.json` was written (it holds every change), or at
    /// start all but the current states file's, whose changes are still to be compacted.
    func removeChanges(keepingCurrent: Bool) {
        let inode = (try? FileIO.status(path: statesPath)).flatMap { $0.map { UInt64($0.st_ino) } }
        let current = keepingCurrent ? changesPath(for: inode ?? 0) : nil
        for name in (try? FileIO.entries(of: directory.path)) ?? [] where name.hasPrefix(Self.changesPrefix) {
            let path = directory.path + "/" + name
            if path != current { try? FileIO.remove(path) }
        }
    }

    func changesPath(for inode: UInt64, prefix: String = changesPrefix) -> String {
        "\(directory.path)/\(prefix)\(inode).jsonl"
    }
}
