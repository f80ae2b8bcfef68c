import Foundation

/// One line of the story log `<state>/stories.jsonl`: how a `Story` is written as a line, and the fields of a line
/// that replay and `feedd tail` read back (docs/FORMATS.md, "stories.jsonl").
struct StoryLine: Equatable, Sendable {
    var feed: FeedID
    var feedTitle: String?
    /// The story's key within its feed.
    var id: String
    var title: String
    var url: String?
    /// nil when the line has no `found` date that parses.
    var found: Date?

    /// `story` as one line of the log, without the newline.
    ///
    /// Keys in the documented order; every field present, `null` or `[]` when the feed has no value, except
    /// `title`, which is always a string. A story of a `fulltext` feed ends with `article`: the HTML, or `null`;
    /// other stories have no such key, so their lines are as they were before the feature.
    static func encode(_ story: Story) -> [UInt8] {
        let item = story.item
        var articleBytes = 0
        if case .extracted(let html) = story.article { articleBytes = html.utf8.count }
        var json = JSONWriter(
            capacity: 512 + (item.summary?.utf8.count ?? 0) + (item.content?.utf8.count ?? 0) + articleBytes)
        json.beginObject()
        json.key("feed")
        json.string(story.feed.rawValue)
        json.key("feed_title")
        json.string(story.feedTitle)
        json.key("id")
        json.string(story.id)
        json.key("guid")
        json.string(item.guid)
        json.key("title")
        json.string(item.title ?? "")
        json.key("url")
        json.string(item.url)
        json.key("author")
        json.string(item.author)
        json.key("published")
        json.date(item.published)
        json.key("updated")
        json.date(item.updated)
        json.key("summary")
        json.string(item.summary)
        json.key("content")
        json.string(item.content)
        json.key("categories")
        json.strings(item.categories)
        json.key("enclosures")
        json.enclosures(item.enclosures)
        json.key("found")
        json.date(story.found)
        switch story.article {
        case nil:
            break
        case .extracted(let html):
            json.key("article")
            json.string(html)
        case .unavailable:
            json.key("article")
            json.string(nil)
        }
        json.endObject()
        return json.bytes
    }

    /// Reads one line of the log (with or without its newline); nil for anything that is not a JSON object with
    /// string `feed` and `id` fields, so a junk line is skipped rather than trusted.
    static func parse(line: String) -> StoryLine? {
        var line = line
        return line.withUTF8 { Scanner.read($0) }
    }

    /// Reads one line of the log given as bytes (see `parse(line:)`).
    static func parse(line: ArraySlice<UInt8>) -> StoryLine? {
        line.withUnsafeBufferPointer { Scanner.read($0) }
    }

    /// Reads one line of the log given as a buffer, without copying it (see `parse(line:)`).
    static func parse(bytes line: UnsafeBufferPointer<UInt8>) -> StoryLine? {
        Scanner.read(line)
    }
}
