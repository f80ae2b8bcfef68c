import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// A configuration that is one of the files the state directory's writer owns, however it is reached.
@Suite struct StateDirectoryFilesTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    static let config = #"{"feeds": []}"#

    /// The directory's path as commands see a state directory: absolute and standardized.
    var root: String { directory.url.standardizedFileURL.path }

    private func collision(_ config: String, _ state: String) -> StateDirectoryFiles.ConfigCollision? {
        let stateDirectory = URL(fileURLWithPath: root + "/" + state).standardizedFileURL
        return StateDirectoryFiles.collision(config: root + "/" + config, stateDirectory: stateDirectory)
    }

    @Test func theNamesFeeddWrites() {
        for name in [
            "feed-states.json", "feed-states.changes-0.jsonl", "feeds.changes-12.jsonl", "stories.jsonl",
            "stories-20261129T070000Z.jsonl", "stories-20261129T070000Z-2.jsonl", "checkpoint.json",
            ".feed-states.json.tmp-123",
        ] {
            #expect(StateDirectoryFiles.role(of: name) != nil, "\(name)")
        }
        for name in [
            "feeds.json", "feedd.json", "config.json", "seen", "feed-states.json.corrupt-20261129T070000Z",
            ".feeds.json.tmp-123", ".feed-states.json.tmp-", ".feed-states.json.tmp-12x",
        ] {
            #expect(StateDirectoryFiles.role(of: name) == nil, "\(name)")
        }
        #expect(StateDirectoryFiles.seenRole(of: "ladaily.json") != nil)
        #expect(StateDirectoryFiles.seenRole(of: ".ladaily.json.tmp-9") != nil)
        #expect(StateDirectoryFiles.seenRole(of: "notes.txt") == nil)
    }

    /// `feeds.json` beside the state files is the layout `"state_dir": "."` makes: allowed.
    @Test func aConfigBesideTheStateFilesIsNoCollision() throws {
        try directory.write(Self.config, to: "feeds.json")
        try directory.write("", to: "stories.jsonl")
        #expect(collision("feeds.json", ".") == nil)
        #expect(collision("feeds.json", "state-not-made-yet") == nil)
    }

    @Test func aConfigNamedAsAStateFileInTheStateDirectory() throws {
        for name in ["feed-states.json", "stories.jsonl", "checkpoint.json", "feed-states.changes-0.jsonl"] {
            try directory.write(Self.config, to: name)
            let found = try #require(collision(name, "."), "\(name)")
            #expect(found.file == root + "/" + name)
            #expect(found.description.hasPrefix("the configuration \(root)/\(name) is \(root)/\(name), "))
            try FileManager.default.removeItem(atPath: directory.path(name))
        }
    }

    @Test func aConfigInTheSeenFolderNamedAsASeenFile() throws {
        try FileManager.default.createDirectory(atPath: directory.path("seen"), withIntermediateDirectories: false)
        try directory.write(Self.config, to: "seen/feeds.json")
        #expect(collision("seen/feeds.json", ".")?.role == "a seen-keys file")
        try directory.write(Self.config, to: "seen/feeds.conf")
        #expect(collision("seen/feeds.conf", ".") == nil)
    }

    /// By resolved path: a symlink to the states file, a state directory reached through a symlink, `..`.
    @Test func symlinksAndDotsAreResolved() throws {
        try directory.write(Self.config, to: "feed-states.json")
        #expect(symlink("feed-states.json", directory.path("feeds.json")) == 0)
        #expect(collision("feeds.json", ".")?.file == root + "/feed-states.json")
        #expect(symlink(".", directory.path("link")) == 0)
        #expect(collision("feed-states.json", "link")?.file == root + "/link/feed-states.json")
        try FileManager.default.createDirectory(atPath: directory.path("sub"), withIntermediateDirectories: false)
        #expect(collision("sub/../feed-states.json", ".") != nil)
    }

    /// By device and inode: the story log a hard link of the configuration, or a symlink to it.
    @Test func linksInTheStateDirectoryToTheConfigAreFound() throws {
        try directory.write(Self.config, to: "feeds.json")
        try FileManager.default.createDirectory(atPath: directory.path("state"), withIntermediateDirectories: false)
        #expect(link(directory.path("feeds.json"), directory.path("state/stories.jsonl")) == 0)
        #expect(collision("feeds.json", "state")?.file == root + "/state/stories.jsonl")
        try FileManager.default.removeItem(atPath: directory.path("state/stories.jsonl"))
        #expect(symlink(directory.path("feeds.json"), directory.path("state/feed-states.changes-0.jsonl")) == 0)
        #expect(collision("feeds.json", "state")?.role == "a changes file of the feed states")
    }

    /// A crash mid-replace leaves feedd's temp files, removed at the next start; beside the configuration, an
    /// editor's or a script's temp file of it is not feedd's to remove.
    @Test func onlyFeeddsOwnTempFilesAreRemovedAtStart() throws {
        try FileManager.default.createDirectory(atPath: directory.path("seen"), withIntermediateDirectories: false)
        let feedds = [".feed-states.json.tmp-12", ".checkpoint.json.tmp-3", "seen/.ladaily.json.tmp-4"]
        let others = [".feeds.json.tmp-12", ".feeds.json.tmp-x", ".notes.tmp-5", "seen/.notes.txt.tmp-1"]
        for name in feedds + others { try directory.write("x", to: name) }
        FeedStateStore(directory: directory.url).removeLeftoverTempFiles()
        for name in feedds { #expect(!FileManager.default.fileExists(atPath: directory.path(name)), "\(name)") }
        for name in others { #expect(FileManager.default.fileExists(atPath: directory.path(name)), "\(name)") }
    }
}
