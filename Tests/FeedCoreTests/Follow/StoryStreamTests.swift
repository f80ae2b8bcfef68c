import Foundation
import Testing

@testable import FeedCore

/// `StoryStream`: reading the log from a saved cursor through rotated files to the current log, and on.
@Suite struct StoryStreamTests {
    let directory: TemporaryDirectory
    let sink = MemoryLogSink()
    var logger: Logger { Logger(sink: sink, timestamps: false) }

    init() throws {
        directory = try TemporaryDirectory()
    }

    func append(_ ids: [String], to name: String = LogFiles.current) throws {
        let path = directory.path(name)
        let fd = try FileIO.open(path, O_WRONLY | O_APPEND | O_CREAT)
        defer { FileIO.close(fd) }
        for id in ids { try FileIO.write(fd, StoryLine.encode(SampleStory.make("a", id: id)) + [0x0A], path: path) }
    }

    func rotate(_ counter: Int) throws {
        try FileIO.rename(
            directory.path(LogFiles.current),
            to: directory.path(LogFiles.rotatedName(at: SampleStory.found, counter: counter)))
    }

    /// Every line available now, with the cursor after the last.
    func drain(_ stream: StoryStream) throws -> (ids: [String], cursor: FollowCursor?) {
        var ids: [String] = []
        var cursor: FollowCursor?
        while let line = try stream.next() {
            cursor = line.cursor
            guard !line.bytes.isEmpty else { continue }  // a story withdrawn by a cut and logged again
            ids.append(StoryLine.parse(line: line.bytes[...])?.id ?? "junk")
        }
        return (ids, cursor)
    }

    func stream(_ cursor: FollowCursor) throws -> StoryStream {
        try StoryStream(directory: directory.path, cursor: cursor, logger: logger)
    }

    @Test func fromBeforeTheOldestReadsRotatedFilesOldestFirstThenTheCurrentLog() throws {
        try append(["a", "b"])
        try rotate(0)
        try append(["c"])
        try rotate(1)
        try append(["d"])
        #expect(try drain(stream(.beforeOldest)).ids == ["a", "b", "c", "d"])
    }

    @Test func waitsForALogThatDoesNotExistYet() throws {
        let reader = try stream(.beforeOldest)
        #expect(try reader.next() == nil)
        try append(["a"])
        #expect(try drain(reader).ids == ["a"])
    }

    @Test func aCursorSavedBeforeTwoRotationsResumesInItsRotatedFile() throws {
        try append(["a", "b", "c"])
        let first = try stream(.beforeOldest)
        _ = try first.next()
        let cursor = try #require(try first.next()?.cursor)  // after "b"
        try append(["d"])
        try rotate(0)
        try append(["e"])
        try rotate(1)
        try append(["f"])
        let resumed = try stream(cursor)
        #expect(try drain(resumed).ids == ["c", "d", "e", "f"])
        #expect(sink.lines.isEmpty, "\(sink.lines)")
    }

    @Test func followsARotationReadingLinesWrittenBeforeTheRenameFirst() throws {
        try append(["a"])
        let reader = try stream(.beforeOldest)
        #expect(try drain(reader).ids == ["a"])
        try append(["b"])
        try rotate(0)
        // Renamed away, no new log yet: nothing lost, nothing to wait for but the new file.
        #expect(try drain(reader).ids == ["b"])
        try append(["c"])
        let (ids, cursor) = try drain(reader)
        #expect(ids == ["c"])
        #expect(cursor?.file == LogFiles.current)
        let info = try #require(try FileIO.status(path: directory.path(LogFiles.current)))
        #expect(cursor?.offset == Int(info.st_size))
    }

    @Test func aLineIsDeliveredOnlyWithItsNewline() throws {
        try append(["a"])
        let path = directory.path(LogFiles.current)
        let fd = try FileIO.open(path, O_WRONLY | O_APPEND)
        defer { FileIO.close(fd) }
        let line = StoryLine.encode(SampleStory.make("a", id: "b"))
        try FileIO.write(fd, Array(line.prefix(10)), path: path)
        let reader = try stream(.beforeOldest)
        #expect(try drain(reader).ids == ["a"])
        try FileIO.write(fd, Array(line.dropFirst(10)) + [0x0A], path: path)
        #expect(try drain(reader).ids == ["b"])
    }

    @Test func aCursorWhoseFileIsGoneSaysSoAndStartsAtTheOldestFile() throws {
        try append(["a", "b"])
        let cursor = try #require(try drain(stream(.beforeOldest)).cursor)
        try rotate(0)
        try append(["c"])
        try rotate(1)
        try append(["d"])
        try FileIO.remove(directory.path(LogFiles.rotatedName(at: SampleStory.found, counter: 0)))
        #expect(try drain(stream(cursor)).ids == ["c", "d"])
        #expect(sink.lines.contains { $0.contains("log file of the saved position is gone") }, "\(sink.lines)")
    }

    @Test func anInodeGivenToAnotherFileIsNotTakenForTheCursorsFile() throws {
        try append(["a", "b"])
        var cursor = try #require(try drain(stream(.beforeOldest)).cursor)
        // As if the file had been deleted and its inode given to a new log with other lines.
        cursor.firstLine = (cursor.firstLine ?? 0) &+ 1
        #expect(try drain(stream(cursor)).ids == ["a", "b"])
        #expect(sink.lines.contains { $0.contains("log file of the saved position is gone") })
    }

    @Test func aLogCutBackUnderTheCursorIsReadAgainFromTheLastLineStillThere() throws {
        try append(["a", "b", "c"])
        let reader = try stream(.beforeOldest)
        #expect(try drain(reader).ids == ["a", "b", "c"])
        // The daemon cuts a batch it could not make durable ("b", "c"), then logs another story and that batch again.
        let keep = StoryLine.encode(SampleStory.make("a", id: "a")).count + 1
        let path = directory.path(LogFiles.current)
        let fd = try FileIO.open(path, O_WRONLY)
        try FileIO.truncate(fd, to: keep, path: path)
        FileIO.close(fd)
        try append(["x", "b", "c", "d"])
        #expect(try drain(reader).ids == ["x", "d"], "b and c were delivered before: not again")
        #expect(sink.lines.contains { $0.contains("log was cut back under the position") })
    }

    @Test func aSavedCursorIntoACutFileThatGrewAgainIsReadFromItsStart() throws {
        try append(["a", "b"])
        let cursor = try #require(try drain(stream(.beforeOldest)).cursor)
        try cut(toLines: 1)
        try append(["x", "y"])
        // Where the cut was is unknown: everything again, at least once.
        #expect(try drain(stream(cursor)).ids == ["a", "x", "y"])
    }

    @Test func aSavedCursorIntoACutFileThatDidNotGrowGoesOnFromItsEnd() throws {
        try append(["a", "b"])
        let cursor = try #require(try drain(stream(.beforeOldest)).cursor)
        try cut(toLines: 1)
        let reader = try stream(cursor)
        #expect(try drain(reader).ids == [])
        try append(["z"])
        #expect(try drain(reader).ids == ["z"])
    }

    /// Cuts the current log back to its first `count` lines (all lines of the samples have one length).
    func cut(toLines count: Int) throws {
        let path = directory.path(LogFiles.current)
        let fd = try FileIO.open(path, O_WRONLY)
        defer { FileIO.close(fd) }
        try FileIO.truncate(fd, to: count * (StoryLine.encode(SampleStory.make("a", id: "a")).count + 1), path: path)
    }
}
