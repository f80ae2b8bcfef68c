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

    // MARK: - When the states file is rewritten

    /// Enough states for a states file past `smallStatesBytes`, as a large installation has.
    private func manyStates(_ count: Int) -> [FeedID: FeedState] {
        Dictionary(uniqueKeysWithValues: (0..<count).map { index in
            (FeedID("feed-\(index)"), FeedState(
                etag: "\"etag-\(index)-abcdefghij\"", lastStatus: 304,
                nextDue: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)),
                configURL: "https://example.org/feeds/\(index)/atom.xml"))
        })
    }

    @Test func aSmallStatesFileIsRewrittenAtEverySave() throws {
        #expect(store.compactionDue)
        try store.saveStates([FeedID("a"): FeedState(lastStatus: 200)])
        #expect(store.compactionDue)
    }

    /// A large states file is rewritten once the changes appended since reach half its size, also as a new start
    /// finds them.
    @Test func aLargeStatesFileWaitsForHalfItsSizeInChanges() throws {
        let states = manyStates(8000)
        try store.saveStates(states)
        #expect(store.statesBytes >= FeedStateStore.smallStatesBytes)
        #expect(!store.compactionDue)
        let changes = states.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var appended = 0
        for chunk in stride(from: 0, to: changes.count, by: 100) {
            try store.appendChanges(Array(changes[chunk..<min(chunk + 100, changes.count)]))
            appended += 100
            if store.compactionDue { break }
        }
        // Each change line is about as long as the state's member in the states file: about half of them.
        #expect(store.compactionDue)
        #expect((3000...5000).contains(appended), "\(appended) changes")
        #expect(store.changesBytes * 2 >= store.statesBytes)

        let restarted = FeedStateStore(directory: directory.url)
        #expect(restarted.allStates().count == 8000)
        #expect(restarted.compactionDue)
        try restarted.saveStates(restarted.allStates())
        #expect(!restarted.compactionDue)
        #expect(try changesFiles().isEmpty)
    }
}
