import Foundation
import Testing

@testable import FeedCore

/// The follower's small values: its name, its backoff, its saved cursor.
@Suite struct FollowValuesTests {
    @Test(arguments: ["mail", "phone-1", "a.b_c", String(repeating: "x", count: 64)])
    func acceptsFileSafeNames(_ name: String) throws {
        #expect(try FollowerName(name).rawValue == name)
    }

    @Test(arguments: ["", "../x", "a/b", ".hidden", "-x", "a b", "naïve", String(repeating: "x", count: 65)])
    func refusesOtherNames(_ name: String) {
        #expect(throws: FollowerNameError.self) { try FollowerName(name) }
    }

    @Test func backoffDoublesUpToItsMaximum() {
        let backoff = RetryBackoff(initial: 1, maximum: 10)
        #expect((1...6).map { backoff.delay(afterFailures: $0) } == [1, 2, 4, 8, 10, 10])
        #expect(backoff.delay(afterFailures: 500) == 10)
    }

    @Test func aCursorRoundTripsWholeHashesDurably() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("mail.json")
        let cursor = FollowCursor(
            file: "stories.jsonl", inode: 12, offset: 345, firstLine: .max, lineStart: 300, lineHash: .max - 1)
        try cursor.save(to: path)
        #expect(try FollowCursor.load(from: path) == cursor)
        #expect(try FollowCursor.load(from: directory.path("none.json")) == nil)
        try directory.write("{\"offset\": \"x\"}", to: "bad.json")
        #expect(throws: StoreError.self) { try FollowCursor.load(from: directory.path("bad.json")) }
    }

    @Test func aNewFollowerFromTheEndStandsAfterTheLastCompleteLine() throws {
        let directory = try TemporaryDirectory()
        #expect(try FollowCursor.endOfLog(in: directory.path) == .beforeOldest)
        let line = StoryLine.encode(SampleStory.make("a", id: "a")) + [0x0A]
        try directory.write(String(decoding: line + line + Array(line.prefix(5)), as: UTF8.self), to: "stories.jsonl")
        let cursor = try FollowCursor.endOfLog(in: directory.path)
        #expect(cursor.offset == 2 * line.count)
        #expect(cursor.lineStart == line.count)
        #expect(cursor.firstLine == DeliveredLines.hash(line.dropLast()))
        #expect(cursor.lineHash == cursor.firstLine)
    }
}
