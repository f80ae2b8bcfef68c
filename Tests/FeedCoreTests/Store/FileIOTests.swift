import Foundation
import Testing

@testable import FeedCore

@Suite struct FileIOTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test(arguments: [false, true])
    func atomicReplaceLeavesNoTempFileAndKeepsTheMode(durable: Bool) throws {
        try directory.write("old", to: "state.json")
        chmod(directory.path("state.json"), 0o600)
        try FileIO.atomicReplace(directory.path("state.json"), with: Array("new".utf8), durable: durable)
        #expect(try directory.read("state.json") == "new")
        #expect(try directory.names() == ["state.json"])
        let mode = try #require(try FileIO.status(path: directory.path("state.json"))).st_mode & 0o7777
        #expect(mode == 0o600)
    }

    @Test func atomicReplaceCreatesAMissingFile() throws {
        try FileIO.atomicReplace(directory.path("new.json"), with: Array("{}".utf8), durable: true)
        #expect(try directory.read("new.json") == "{}")
        #expect(try directory.names() == ["new.json"])
    }

    @Test func failedReplaceRemovesItsTempFileAndKeepsTheOldContent() throws {
        try directory.write("old", to: "state.json")
        // A directory where the temp file's rename must land: rename(2) fails with EISDIR.
        try FileManager.default.createDirectory(atPath: directory.path("taken"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: directory.path("taken/x"), withIntermediateDirectories: false)
        #expect(throws: StoreError.self) {
            try FileIO.atomicReplace(directory.path("taken"), with: Array("new".utf8), durable: false)
        }
        #expect(try directory.names() == ["state.json", "taken"])
    }

    @Test func writeWritesABufferLargerThanOneWriteMayTake() throws {
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let path = directory.path("big")
        let fd = try FileIO.open(path, O_WRONLY | O_CREAT | O_APPEND)
        defer { FileIO.close(fd) }
        try FileIO.write(fd, bytes, path: path)
        #expect(try FileIO.readFile(path) == bytes)
    }

    @Test func readFileReadsEmptyAndGrowingFiles() throws {
        try directory.write("", to: "empty")
        #expect(try FileIO.readFile(directory.path("empty")).isEmpty)
        let text = String(repeating: "line\n", count: 10_000)
        try directory.write(text, to: "text")
        #expect(try FileIO.readFile(directory.path("text")) == Array(text.utf8))
    }

    @Test func openIsCloseOnExec() throws {
        let fd = try FileIO.open(directory.path("f"), O_WRONLY | O_CREAT)
        defer { FileIO.close(fd) }
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func failuresNameThePathTheCallAndTheReason() {
        let path = directory.path("missing/file")
        #expect(throws: StoreError.io(path: path, operation: "open", errno: ENOENT)) {
            try FileIO.open(path, O_RDONLY)
        }
        let error = StoreError.io(path: "/var/lib/feedd/stories.jsonl", operation: "write", errno: ENOSPC)
        #expect(error.description == "/var/lib/feedd/stories.jsonl: write failed: No space left on device")
    }

    @Test func makeDirectoriesCreatesParentsWithMode0755AndAcceptsExistingOnes() throws {
        let path = directory.path("a/b/c")
        try FileIO.makeDirectories(path)
        try FileIO.makeDirectories(path)
        // The process's umask applies; changing it here would race with the other tests.
        let expected = 0o755 & ~(try processUmask())
        for created in ["a", "a/b", "a/b/c"] {
            let info = try #require(try FileIO.status(path: directory.path(created)))
            #expect(info.st_mode & S_IFMT == S_IFDIR)
            #expect(info.st_mode & 0o7777 == expected)
        }
    }

    @Test func entriesOfAMissingDirectoryAreNone() throws {
        #expect(try FileIO.entries(of: directory.path("missing")) == [])
        try directory.write("", to: ".hidden")
        #expect(try FileIO.entries(of: directory.path) == [".hidden"])
    }

    @Test func removeOfAMissingFileIsNotAnError() throws {
        try FileIO.remove(directory.path("missing"))
    }

    @Test func syncFileSystemAndDirectorySucceedOnARealDirectory() throws {
        try FileIO.syncFileSystem(of: directory.path)
        try FileIO.syncDirectory(directory.path)
    }

    private func processUmask() throws -> mode_t {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        return try #require(mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8))
    }
}
