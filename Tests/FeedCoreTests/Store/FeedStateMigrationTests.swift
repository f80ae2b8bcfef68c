import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// The states file under its old name, `feeds.json`, which is also the configuration's name: adopted when its
/// content is feed states, never touched when it is a configuration.
@Suite struct FeedStateMigrationTests {
    let directory: TemporaryDirectory
    let store: FeedStateStore

    init() throws {
        directory = try TemporaryDirectory()
        store = FeedStateStore(directory: directory.url)
    }

    static let config = #"{"state_dir": ".", "feeds": [{"id": "a", "url": "https://example.org/feed"}]}"# + "\n"

    private func inode(_ name: String) throws -> UInt64 {
        UInt64(try #require(try FileIO.status(path: directory.path(name))).st_ino)
    }

    /// An old states file with a changes file for it, as an older feedd left them.
    private func writeLegacyFiles() throws -> UInt64 {
        let states = #"{"a":{"etag":"\"v1\"","last_status":200},"b":{"last_status":404}}"#
        try directory.write(states + "\n", to: "feeds.json")
        let inode = try inode("feeds.json")
        try directory.write(#"{"b":{"last_status":304}}"# + "\n", to: "feeds.changes-\(inode).jsonl")
        // A changes file of an older states file, which a crash left behind: never applied.
        try directory.write(#"{"a":{"last_status":500}}"# + "\n", to: "feeds.changes-1.jsonl")
        return inode
    }

    private static let expected = [
        FeedID("a"): FeedState(etag: "\"v1\"", lastStatus: 200), FeedID("b"): FeedState(lastStatus: 304),
    ]

    @Test func readersReadAnOldStatesFileWithItsChangesAndRenameNothing() throws {
        let inode = try writeLegacyFiles()
        #expect(store.allStates() == Self.expected)
        #expect(try directory.names() == ["feeds.changes-1.jsonl", "feeds.changes-\(inode).jsonl", "feeds.json"])
    }

    @Test func theDaemonAdoptsAnOldStatesFileAndItsChangesKeepingTheInode() throws {
        let inode = try writeLegacyFiles()
        #expect(try store.adoptLegacyStates())
        store.removeLeftoverTempFiles()
        #expect(try directory.names() == ["feed-states.changes-\(inode).jsonl", "feed-states.json"])
        #expect(try self.inode("feed-states.json") == inode)
        #expect(try store.loadStates() == Self.expected)
        // The next save compacts the changes into the new file.
        try store.saveStates(try store.loadStates())
        #expect(try directory.names() == ["feed-states.json"])
        #expect(store.allStates() == Self.expected)
    }

    @Test func aConfigurationNamedFeedsJSONIsNeverAdoptedNorReadAsStates() throws {
        try directory.write(Self.config, to: "feeds.json")
        // Even one whose feeds array is empty, or with fields in any order.
        for text in [Self.config, #"{"feeds": []}"#, #"{"interval": "5m", "feeds": ["https://example.org/"]}"#] {
            try directory.write(text, to: "feeds.json")
            #expect(store.allStates().isEmpty)
            #expect(try !store.adoptLegacyStates())
            #expect(try directory.read("feeds.json") == text)
            #expect(try directory.names() == ["feeds.json"])
        }
    }

    @Test func aFeedsJSONThatIsNeitherIsLeftAlone() throws {
        for text in ["{not json", #"{"a": 1}"#, "[]", ""] {
            try directory.write(text, to: "feeds.json")
            #expect(try store.loadStates().isEmpty)
            #expect(try !store.adoptLegacyStates())
            #expect(try directory.read("feeds.json") == text)
        }
    }

    /// Once the new file exists it is the only states file: an old one beside it (an older feedd run after the
    /// adoption) is left as it is.
    @Test func theNewFileWinsOverAnOldOneBesideIt() throws {
        try store.saveStates([FeedID("a"): FeedState(lastStatus: 304)])
        try directory.write(#"{"a":{"last_status":200}}"#, to: "feeds.json")
        #expect(try !store.adoptLegacyStates())
        #expect(store.allStates() == [FeedID("a"): FeedState(lastStatus: 304)])
        #expect(try directory.names() == ["feed-states.json", "feeds.json"])
    }

    /// Changes an older feedd appended before it wrote its first states file.
    @Test func oldChangesWithoutAStatesFileAreReadAndAdopted() throws {
        try directory.write(#"{"a":{"last_status":200}}"# + "\n", to: "feeds.changes-0.jsonl")
        #expect(store.allStates() == [FeedID("a"): FeedState(lastStatus: 200)])
        #expect(try !store.adoptLegacyStates())
        store.removeLeftoverTempFiles()
        #expect(try directory.names() == ["feed-states.changes-0.jsonl"])
        #expect(store.allStates() == [FeedID("a"): FeedState(lastStatus: 200)])
    }

    /// The daemon's start adopts, logs it, and carries on with the states: through `Journal`, as `run` and `once`.
    @Test func openingTheStateDirectoryAdoptsAndSaysSo() throws {
        _ = try writeLegacyFiles()
        let sink = MemoryLogSink()
        let logger = Logger(sink: sink, threshold: .debug, timestamps: false)
        let journal = try Journal(directory: directory.url, maxBytes: 1 << 20, logger: logger, clock: { Date() })
        defer { journal.close() }
        #expect(journal.states == Self.expected)
        #expect(sink.lines.contains { $0.contains("feed states file renamed from=feeds.json to=feed-states.json") })
        #expect(try !directory.names().contains("feeds.json"))
    }
}
