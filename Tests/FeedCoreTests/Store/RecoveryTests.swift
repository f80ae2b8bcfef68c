import Foundation
import Testing

@testable import FeedCore

@Suite struct RecoveryTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func keys(_ store: FeedStateStore, _ feed: String) -> [String] {
        guard case .loaded(let seen) = store.loadSeen(FeedID(feed)) else { return [] }
        return seen.lastListed.keys.sorted()
    }

    @Test func recoverPutsEveryLineAfterTheCheckpointIntoItsFeedsSeenKeys() throws {
        let store = FeedStateStore(directory: directory.url)
        do {
            let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
            try log.append([
                SampleStory.make("a", id: "a0"), SampleStory.make("b", id: "b0"), SampleStory.make("d", id: "d0"),
            ])
            for (feed, ids) in [("a", ["a0"]), ("b", ["b0"]), ("d", ["d0"])] {
                var seen = SeenKeys()
                seen.record(ids, at: SampleStory.found)
                try store.saveSeen(seen, for: FeedID(feed))
            }
            try Checkpoint.save(log: log, directory: directory.url)
            try log.append([
                SampleStory.make("a", id: "a1"), SampleStory.make("b", id: "b1"), SampleStory.make("c", id: "c0"),
                SampleStory.make("d", id: "d1"),
            ])
            // Only feed a's seen file reached the disk before the crash; d's is damaged.
            var seen = SeenKeys()
            seen.record(["a0", "a1"], at: SampleStory.found)
            try store.saveSeen(seen, for: FeedID("a"))
            try directory.write("{\"latest\":[", to: "seen/d.json")
        }
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        let now = SampleStory.found.addingTimeInterval(60)
        #expect(try Checkpoint.recover(log: log, store: store, directory: directory.url, now: now) == 4)
        #expect(keys(store, "a") == ["a0", "a1"])
        #expect(keys(store, "b") == ["b0", "b1"])
        #expect(keys(store, "c") == ["c0"])
        // A damaged seen file is left for the feed's next fetch to set aside and rebuild from the whole log.
        #expect(try directory.read("seen/d.json") == "{\"latest\":[")
        #expect(Checkpoint.load(from: directory.url) == Checkpoint(log.position))
        #expect(try Checkpoint.recover(log: log, store: store, directory: directory.url, now: now) == 0)
    }

    @Test func aMissingSeenFileOfAFeedThatFetchedBeforeIsNotMadeFromTheTailAlone() throws {
        do {
            let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
            try log.append([SampleStory.make("a", id: "a0")])
        }
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        let store = FeedStateStore(directory: directory.url)
        #expect(try Checkpoint.recover(log: log, store: store, directory: directory.url, fetchedBefore: { _ in true }) == 1)
        #expect(store.loadSeen(FeedID("a")) == .absent)
    }
}
