import Foundation
import Testing

@testable import FeedCore

@Suite struct StoryLogTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test func appendsOneLinePerStoryInOrderAcrossBatches() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        try log.append(SampleStory.batch(3, prefix: "a"))
        try log.append([])
        try log.append(SampleStory.batch(2, prefix: "b"))
        let text = try directory.read("stories.jsonl")
        #expect(text.hasSuffix("\n"))
        let ids = text.split(separator: "\n").map { StoryLine.parse(line: String($0))?.id }
        #expect(ids == ["a0", "a1", "a2", "b0", "b1"])
        #expect(log.position.file == "stories.jsonl")
        #expect(log.position.offset == text.utf8.count)
    }

    @Test func logFileIsCreatedWithMode0644OrLessByUmask() throws {
        _ = try StoryLog(directory: directory.url.appendingPathComponent("new/state"), maxBytes: 1 << 20)
        let info = try #require(try FileIO.status(path: directory.path("new/state/stories.jsonl")))
        #expect(info.st_mode & 0o7777 & ~0o644 == 0)
    }

    @Test(arguments: [
        ("", ""),
        ("{\"feed\":\"a\",\"id", ""),
        (
            "{\"feed\":\"a\",\"id\":\"1\"}\n{\"feed\":\"a\",\"id\":\"2\"}\n{\"feed\":\"a\",\"i",
            "{\"feed\":\"a\",\"id\":\"1\"}\n{\"feed\":\"a\",\"id\":\"2\"}\n"
        ),
        ("{\"feed\":\"a\",\"id\":\"1\"}\n", "{\"feed\":\"a\",\"id\":\"1\"}\n"),
    ])
    func tornLastLineIsCutOffOnOpen(content: String, repaired: String) throws {
        try directory.write(content, to: "stories.jsonl")
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        #expect(try directory.read("stories.jsonl") == repaired)
        #expect(log.position.offset == repaired.utf8.count)
        try log.append([SampleStory.make(id: "next")])
        let lines = try directory.read("stories.jsonl").split(separator: "\n")
        #expect(StoryLine.parse(line: String(lines.last!))?.id == "next")
    }

    @Test func tornLineLongerThanOneReadChunkIsCutWhole() throws {
        let whole = String(decoding: StoryLine.encode(SampleStory.make(id: "whole")), as: UTF8.self) + "\n"
        let torn = #"{"feed":"a","id":"torn","summary":""# + String(repeating: "y", count: 200_000)
        try directory.write(whole + torn, to: "stories.jsonl")
        _ = try StoryLog(directory: directory.url, maxBytes: 1 << 30)
        #expect(try directory.read("stories.jsonl") == whole)
    }

    @Test func remainsBeyondTheLogsEndAreCutBeforeTheNextBatch() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        try log.append([SampleStory.make(id: "kept")])
        // What a failed batch leaves when cutting it back failed too.
        let handle = try FileHandle(forWritingTo: directory.url.appendingPathComponent("stories.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"feed":"ladaily","id":"half"#.utf8))
        try handle.close()
        try log.append([SampleStory.make(id: "after")])
        let ids = try directory.read("stories.jsonl").split(separator: "\n").map {
            StoryLine.parse(line: String($0))?.id
        }
        #expect(ids == ["kept", "after"])
    }

    @Test func aSecondWriterOnTheSameStateDirectoryIsRefused() throws {
        var first: StoryLog? = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        #expect(throws: StoreError.busy(path: directory.path)) {
            try StoryLog(directory: directory.url, maxBytes: 1 << 20)
        }
        #expect(first != nil)
        first = nil
        // Released at once, but a child process another test spawns in parallel holds a copy of every descriptor
        // from its fork to its exec (which closes them, O_CLOEXEC): that brief window may still see the lock.
        var reopened: StoryLog? = nil
        for _ in 0..<100 where reopened == nil {
            do {
                reopened = try StoryLog(directory: directory.url, maxBytes: 1 << 20)
            } catch .busy {
                usleep(10_000)
            }
        }
        #expect(reopened != nil, "the lock outlived its StoryLog by a second")
    }

    @Test func rotatesBySizeWithATimestampedNameAndACounterWhenTaken() throws {
        let log = try StoryLog(directory: directory.url, maxBytes: 1000)
        let now = SampleStory.found
        #expect(try log.rotateIfNeeded(now: now) == nil)
        try log.append(SampleStory.batch(2, padding: 100))
        #expect(try log.rotateIfNeeded(now: now) == nil)
        var names: [String] = []
        for round in 0..<3 {
            try log.append(SampleStory.batch(4, prefix: "r\(round)-", padding: 300))
            let before = log.position
            let rotated = try #require(try log.rotateIfNeeded(now: now))
            names.append(rotated.lastPathComponent)
            #expect(log.position.offset == 0)
            #expect(log.position.inode != before.inode)
            #expect(try FileIO.status(path: rotated.path).map { UInt64($0.st_ino) } == before.inode)
        }
        #expect(
            names == [
                "stories-20261129T070000Z.jsonl", "stories-20261129T070000Z-1.jsonl",
                "stories-20261129T070000Z-2.jsonl",
            ])
        try log.append([SampleStory.make(id: "new")])
        #expect(try directory.read("stories.jsonl").contains("\"id\":\"new\""))
        #expect(try LogFiles.rotated(in: directory.path) == names)
    }

    @Test func rotatedFilesSortByTimeThenCounter() throws {
        for name in [
            "stories-20261129T070000Z-10.jsonl", "stories-20261129T070000Z-2.jsonl", "stories-20261129T070000Z.jsonl",
            "stories-20250101T000000Z.jsonl", "stories.jsonl", "stories-bad.jsonl", "other.jsonl",
        ] {
            try directory.write("", to: name)
        }
        #expect(
            try LogFiles.rotated(in: directory.path) == [
                "stories-20250101T000000Z.jsonl", "stories-20261129T070000Z.jsonl", "stories-20261129T070000Z-2.jsonl",
                "stories-20261129T070000Z-10.jsonl",
            ])
    }

    @Test func aFailedBatchIsCutBackSoNoLineOfItRemains() throws {
        let mountPoint = directory.path("small")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=64k") == 0 else {
            try Test.cancel("a 64 KB tmpfs cannot be mounted here (needs root): \(String(cString: strerror(errno)))")
        }
        defer { umount2(mountPoint, Int32(MNT_DETACH)) }
        let log = try StoryLog(directory: URL(fileURLWithPath: mountPoint), maxBytes: 1 << 30)
        try log.append(SampleStory.batch(10, prefix: "ok", padding: 1000))
        let before = try FileIO.readFile(mountPoint + "/stories.jsonl")
        #expect(throws: StoreError.io(path: mountPoint + "/stories.jsonl", operation: "write", errno: ENOSPC)) {
            try log.append(SampleStory.batch(20, prefix: "big", padding: 5000))
        }
        #expect(try FileIO.readFile(mountPoint + "/stories.jsonl") == before)
        #expect(log.position.offset == before.count)
        try log.append([SampleStory.make(id: "after")])
        let ids = try FileIO.readFile(mountPoint + "/stories.jsonl").split(separator: 0x0A).map {
            StoryLine.parse(line: $0)?.id
        }
        #expect(ids == (0..<10).map { "ok\($0)" } + ["after"])
    }
}
