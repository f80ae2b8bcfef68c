import Foundation

/// A named, durable reader of the story log (`feedd follow NAME`): hands every line after its cursor to its
/// handler, in log order, and saves the cursor durably after each line handled, so that a restarted follower
/// resumes where it stopped (Kafka's consumer group, for one reader).
///
/// The cursor moves only past a line that was handled: a failing command is retried with `backoff` until it
/// succeeds or the follower is stopped, never skipped. Every story is therefore handled at least once, and exactly
/// once unless the follower dies between the handler's end and the cursor's save. Not thread-safe; runs on the
/// caller's thread until `stop` is requested.
final class Follower {
    /// What is done with each story.
    enum Handler {
        /// Written to `output` (readable as `tail` shows it, or the raw line): `writeAll` flushes, so a line is out
        /// before the cursor passes it. Lines read together are written together and the cursor saved once after
        /// them: one fsync per batch, not per line, when a long backlog is printed.
        case print(Output, raw: Bool)
        /// Run once per story, one at a time.
        case exec(StoryCommand)
    }

    /// How the follower ended.
    enum Outcome: Equatable {
        /// Stopped on request, the cursor saved after the last story handled.
        case stopped
        /// Standard output was closed: nobody reads what would be printed.
        case outputClosed
    }

    let name: FollowerName
    private let stream: StoryStream
    private let handler: Handler
    private let cursorPath: String
    private let backoff: RetryBackoff
    private let logger: Logger
    private let stop: StopRequest
    private let pollInterval: Double
    private let sleep: (Double) -> Void
    /// The most lines printed, and so read ahead, before the cursor is saved.
    private let batchLimit = 512

    init(
        name: FollowerName, stream: StoryStream, handler: Handler, cursorPath: String, backoff: RetryBackoff,
        logger: Logger, stop: StopRequest, pollInterval: Double = 0.1, sleep: @escaping (Double) -> Void
    ) {
        self.name = name
        self.stream = stream
        self.handler = handler
        self.cursorPath = cursorPath
        self.backoff = backoff
        self.logger = logger
        self.stop = stop
        self.pollInterval = pollInterval
        self.sleep = sleep
    }

    /// Reads and handles lines until a stop is requested (or, printing, until standard output is closed).
    func run() throws(StoreError) -> Outcome {
        while !stop.isRequested {
            switch handler {
            case .print(let output, let raw):
                var lines: [StoryStream.Line] = []
                while lines.count < batchLimit, let line = try stream.next() { lines.append(line) }
                guard let last = lines.last else {
                    sleep(pollInterval)
                    continue
                }
                let text = lines.compactMap { line -> String? in
                    guard !line.bytes.isEmpty else { return nil }
                    return TailCommand.format(String(decoding: line.bytes, as: UTF8.self), raw: raw) + "\n"
                }.joined()
                guard output.writeAll(Array(text.utf8)) else { return .outputClosed }
                try last.cursor.save(to: cursorPath)
            case .exec(let command):
                guard let line = try stream.next() else {
                    sleep(pollInterval)
                    continue
                }
                guard try handle(line, with: command) else { return .stopped }
                try line.cursor.save(to: cursorPath)
            }
        }
        return .stopped
    }

    /// Runs `command` for `line` until it succeeds; returns false when a stop came first (the line is not handled).
    private func handle(_ line: StoryStream.Line, with command: StoryCommand) throws(StoreError) -> Bool {
        guard !line.bytes.isEmpty else { return true }
        guard let story = StoryLine.parse(line: line.bytes[...]) else {
            // Not written by feedd (someone edited the log): no story to hand over, and nothing to wait for.
            logger.warning(
                "line is not a story, skipped",
                ["follower": name, "file": line.cursor.file, "offset": line.cursor.lineStart])
            return true
        }
        var failures = 0
        while true {
            switch command.run(line: line.bytes, story: story, stop: stop) {
            case .succeeded:
                if failures > 0 {
                    logger.info(
                        "handler succeeded after failing",
                        ["follower": name, "feed": story.feed, "id": story.id, "failures": failures])
                }
                return true
            case .interrupted:
                logger.warning(
                    "handler interrupted by stop, story will be handled again on the next start",
                    ["follower": name, "feed": story.feed, "id": story.id])
                return false
            case .failed(let reason):
                failures += 1
                let delay = backoff.delay(afterFailures: failures)
                logger.warning(
                    "handler failed, not moving past the story",
                    [
                        "follower": name, "feed": story.feed, "id": story.id, "error": reason, "failures": failures,
                        "retry_in": DurationSyntax.format(delay),
                    ])
                guard pause(delay) else { return false }
            }
        }
    }

    /// Sleeps `seconds` in steps of the poll interval; false when a stop is requested meanwhile.
    private func pause(_ seconds: Double) -> Bool {
        var left = seconds
        while left > 0 {
            if stop.isRequested { return false }
            let step = min(left, pollInterval)
            sleep(step)
            left -= step
        }
        return !stop.isRequested
    }
}
