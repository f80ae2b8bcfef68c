import Glibc

extension LogFollower {
    /// Goes back, when the file was cut back under what was read, to the end of the newest delivered line that the
    /// file still holds, and withdraws the stories of the delivered lines after it (`DeliveredLines`).
    ///
    /// A cut is seen when the file is shorter than what was read, or when the last delivered line, or the part of a
    /// line read since, is no longer what the file holds there: the file may have grown again past the follower's
    /// position between two polls. A cut keeps a prefix of the file, so the delivered lines still there are the
    /// oldest ones, found by binary search. When none is left and the file's first line is gone too, the file was
    /// emptied and is read from its start; when its first line is still there (a cut further back than the lines
    /// remembered), the follower goes on from the last line end before the oldest of them: it may skip lines then,
    /// never repeat one.
    func rewindIfCut() throws(StoreError) {
        guard let fd else { return }
        let size = Int(try FileIO.status(fd, path: path).st_size)
        if size >= offset, try holdsPending(size: size) {
            if delivered.isEmpty { return }
            if try holds(delivered.count - 1, size) { return }
        }
        let kept = try delivered.newestHeld { index throws(StoreError) in try holds(index, size) }
        let resume: Int
        if let kept {
            resume = delivered[kept].end
        } else if let first = firstLine, try holds(first, size), !delivered.isEmpty {
            resume = try LogFiles.endOfLastLine(fd, size: min(delivered[0].start, size), path: path)
        } else {
            // Not even the file's first line is left: it was emptied (or replaced), and all it holds is new.
            resume = 0
        }
        delivered.cut(after: kept)
        offset = resume
        lineStart = resume
        pending = []
    }

    /// Remembers the file's first line and the line that ends at the follower's first position, so that a cut
    /// below that position is seen too.
    func rememberLastLine() throws(StoreError) {
        guard let fd, offset > 0 else { return }
        let start = try LogFiles.endOfLastLine(fd, size: offset - 1, path: path)
        guard let bytes = try read(start..<(offset - 1)) else { return }
        _ = delivered.deliver(bytes, start: start, end: offset)
        let firstEnd = start == 0 ? offset : try endOfFirstLine(before: start)
        if let line = try read(0..<(firstEnd - 1)) {
            firstLine = DeliveredLines.Line(start: 0, end: firstEnd, hash: DeliveredLines.hash(line[...]), key: nil)
        }
    }

    /// Whether the file still holds the `index`th delivered line where it was.
    private func holds(_ index: Int, _ size: Int) throws(StoreError) -> Bool {
        try holds(delivered[index], size)
    }

    private func holds(_ line: DeliveredLines.Line, _ size: Int) throws(StoreError) -> Bool {
        guard line.end <= size, let bytes = try read(line.start..<line.end), bytes.last == 0x0A else { return false }
        return DeliveredLines.hash(bytes.dropLast()) == line.hash
    }

    /// The offset after the file's first newline, which comes at or before `limit`.
    private func endOfFirstLine(before limit: Int) throws(StoreError) -> Int {
        var start = 0
        while start < limit {
            guard let chunk = try read(start..<min(limit, start + 64 * 1024)) else { break }
            if let newline = chunk.firstIndex(of: 0x0A) { return start + newline + 1 }
            start += chunk.count
        }
        return limit
    }

    /// Whether the file still holds the start of a line read so far (`pending`).
    private func holdsPending(size: Int) throws(StoreError) -> Bool {
        guard !pending.isEmpty else { return true }
        return try read(lineStart..<offset) == pending
    }

    /// The bytes of `range` of the open file; nil when the file is shorter.
    private func read(_ range: Range<Int>) throws(StoreError) -> [UInt8]? {
        guard let fd else { return nil }
        var bytes = [UInt8](repeating: 0, count: range.count)
        let count = try FileIO.read(fd, into: &bytes, 0..<bytes.count, at: range.lowerBound, path: path)
        return count == bytes.count ? bytes : nil
    }
}
