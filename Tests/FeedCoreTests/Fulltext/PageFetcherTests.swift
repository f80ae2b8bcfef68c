import Foundation
import Testing

@testable import FeedCore

/// What a story page's response comes to, and the pages a fetch's stories need.
@Suite struct PageFetcherTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let url = URL(string: "https://news.example/story/1")!

    func response(_ status: Int, _ body: String = "", headers: HTTPHeaders = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Data(body.utf8), finalURL: url)
    }

    @Test func aPageWithAnArticleGivesItsHTML() throws {
        let page = FulltextEndToEndTests.page(7)
        let outcome = PageFetcher.outcome(of: response(200, page, headers: ["Content-Type": "text/html"]), now: now)
        guard case .extracted(let html) = outcome.article else {
            Issue.record("no article: \(outcome.article)")
            return
        }
        for paragraph in FulltextEndToEndTests.paragraphs(7) { #expect(html.contains(paragraph)) }
        #expect(outcome.retryAfter == nil)
    }

    @Test func errorStatusesAreTheReasonAndRetryAfterPausesTheHost() {
        #expect(PageFetcher.outcome(of: response(404, "gone"), now: now).article == .unavailable(reason: "HTTP 404"))
        let limited = PageFetcher.outcome(of: response(429, headers: ["Retry-After": "120"]), now: now)
        #expect(limited.retryAfter == now + 120)
        guard case .unavailable(let reason) = limited.article else {
            Issue.record("an article from a 429")
            return
        }
        #expect(reason.hasPrefix("HTTP 429"))
        #expect(PageFetcher.outcome(of: response(503), now: now).retryAfter == nil)
        #expect(PageFetcher.outcome(of: response(200), now: now).article == .unavailable(reason: "empty body"))
    }

    @Test func thePageRequestCarriesTheFeedsPolitenessButNotItsHeaders() {
        var feed = FeedConfig(id: FeedID("f"), url: URL(string: "https://feeds.example/f.xml")!, timeout: 12)
        feed.userAgent = "reader/2"
        feed.headers = ["Authorization": "Bearer secret"]
        let request = PageFetcher.request(for: url, feed: feed, maxBodyBytes: 1000)
        #expect(request.headers["User-Agent"] == "reader/2")
        #expect(request.headers["Authorization"] == nil)
        #expect(request.timeout == 12)
        #expect(request.maxBodyBytes == 1000)
    }

    @Test func aBatchKeepsTheStoriesOrderAndGivesStoriesWithoutAPageNull() {
        var stories = (0..<3).map { SampleStory.make(id: "s\($0)") }
        stories[0].item.url = "https://news.example/a"
        stories[1].item.url = nil
        stories[2].item.url = "https://news.example/c"
        let update = FeedUpdate(
            feed: FeedID("f"), stories: stories, state: FeedState(), previousState: FeedState(), result: .cancelled,
            event: (.info, "fetched", [:]))
        var batch = ArticleBatch(feed: FeedConfig(id: FeedID("f"), url: url), update: update)
        #expect(batch.pages.map(\.index) == [0, 2])
        #expect(!batch.isComplete)
        batch.resolve(2, .extracted(html: "<p>c</p>"))
        batch.resolve(0, .unavailable(reason: "HTTP 404"))
        batch.resolve(0, .extracted(html: "<p>late</p>"))
        #expect(batch.isComplete)
        #expect(batch.completed.stories.map(\.id) == ["s0", "s1", "s2"])
        #expect(
            batch.completed.stories.map(\.article) == [
                .unavailable(reason: "HTTP 404"), .unavailable(reason: "the story has no web page URL"),
                .extracted(html: "<p>c</p>"),
            ])
    }
}
