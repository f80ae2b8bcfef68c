import Foundation
import Testing

@testable import FeedCore

@Suite struct SeenKeysTests {
    static let day: TimeInterval = 86_400
    let t0 = SampleStory.found

    func at(days: Double) -> Date {
        t0.addingTimeInterval(days * Self.day)
    }

    @Test func recordReportsNewKeysAndChangedListingsButNotARepeatedListing() {
        var seen = SeenKeys()
        let changes = [
            seen.record(["a", "b"], at: at(days: 0)), seen.record(["b", "a"], at: at(days: 1)),
            seen.record(["a"], at: at(days: 2)), seen.record(["a", "c"], at: at(days: 3)),
        ]
        #expect(changes == [true, false, true, true])
        #expect(seen.contains("b") && seen.contains("c") && !seen.contains("d"))
        #expect(seen.latest == ["a", "c"])
        #expect(seen.lastListed["a"] == at(days: 3))
        #expect(seen.lastListed["b"] == at(days: 1))
    }

    @Test func limitForgetsTheOldestButNeverTheLatestListing() {
        var seen = SeenKeys()
        seen.record(["old"], at: at(days: 0))
        seen.record(["mid"], at: at(days: 1))
        seen.record(["new1", "new2", "new3"], at: at(days: 2))
        #expect(seen.limit(to: 5) == 0)
        #expect(seen.limit(to: 4) == 2, "down to nine tenths of 4")
        #expect(seen.lastListed.keys.sorted() == ["new1", "new2", "new3"])
        #expect(seen.limit(to: 1) == 0)
        #expect(seen.lastListed.keys.sorted() == ["new1", "new2", "new3"])
        #expect(seen.limit(to: 10) == 0)
    }

    @Test func insertAddsAKeyWithoutTouchingTheLatestListing() {
        var seen = SeenKeys()
        seen.record(["a"], at: at(days: 0))
        let inserted = [seen.insert("r", at: at(days: 5)), seen.insert("a", at: at(days: 5))]
        #expect(inserted == [true, false])
        #expect(seen.latest == ["a"])
        #expect(seen.lastListed == ["a": at(days: 0), "r": at(days: 5)])
    }

    @Test func forgetDropsKeysNotListedSinceTheCutoff() {
        var seen = SeenKeys()
        seen.record(["old1", "old2", "mid"], at: at(days: 0))
        seen.record(["mid"], at: at(days: 10))
        seen.record(["new"], at: at(days: 20))
        let forgotten = seen.forget(notListedSince: at(days: 5), keepingAtLeast: 0)
        #expect(forgotten == 2)
        #expect(seen.lastListed.keys.sorted() == ["mid", "new"])
    }

    @Test func forgetNeverDropsAKeyOfTheLatestListingHoweverOld() {
        var seen = SeenKeys()
        seen.record(["gone"], at: at(days: 0))
        seen.record(["a", "b"], at: at(days: 1))
        // The feed has failed for a year: its last listing is old, but still what it serves.
        let forgotten = seen.forget(notListedSince: at(days: 365), keepingAtLeast: 0)
        #expect(forgotten == 1)
        #expect(seen.lastListed.keys.sorted() == ["a", "b"])
    }

    @Test func forgetKeepsAtLeastTheMinimumDroppingTheOldestFirst() {
        var seen = SeenKeys()
        for day in 0..<5 { seen.record(["k\(day)"], at: at(days: Double(day))) }
        seen.record(["now"], at: at(days: 100))
        let first = seen.forget(notListedSince: at(days: 50), keepingAtLeast: 3)
        #expect(first == 3)
        #expect(seen.lastListed.keys.sorted() == ["k3", "k4", "now"])
        let again = [
            seen.forget(notListedSince: at(days: 50), keepingAtLeast: 3),
            seen.forget(notListedSince: at(days: 50), keepingAtLeast: 10),
        ]
        #expect(again == [0, 0])
        #expect(seen.count == 3)
    }

    @Test func fileRoundTripKeepsKeysTimesAndTheLatestListing() throws {
        var seen = SeenKeys()
        seen.record(["a", "https://example.com/x/", "quote\"d", "é😀"], at: at(days: 0))
        seen.record(["a", "b"], at: at(days: 1))
        seen.insert("replayed", at: at(days: 1))
        let bytes = seen.fileBytes()
        #expect(try SeenKeys.decode(bytes, path: "seen.json") == seen)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"latest":[{"at":"2026-11-30T07:00:00Z","keys":["a","b"]}],"earlier":["#))
        #expect(text.contains("https://example.com/x/"))
        #expect(bytes == seen.fileBytes())
    }

    @Test(arguments: [
        "", "{}", "[]", #"{"latest":[],"earlier":[{"at":"yesterday","keys":["a"]}]}"#,
        #"{"latest":[{"at":"2026-11-29T07:00:00Z","keys":"a"}],"earlier":[]}"#, #"{"latest":[],"earlier":["#,
    ])
    func filesThatAreNotSeenKeysAreCorrupt(text: String) {
        #expect(throws: StoreError.self) { try SeenKeys.decode(Array(text.utf8), path: "seen.json") }
    }
}
