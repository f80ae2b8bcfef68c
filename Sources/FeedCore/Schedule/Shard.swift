/// One of N instances that share one configuration (`--shard K/N`, `"shard": "K/N"`): it handles the feeds whose
/// id hashes to K-1 modulo N, FNV-1a 64 of the id's UTF-8 bytes (`StableHash.fnv1a64`).
///
/// The hash is of the id, not the URL, so that a feed stays on its instance when its URL is edited (its state and
/// seen keys are there), and it is the same on every machine and in every release: a feed that moved to another
/// shard would start there with no seen keys and log its current stories again. Instances 1/N … N/N therefore
/// handle every feed of the configuration once: none twice, none left out.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// K, from 1 to `count`.
    public let index: Int
    /// N, at least 1.
    public let count: Int

    /// The largest N accepted: more instances than that is a typo.
    static let maximumCount = 1_000_000

    /// The shard `index`/`count`; nil unless 1 ≤ index ≤ count ≤ `maximumCount`.
    public init?(index: Int, count: Int) {
        guard count >= 1, count <= Self.maximumCount, index >= 1, index <= count else { return nil }
        self.index = index
        self.count = count
    }

    /// Reads `K/N` (ASCII digits on both sides of one slash, nothing else); nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 7 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            let index = Int(parts[0]), let count = Int(parts[1])
        else { return nil }
        self.init(index: index, count: count)
    }

    /// What a problem says is expected, after the value's name.
    static let expected = "K/N, two whole numbers with 1 ≤ K ≤ N (1/4 is the first of four instances)"

    public var description: String { "\(index)/\(count)" }

    /// Whether this shard handles the feed `id`.
    public func handles(_ id: FeedID) -> Bool {
        StableHash.fnv1a64(id.rawValue) % UInt64(count) == UInt64(index - 1)
    }
}
