/// The key that says two items of one feed are the same story: the feed's `guid` / Atom `id` / JSON Feed `id`,
/// else its URL, else a hash of title and content (the order miniflux uses). Keys are scoped to their feed.
enum StoryKey {
    /// The keys of one document's items, in document order. An item's key is its guid, except where the document
    /// lists several items under one guid with different identities (URLs, else contents): a feed that reuses a
    /// guid (CMS templates, podcast hosts give every item the same one) would otherwise log one story ever, so each
    /// of those items is keyed by its identity. A guid listed once keeps its key whatever its URL does over time,
    /// and feeds whose guids are sound get exactly the keys they always had.
    static func keys(of items: [ParsedItem]) -> [String] {
        var listings: [String: Int] = [:]
        for item in items {
            if let guid = guid(of: item) { listings[guid, default: 0] += 1 }
        }
        // Identities only for the guids listed more than once: hashing every item's content would cost every fetch.
        var identities: [String: Set<String>] = [:]
        for item in items {
            if let guid = guid(of: item), listings[guid, default: 0] > 1 {
                identities[guid, default: []].insert(identity(of: item))
            }
        }
        return items.map { item in
            guard let guid = guid(of: item) else { return identity(of: item) }
            return (identities[guid]?.count ?? 1) > 1 ? identity(of: item) : guid
        }
    }

    private static func guid(of item: ParsedItem) -> String? {
        guard let guid = item.guid, !guid.isEmpty else { return nil }
        return guid
    }

    /// What tells an item apart without its guid: its URL, else a hash of its title and content.
    private static func identity(of item: ParsedItem) -> String {
        if let url = item.url, !url.isEmpty { return url }
        let text = (item.title ?? "") + "\n" + (item.content ?? item.summary ?? "")
        let hash = String(StableHash.fnv1a64(text), radix: 16)
        return "hash:" + String(repeating: "0", count: 16 - hash.count) + hash
    }
}
