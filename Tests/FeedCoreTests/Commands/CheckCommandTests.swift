import Foundation
import Testing

@testable import FeedCore

/// `feedd check` in-process: arguments and a real file in, stdout, stderr and the exit status out.
@Suite struct CheckCommandTests {
    private struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private func check(_ words: [String], environment: [String: String] = [:]) async throws -> Outcome {
        let stdout = Output.memory()
        let stderr = Output.memory()
        let status = try await CheckCommand.run(words, environment: environment, stdout: stdout, stderr: stderr)
        return Outcome(status: status, stdout: stdout.text, stderr: stderr.text)
    }

    /// Runs `body` with a fresh directory holding `feeds.json` with `contents`, then removes the directory.
    private func withConfig(_ contents: String, _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "feedd-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("feeds.json").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try await body(path)
    }

    @Test func aValidFileCountsItsFeeds() async throws {
        let json = """
            {"feeds": ["https://a.org/feed", {"url": "https://b.org/feed", "enabled": false}, "file:///srv/c.xml"]}
            """
        try await withConfig(json) { path in
            let outcome = try await check(["--config", path])
            #expect(outcome.status == 0)
            #expect(outcome.stdout == "\(path): OK, 3 feeds (2 enabled)\n")
            #expect(outcome.stderr == "")
        }
    }

    @Test func oneFeedAndNoFeedsReadRight() async throws {
        try await withConfig(#"{"feeds": ["https://a.org/feed"]}"#) { path in
            let outcome = try await check(["--config=\(path)"])
            #expect(outcome.stdout == "\(path): OK, 1 feed (1 enabled)\n")
        }
        try await withConfig(#"{"feeds": []}"#) { path in
            let outcome = try await check(["--config", path])
            #expect(outcome.stdout == "\(path): OK, 0 feeds (0 enabled)\n")
        }
    }

    @Test func everyProblemGoesToStderrOneLineEach() async throws {
        let json = """
            {"feeds": [{"url": "https://a.org/", "intreval": "5m"}, "ftp://b.org/",
                       {"url": "https://c.org/", "enabled": "yes"}]}
            """
        try await withConfig(json) { path in
            let outcome = try await check(["--config", path])
            #expect(outcome.status == 2)
            #expect(outcome.stdout == "")
            #expect(
                outcome.stderr == """
                    \(path): feeds[0].intreval: unknown field (did you mean "interval"?)
                    \(path): feeds[1]: not an http(s) or file URL
                    \(path): feeds[2].enabled: expected true or false, found "yes"

                    """)
        }
    }

    @Test func aSyntaxErrorNamesLineAndColumn() async throws {
        try await withConfig("{\n  \"feeds\": [\n    \"https://a.org/\"\n    \"https://b.org/\"\n  ]\n}\n") { path in
            let outcome = try await check(["--config", path])
            #expect(outcome.status == 2)
            #expect(outcome.stderr == "\(path): line 4, column 5: expected ',' or ']'\n")
        }
    }

    @Test func aMissingFileIsOneProblemNamingThePath() async throws {
        let path = "/nonexistent-\(UUID().uuidString)/feeds.json"
        let outcome = try await check(["--config", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "\(path): cannot open: No such file or directory\n")
    }

    @Test func aDirectoryIsNotAConfigFile() async throws {
        let outcome = try await check(["--config", "/"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "/: cannot read: Is a directory\n")
    }

    @Test func theEnvironmentNamesTheFileUnlessTheOptionDoes() async throws {
        try await withConfig(#"{"feeds": []}"#) { path in
            let fromEnvironment = try await check([], environment: ["FEEDD_CONFIG": path])
            #expect(fromEnvironment.stdout == "\(path): OK, 0 feeds (0 enabled)\n")
            let missing = "/nonexistent-\(UUID().uuidString).json"
            let fromOption = try await check(["--config", missing], environment: ["FEEDD_CONFIG": path])
            #expect(fromOption.stderr == "\(missing): cannot open: No such file or directory\n")
        }
    }

    @Test func theStateOptionIsAccepted() async throws {
        try await withConfig(#"{"feeds": []}"#) { path in
            let outcome = try await check(["--config", path, "--state", "/tmp/nowhere"])
            #expect(outcome.status == 0)
        }
    }

    @Test(arguments: [["--help"], ["-h"]])
    func helpDescribesTheCommand(words: [String]) async throws {
        let outcome = try await check(words)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("Usage: feedd check [--shard K/N] [options]\n"))
        #expect(outcome.stdout.contains("--shard K/N"))
        #expect(outcome.stdout.contains("--config PATH"))
    }

    @Test func operandsAndUnknownOptionsAreUsageErrors() async {
        await #expect(throws: UsageError(message: "check takes no operands, found 'feeds.json'", command: "check")) {
            try await check(["feeds.json"])
        }
        await #expect(throws: UsageError(message: "unknown option --verbose", command: "check")) {
            try await check(["--verbose"])
        }
    }

    @Test func locatePrefersTheOptionThenTheEnvironment() {
        #expect(ConfigFile.locate(explicit: "/a.json", environment: ["FEEDD_CONFIG": "/b.json"]) == "/a.json")
        #expect(ConfigFile.locate(explicit: nil, environment: ["FEEDD_CONFIG": "/b.json"]) == "/b.json")
        #expect(ConfigFile.locate(explicit: nil, environment: ["FEEDD_CONFIG": ""]) == "./feeds.json")
        #expect(ConfigFile.locate(explicit: nil, environment: [:]) == "./feeds.json")
    }

    @Test func theDefaultFileIsNamedWithoutDotSlash() {
        #expect(ConfigFile.displayName("./feeds.json") == "feeds.json")
        #expect(ConfigFile.displayName("/etc/feedd/feeds.json") == "/etc/feedd/feeds.json")
        #expect(ConfigFile.displayName("conf/feeds.json") == "conf/feeds.json")
    }

    // MARK: - Shards

    /// `check --shard K/N` lists the feeds of that shard, one line each, after the summary; the three lists of
    /// 1/3, 2/3 and 3/3 hold every feed once.
    @Test func checkWithAShardListsTheFeedsThatShardHandles() async throws {
        let feeds = (0..<12).map { #"{"id": "feed-\#($0)", "url": "https://example.org/\#($0).xml"}"# }
            + [#"{"id": "off", "url": "https://example.org/off.xml", "enabled": false}"#]
        try await withConfig(#"{"feeds": [\#(feeds.joined(separator: ","))]}"#) { path in
            var listed: [String] = []
            for index in 1...3 {
                let outcome = try await check(["--config", path, "--shard", "\(index)/3"])
                #expect(outcome.status == 0)
                #expect(outcome.stderr == "")
                var lines = outcome.stdout.split(separator: "\n").map(String.init)
                let summary = lines.removeFirst()
                let shard = Shard(index: index, count: 3)!
                let expected = (0..<12).map { "feed-\($0)" }.filter { shard.handles(FeedID($0)) }
                    + (shard.handles(FeedID("off")) ? ["off"] : [])
                let enabled = expected.count - (expected.contains("off") ? 1 : 0)
                let handles = "shard \(index)/3 handles \(expected.count) (\(enabled) enabled):"
                #expect(summary == "\(path): OK, 13 feeds (12 enabled); \(handles)")
                #expect(lines.map { String($0.split(separator: " ")[0]) } == expected)
                for line in lines {
                    let id = line.split(separator: " ")[0]
                    let number = id.dropFirst("feed-".count)
                    let url = id == "off" ? "https://example.org/off.xml disabled" : "https://example.org/\(number).xml"
                    #expect(line == "\(id) \(url)")
                }
                listed += lines
            }
            #expect(listed.count == 13)
        }
    }

    /// The config's "shard" lists its share too, and `--shard` wins over it.
    @Test func theFlagWinsOverTheConfigShard() async throws {
        try await withConfig(#"{"shard": "1/2", "feeds": [{"id": "ladaily", "url": "https://a.org/f"}]}"#) { path in
            // FNV-1a 64 of "ladaily" is odd: shard 2/2 has it, 1/2 does not.
            let fromConfig = try await check(["--config", path])
            #expect(fromConfig.stdout == "\(path): OK, 1 feed (1 enabled); shard 1/2 handles 0 (0 enabled):\n")
            let fromFlag = try await check(["--config", path, "--shard=2/2"])
            let listing = "shard 2/2 handles 1 (1 enabled):\nladaily https://a.org/f\n"
            #expect(fromFlag.stdout == "\(path): OK, 1 feed (1 enabled); \(listing)")
        }
    }

    @Test func aBadShardFlagIsAUsageErrorNamingTheFlag() async throws {
        try await withConfig(#"{"feeds": []}"#) { path in
            for bad in ["0/3", "4/3", "1-3", "x"] {
                await #expect(
                    throws: UsageError(message: "--shard: expected \(Shard.expected), found '\(bad)'", command: "check")
                ) {
                    try await check(["--config", path, "--shard", bad])
                }
            }
            await #expect(throws: UsageError(message: "--shard needs a value", command: "check")) {
                try await check(["--config", path, "--shard"])
            }
        }
    }
}
