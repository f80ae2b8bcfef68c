import Foundation
import Testing

@testable import FeedCore

/// The site link a fetch finds (`site_url` in feed-states.json): stored when a body names one, written only when
/// known, and absent from state files written before it existed without harm.
@Suite struct FeedStateSiteTests {
    private let feed = FeedConfig(id: FeedID("f"), url: URL(string: "https://f.example/feed.xml")!)

    private func fetched(_ parsed: ParsedFeed) -> FeedUpdate.Fetched {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        return FeedUpdate.Fetched(
            outcome: .fresh(
                body: Data("x".utf8), finalURL: feed.url, validators: Validators(), permanentRedirect: nil,
                cacheFor: nil),
            parsed: .success(parsed), started: now, finished: now)
    }

    @Test func aFetchWhoseDocumentNamesItsSiteStoresItAndOneThatDoesNotKeepsTheLastOne() {
        var parsed = ParsedFeed(format: .rss20)
        parsed.url = "https://f.example/"
        let first = FeedUpdate.apply(fetched(parsed), feed: feed, state: FeedState(), seen: nil)
        #expect(first.state.siteURL == "https://f.example/")
        parsed.url = nil
        let second = FeedUpdate.apply(fetched(parsed), feed: feed, state: first.state, seen: nil)
        #expect(second.state.siteURL == "https://f.example/")
    }

    @Test func theFieldIsWrittenOnlyWhenKnownAndOldFilesStillLoad() throws {
        let directory = try TemporaryDirectory()
        let store = FeedStateStore(directory: directory.url)
        try store.saveStates([FeedID("with"): FeedState(siteURL: "https://s.example/"), FeedID("without"): FeedState()])
        let text = try directory.read("feed-states.json")
        #expect(text.contains(#""site_url":"https://s.example/""#))
        #expect(text.components(separatedBy: "site_url").count == 2)
        try directory.write(#"{"old":{"last_status":200,"config_url":"https://o.example/"}}"#, to: "feed-states.json")
        #expect(store.loadState(FeedID("old")) == FeedState(lastStatus: 200, configURL: "https://o.example/"))
        #expect(store.loadState(FeedID("old"))?.siteURL == nil)
    }

    @Test func aNewConfigURLForgetsTheOldSite() {
        var state = FeedState(configURL: "https://old.example/", siteURL: "https://old.example/site")
        state.reconcile(withConfigURL: "https://new.example/")
        #expect(state.siteURL == nil)
    }
}
