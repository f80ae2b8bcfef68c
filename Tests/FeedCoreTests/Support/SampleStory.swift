import Foundation

@testable import FeedCore

/// Small stories for the store's tests.
enum SampleStory {
    /// 2026-11-29T07:00:00Z, the contract's example time.
    static let found = Date(timeIntervalSince1970: 1_795_935_600)

    /// A story of `feed` with key `id`; `padding` bytes of summary make lines of a chosen size.
    static func make(_ feed: String = "ladaily", id: String, title: String? = nil, padding: Int = 0) -> Story {
        var item = ParsedItem()
        item.guid = id
        item.title = title ?? "Story \(id)"
        item.url = "https://example.com/\(id)/"
        if padding > 0 { item.summary = String(repeating: "x", count: padding) }
        return Story(feed: FeedID(feed), feedTitle: "Feed \(feed)", id: id, item: item, found: found)
    }

    /// Stories `prefix0`, `prefix1`… of `feed`.
    static func batch(_ count: Int, feed: String = "ladaily", prefix: String = "s", padding: Int = 0) -> [Story] {
        (0..<count).map { make(feed, id: "\(prefix)\($0)", padding: padding) }
    }
}
