import Foundation
import Testing

@testable import FeedCore

/// The command line a new user meets first: help, version, and commands that have nothing to show say why
/// instead of printing nothing and exiting 0.
@Suite struct CommandLineTests {
    private struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private func feedd(_ words: [String]) async -> Outcome {
        let stdout = Output.memory()
        let stderr = Output.memory()
        let status = await Feedd.main(arguments: ["feedd"] + words, environment: [:], stdout: stdout, stderr: stderr)
        return Outcome(status: status, stdout: stdout.text, stderr: stderr.text)
    }

    /// A directory with a config of one feed, `ladaily`, and a state directory holding a log of one of its stories.
    private func workspace() throws -> (directory: TemporaryDirectory, config: String, state: String) {
        let directory = try TemporaryDirectory()
        try directory.write(#"{"feeds": [{"id": "ladaily", "url": "https://example.com/feed/"}]}"#, to: "feeds.json")
        try FileManager.default.createDirectory(atPath: directory.path("state"), withIntermediateDirectories: true)
        try directory.write(
            #"{"feed":"ladaily","id":"1","title":"One","url":"https://example.com/1","found":"2026-11-29T07:00:00Z"}"# + "\n",
            to: "state/stories.jsonl")
        return (directory, directory.path("feeds.json"), directory.path("state"))
    }

    @Test func helpWithACommandPrintsThatCommandsHelp() async {
        for command in ["run", "once", "check", "parse", "tail", "status"] {
            let outcome = await feedd(["help", command])
            #expect(outcome.status == 0)
            #expect(outcome.stdout.hasPrefix("Usage: feedd \(command)"), "\(command): \(outcome.stdout.prefix(80))")
        }
        #expect(await feedd(["help", "nosuch"]).status == 2)
    }

    @Test func versionIsACommandAndAnOption() async {
        for words in [["version"], ["--version"]] {
            let outcome = await feedd(words)
            #expect(outcome.status == 0)
            #expect(outcome.stdout == "feedd \(Feedd.version)\n")
        }
    }

    @Test func topLevelHelpListsEveryOptionOfTail() async {
        let help = await feedd(["--help"]).stdout
        for option in ["tail [-f] [-n N] [--json] [--feed ID]", "status [--json] [--wide]", "version"] {
            #expect(help.contains(option), "\(option)")
        }
    }

    @Test func tailWithAMissingStateDirectorySaysSo() async throws {
        let (directory, config, _) = try workspace()
        let missing = directory.path("typo")
        for words in [["tail"], ["tail", "-n", "3"]] {
            let outcome = await feedd(words + ["--config", config, "--state", missing])
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("/typo: no such state directory"), "\(outcome.stderr)")
        }
    }

    /// `-f` on a folder that is not there would wait forever for a log no daemon will write.
    @Test func tailFollowingAMissingStateDirectoryExitsAtOnce() async throws {
        let (directory, config, _) = try workspace()
        let run = try await FeeddProcess.run(
            ["tail", "-f", "--config", config, "--state", directory.path("typo")], directory: directory.url, timeout: 15)
        #expect(run.status == 1)
        #expect(run.stderr.contains("no such state directory"), "\(run.stderr)")
    }

    @Test func tailWithoutALogYetSaysSo() async throws {
        let (directory, config, _) = try workspace()
        try FileManager.default.createDirectory(atPath: directory.path("empty"), withIntermediateDirectories: true)
        let outcome = await feedd(["tail", "--config", config, "--state", directory.path("empty")])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("no story log yet"), "\(outcome.stderr)")
    }

    @Test func tailOfAFeedThatIsNotConfiguredSaysSo() async throws {
        let (directory, config, state) = try workspace()
        defer { withExtendedLifetime(directory) {} }
        let outcome = await feedd(["tail", "--feed", "ladialy", "--config", config, "--state", state])
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr.contains(#"no feed "ladialy" is configured"#), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(#"did you mean "ladaily"?"#), "\(outcome.stderr)")
        let known = await feedd(["tail", "--feed", "ladaily", "--config", config, "--state", state])
        #expect(known.status == 0)
        #expect(known.stdout.contains("ladaily  One  https://example.com/1"), "\(known.stdout)")
    }

    @Test func statusWithAMissingConfigExitsTwo() async throws {
        let directory = try TemporaryDirectory()
        let outcome = await feedd(["status", "--config", directory.path("feeds.json"), "--state", directory.path("state")])
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "", "no empty table")
        #expect(outcome.stderr.contains("feeds.json: cannot open"), "\(outcome.stderr)")
    }
}
