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

        /// The size of the body fetched; 0 when there was none.
        var bodyBytes: Int {
            if case .fresh(let body, _, _, _, _) = outcome { return body.count }
            return 0
        }
    }

    var feed: FeedID
    var stories: [Story] = []
    /// How many new stories the feed's filters dropped: seen, never logged.
    var filtered = 0
    var state: FeedState
    /// The state before this fetch, restored when the stories cannot be written.
    var previousState: FeedState
    /// The new seen keys; nil when they did not change.
    var seen: SeenKeys?
    var result: Schedule.FetchResult
    var event: (level: Logger.Level, message: String, fields: KeyValuePairs<String, CustomStringConvertible?>)
    /// What the fetch came to, as `feedd_fetches_total` labels it: `200`, `304`, `410`, or the kind of error.
    var resultLabel = "cancelled"
    /// The feed moved permanently to a new URL with this fetch.
    var movedTo: String?
    /// How long the fetch took and the size of its body, for the metrics.
    var seconds: Double = 0
    var bodyBytes = 0

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
        update.seconds = fetched.finished.timeIntervalSince(fetched.started)
        update.bodyBytes = fetched.bodyBytes
        switch fetched.outcome {
        case .fresh(_, _, let validators, let permanentRedirect, let cacheFor):
            update.notePermanentRedirect(permanentRedirect)
            switch fetched.parsed {
            case .success(let parsed):
                var keys = seen
                let (stories, changed, filtered) = NewStories.select(parsed, feed: feed, seen: &keys, now: now)
                update.stories = stories
                update.filtered = filtered
                update.state.filtered += filtered
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
                                ["feed": feed.id, "status": status, "new": stories.count, "filtered": filtered > 0 ? filtered : nil,
                                 "ms": milliseconds])
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
        update.resultLabel = Self.resultLabel(fetched)
        if feed.url.isFileURL { update.describeFileRead(fetched.outcome) }
        if case .succeeded = update.result, previous.consecutiveFailures > 0 {
            // The end of a failure streak is a change of state, logged like its start.
            update.event = (.info, "feed recovered", ["feed": feed.id, "failures": previous.consecutiveFailures,
                                                      "new": update.stories.count])
        }
        return update
    }

    /// The label of `fetched` for the metrics: a bounded set, since each value is a time series of its own.
    static func resultLabel(_ fetched: Fetched) -> String {
        switch fetched.outcome {
        case .fresh:
            if case .failure = fetched.parsed { return "parse_error" }
            return "200"
        case .notModified: return "304"
        case .gone: return "410"
        case .failed(let error, _):
            switch error {
            case .timeout: return "timeout"
            case .network: return "network"
            case .tls: return "tls"
            case .http(let status): return "http_\(status)"
            case .tooLarge: return "too_large"
            case .emptyBody: return "empty_body"
            case .tooManyRedirects: return "too_many_redirects"
            case .file: return "file_error"
            case .fileMissing: return "file_missing"
            case .cancelled: return "cancelled"
            }
        }
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
