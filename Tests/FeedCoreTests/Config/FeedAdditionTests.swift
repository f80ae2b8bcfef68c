import Foundation
import Testing

@testable import FeedCore

/// `FeedAddition`: what becomes of each new entry against the feeds already configured and those added before it.
@Suite struct FeedAdditionTests {
    private let config = Array(#"{"feeds": [{"url": "https://a.example/feed", "id": "a"}, "https://b.example/"]}"#.utf8)

    private func plan(_ entries: [FeedEntry], into bytes: [UInt8]? = nil) throws -> FeedAddition {
        let folder = URL(fileURLWithPath: "/srv")
        return try FeedAddition(entries, into: bytes ?? config, file: "feeds.json", baseDirectory: folder)
    }

    @Test func eachEntryIsAddedSkippedOrRefusedWithItsReason() throws {
        let addition = try plan([
            FeedEntry(url: "https://c.example/", tags: ["News"]),
            FeedEntry(url: "HTTPS://B.example:443/"),
            FeedEntry(url: "https://c.example/#again", tags: ["news", "World"]),
            FeedEntry(url: "https://d.example/", id: "a"),
            FeedEntry(url: "ftp://e.example/"),
        ])
        let c = FeedID.derived(from: "https://c.example/")
        #expect(addition.outcomes == [
            .added(index: 2, id: c),
            .alreadyConfigured(index: 1, id: FeedID.derived(from: "https://b.example/")),
            .repeated(index: 2),
            .idTaken(FeedID("a"), index: 0, url: URL(string: "https://a.example/feed")!, derived: false),
            .invalid("url: not an http(s) or file URL"),
        ])
        #expect(addition.entries[0].tags == ["News", "World"])
        let decoded = try ConfigDecoder.decode(Data(addition.bytes), file: "feeds.json").get()
        #expect(decoded.feeds.map(\.id) == [FeedID("a"), FeedID.derived(from: "https://b.example/"), c])
        #expect(decoded.feeds[2].tags == ["News", "World"])
    }

    @Test func oneLocalFileIsOneFeedHoweverSpelled() throws {
        let files = Array(#"{"feeds": ["file:///srv/x.xml"]}"#.utf8)
        let spellings = [FeedEntry(url: "file:x.xml"), FeedEntry(url: "file://localhost/srv/./x.xml")]
        let addition = try plan(spellings, into: files)
        #expect(addition.addedCount == 0)
        #expect(addition.bytes == files)
    }

    @Test func aConfigThatDoesNotLoadIsRefusedAndOneWithoutFeedsGetsThem() throws {
        #expect(throws: ConfigFile.UpdateFailure.self) {
            try plan([FeedEntry(url: "https://c.example/")], into: Array(#"{"feeds": [], "timeout": "never"}"#.utf8))
        }
        let addition = try plan([FeedEntry(url: "https://c.example/")], into: Array(#"{"timeout": "5s"}"#.utf8))
        #expect(String(decoding: addition.bytes, as: UTF8.self)
            == #"{"timeout": "5s", "feeds": [{"url": "https://c.example/"}]}"#)
    }
}
