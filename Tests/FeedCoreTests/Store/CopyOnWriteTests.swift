import Foundation
import Testing

@testable import FeedCore

/// `FeedState` and `FeedConfig` keep their fields in a shared box (`CopyOnWriteBox`) but must behave as the plain
/// structs they were: a copy never sees what is written to another.
struct CopyOnWriteTests {
    @Test func aCopyOfAStateIsIndependent() {
        var first = FeedState(etag: "a", configURL: "https://a.example/")
        var second = first
        second.etag = "b"
        second.consecutiveFailures += 2
        second.publicationRate = PublicationRate(interval: 60)
        second.publicationRate?.interval = 120
        #expect(first.etag == "a" && first.consecutiveFailures == 0 && first.publicationRate == nil)
        #expect(second.etag == "b" && second.consecutiveFailures == 2 && second.publicationRate?.interval == 120)
        #expect(first != second)
        first.etag = "b"
        first.consecutiveFailures = 2
        first.publicationRate = PublicationRate(interval: 120)
        #expect(first == second, "equal by value, in different boxes")
    }

    @Test func statesInADictionaryChangeOneAtATime() {
        let shared = FeedState(configURL: "https://a.example/")
        var states = [FeedID("a"): shared, FeedID("b"): shared]
        states[FeedID("a")]?.lastFound = 5
        #expect(states[FeedID("a")]?.lastFound == 5)
        #expect(states[FeedID("b")]?.lastFound == 0 && shared.lastFound == 0)
    }

    @Test func reconcilingAStateLeavesItsCopiesAlone() {
        let original = FeedState(etag: "x", lastFound: 3, configURL: "https://a.example/")
        var moved = original
        let reset = moved.reconcile(withConfigURL: "https://b.example/")
        #expect(reset)
        #expect(moved.etag == nil && moved.lastFound == 3 && moved.configURL == "https://b.example/")
        #expect(original.etag == "x" && original.configURL == "https://a.example/")
    }

    @Test func aCopyOfAFeedConfigIsIndependentAndKeepsItsFilterPlan() throws {
        let first = FeedConfig(id: FeedID("f"), url: URL(string: "https://a.example/f.xml")!)
        var second = first
        second.interval = 60
        second.tags.append("news")
        second.filters = [StoryFilter(drop: [try StoryFilter.Rule(field: .title, pattern: "sponsored")])]
        #expect(first.interval == 900 && first.tags.isEmpty && first.filterPlan.isEmpty)
        #expect(second.interval == 60 && second.tags == ["news"] && !second.filterPlan.isEmpty)
        #expect(first != second)
    }
}
