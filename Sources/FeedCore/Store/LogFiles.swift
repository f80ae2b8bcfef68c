import Foundation
import Glibc

/// The story log's files in the state directory: `stories.jsonl` and its rotated predecessors
/// `stories-YYYYMMDDTHHMMSSZ.jsonl` (`-1`, `-2`… appended when two rotate within one second), and how to read their
/// lines.
enum LogFiles {
    /// The file new stories are appended to.
    static let current = "stories.jsonl"

    /// The name a log rotated at `date` gets, or with `counter` > 0 the `counter`th alternative to it.
    static func rotatedName(at date: Date, counter: Int) -> String {
        // 2026-11-29T07:00:00Z becomes 20261129T070000Z: sortable and free of characters shells or Windows mind.
        let stamp = FeedDate.format(date).filter { $0 != "-" && $0 != ":" }
        return counter == 0 ? "stories-\(stamp).jsonl" : "stories-\(stamp)-\(counter).jsonl"
    }

    /// The rotated logs in `directory`, oldest first.
    static func rotated(in directory: String) throws(StoreError) -> [String] {
        let names = try FileIO.entries(of: directory).compactMap { name -> (String, String, Int)? in
            guard name.hasPrefix("stories-"), name.hasSuffix(".jsonl") else { return nil }
            let stem = name.dropFirst("stories-".count).dropLast(".jsonl".count)
            // The stamp has no dash, so a dash after it starts the counter.
            let parts = stem.split(separator: "-", maxSplits: 1)
            guard let stamp = parts.first, stamp.count == 16 else { return nil }
            let counter = parts.count == 2 ? Int(parts[1]) : 0
            return counter.map { (name, String(stamp), $0) }
        }
        return names.sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
    }

    /// Whether `directory` holds a story log, current or rotated: `feedd tail` tells "no log yet" from "no story".
    static func exists(in directory: String) throws(StoreError) -> Bool {
        if try FileIO.status(path: directory + "/" + current) != nil { return true }
        return try !rotated(in: directory).isEmpty
    }

    /// Calls `body` with each complete line (newline excluded) of the file at `path` from byte `offset` on, reading
    /// in chunks so that memory stays bounded whatever the file's size; a last line without its newline is not
    /// complete and is left out. Nothing is read when no file is at `path`. Only the bytes the file holds when it
    /// is opened are read, so a reader beside a writer that appends (or a file that never ends) always finishes.
    static func forEachLine(
        in path: String, from offset: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws(StoreError) {
        let fd: Int32
        do throws(StoreError) {
            fd = try FileIO.open(path, O_RDONLY)
        } catch .io(_, _, ENOENT) {
            return
        }
        defer { FileIO.close(fd) }
        let size = Int(try FileIO.status(fd, path: path).st_size)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []
        var readOffset = offset
        while readOffset < size {
            let wanted = min(chunk.count, size - readOffset)
            let count = try FileIO.read(fd, into: &chunk, 0..<wanted, at: readOffset, path: path)
            if count == 0 { return }
            readOffset += count
            chunk.withUnsafeBufferPointer { buffer in
                var start = 0
                // memchr: the newline search is most of a replay's work, and a byte loop is slow in debug builds.
                while start < count, let found = memchr(buffer.baseAddress! + start, 0x0A, count - start) {
                    let newline = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if pending.isEmpty {
                        body(UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                    } else {
                        pending.append(contentsOf: buffer[start..<newline])
                        pending.withUnsafeBufferPointer(body)
                        pending.removeAll(keepingCapacity: true)
                    }
                    start = newline + 1
                }
                pending.append(contentsOf: buffer[start..<count])
            }
        }
    }
}

extension LogFiles {
    /// The offset just past the last newline among the first `size` bytes of `fd`, 0 when there is none; read
    /// backwards in chunks, so only the last line is read however long the file is.
    static func endOfLastLine(_ fd: Int32, size: Int, path: String) throws(StoreError) -> Int {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var end = size
        while end > 0 {
            let start = max(0, end - chunk.count)
            // A short read (the file shrank meanwhile) only means fewer bytes to search.
            let count = try FileIO.read(fd, into: &chunk, 0..<(end - start), at: start, path: path)
            if let newline = chunk[..<count].lastIndex(of: 0x0A) { return start + newline + 1 }
            end = start
        }
        return 0
    }
}
