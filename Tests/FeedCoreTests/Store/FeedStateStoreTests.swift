import Foundation
import Testing

@testable import FeedCore

@Suite struct FeedStateStoreTests {
    let directory: TemporaryDirectory
    let store: FeedStateStore
    let id = FeedID("ladaily")

    init() throws {
        directory = try TemporaryDirectory()
        store = FeedStateStore(directory: directory.url)
    }

    static let fullState = FeedState(
        etag: "\"abc\"", lastModified: "Sun, 29 Nov 2026 06:00:00 GMT", permanentURL: "https://new.example/feed/",
        gone: true, goneReason: "HTTP 410", lastAttempt: SampleStory.found, lastSuccess: SampleStory.found,
        lastStatus: 410, lastFound: 3, consecutiveFailures: 2, nextDue: SampleStory.found.addingTimeInterval(900),
        lastError: "HTTP 410 Gone", retryAfter: SampleStory.found.addingTimeInterval(120),
        configURL: "https://old.example/feed/")

    @Test func stateRoundTripsWithRFC3339DatesAndUnescapedSlashes() throws {
        try store.saveState(Self.fullState, for: id)
        #expect(store.loadState(id) == Self.fullState)
        let text = try directory.read("feed-states.json")
        #expect(text.contains(#""next_due":"2026-11-29T07:15:00Z""#))
        #expect(text.contains("https://new.example/feed/"))
        #expect(text.hasPrefix(#"{"ladaily":{"#))
    }

    @Test func nothingIsCreatedUntilTheFirstSave() throws {
        #expect(store.loadState(id) == nil)
        #expect(store.loadSeen(id) == .absent)
        #expect(store.allStates().isEmpty)
        #expect(try directory.names().isEmpty)
    }

    @Test func aStateWithMissingFieldsAndAFileThatDoesNotParse() throws {
        try directory.write(#"{"old": {}}"#, to: "feed-states.json")
        #expect(store.loadState(FeedID("old")) == FeedState())
        try directory.write("{not json", to: "feed-states.json")
        #expect(store.allStates().isEmpty)
    }

    @Test func allFeedsLiveInOneFileWrittenAtOnce() throws {
        let states = [FeedID("a"): FeedState(lastStatus: 200), FeedID("b"): FeedState(lastStatus: 304)]
        try store.saveStates(states)
        #expect(store.allStates() == states)
        #expect(try directory.names() == ["feed-states.json"])
        try store.saveState(FeedState(lastStatus: 500), for: FeedID("c"))
        #expect(store.allStates().count == 3)
    }

    @Test func seenKeysRoundTrip() throws {
        var seen = SeenKeys()
        seen.record(["a", "b"], at: SampleStory.found)
        try store.saveSeen(seen, for: id)
        #expect(store.loadSeen(id) == .loaded(seen))
        #expect(try directory.names(in: "seen") == ["ladaily.json"])
    }

    @Test func aSeenFileThatDoesNotParseIsReportedSoTheCallerReplays() throws {
        try store.saveSeen(SeenKeys(), for: id)
        try directory.write(#"{"latest":[{"at":"2026-11-29T07:00:00Z","keys":["a""#, to: "seen/ladaily.json")
        guard case .corrupt(.corrupt(let path, _)) = store.loadSeen(id) else {
            Issue.record("a truncated seen file was not reported")
            return
        }
        #expect(path == directory.path("seen/ladaily.json"))
    }

    @Test func removeFeedForgetsItsStateAndSeenFile() throws {
        try store.saveState(FeedState(), for: id)
        try store.saveSeen(SeenKeys(), for: id)
        try store.removeFeed(id)
        try store.removeFeed(id)
        #expect(store.allStates().isEmpty)
        #expect(try directory.names(in: "seen").isEmpty)
    }

    @Test func aConfigURLEditResetsWhatBelongedToTheOldURL() {
        var state = Self.fullState
        let sameURL = state.reconcile(withConfigURL: "https://old.example/feed/")
        #expect(!sameURL && state == Self.fullState)
        let otherURL = state.reconcile(withConfigURL: "https://other.example/feed/")
        #expect(otherURL)
        #expect(!state.gone && state.goneReason == nil && state.permanentURL == nil)
        #expect(state.etag == nil && state.lastModified == nil && state.retryAfter == nil && state.nextDue == nil)
        #expect(state.consecutiveFailures == 0 && state.configURL == "https://other.example/feed/")
        #expect(state.lastStatus == 410 && state.lastSuccess == SampleStory.found && state.lastFound == 3)
    }
}
