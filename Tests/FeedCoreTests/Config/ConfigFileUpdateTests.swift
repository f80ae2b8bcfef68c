import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// `ConfigFile.update`: the config is replaced whole or not at all, through symbolic links, keeping its mode, and
/// the temporary files of updates killed before their rename are cleaned up, never taken for the config.
@Suite struct ConfigFileUpdateTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("{\"feeds\": []}\n", to: "feeds.json")
    }

    private func update(_ text: String?, at name: String = "feeds.json") throws -> ConfigFile.Written? {
        try ConfigFile.update(path: directory.path(name)) { _ in text.map { Array($0.utf8) } }
    }

    /// The pid of a process that has exited.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func theNewContentReplacesTheOldAndNoTemporaryFileStays() throws {
        let written = try update("{\"feeds\": [\"https://a.example/\"]}\n")
        #expect(written?.target == directory.url.resolvingSymlinksInPath().appendingPathComponent("feeds.json").path)
        #expect(written?.targetInAnotherFolder == false)
        #expect(try directory.read("feeds.json") == "{\"feeds\": [\"https://a.example/\"]}\n")
        #expect(try directory.names() == ["feeds.json"])
    }

    @Test func anEditThatWritesNothingOrIsRefusedLeavesTheFileAsItWas() throws {
        #expect(try update(nil) == nil)
        #expect(throws: ConfigFile.UpdateFailure.refused(["no"])) {
            try ConfigFile.update(path: directory.path("feeds.json")) { _ throws(ConfigFile.UpdateFailure) in
                throw .refused(["no"])
            }
        }
        #expect(try directory.read("feeds.json") == "{\"feeds\": []}\n")
        #expect(try directory.names() == ["feeds.json"])
    }

    @Test func theEditSeesTheCurrentBytes() throws {
        var seen: [UInt8] = []
        _ = try ConfigFile.update(path: directory.path("feeds.json")) { current in
            seen = current
            return nil
        }
        #expect(String(decoding: seen, as: UTF8.self) == "{\"feeds\": []}\n")
    }

    @Test func aMissingFileIsAnIOFailureNamingIt() throws {
        #expect(throws: ConfigFile.UpdateFailure.self) { try update("{}", at: "none.json") }
        #expect(!FileManager.default.fileExists(atPath: directory.path("none.json")))
    }

    @Test func modeIsKept() throws {
        chmod(directory.path("feeds.json"), 0o600)
        _ = try update("{\"feeds\": []}")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.path("feeds.json"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func aSymbolicLinkChainIsFollowedToTheFileWhichIsReplacedInItsOwnFolder() throws {
        try FileManager.default.createDirectory(atPath: directory.path("real"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: directory.path("feeds.json"), toPath: directory.path("real/c.json"))
        let files = FileManager.default
        try files.createSymbolicLink(atPath: directory.path("mid.json"), withDestinationPath: "real/c.json")
        try files.createSymbolicLink(atPath: directory.path("feeds.json"), withDestinationPath: "mid.json")
        let written = try update("{\"feeds\": [\"https://b.example/\"]}")
        #expect(written?.target == directory.url.resolvingSymlinksInPath().appendingPathComponent("real/c.json").path)
        #expect(written?.targetInAnotherFolder == true)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.path("feeds.json")) == "mid.json")
        #expect(try directory.read("feeds.json") == "{\"feeds\": [\"https://b.example/\"]}")
        #expect(try directory.names(in: "real") == ["c.json"])
    }

    @Test func leftoversOfKilledUpdatesAreRemovedAndThoseOfLiveProcessesKept() throws {
        let dead = ".feeds.json\(ConfigFile.temporaryInfix)\(try deadPID())"
        let live = ".feeds.json\(ConfigFile.temporaryInfix)1"
        let others = [".feeds.json.tmp-12", ".other.json\(ConfigFile.temporaryInfix)\(try deadPID())"]
        for name in [dead, live] + others { try directory.write("{\"feeds\": [", to: name) }
        _ = try update("{\"feeds\": []}")
        #expect(try directory.names() == ([live, "feeds.json"] + others).sorted())
        // The config itself is never one of them, and still loads.
        #expect((try? ConfigFile.load(path: directory.path("feeds.json")).get()) != nil)
    }
}
