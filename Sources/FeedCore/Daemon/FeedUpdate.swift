import Foundation

/// What one fetch of a feed changes: the stories to log, the feed's new state and seen keys, how the schedule
/// should take it, and the line to log. Pure: the `Journal` writes it, in its order.
struct FeedUpdate {
    /// A fetch as it came back from the network and the parser, before anything is decided.
    struct Fetched: Sendable {
        var outcome: FetchOutcome
        /// The parse of a `.fresh` body.
        var parsed: Result<ParsedFeed, ParseError>?
        var started: Date
        var finished: Date
    }

    var feed: FeedID
    var stories: [Story] = []
    var state: FeedState
    /// The state before this fetch, restored when the stories cannot be written.
    var previousState: FeedState
    /// The new seen keys; nil when they did not change.
    var seen: SeenKeys?
    var result: Schedule.FetchResult
    var event: (level: Logger.Level, message: String, fields: KeyValuePairs<String, CustomStringConvertible?>)
    /// The feed moved permanently to a new URL with this fetch.
    var movedTo: String?

    /// Decides what `fetched` means for `feed`.
    /// - Parameter seen: the feed's seen keys as stored; nil when the feed was never fetched successfully.
    static func apply(_ fetched: Fetched, feed: FeedConfig, state previous: FeedState, seen: SeenKeys?) -> FeedUpdate {
        var state = previous
        let now = fetched.finished
        let milliseconds = Int(fetched.finished.timeIntervalSince(fetched.started) * 1000)
        state.lastAttempt = fetched.started
        state.configURL = feed.url.absoluteString
        var update = FeedUpdate(
            feed: feed.id, state: state, previousState: previous, seen: nil, result: .cancelled,
            event: (.debug, "fetch cancelled", ["feed": feed.id]))
        switch fetched.outcome {
        case .fresh(_, _, let validators, let permanentRedirect, let cacheFor):
            update.notePermanentRedirect(permanentRedirect)
            switch fetched.parsed {
            case .success(let parsed):
                var keys = seen
                let (stories, changed) = NewStories.select(parsed, feed: feed, seen: &keys, now: now)
                update.stories = stories
                update.seen = changed ? keys : nil
                update.succeed(status: 200, found: stories.count, now: now)
                update.state.etag = validators.etag
                update.state.lastModified = validators.lastModified
                // A document that names no site says nothing about it: the link an earlier one gave stays.
                if let site = parsed.url { update.state.siteURL = site }
                let hints = PublisherHints(parsed)
                update.state.publisherHints = hints.isEmpty ? nil : hints
                let findings = Schedule.Findings(
                    publisher: hints, newStories: stories.count, itemDates: parsed.items.compactMap { $0.published ?? $0.updated })
                update.result = .succeeded(hint: cacheFor, findings: findings)
                let status: CustomStringConvertible = feed.url.isFileURL ? FeedState.FileResult.changed.rawValue : 200
                // A poll that finds nothing new is routine: a line per poll only at the debug level.
                update.event = (stories.isEmpty ? .debug : .info, "fetched",
                                ["feed": feed.id, "status": status, "new": stories.count, "ms": milliseconds])
            case .failure(let error):
                // Validators of a body that is no feed are not kept: the next poll must fetch and read it again.
                update.fail(status: 200, error: "\(error)", now: now)
                update.result = .failed(retryAfter: nil, pausesHost: false)
                update.event = (.warning, "fetch failed", ["feed": feed.id, "error": "\(error)",
                                                            "failures": update.state.consecutiveFailures])
            case nil:
                update.fail(status: 200, error: "not parsed", now: now)
                update.result = .failed(retryAfter: nil, pausesHost: false)
            }
        case .notModified(let validators, let permanentRedirect, let cacheFor):
            update.notePermanentRedirect(permanentRedirect)
            update.succeed(status: 304, found: 0, now: now)
            update.state.etag = validators.etag ?? update.state.etag
            update.state.lastModified = validators.lastModified ?? update.state.lastModified
            update.result = .succeeded(hint: cacheFor)
            update.event = (.debug, "not modified", ["feed": feed.id, "ms": milliseconds])
        case .gone:
            update.state.gone = true
            update.state.goneReason = "HTTP 410 Gone at \(FeedDate.format(now)); edit the feed's URL in the config to poll it again"
            update.state.lastStatus = 410
            update.state.lastError = "HTTP 410 Gone"
            update.result = .gone
            update.event = (.warning, "feed gone, polling stopped", ["feed": feed.id, "status": 410])
        case .failed(let error, let retryAfter):
            if case .cancelled = error { return update }
            var status: Int? = nil
            if case .http(let code) = error { status = code }
            update.fail(status: status, error: "\(error)", now: now)
            update.state.retryAfter = retryAfter
            update.result = .failed(retryAfter: retryAfter, pausesHost: retryAfter != nil && (status == 429 || status == 503))
            update.event = (.warning, "fetch failed", ["feed": feed.id, "error": "\(error)",
                                                        "failures": update.state.consecutiveFailures,
                                                        "retry_after": retryAfter.map(FeedDate.format)])
        }
        if feed.url.isFileURL { update.describeFileRead(fetched.outcome) }
        if case .succeeded = update.result, previous.consecutiveFailures > 0 {
            // The end of a failure streak is a change of state, logged like its start.
            update.event = (.info, "feed recovered", ["feed": feed.id, "failures": previous.consecutiveFailures,
                                                      "new": update.stories.count])
        }
        return update
    }

    /// A file has no HTTP status: its state says what the read found instead (see `FeedState.FileResult`).
    private mutating func describeFileRead(_ outcome: FetchOutcome) {
        state.lastStatus = nil
        switch outcome {
        case .fresh: state.fileResult = .changed
        case .notModified: state.fileResult = .unchanged
        case .failed(.fileMissing, _): state.fileResult = .missing
        default: state.fileResult = nil
        }
    }

    private mutating func succeed(status: Int, found: Int, now: Date) {
        state.lastSuccess = now
        state.lastStatus = status
        state.lastFound = found
        state.consecutiveFailures = 0
        state.lastError = nil
        state.retryAfter = nil
    }

    private mutating func fail(status: Int?, error: String, now: Date) {
        state.lastStatus = status
        state.consecutiveFailures += 1
        state.lastError = error
    }

    private mutating func notePermanentRedirect(_ url: URL?) {
        guard let url, url.absoluteString != state.permanentURL else { return }
        state.permanentURL = url.absoluteString
        movedTo = url.absoluteString
    }
}
