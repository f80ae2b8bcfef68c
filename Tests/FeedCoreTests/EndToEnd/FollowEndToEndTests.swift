import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// `feedd follow` as a program uses it: the real binary, a story log written in the contract's format and rotated
/// by rename as the daemon does, an `--exec` handler that appends to a file, and real signals.
@Suite(.serialized) struct FollowEndToEndTests {
    let directory: TemporaryDirectory
    /// Stories rotated away so far, for distinct rotated names.
    private let rotations = Counter()

    init() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("state"), withIntermediateDirectories: true)
        // The handler: appends the story's id (and its stdin's id, to check the line arrives whole) to $OUT; fails
        // while $FAIL_ID's failure counter is below $FAILS.
        try directory.write(
            """
            #!/bin/sh
            line=$(cat)
            if [ "$FEEDD_ID" = "${FAIL_ID:-}" ]; then
                n=$(cat "$OUT.failures" 2>/dev/null || echo 0)
                if [ "$n" -lt "${FAILS:-0}" ]; then
                    echo $((n + 1)) > "$OUT.failures"
                    [ -n "${HANG:-}" ] && sleep 30
                    exit 3
                fi
            fi
            case "$line" in
                *"\\"id\\":\\"$FEEDD_ID\\""*) printf '%s\\n' "$FEEDD_ID" >> "$OUT" ;;
                *) printf 'bad stdin for %s\\n' "$FEEDD_ID" >> "$OUT" ;;
            esac
            """, to: "handler.sh")
        chmod(directory.path("handler.sh"), 0o755)
    }

    var state: String { directory.path("state") }

    /// Appends stories `ids` to the current log, one `write(2)` per line as the daemon does.
    func append(_ ids: [String]) throws {
        let path = state + "/" + LogFiles.current
        let fd = try FileIO.open(path, O_WRONLY | O_APPEND | O_CREAT)
        defer { FileIO.close(fd) }
        for id in ids {
            try FileIO.write(fd, StoryLine.encode(SampleStory.make("news", id: id)) + [0x0A], path: path)
        }
    }

    /// Renames the current log away as `StoryLog.rotateIfNeeded` does; the next append starts a new one.
    func rotate() throws {
        guard FileManager.default.fileExists(atPath: state + "/" + LogFiles.current) else { return }
        let name = LogFiles.rotatedName(at: SampleStory.found, counter: rotations.next())
        try FileIO.rename(state + "/" + LogFiles.current, to: state + "/" + name)
    }

    func follow(_ name: String, _ options: [String] = [], exec: Bool = true, environment: [String: String] = [:])
        throws -> FeeddProcess
    {
        let command = exec ? ["--exec", directory.path("handler.sh")] : []
        var variables = ["OUT": directory.path("handled-\(name)")]
        for (key, value) in environment { variables[key] = value }
        return try FeeddProcess(
            ["follow", name, "--state", "state"] + options + command, directory: directory.url, environment: variables)
    }

    func handled(_ name: String) -> [String] {
        ((try? directory.read("handled-\(name)")) ?? "").split(separator: "\n").map(String.init)
    }

    func ids(_ prefix: String, _ range: Range<Int>) -> [String] { range.map { "\(prefix)\($0)" } }

    /// Every one of `expected` handled, first times in log order (a story handled again after a kill may follow).
    func expectAtLeastOnceInOrder(_ handled: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var firsts: [String] = []
        var seen: Set<String> = []
        for id in handled where seen.insert(id).inserted { firsts.append(id) }
        #expect(firsts == expected, "handled: \(handled)", sourceLocation: sourceLocation)
    }

    // MARK: - Tests

    @Test func aFollowerKilledAtRandomMomentsHandlesEveryStoryInOrderAcrossRotations() async throws {
        try append(ids("s", 0..<20))
        var generator = SystemRandomNumberGenerator()
        let total = 240
        var written = 20
        var kills = 0
        var logs = ""
        while written < total || kills < 12 {
            let child = try follow("k", ["--from", "start", "--retry-min", "50ms"])
            // Stories arrive, and the log rotates, while the follower runs or lies dead.
            for _ in 0..<Int.random(in: 1...4, using: &generator) where written < total {
                let batch = min(total - written, Int.random(in: 1...12, using: &generator))
                try append(ids("s", written..<(written + batch)))
                written += batch
                if Int.random(in: 0..<3, using: &generator) == 0 { try rotate() }
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...120, using: &generator)))
            }
            child.signal(SIGKILL)
            #expect(await child.wait(timeout: TestEnvironment.scaled(30)) != nil)
            logs += child.stderr
            kills += 1
            if Int.random(in: 0..<2, using: &generator) == 0 { try rotate() }
        }
        let last = try follow("k", ["--retry-min", "50ms"])
        let everything = ids("s", 0..<total)
        // The killed followers may have handled everything already: wait for this one to start too, or the SIGTERM
        // would reach it before it takes the signal, and end it as the default action does.
        let done = await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) {
            last.stderr.contains("follower started") && Set(handled("k")).isSuperset(of: everything)
        }
        last.signal(SIGTERM)
        #expect(await last.wait(timeout: TestEnvironment.scaled(30)) == 0, "\(last.stderr.suffix(800))")
        #expect(done, "\(Set(everything).subtracting(handled("k")).count) stories never handled: \(last.stderr.suffix(1500)) \((try? directory.names(in: "state")) ?? [])")
        expectAtLeastOnceInOrder(handled("k"), everything)
        #expect(!handled("k").contains { $0.hasPrefix("bad stdin") })
        #expect(try LogFiles.rotated(in: state).count >= 4, "the test rotated the log")
        // No file was deleted or cut: every restart found its place, none fell back to reading anything again.
        logs += last.stderr
        #expect(!logs.contains("<4>"), "\(logs.split(separator: "\n").filter { $0.hasPrefix("<4>") }.prefix(5))")
    }

    @Test func aFailingHandlerIsRetriedWithBackoffAndNeverSkipped() async throws {
        try append(ids("f", 0..<3))
        let child = try follow(
            "r", ["--from", "start", "--retry-min", "100ms", "--retry-max", "300ms"],
            environment: ["FAIL_ID": "f1", "FAILS": "4"])
        defer { child.signal(SIGKILL) }
        try append(ids("f", 3..<5))
        let done = await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) { handled("r").count == 5 }
        child.signal(SIGTERM)
        #expect(await child.wait(timeout: TestEnvironment.scaled(30)) == 0)
        #expect(done)
        #expect(handled("r") == ids("f", 0..<5), "never skipped, never out of order")
        let failures = child.stderr.split(separator: "\n").filter { $0.contains("handler failed, not moving past the story") }
        #expect(failures.count == 4, "\(child.stderr)")
        #expect(failures.first?.contains("id=f1") == true)
        #expect(failures.first?.contains(#"error="exit status 3""#) == true, "\(failures)")
        #expect(failures.map { $0.contains("retry_in=") } == [true, true, true, true])
        #expect(failures.last?.contains("retry_in=300ms") == true, "backoff doubles up to --retry-max: \(failures)")
        #expect(child.stderr.contains("handler succeeded after failing"))
    }

    @Test func aHandlerPastItsTimeoutIsKilledAndRetried() async throws {
        try append(ids("t", 0..<2))
        let child = try follow(
            "t", ["--from", "start", "--timeout", "500ms", "--retry-min", "50ms"],
            environment: ["FAIL_ID": "t0", "FAILS": "1", "HANG": "1"])
        defer { child.signal(SIGKILL) }
        let done = await FeeddProcess.eventually(timeout: TestEnvironment.scaled(30)) { handled("t").count == 2 }
        child.signal(SIGTERM)
        #expect(await child.wait(timeout: TestEnvironment.scaled(30)) == 0)
        #expect(done)
        #expect(handled("t") == ["t0", "t1"])
        #expect(child.stderr.contains(#"error="timed out after 500ms""#), "\(child.stderr)")
    }

    @Test func aNewNameStartsAtTheEndByDefaultOrAtTheStartAndNamesAreIndependent() async throws {
        try append(ids("old", 0..<3))
        try rotate()
        try append(ids("old", 3..<5))
        let fromEnd = try follow("end")
        let fromStart = try follow("start", ["--from", "start"])
        defer {
            fromEnd.signal(SIGKILL)
            fromStart.signal(SIGKILL)
        }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) {
            fromEnd.stderr.contains("follower started") && handled("start").count == 5
        })
        try append(ids("new", 0..<2))
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) {
            handled("end").count == 2 && handled("start").count == 7
        })
        #expect(handled("end") == ids("new", 0..<2))
        #expect(handled("start") == ids("old", 0..<5) + ids("new", 0..<2))
        // Stopping one name moves nothing for the other; --from means nothing to a name that has a position.
        fromStart.signal(SIGTERM)
        #expect(await fromStart.wait(timeout: TestEnvironment.scaled(30)) == 0)
        try append(ids("later", 0..<2))
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) { handled("end").count == 4 })
        let again = try follow("start", ["--from", "end"])
        defer { again.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) { handled("start").count == 9 })
        #expect(handled("start").suffix(2) == ids("later", 0..<2))
        #expect(handled("end") == ids("new", 0..<2) + ids("later", 0..<2))
    }

    @Test func aSecondFollowerWithTheSameNameIsRefused() async throws {
        try append(ids("l", 0..<1))
        let first = try follow("mail")
        defer { first.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) { first.stderr.contains("follower started") })
        let second = try await FeeddProcess.run(
            ["follow", "mail", "--state", "state", "--exec", "true"], directory: directory.url,
            timeout: TestEnvironment.scaled(30))
        #expect(second.status == 1)
        #expect(second.stderr.contains("follower mail is already running"), "\(second.stderr)")
        #expect(second.stderr.contains("followers/mail.lock"), "\(second.stderr)")
        // Another name is another reader.
        let other = try follow("phone")
        defer { other.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) { other.stderr.contains("follower started") })
        #expect(other.process.isRunning)
        // The lock goes with the process, even one killed with SIGKILL (its handler must not keep it either).
        first.signal(SIGKILL)
        _ = await first.wait(timeout: TestEnvironment.scaled(30))
        let third = try follow("mail")
        defer { third.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) { third.stderr.contains("follower started") })
    }

    @Test func printingFollowerResumesWhereItStoppedAcrossRotation() async throws {
        try append(ids("p", 0..<3))
        let first = try follow("print", ["--from", "start", "--json"], exec: false)
        defer { first.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) {
            first.stdout.split(separator: "\n").count == 3
        })
        first.signal(SIGINT)
        #expect(await first.wait(timeout: TestEnvironment.scaled(30)) == 0)
        #expect(first.stdout.split(separator: "\n").compactMap { StoryLine.parse(line: String($0))?.id } == ids("p", 0..<3))
        try append(ids("p", 3..<5))
        try rotate()
        try append(ids("p", 5..<6))
        let second = try follow("print", [], exec: false)
        defer { second.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) {
            second.stdout.split(separator: "\n").count == 3
        })
        second.signal(SIGTERM)
        #expect(await second.wait(timeout: TestEnvironment.scaled(30)) == 0)
        // Readable lines, as tail shows them: time, feed, title, URL.
        #expect(second.stdout.split(separator: "\n").map(String.init) == (3..<6).map {
            "2026-11-29 07:00  news  Story p\($0)  https://example.com/p\($0)/"
        })
    }

    @Test func aStopLetsTheRunningHandlerFinishAndCountsItsStory() async throws {
        try directory.write("#!/bin/sh\ncat > /dev/null\nsleep 1\nprintf '%s\\n' \"$FEEDD_ID\" >> \"$OUT\"\n", to: "slow.sh")
        chmod(directory.path("slow.sh"), 0o755)
        try append(ids("g", 0..<3))
        let child = try FeeddProcess(
            ["follow", "slow", "--state", "state", "--from", "start", "--exec", directory.path("slow.sh")],
            directory: directory.url, environment: ["OUT": directory.path("handled-slow")])
        defer { child.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) { child.stderr.contains("follower started") })
        try await Task.sleep(for: .milliseconds(300))
        child.signal(SIGTERM)
        #expect(await child.wait(timeout: TestEnvironment.scaled(30)) == 0, "\(child.stderr)")
        #expect(handled("slow") == ["g0"], "the running handler finished, and no other started")
        let restarted = try FeeddProcess(
            ["follow", "slow", "--state", "state", "--exec", directory.path("handler.sh")],
            directory: directory.url, environment: ["OUT": directory.path("handled-slow")])
        defer { restarted.signal(SIGKILL) }
        #expect(await FeeddProcess.eventually(timeout: TestEnvironment.scaled(20)) { handled("slow").count == 3 })
        #expect(handled("slow") == ids("g", 0..<3), "g0 counted as handled: not run again")
    }

    @Test func badUsageExitsTwoWithOneLine() async throws {
        for (arguments, message) in [
            (["follow"], "follow needs a NAME"),
            (["follow", "../x"], "NAME '../x': may hold only letters"),
            (["follow", "a", "--from", "middle"], "--from: 'middle' is neither start nor end"),
            (["follow", "a", "--exec"], "--exec needs a command"),
            (["follow", "a", "--timeout", "soon"], "--timeout: 'soon' is not a duration"),
        ] {
            let result = try await FeeddProcess.run(
                ["follow", "--state", "state"] + arguments.dropFirst(), directory: directory.url,
                timeout: TestEnvironment.scaled(30))
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}

/// A counter shared by a test's helpers.
private final class Counter: @unchecked Sendable {
    // @unchecked: `lock` guards `value`.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
