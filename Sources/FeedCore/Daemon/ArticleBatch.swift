import Foundation

/// The new stories of one fetch of a `fulltext` feed while their pages are fetched: nothing of the fetch is
/// recorded until every story has its article or the reason it has none, so that a crash meanwhile leaves the
/// seen keys and validators as they were, and the stories (and their pages) come again at the next poll.
/// Pure: the daemon fetches the pages and feeds the results in.
struct ArticleBatch {
    let feed: FeedConfig
    /// What the fetch decided, stories without their articles.
    private let update: FeedUpdate
    /// Each story's article once known, in the stories' order.
    private var articles: [Story.Article?]

    init(feed: FeedConfig, update: FeedUpdate) {
        self.feed = feed
        self.update = update
        articles = update.stories.map { Self.pageURL(of: $0) == nil ? .unavailable(reason: Self.noPage) : nil }
    }

    /// The pages to fetch: each story's index and URL, in the stories' order.
    var pages: [(index: Int, url: URL)] {
        update.stories.indices.compactMap { index in
            articles[index] == nil ? Self.pageURL(of: update.stories[index]).map { (index, $0) } : nil
        }
    }

    /// Whether every story has its article or its reason.
    var isComplete: Bool { !articles.contains(nil) }

    /// The story at `index`, for the daemon's log.
    func story(at index: Int) -> Story { update.stories[index] }

    /// Takes the page of story `index`; a second answer for one story is ignored.
    mutating func resolve(_ index: Int, _ article: Story.Article) {
        guard articles.indices.contains(index), articles[index] == nil else { return }
        articles[index] = article
    }

    /// The fetch's update with every story carrying its article (`null` in the log where it is still missing).
    var completed: FeedUpdate {
        var completed = update
        for index in completed.stories.indices {
            completed.stories[index].article = articles[index] ?? .unavailable(reason: "not fetched")
        }
        return completed
    }

    /// Why a story without an http(s) URL has no article.
    static let noPage = "the story has no web page URL"

    /// The story's web page: its `url`, when that is an absolute http(s) URL.
    static func pageURL(of story: Story) -> URL? {
        guard let text = story.item.url, let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        return url
    }
}
