/// The lines a `LogFollower` delivered last, each with where it lies in the file, a hash of its bytes and its
/// story's key, so that the follower can tell when the file was cut back under them and not deliver a line twice.
///
/// Bounded: the newest `capacity` lines, and as many keys of withdrawn stories.
struct DeliveredLines {
    static let capacity = 100_000

    struct Line {
        var start: Int
        var end: Int
        var hash: UInt64
        /// A hash of the story's feed and id; nil for a line that is no story.
        var key: UInt64?
    }

    private var lines: [Line] = []
    /// The index in `lines` of the oldest line remembered; older ones are dropped in bulk.
    private var first = 0
    /// Keys of stories whose lines were delivered and then cut from the file: when the daemon logs them again,
    /// they are not delivered again.
    private var withdrawn: Set<UInt64> = []
    private var withdrawnOrder: [UInt64] = []

    var count: Int { lines.count - first }
    var isEmpty: Bool { count == 0 }

    /// The `index`th line remembered, oldest first.
    subscript(index: Int) -> Line { lines[first + index] }

    /// Remembers a complete line (`bytes`, newline excluded) at `start..<end` of the file.
    /// - Returns: whether to deliver it: false for a story delivered before from a line since cut.
    mutating func deliver(_ bytes: [UInt8], start: Int, end: Int) -> Bool {
        let key = Self.key(of: bytes)
        append(Line(start: start, end: end, hash: Self.hash(bytes[...]), key: key))
        guard let key, withdrawn.remove(key) != nil else { return true }
        withdrawnOrder.removeAll { $0 == key }
        return false
    }

    /// Forgets the lines after the `index`th (all of them when nil), which the file no longer holds, withdrawing
    /// their stories.
    /// The index of the newest line for which `holds` is true, or nil when it is true for none. A cut keeps a
    /// prefix of the file, so the lines still held are the oldest ones: a binary search finds the last of them.
    func newestHeld(_ holds: (Int) throws(StoreError) -> Bool) throws(StoreError) -> Int? {
        var kept: Int? = nil
        var low = 0
        var high = count - 1
        while low <= high {
            let middle = (low + high) / 2
            if try holds(middle) {
                kept = middle
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return kept
    }

    mutating func cut(after index: Int?) {
        let keep = first + (index.map { $0 + 1 } ?? 0)
        for line in lines[keep...] {
            guard let key = line.key, withdrawn.insert(key).inserted else { continue }
            withdrawnOrder.append(key)
        }
        lines.removeSubrange(keep...)
        if withdrawnOrder.count > Self.capacity {
            let dropped = withdrawnOrder.count - Self.capacity
            for key in withdrawnOrder.prefix(dropped) { withdrawn.remove(key) }
            withdrawnOrder.removeFirst(dropped)
        }
    }

    /// Forgets the lines (another file is read from now on); withdrawn stories stay withdrawn.
    mutating func removeAll() {
        lines.removeAll()
        first = 0
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private mutating func append(_ line: Line) {
        lines.append(line)
        if count > Self.capacity { first += 1 }
        // Drop the forgotten lines in bulk, so that remembering a line costs O(1) on average.
        if first >= Self.capacity {
            lines.removeFirst(first)
            first = 0
        }
    }

    private static func key(of bytes: [UInt8]) -> UInt64? {
        guard let story = StoryLine.parse(line: bytes[...]) else { return nil }
        return StableHash.fnv1a64(story.feed.rawValue + "\n" + story.id)
    }
}
