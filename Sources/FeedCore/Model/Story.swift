import Foundation

/// One new story as the story log records it (docs/FORMATS.md, "stories.jsonl").
public struct Story: Sendable, Equatable {
    public var feed: FeedID
    public var feedTitle: String?
    /// The story's key within its feed (see `StoryKey`).
    public var id: String
    public var item: ParsedItem
    /// When feedd found the story.
    public var found: Date

    public init(feed: FeedID, feedTitle: String?, id: String, item: ParsedItem, found: Date) {
        self.feed = feed
        self.feedTitle = feedTitle
        self.id = id
        self.item = item
        self.found = found
    }
}
