import Foundation
import Testing

@testable import FeedCore

@Suite struct LogFollowerTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Appends `text` to `name` as another writer would.
    func append(_ text: String, to name: String = "stories.jsonl") throws {
        let path = directory.path(name)
        let fd = try FileIO.open(path, O_WRONLY | O_APPEND | O_CREAT)
        defer { FileIO.close(fd) }
        try FileIO.write(fd, Array(text.utf8), path: path)
    }

    /// `count` story lines of `feed` with ids `prefix0`…, newline-terminated.
    func lines(_ count: Int, feed: String = "a", prefix: String, padding: Int = 0) -> String {
        SampleStory.batch(count, feed: feed, prefix: prefix, padding: padding).map {
            String(decoding: StoryLine.encode($0), as: UTF8.self) + "\n"
        }.joined()
    }

    func ids(_ lines: [String]) -> [String] {
        lines.map { StoryLine.parse(line: $0)?.id ?? "junk: \($0)" }
    }

    @Test func startsAfterTheLastCompleteLineAndDeliversWhatIsAppended() throws {
        try append(lines(2, prefix: "old") + #"{"feed":"a","#)
        let follower = try LogFollower(directory: directory.url)
        #expect(try follower.poll() == [])
        try append(#""id":"completed"}"# + "\n" + lines(1, prefix: "new"))
        #expect(ids(try follower.poll()) == ["completed", "new0"])
        #expect(try follower.poll() == [])
    }

    @Test func aLineIsDeliveredOnlyOnceItsNewlineIsWritten() throws {
        try append("")
        let follower = try LogFollower(directory: directory.url)
        try append(#"{"feed":"a","id":"#)
        #expect(try follower.poll() == [])
        try append(#""x"}"#)
        #expect(try follower.poll() == [])
        try append("\n")
        #expect(try follower.poll() == [#"{"feed":"a","id":"x"}"#])
    }

    @Test func followsRenameRotationReadingTheOldFileToItsEndFirst() throws {
        try append(lines(1, prefix: "start"))
        let follower = try LogFollower(directory: directory.url)
        try append(lines(2, prefix: "before"))
        #expect(ids(try follower.poll()) == ["before0", "before1"])
        // Lines the writer adds after the last poll, then the rename, then a new file.
        try append(lines(2, prefix: "late"))
        try FileIO.rename(directory.path("stories.jsonl"), to: directory.path("stories-20261129T070000Z.jsonl"))
        #expect(ids(try follower.poll()) == ["late0", "late1"])
        try append(lines(3, prefix: "rotated"))
        #expect(ids(try follower.poll()) == ["rotated0", "rotated1", "rotated2"])
        try append(lines(1, prefix: "more"))
        #expect(ids(try follower.poll()) == ["more0"])
        // The usual case: the new file exists, with lines in it, by the time the follower looks.
        try append(lines(1, prefix: "last-old"))
        try FileIO.rename(directory.path("stories.jsonl"), to: directory.path("stories-20261129T080000Z.jsonl"))
        try append(lines(2, prefix: "second"))
        #expect(ids(try follower.poll()) == ["last-old0", "second0", "second1"])
    }

    @Test func followsTruncationFromTheStart() throws {
        try append(lines(5, prefix: "old", padding: 100))
        let follower = try LogFollower(directory: directory.url)
        try append(lines(1, prefix: "x"))
        #expect(ids(try follower.poll()) == ["x0"])
        truncate(directory.path("stories.jsonl"), 0)
        try append(lines(2, prefix: "again"))
        #expect(ids(try follower.poll()) == ["again0", "again1"])
    }

    @Test func aBatchCutBackIsNotDeliveredAgainWhenItsStoriesAreLoggedAgain() throws {
        try append(lines(2, prefix: "start"))
        let follower = try LogFollower(directory: directory.url)
        let before = try FileIO.status(path: directory.path("stories.jsonl"))!.st_size
        try append(lines(2, prefix: "batch"))
        #expect(ids(try follower.poll()) == ["batch0", "batch1"])
        // The daemon could not make the batch durable and cut it; before the next poll another feed's stories and
        // then the batch's (found later, so not the same bytes) are appended, and the file is longer than before.
        truncate(directory.path("stories.jsonl"), before)
        try append(lines(1, feed: "b", prefix: "other", padding: 500))
        try append(lines(2, prefix: "batch", padding: 10) + lines(1, prefix: "next"))
        #expect(ids(try follower.poll()) == ["other0", "next0"])
        try append(lines(1, prefix: "later"))
        #expect(ids(try follower.poll()) == ["later0"])
    }

    @Test func aFileCutBackUnderTheFollowerIsNotDeliveredAgainFromItsStart() throws {
        try append(lines(5, prefix: "old"))
        let follower = try LogFollower(directory: directory.url)
        try append(lines(1, prefix: "x"))
        let kept = try FileIO.status(path: directory.path("stories.jsonl"))!.st_size
        try append(lines(2, prefix: "y"))
        #expect(ids(try follower.poll()) == ["x0", "y0", "y1"])
        truncate(directory.path("stories.jsonl"), kept)
        #expect(try follower.poll() == [])
        try append(lines(1, prefix: "z"))
        #expect(ids(try follower.poll()) == ["z0"])
    }

    @Test func waitsForALogThatDoesNotExistYet() throws {
        let follower = try LogFollower(directory: directory.url)
        #expect(try follower.poll() == [])
        #expect(try follower.lastLines(10, feed: nil) == [])
        try append(lines(2, prefix: "first"))
        #expect(ids(try follower.poll()) == ["first0", "first1"])
    }

    @Test func followPollsUntilDeliverSaysStopSleepingBetweenPolls() throws {
        try append("")
        let follower = try LogFollower(directory: directory.url)
        var sleeps: [Duration] = []
        var delivered: [[String]] = []
        try follower.follow(
            sleep: { sleeps.append($0) },
            deliver: { batch in
                delivered.append(ids(batch))
                if delivered.count == 2 { try? append(lines(1, prefix: "during")) }
                return delivered.count < 4
            })
        #expect(delivered == [[], [], ["during0"], []])
        #expect(sleeps == Array(repeating: .milliseconds(50), count: 3))
    }

    @Test func lastLinesAreTheNewestOldestFirstAcrossRotatedFiles() throws {
        try append(lines(3, prefix: "r1-"), to: "stories-20261128T070000Z.jsonl")
        try append(lines(2, prefix: "r2-"), to: "stories-20261129T070000Z.jsonl")
        try append(lines(2, prefix: "cur") + #"{"feed":"a","id":"partial"#)
        let follower = try LogFollower(directory: directory.url)
        #expect(ids(try follower.lastLines(3, feed: nil)) == ["r2-1", "cur0", "cur1"])
        #expect(ids(try follower.lastLines(6, feed: nil)) == ["r1-1", "r1-2", "r2-0", "r2-1", "cur0", "cur1"])
        #expect(try follower.lastLines(100, feed: nil).count == 7)
        #expect(try follower.lastLines(0, feed: nil) == [])
    }

    @Test func lastLinesOfOneFeedSkipOtherFeedsAndEmptyLines() throws {
        try append(lines(3, feed: "a", prefix: "a") + "\n" + lines(5, feed: "b", prefix: "b"))
        try append(lines(1, feed: "a", prefix: "z"))
        let follower = try LogFollower(directory: directory.url)
        #expect(ids(try follower.lastLines(3, feed: FeedID("a"))) == ["a1", "a2", "z0"])
        #expect(ids(try follower.lastLines(2, feed: FeedID("b"))) == ["b3", "b4"])
        #expect(try follower.lastLines(20, feed: nil).count == 9)
    }

    @Test func lastLinesReadLinesLongerThanTheirReadChunk() throws {
        try append(lines(3, prefix: "long", padding: 150_000) + lines(1, prefix: "short"))
        let follower = try LogFollower(directory: directory.url)
        let last = try follower.lastLines(3, feed: nil)
        #expect(ids(last) == ["long1", "long2", "short0"])
        #expect(last[0].utf8.count > 150_000)
        #expect(ids(try follower.lastLines(10, feed: nil)) == ["long0", "long1", "long2", "short0"])
    }
}
