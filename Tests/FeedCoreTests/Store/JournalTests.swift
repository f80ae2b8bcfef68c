import Foundation
import Testing

@testable import FeedCore

#if canImport(Glibc)
    import Glibc
#endif

/// The journal's ordering rule, tried at its worst moments: a state save between a fetch and the flush that logs its
/// stories, and a log that refuses the batch.
@Suite struct JournalTests {
    let directory: TemporaryDirectory
    let sink = MemoryLogSink()
    let feed = FeedID("f")
    let now = SampleStory.found

    init() throws {
        directory = try TemporaryDirectory()
    }

    func open() throws -> Journal {
        try Journal(
            directory: directory.url, maxBytes: 1 << 20, logger: Logger(sink: sink, threshold: .debug, timestamps: false),
            clock: { [now] in now })
    }

    /// What a 200 with new validators and one new story records.
    func fetch(_ id: String, etag: String, from previous: FeedState) -> Journal.Entry {
        var state = previous
        state.etag = etag
        state.lastSuccess = now
        var seen = SeenKeys()
        seen.record([id], at: now)
        return Journal.Entry(
            feed: feed, stories: [SampleStory.make("f", id: id)], state: state, previousState: previous, seen: seen)
    }

    func savedETag() -> String? {
        FeedStateStore(directory: directory.url).loadState(feed)?.etag
    }

    @Test func aStateSavedBeforeItsStoriesAreDurableKeepsTheOldValidators() throws {
        let journal = try open()
        let old = FeedState(etag: "\"1\"")
        journal.setState(old, for: feed)
        journal.record(fetch("a", etag: "\"2\"", from: old))
        // The timer's save, run after the fetch came back and before the flush that logs its story.
        journal.saveStates()
        #expect(savedETag() == "\"1\"")
        #expect(journal.states[feed]?.etag == "\"2\"", "the daemon itself goes on with what it learned")
        #expect(journal.flush() == 1)
        journal.saveStates()
        #expect(savedETag() == "\"2\"")
        journal.close()
    }

    @Test func aBatchTheLogRefusesNeverPutsItsValidatorsOnDisk() throws {
        // The log is /dev/full: every write fails with ENOSPC, as on a full disk.
        #expect(symlink("/dev/full", directory.path("stories.jsonl")) == 0)
        let journal = try open()
        let old = FeedState(etag: "\"1\"")
        journal.setState(old, for: feed)
        journal.record(fetch("a", etag: "\"2\"", from: old))
        journal.saveStates()
        #expect(savedETag() == "\"1\"")
        #expect(journal.flush() == nil)
        #expect(journal.states[feed]?.etag == "\"1\"")
        #expect(journal.states[feed]?.lastError?.contains("No space left on device") == true)
        journal.close()
        #expect(savedETag() == "\"1\"")
        #expect(FeedStateStore(directory: directory.url).loadSeen(feed) == .absent)
        #expect(sink.lines.contains { $0.contains("cannot write the story log") })
    }
}
