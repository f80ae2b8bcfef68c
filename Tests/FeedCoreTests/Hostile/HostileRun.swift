import Foundation
import Testing

@testable import FeedCore

#if canImport(Glibc)
    import Glibc
#endif

/// The story log read as it grows: each call reads only the bytes appended since the last one, so that a test
/// can poll a log of tens of thousands of lines every few milliseconds without rereading it.
final class LogTail {
    let url: URL
    /// Only lines whose feed id starts with this are parsed and kept.
    let feedPrefix: [UInt8]
    private var offset: UInt64 = 0
    private var partial = Data()
    /// Every complete line read so far whose feed id starts with the prefix, parsed; nil for a line that does not
    /// parse.
    private(set) var stories: [StoryLine?] = []

    init(_ url: URL, feedPrefix: String = "") {
        self.url = url
        self.feedPrefix = Array(#"{"feed":"\#(feedPrefix)"#.utf8)
    }

    /// Reads the complete lines appended since the last call.
    func poll() {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        // The log shrank: cut back by a failed batch, or rotated. Read it again from the start.
        if size < offset {
            offset = 0
            partial = Data()
        }
        guard size > offset, (try? handle.seek(toOffset: offset)) != nil,
            let data = try? handle.read(upToCount: Int(size - offset))
        else { return }
        offset += UInt64(data.count)
        partial.append(data)
        var start = partial.startIndex
        while let newline = partial[start...].firstIndex(of: 0x0A) {
            let line = partial[start..<newline]
            if line.starts(with: feedPrefix) { stories.append(StoryLine.parse(line: ArraySlice(line))) }
            start = newline + 1
        }
        partial = Data(partial[start...])
    }

    /// The ids logged for `feed`, in log order.
    func ids(of feed: String) -> [String] {
        stories.compactMap { $0?.feed.rawValue == feed ? $0?.id : nil }
    }
}

/// What /proc says of a process's memory.
enum ProcessMemory {
    /// The high-water mark of the process's resident set over its life (`VmHWM`), in bytes; nil when the process is
    /// gone.
    static func peak(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        // `VmHWM:\t   35840 kB`
        let line = text.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let fields = line?.split(whereSeparator: \.isWhitespace) ?? []
        return fields.count >= 2 ? Int(fields[1]).map { $0 * 1024 } : nil
    }

    /// Waits for `child` to exit, `patience` seconds at most (then kills it), reading its `VmHWM` every 20 ms: the
    /// mark only grows, so the last reading before the exit is the run's peak, within its last 20 ms.
    /// - Returns: the exit status (nil: killed), the peak in bytes (0 if never read), and the seconds it took.
    static func watch(_ child: FeeddProcess, patience: TimeInterval) async
        -> (status: Int32?, peak: Int, seconds: Double)
    {
        let started = Date()
        var peak = 0
        while child.process.isRunning && Date().timeIntervalSince(started) < patience {
            peak = max(peak, ProcessMemory.peak(of: child.pid) ?? 0)
            try? await Task.sleep(for: .milliseconds(20))
        }
        let status = await child.wait(timeout: 0.1)
        return (status, peak, Date().timeIntervalSince(started))
    }
}

extension Workspace {
    /// `feedd status --json`, one row per feed by id.
    func status() async throws -> [String: [String: Any]] {
        let run = try await FeeddProcess.run(["status", "--json"], directory: directory, timeout: 30)
        var rows: [String: [String: Any]] = [:]
        for line in run.stdout.split(separator: "\n") {
            if let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let feed = row["feed"] as? String
            {
                rows[feed] = row
            }
        }
        return rows
    }
}

/// A `feedd run` over hostile feeds (routes `/hostile/<name>.xml` on 127.0.0.1) and three good farm feeds (on
/// `localhost`), polled every second with a 2 s timeout; each hostile route turns good when `recovered` is set.
final class HostileRun {
    typealias Behaviour = HostileServerTests.Behaviour
    let farm: FeedFarm
    let recovered = Flag(false)
    /// When the servers turned good: the date of their new versions.
    let recoveredAt = Box(Date.distantPast)
    let workspace: Workspace
    let daemon: FeeddProcess
    /// The good feeds' lines, read as they come.
    let goodLog: LogTail
    /// Every line, read when the checks need them.
    let log: LogTail
    private let store: FeedStateStore

    /// The feeds of the config, as JSON array elements.
    private let feedList: String

    /// The config over `feeds`, polled every second with a fetch timeout of `timeout` seconds.
    static func config(feeds: String, timeout: Int) -> String {
        #"{"state_dir": "state", "interval": "1s", "timeout": "\#(timeout)s", "concurrency": 16, "#
            + #""per_host_concurrency": 8, "feeds": [\#(feeds)]}"#
    }

    /// The fetch timeout, in whole seconds: 2 on a plain build, longer under a sanitizer (`TestEnvironment`).
    static let timeout = Int(TestEnvironment.scaled(2).rounded(.up))
    /// How late a good feed's new story may be logged: the interval, plus the timeout (a hostile feed may hold the
    /// host's slots that long), plus a second for the work of the pass and of this check on a machine the parallel
    /// suite keeps busy (3.02 s was seen against a bound of 3 s without it). A daemon that hostile feeds block
    /// would go past the check's 10 s.
    static let lagBound = 1 + TimeInterval(timeout) + TestEnvironment.scaled(1)

    init(server: TestHTTPServer, behaviours: [Behaviour]) throws {
        farm = FeedFarm(server: server, feeds: 3, items: 2)
        var feeds: [String] = []
        for index in 0..<3 {
            let url = farm.url(index).replacingOccurrences(of: "127.0.0.1", with: "localhost")
            feeds.append(#"{"id": "good-\#(index)", "url": "\#(url)"}"#)
        }
        for behaviour in behaviours {
            let path = "/hostile/\(behaviour.name).xml"
            // The same stories, whole this time, and one more.
            let body = TestHTTPServer.rss(guids: behaviour.guids.sorted() + ["\(behaviour.name)-recovered"])
            var good = TestHTTPServer.document(body, etag: "\"good\"")
            if behaviour.goodLastModified {
                let date = recoveredAt
                good = { request in TestHTTPServer.document(body, lastModified: HTTPDate.format(date.value))(request) }
            }
            server.route(path, TestHTTPServer.hostile(behaviour.handler, until: recovered, then: good))
            feeds.append(#"{"id": "\#(behaviour.name)", "url": "\#(server.url(path))"}"#)
        }
        workspace = try Workspace()
        feedList = feeds.joined(separator: ", ")
        try workspace.writeConfig(Self.config(feeds: feedList, timeout: Self.timeout))
        store = FeedStateStore(directory: workspace.directory.appendingPathComponent("state"))
        goodLog = LogTail(workspace.logURL, feedPrefix: "good-")
        log = LogTail(workspace.logURL)
        daemon = try FeeddProcess(["run"], directory: workspace.directory)
    }

    /// Kills the daemon if it still runs and removes the workspace.
    func close() {
        daemon.signal(SIGKILL)
        workspace.remove()
    }

    /// Whether feedd has tried the feed of `behaviour` at least once.
    func attempted(_ behaviour: Behaviour) -> Bool {
        store.loadState(FeedID(behaviour.name))?.lastAttempt != nil
    }

    /// Waits for the good feeds' first stories, then adds a story to one good feed after another and measures how
    /// long each takes to be logged, for at least `seconds` and until `done` holds (40 s at most).
    /// - Returns: the lags, in seconds; empty when the first stories never came.
    func watchGoodFeeds(atLeast seconds: TimeInterval, until done: () -> Bool) async -> [TimeInterval] {
        let first = await FeeddProcess.eventually {
            goodLog.poll()
            return (0..<3).allSatisfy { Set(goodLog.ids(of: "good-\($0)")) == farm.guids($0) }
        }
        guard first else { return [] }
        let started = Date()
        var lags: [TimeInterval] = []
        var round = 0
        while Date().timeIntervalSince(started) < seconds || !done() {
            guard Date().timeIntervalSince(started) < TestEnvironment.scaled(40) else { break }
            let index = round % 3
            round += 1
            farm.grow(index)
            let guid = farm.guid(index, farm.guids(index).count - 1)
            let grown = Date()
            _ = await FeeddProcess.eventually(timeout: TestEnvironment.scaled(10)) {
                goodLog.poll()
                return goodLog.ids(of: "good-\(index)").contains(guid)
            }
            lags.append(Date().timeIntervalSince(grown))
        }
        return lags
    }

    /// Checks the daemon while the servers misbehave: it runs, the good feeds were on time (`lags` under
    /// `lagBound`), its memory's high-water mark is under `memoryBound`, and each
    /// hostile feed shows the reason it expects in `feedd status` (or no error, and its stories), free of control
    /// characters.
    /// - Returns: `feedd status --json` by feed.
    @discardableResult
    func checkWhileHostile(_ behaviours: [Behaviour], lags: [TimeInterval], memoryBound: Int) async throws
        -> [String: [String: Any]]
    {
        #expect(daemon.process.isRunning, "\(daemon.stderr.suffix(2000))")
        #expect(
            !lags.isEmpty && lags.max()! < Self.lagBound,
            "good feeds late (s): \(lags.map { ($0 * 100).rounded() / 100 })")
        let peak = try #require(ProcessMemory.peak(of: daemon.pid))
        #expect(peak < memoryBound * TestEnvironment.memoryFactor, "VmHWM \(peak >> 20) MB")
        let status = try await workspace.status()
        log.poll()
        for behaviour in behaviours {
            let row = status[behaviour.name]
            let reason = row?["last_error"] as? String
            if behaviour.errors.isEmpty {
                #expect(reason == nil, "\(behaviour.name): last_error \(reason ?? "nil")")
                // A document cut short may yield only the items before the cut.
                if behaviour.name != "length-too-small" {
                    #expect(
                        behaviour.guids.isSubset(of: log.ids(of: behaviour.name)), "\(behaviour.name): stories missing")
                }
            } else {
                #expect(
                    behaviour.errors.contains { reason?.contains($0) == true },
                    "\(behaviour.name): last_error \(reason ?? "nil")")
                #expect(row?["consecutive_failures"] as? Int ?? 0 >= 1, "\(behaviour.name)")
            }
            let controls = reason?.unicodeScalars.filter { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } ?? []
            #expect(
                controls.isEmpty, "\(behaviour.name): last_error carries control characters \(controls.map(\.value))")
        }
        let raw = daemon.stderr.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" }
        #expect(raw.isEmpty, "the daemon's stderr carries control characters \(Set(raw.map(\.value)).sorted())")
        return status
    }

    /// Stops the daemon (SIGTERM: exit 0), turns every hostile server good (each serves its stories whole, and one
    /// more) and runs `feedd once`: each story is logged exactly once, nothing else is logged, failures are reset,
    /// and no line is torn.
    func stopRecoverAndCheck(_ behaviours: [Behaviour]) async throws {
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0, "\(daemon.stderr.suffix(2000))")
        recoveredAt.value = Date()
        recovered.value = true
        // The recovery pass checks what is logged, not how fast: a generous timeout, so that a machine slowed by a
        // sanitizer and other work does not turn a good server into a timeout.
        try workspace.writeConfig(Self.config(feeds: feedList, timeout: 60))
        let once = try await FeeddProcess.run(["once"], directory: workspace.directory, timeout: 300)
        #expect(once.status == 0, "\(once.stderr.suffix(2000))")
        let status = try await workspace.status()
        log.poll()
        #expect(log.stories.allSatisfy { $0 != nil }, "a line of the log does not parse")
        #expect((try? Data(contentsOf: workspace.logURL))?.last == 0x0A, "the log ends with a torn line")
        let all = log.stories.compactMap { $0.map { "\($0.feed.rawValue) \($0.id)" } }
        let twice = Dictionary(grouping: all) { $0 }.filter { $0.value.count > 1 }.keys
        #expect(twice.isEmpty, "logged twice: \(twice.sorted().prefix(5))")
        for behaviour in behaviours {
            let row = status[behaviour.name]
            #expect(row?["last_error"] is NSNull, "\(behaviour.name) after recovery: \(row?["last_error"] ?? "no row")")
            #expect(row?["consecutive_failures"] as? Int == 0, "\(behaviour.name) after recovery")
            let ids = log.ids(of: behaviour.name)
            let good = "\(behaviour.name)-recovered"
            #expect(ids.filter { $0 == good }.count == 1, "\(behaviour.name) after recovery: \(ids.suffix(3))")
            #expect(behaviour.guids.isSubset(of: ids), "\(behaviour.name) after recovery: stories missing")
            let unexpected = Set(ids).subtracting(behaviour.guids).subtracting([good])
            #expect(
                unexpected.isEmpty,
                "\(behaviour.name) logged stories it never served whole: \(unexpected.sorted().prefix(3))")
        }
    }
}
