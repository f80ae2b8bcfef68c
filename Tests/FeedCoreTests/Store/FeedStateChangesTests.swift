import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// The changes appended between two writes of feed-states.json: what `feedd status` reads on top of it, so that it
/// shows what the daemon did seconds ago.
@Suite struct FeedStateChangesTests {
    let directory: TemporaryDirectory
    let store: FeedStateStore

    init() throws {
        directory = try TemporaryDirectory()
        store = FeedStateStore(directory: directory.url)
    }

    private func changesFiles() throws -> [String] {
        try directory.names().filter { $0.hasPrefix(FeedStateStore.changesPrefix) }
    }

    @Test func appendedChangesApplyOnTopOfTheStateFileTheLastOneWinning() throws {
        try store.saveStates([FeedID("a"): FeedState(lastStatus: 200), FeedID("b"): FeedState(lastStatus: 200)])
        try store.appendChanges([(FeedID("a"), FeedState(lastStatus: 304))])
        try store.appendChanges([(FeedID("a"), FeedState(lastStatus: 500)), (FeedID("c"), FeedState(lastFound: 2))])
        let states = FeedStateStore(directory: directory.url).allStates()
        #expect(states == [
            FeedID("a"): FeedState(lastStatus: 500), FeedID("b"): FeedState(lastStatus: 200),
            FeedID("c"): FeedState(lastFound: 2),
        ])
        #expect(try changesFiles().count == 1)
    }

    @Test func changesBeforeTheFirstStateFileAreReadToo() throws {
        try store.appendChanges([(FeedID("a"), FeedState(lastStatus: 200))])
        #expect(store.allStates() == [FeedID("a"): FeedState(lastStatus: 200)])
    }

    @Test func writingTheStateFileCompactsTheChanges() throws {
        try store.appendChanges([(FeedID("a"), FeedState(lastStatus: 200))])
        try store.saveStates(store.allStates())
        #expect(try changesFiles().isEmpty)
        #expect(try directory.names() == ["feed-states.json"])
        #expect(store.allStates() == [FeedID("a"): FeedState(lastStatus: 200)])
    }

    @Test func aTornLastLineIsIgnored() throws {
        try store.appendChanges([(FeedID("a"), FeedState(lastStatus: 200))])
        let name = try #require(try changesFiles().first)
        let handle = try FileHandle(forWritingTo: directory.url.appendingPathComponent(name))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"a":{"last_status":5"#.utf8))
        try handle.close()
        #expect(store.allStates() == [FeedID("a"): FeedState(lastStatus: 200)])
    }

    /// A crash between writing feed-states.json and removing the old changes leaves changes that the new file already
    /// holds, or that are older than it: they belong to the old file and are never applied to the new one.
    @Test func changesOfAnOlderStateFileAreNotAppliedAndGoAtStart() throws {
        try store.saveStates([FeedID("a"): FeedState(lastStatus: 200)])
        try store.appendChanges([(FeedID("a"), FeedState(lastStatus: 500))])
        let stale = try #require(try changesFiles().first)
        try directory.write(#"{"a":{"last_status":304}}"# + "\n", to: "new.json")
        #expect(rename(directory.path("new.json"), directory.path("feed-states.json")) == 0)
        #expect(store.allStates() == [FeedID("a"): FeedState(lastStatus: 304)])
        store.removeLeftoverTempFiles()
        #expect(try !directory.names().contains(stale))
    }
}
