import Foundation
import Testing

@testable import FeedCore

@Suite struct SeenKeysSourceTests {
    let directory: TemporaryDirectory
    let feed = FeedID("a")

    init() throws {
        directory = try TemporaryDirectory()
        let log = try StoryLog(directory: directory.url, maxBytes: 100)
        try log.append([SampleStory.make("a", id: "1"), SampleStory.make("b", id: "x")])
        _ = try log.rotateIfNeeded(now: SampleStory.found)
        try log.append([SampleStory.make("a", id: "2")])
    }

    func source(fetchedBefore: Bool) -> SeenKeysSource {
        SeenKeysSource(directory: directory.url, feed: feed, fetchedBefore: fetchedBefore, now: SampleStory.found)
    }

    func rebuilt(_ keys: [String]) -> SeenKeys {
        SeenKeys(lastListed: Dictionary(uniqueKeysWithValues: keys.map { ($0, SampleStory.found) }), latest: [])
    }

    @Test func aMissingFileIsAFirstFetchOnlyForAFeedThatNeverFetched() throws {
        #expect(try source(fetchedBefore: false).load() == .stored(nil))
        #expect(try source(fetchedBefore: true).load() == .rebuilt(rebuilt(["1", "2"]), setAside: nil))
    }

    @Test func aFileThatDoesNotParseIsKeptAsideAndRebuiltFromEveryLogFile() throws {
        try FileManager.default.createDirectory(atPath: directory.path("seen"), withIntermediateDirectories: true)
        try directory.write("{\"latest\":[", to: "seen/a.json")
        let loaded = try source(fetchedBefore: false).load()
        let aside = directory.path("seen/a.json.corrupt-20261129T070000Z")
        #expect(loaded == .rebuilt(rebuilt(["1", "2"]), setAside: aside))
        #expect(try directory.read("seen/a.json.corrupt-20261129T070000Z") == "{\"latest\":[")
    }

    @Test func aStoredFileIsUsedAsItIs() throws {
        var seen = SeenKeys()
        seen.record(["1", "2", "3"], at: SampleStory.found)
        try FeedStateStore(directory: directory.url).saveSeen(seen, for: feed)
        #expect(try source(fetchedBefore: true).load() == .stored(seen))
    }
}
