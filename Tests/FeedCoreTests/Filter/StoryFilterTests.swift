import Foundation
import Testing

@testable import FeedCore

/// The filter as a pure decision over one story: drop, keep, `category`, `any`, plain text, two levels.
@Suite struct StoryFilterTests {
    func item(
        title: String? = "Swift 6.3 released", summary: String? = nil, content: String? = nil, author: String? = nil,
        categories: [String] = [], url: String? = "https://news.example/swift"
    ) -> ParsedItem {
        var item = ParsedItem()
        item.title = title
        item.summary = summary
        item.content = content
        item.author = author
        item.categories = categories
        item.url = url
        return item
    }

    func drop(_ field: StoryFilter.Field, _ pattern: String) throws -> StoryFilter {
        StoryFilter(drop: [try .init(field: field, pattern: pattern)])
    }

    func keep(_ pairs: (StoryFilter.Field, String)...) throws -> StoryFilter {
        StoryFilter(keep: try pairs.map { try .init(field: $0.0, pattern: $0.1) })
    }

    @Test func dropMatchesAnywhereInItsFieldOnly() throws {
        let filter = try drop(.title, "(?i)released")
        #expect(StoryFilter.drops(item(), by: [filter]))
        #expect(!StoryFilter.drops(item(title: "Swift 6.3 is out", summary: "released today"), by: [filter]))
        // Case matters unless the pattern says otherwise.
        #expect(!StoryFilter.drops(item(), by: [try drop(.title, "RELEASED")]))
    }

    @Test func keepDropsWhatNoneOfItsPatternsMatch() throws {
        let filter = try keep((.title, "Swift"), (.author, "Lattner"))
        #expect(!StoryFilter.drops(item(), by: [filter]))
        #expect(!StoryFilter.drops(item(title: "Rust news", author: "Chris Lattner"), by: [filter]))
        #expect(StoryFilter.drops(item(title: "Rust news", author: "someone"), by: [filter]))
        // A story without the field has nothing to match.
        #expect(StoryFilter.drops(item(title: nil), by: [try keep((.title, "."))]))
    }

    @Test func dropWinsOverKeep() throws {
        var filter = try keep((.title, "Swift"))
        filter.drop = [try .init(field: .url, pattern: "/swift$")]
        #expect(StoryFilter.drops(item(), by: [filter]))
    }

    @Test func categoryMatchesAnyOfTheStorysCategories() throws {
        let filter = try drop(.category, "^Sport$")
        #expect(StoryFilter.drops(item(categories: ["News", "Sport"]), by: [filter]))
        #expect(!StoryFilter.drops(item(categories: ["Sports news"]), by: [filter]))
        #expect(!StoryFilter.drops(item(categories: []), by: [filter]))
    }

    @Test(arguments: [
        ("title", true), ("summary", true), ("content", true), ("author", true), ("category", true), ("url", true),
        ("none", false),
    ])
    func anyMatchesEveryField(where marker: String, dropped: Bool) throws {
        let text = { (field: String) in field == marker ? "MARK" : "plain" }
        let story = item(
            title: text("title"), summary: text("summary"), content: text("content"), author: text("author"),
            categories: ["x", text("category")], url: "https://e.example/" + text("url"))
        #expect(StoryFilter.drops(story, by: [try drop(.any, "MARK")]) == dropped)
    }

    @Test func summaryAndContentAreMatchedAsPlainText() throws {
        let story = item(summary: "<p class=\"ad\">Caf&eacute;   <b>news</b></p>", content: "<div>AT&amp;T\n\nmerger</div>")
        #expect(StoryFilter.drops(story, by: [try drop(.summary, "^Café news$")]))
        #expect(!StoryFilter.drops(story, by: [try drop(.summary, "class|<b>|eacute")]))
        #expect(StoryFilter.drops(story, by: [try drop(.content, "^AT&T merger$")]))
        #expect(!StoryFilter.drops(story, by: [try drop(.content, "amp;|div")]))
    }

    @Test func topLevelAndFeedFiltersEachApply() throws {
        let top = try drop(.title, "(?i)sponsored")
        let own = try keep((.category, "Swift"))
        #expect(StoryFilter.drops(item(title: "Sponsored: Swift", categories: ["Swift"]), by: [top, own]))
        #expect(StoryFilter.drops(item(title: "Swift", categories: ["Go"]), by: [top, own]))
        #expect(!StoryFilter.drops(item(title: "Swift", categories: ["Swift"]), by: [top, own]))
        // Two keeps, one per level: a story must satisfy both.
        let topKeep = try keep((.title, "Swift"))
        #expect(StoryFilter.drops(item(title: "Go", categories: ["Swift"]), by: [topKeep, own]))
        #expect(!StoryFilter.drops(item(title: "Go"), by: []))
    }

    @Test func invalidPatternThrows() {
        #expect(throws: (any Error).self) { try StoryFilter.Rule(field: .title, pattern: "(") }
    }
}

extension StoryFilterTests {
    /// Patterns are joined into one alternation per field; each keeps its own flags and anchors, and those that
    /// cannot be joined (backreferences, comments) still work on their own.
    @Test func joinedPatternsKeepTheirOwnFlagsAndAnchors() throws {
        let filter = StoryFilter(drop: [
            try .init(field: .title, pattern: "(?i)^breaking"), try .init(field: .title, pattern: "LIVE$"),
            try .init(field: .any, pattern: "(\\w)\\1{3}"), try .init(field: .title, pattern: "(?x) foo \\s bar # words"),
        ])
        #expect(StoryFilter.drops(item(title: "BREAKING: news"), by: [filter]))
        #expect(!StoryFilter.drops(item(title: "news: breaking"), by: [filter]))
        #expect(StoryFilter.drops(item(title: "Match LIVE"), by: [filter]))
        // `(?i)` of the first pattern does not reach the second.
        #expect(!StoryFilter.drops(item(title: "Match live"), by: [filter]))
        #expect(StoryFilter.drops(item(title: "zzzz top"), by: [filter]))
        #expect(StoryFilter.drops(item(title: "foo bar"), by: [filter]))
        #expect(!StoryFilter.drops(item(title: "plain"), by: [filter]))
        #expect(FilterPlan([filter]).drop[.title]?.count == 3)
    }
}
