import Foundation

/// What `feedd run` did over one summary period, logged as one line instead of a line per poll:
/// `<6>summary polls=1200 new=3 failing=2 feeds=200 period=60s`.
///
/// An unchanged poll (a 304, or a body with nothing new) logs nothing at the default level; new stories,
/// failures and changes of state log their own lines as they happen. At 10,000 feeds a line per poll would be
/// 10,000 lines per interval, in which those few lines drown.
struct PollSummary {
    /// The shortest summary period: a daemon with 10 s feeds logs one line a minute, not six.
    static let shortestPeriod: TimeInterval = 60

    private(set) var polls = 0
    private(set) var new = 0

    /// The period of the summary for `config`: the shortest interval of its enabled feeds, so that every feed is
    /// polled about once per line, but at least `shortestPeriod`.
    static func period(for config: Config) -> TimeInterval {
        let shortest = config.feeds.filter(\.enabled).map(\.interval).min() ?? shortestPeriod
        return max(shortestPeriod, shortest)
    }

    /// Counts one finished poll that found `stories` new stories.
    mutating func count(stories: Int) {
        polls += 1
        new += stories
    }

    /// Logs the period's line and starts the next period.
    /// - Parameters:
    ///   - failing: feeds whose last poll failed, at the end of the period.
    ///   - feeds: feeds configured.
    mutating func log(to logger: Logger, failing: Int, feeds: Int, period: TimeInterval) {
        logger.info(
            "summary", ["polls": polls, "new": new, "failing": failing, "feeds": feeds, "period": "\(Int(period))s"])
        self = PollSummary()
    }
}
