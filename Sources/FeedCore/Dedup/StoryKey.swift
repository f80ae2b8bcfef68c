/// The key that says two items of one feed are the same story: the feed's `guid` / Atom `id` / JSON Feed `id`,
/// else its URL, else a hash of title and content (the order miniflux uses). Keys are scoped to their feed.
enum StoryKey {
    static func of(_ item: ParsedItem) -> String {
        if let guid = item.guid, !guid.isEmpty { return guid }
        if let url = item.url, !url.isEmpty { return url }
        let text = (item.title ?? "") + "\n" + (item.content ?? item.summary ?? "")
        let hash = String(StableHash.fnv1a64(text), radix: 16)
        return "hash:" + String(repeating: "0", count: 16 - hash.count) + hash
    }
}
