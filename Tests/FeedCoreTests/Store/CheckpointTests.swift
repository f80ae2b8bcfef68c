import Foundation
import Testing

@testable import FeedCore

@Suite struct CheckpointTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// The replayed keys as `feed/id` strings, for readable comparisons.
    func replayed(from checkpoint: Checkpoint?) throws -> [String] {
        try Checkpoint.replay(in: directory.url, from: checkpoint).map { "\($0.0)/\($0.1)" }
    }

    @Test func saveAndLoadRoundTripLeavingNoTempFile() throws {
        #expect(Checkpoint.load(from: directory.url) == nil)
        let checkpoint = Checkpoint(file: "stories.jsonl", inode: 1234, offset: 5678)
        try checkpoint.save(to: directory.url)
        #expect(Checkpoint.load(from: directory.url) == checkpoint)
        #expect(try directory.names() == ["checkpoint.json"])
        try directory.write("{\"file\":", to: "checkpoint.json")
        #expect(Checkpoint.load(from: directory.url) == nil)
    }

    @Test func replayAfterACrashGivesExactlyTheLinesAfterTheCheckpoint() throws {
        let checkpoint: Checkpoint
        do {
            let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
            try log.append(SampleStory.batch(3, feed: "a", prefix: "before"))
            checkpoint = Checkpoint(log.position)
            try checkpoint.save(to: directory.url)
            try log.append(SampleStory.batch(2, feed: "a", prefix: "after"))
            try log.append([SampleStory.make("b", id: "other")])
            // The process dies here: the seen files of this batch were never written.
        }
        let torn = FileHandle(forWritingAtPath: directory.path("stories.jsonl"))!
        try torn.seekToEnd()
        try torn.write(contentsOf: Data(#"{"feed":"a","id":"torn"#.utf8))
        try torn.close()
        #expect(try replayed(from: checkpoint) == ["a/after0", "a/after1", "b/other"])
        _ = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        #expect(try replayed(from: Checkpoint.load(from: directory.url)) == ["a/after0", "a/after1", "b/other"])
    }

    @Test func replayWithoutACheckpointReadsTheWholeCurrentLog() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        try log.append(SampleStory.batch(2, feed: "a"))
        #expect(try replayed(from: nil) == ["a/s0", "a/s1"])
        #expect(try replayed(from: Checkpoint(log.position)) == [])
    }

    @Test func replaySkipsJunkLines() throws {
        let line = String(decoding: StoryLine.encode(SampleStory.make("a", id: "x")), as: UTF8.self)
        try directory.write("junk\n\n" + line + "\n[1]\n", to: "stories.jsonl")
        #expect(try replayed(from: nil) == ["a/x"])
    }

    @Test func replayFollowsTheCheckpointIntoARotatedFile() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 1000)
        try log.append(SampleStory.batch(3, feed: "a", prefix: "old", padding: 200))
        let checkpoint = Checkpoint(log.position)
        try log.append(SampleStory.batch(3, feed: "a", prefix: "tail", padding: 200))
        _ = try #require(try log.rotateIfNeeded(now: SampleStory.found))
        try log.append(SampleStory.batch(3, feed: "a", prefix: "next", padding: 200))
        _ = try #require(try log.rotateIfNeeded(now: SampleStory.found))
        try log.append([SampleStory.make("a", id: "new")])
        #expect(
            try replayed(from: checkpoint) == [
                "a/tail0", "a/tail1", "a/tail2", "a/next0", "a/next1", "a/next2", "a/new",
            ])
    }

    @Test func aCheckpointBeyondItsFilesEndReplaysTheFileFromItsStart() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        try log.append(SampleStory.batch(2, feed: "a"))
        let checkpoint = Checkpoint(file: "stories.jsonl", inode: log.position.inode, offset: 1 << 20)
        #expect(try replayed(from: checkpoint) == ["a/s0", "a/s1"])
    }

    @Test func aCheckpointWhoseFileIsGoneReplaysTheWholeCurrentLog() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        try log.append(SampleStory.batch(1, feed: "a"))
        #expect(try replayed(from: Checkpoint(file: "stories.jsonl", inode: 1, offset: 10)) == ["a/s0"])
    }

    @Test func replayAllFindsOneFeedsKeysInEveryLogFileInOrder() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 100)
        for round in 0..<3 {
            try log.append([SampleStory.make("a", id: "a\(round)"), SampleStory.make("b", id: "b\(round)")])
            _ = try log.rotateIfNeeded(now: SampleStory.found.addingTimeInterval(Double(round)))
        }
        try log.append([SampleStory.make("a", id: "a-current")])
        #expect(try LogFiles.rotated(in: directory.path).count == 3)
        #expect(try Checkpoint.replayAll(in: directory.url, for: FeedID("a")) == ["a0", "a1", "a2", "a-current"])
        #expect(try Checkpoint.replayAll(in: directory.url, for: FeedID("none")) == [])
    }

    @Test func linesAreReadAcrossReadChunksAndTheLastIncompleteLineIsLeftOut() throws {
        let lines = (0..<5).map {
            String(decoding: StoryLine.encode(SampleStory.make("a", id: "\($0)", padding: 400_000)), as: UTF8.self)
        }
        try directory.write(lines.joined(separator: "\n") + "\n{\"feed\":\"a\"", to: "stories.jsonl")
        var count = 0
        try LogFiles.forEachLine(in: directory.path("stories.jsonl"), from: 0) { line in
            #expect(Array(line) == Array(lines[count].utf8))
            count += 1
        }
        #expect(count == 5)
    }
}
