import Foundation
import Testing

@testable import FeedCore

@Suite struct NewStoriesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let feed = FeedConfig(id: FeedID("f"), url: URL(string: "https://example.org/feed")!)

    func item(guid: String? = nil, url: String? = nil, title: String? = nil, published: TimeInterval? = nil) -> ParsedItem {
        var item = ParsedItem()
        item.guid = guid
        item.url = url
        item.title = title
        item.published = published.map { Date(timeIntervalSince1970: $0) }
        return item
    }

    func feedOf(_ items: [ParsedItem]) -> ParsedFeed {
        var parsed = ParsedFeed(format: .rss20)
        parsed.items = items
        return parsed
    }

    @Test func keyIsGuidThenURLThenAHashOfTitleAndContent() {
        #expect(StoryKey.keys(of: [item(guid: "g", url: "u"), item(url: "u", title: "t")]) == ["g", "u"])
        let hashed = StoryKey.keys(of: [item(title: "t")])[0]
        #expect(hashed.hasPrefix("hash:") && hashed.count == 21)
        #expect(StoryKey.keys(of: [item(title: "t"), item(title: "other")]) == [hashed, StoryKey.keys(of: [item(title: "other")])[0]])
        #expect(StoryKey.keys(of: [item(title: "other")])[0] != hashed)
    }

    @Test func firstFetchLogsEverythingOldestFirstAndRemembersIt() {
        var seen: SeenKeys? = nil
        let parsed = feedOf([item(guid: "c"), item(guid: "b"), item(guid: "a")])
        let (stories, changed, _) = NewStories.select(parsed, feed: feed, seen: &seen, now: now)
        #expect(stories.map(\.id) == ["a", "b", "c"])
        #expect(changed)
        #expect(seen?.contains("a") == true)
        let again = NewStories.select(parsed, feed: feed, seen: &seen, now: now + 60)
        #expect(again.stories.isEmpty)
        #expect(!again.seenChanged)
    }

    @Test func datesDecideTheOrderWhenEveryStoryHasOne() {
        var seen: SeenKeys? = nil
        let parsed = feedOf([item(guid: "old", published: 100), item(guid: "new", published: 300), item(guid: "mid", published: 200)])
        #expect(NewStories.select(parsed, feed: feed, seen: &seen, now: now).stories.map(\.id) == ["old", "mid", "new"])
    }

    @Test func duplicatesWithinOneDocumentAreLoggedOnce() {
        var seen: SeenKeys? = nil
        let parsed = feedOf([item(guid: "a"), item(guid: "a"), item(url: "u"), item(url: "u")])
        #expect(NewStories.select(parsed, feed: feed, seen: &seen, now: now).stories.count == 2)
    }

    @Test func itemsSharingOneGuidWithDifferentURLsAreEachTheirOwnStory() {
        var seen: SeenKeys? = nil
        let first = feedOf([item(guid: "ep", url: "u2"), item(guid: "ep", url: "u1"), item(guid: "g", url: "g-url")])
        #expect(NewStories.select(first, feed: feed, seen: &seen, now: now).stories.map(\.id) == ["g", "u1", "u2"])
        let next = feedOf([
            item(guid: "ep", url: "u3"), item(guid: "ep", url: "u2"), item(guid: "ep", url: "u1"), item(guid: "g", url: "g-url"),
        ])
        #expect(NewStories.select(next, feed: feed, seen: &seen, now: now + 60).stories.map(\.id) == ["u3"])
    }

    @Test func itemsSharingOneGuidWithoutURLsAreToldApartByTheirContent() {
        var seen: SeenKeys? = nil
        let parsed = feedOf([item(guid: "x", title: "one"), item(guid: "x", title: "two"), item(guid: "x", title: "two")])
        let ids = NewStories.select(parsed, feed: feed, seen: &seen, now: now).stories.map(\.id)
        #expect(ids.count == 2)
        #expect(ids.allSatisfy { $0.hasPrefix("hash:") })
    }

    @Test func aSoundGuidKeepsItsKeyWhenItsURLChangesOrTheItemIsListedTwice() {
        var seen: SeenKeys? = nil
        let first = feedOf([item(guid: "a", url: "old"), item(guid: "a", url: "old")])
        #expect(NewStories.select(first, feed: feed, seen: &seen, now: now).stories.map(\.id) == ["a"])
        let moved = feedOf([item(guid: "a", url: "new")])
        #expect(NewStories.select(moved, feed: feed, seen: &seen, now: now + 60).stories.isEmpty)
    }

    @Test func seenKeysStayBoundedWhenEveryFetchBringsNewGuids() {
        var seen: SeenKeys? = nil
        // 500 fresh guids an hour for 4 days: 48,000 keys, all within the 90 days of memory.
        var most = 0
        for fetch in 0..<96 {
            let parsed = feedOf((0..<500).map { item(guid: "g\(fetch)-\($0)") })
            _ = NewStories.select(parsed, feed: feed, seen: &seen, now: now + Double(fetch) * 3600)
            most = max(most, seen?.count ?? 0)
        }
        #expect(most <= NewStories.cap(listing: 500))
        #expect(most > NewStories.cap(listing: 500) * 9 / 10)
        #expect(seen?.contains("g95-0") == true)
        #expect(seen?.contains("g0-0") == false, "the oldest go first")
    }

    @Test func backfillLimitsOnlyTheFirstFetch() {
        var limited = feed
        limited.backfill = 1
        var seen: SeenKeys? = nil
        let first = NewStories.select(feedOf([item(guid: "b"), item(guid: "a")]), feed: limited, seen: &seen, now: now)
        #expect(first.stories.map(\.id) == ["b"])
        let second = NewStories.select(feedOf([item(guid: "d"), item(guid: "c"), item(guid: "b")]), feed: limited, seen: &seen, now: now)
        #expect(second.stories.map(\.id) == ["c", "d"])
    }

    @Test func storiesCarryTheConfiguredTitleElseTheFeeds() {
        var seen: SeenKeys? = nil
        var parsed = feedOf([item(guid: "a")])
        parsed.title = "Feed's own"
        #expect(NewStories.select(parsed, feed: feed, seen: &seen, now: now).stories.first?.feedTitle == "Feed's own")
        var titled = feed
        titled.title = "Mine"
        seen = nil
        #expect(NewStories.select(parsed, feed: titled, seen: &seen, now: now).stories.first?.feedTitle == "Mine")
    }
}

extension NewStoriesTests {
    /// A dropped story is seen: it is not logged now, nor when the next document lists it again.
    @Test func filteredStoriesAreSeenAndNeverSelected() throws {
        var filtered = feed
        filtered.filters = [StoryFilter(drop: [try .init(field: .title, pattern: "^ad")])]
        var seen: SeenKeys? = nil
        let parsed = feedOf([item(guid: "c", title: "ad 2"), item(guid: "b", title: "news"), item(guid: "a", title: "ad 1")])
        let first = NewStories.select(parsed, feed: filtered, seen: &seen, now: now)
        #expect(first.stories.map(\.id) == ["b"])
        #expect(first.filtered == 2)
        #expect(seen?.contains("a") == true && seen?.contains("c") == true)
        let next = feedOf([item(guid: "d", title: "ad 3"), item(guid: "e", title: "more")] + parsed.items)
        let second = NewStories.select(next, feed: filtered, seen: &seen, now: now + 60)
        #expect(second.stories.map(\.id) == ["e"])
        #expect(second.filtered == 1)
    }

    /// `backfill` counts the stories that pass the filters, since those are what a new feed logs.
    @Test func backfillCountsOnlyStoriesThatPass() throws {
        var limited = FeedConfig(id: FeedID("f"), url: URL(string: "https://example.org/feed")!, backfill: 2)
        limited.filters = [StoryFilter(drop: [try .init(field: .title, pattern: "ad")])]
        var seen: SeenKeys? = nil
        let parsed = feedOf([item(guid: "4", title: "ad"), item(guid: "3", title: "n3"), item(guid: "2", title: "ad"),
                             item(guid: "1", title: "n1")])
        #expect(NewStories.select(parsed, feed: limited, seen: &seen, now: now).stories.map(\.id) == ["1", "3"])
    }
}
