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
    /// The story page's article, for a feed with `fulltext`; nil for other feeds, whose lines have no `article`.
    public var article: Article?

    /// What became of the page of a story whose feed has `fulltext`.
    public enum Article: Sendable, Equatable {
        /// The extracted article as cleaned HTML.
        case extracted(html: String)
        /// The page could not be had or had no article: the line says `null`, the daemon's log says why.
        case unavailable(reason: String)
    }

    public init(feed: FeedID, feedTitle: String?, id: String, item: ParsedItem, found: Date, article: Article? = nil) {
        self.feed = feed
        self.feedTitle = feedTitle
        self.id = id
        self.item = item
        self.found = found
        self.article = article
    }
}
