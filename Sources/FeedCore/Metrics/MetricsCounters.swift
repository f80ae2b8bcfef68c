import Foundation
import Synchronization

/// The daemon's counters for `metrics.prom` (README.md, "Metrics"): what happened since the process started.
/// Bumped once per fetch and per write of the log, read once per metrics write; behind a `Mutex` so that any
/// thread may do either, at the cost of an uncontended lock.
final class MetricsCounters: Sendable {
    /// The upper bounds of the fetch-duration histogram, in seconds: from a cached local answer to a timeout.
    static let durationBounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// The counters' values at one moment.
    struct Values: Sendable, Equatable {
        /// Fetches by result: `200`, `304`, `410`, or an error kind (`timeout`, `http_503`, `parse_error`…).
        var fetches: [String: Int] = [:]
        var storiesLogged = 0
        var storiesFiltered = 0
        var bytesFetched = 0
        /// Fetches per histogram bucket, not cumulative: index `i` counts durations up to `durationBounds[i]` and
        /// above the bound before; the last index counts those above every bound.
        var durationBuckets = [Int](repeating: 0, count: MetricsCounters.durationBounds.count + 1)
        var durationSum: Double = 0
    }

    private let values = Mutex(Values())

    /// Counts one finished fetch.
    /// - Parameters:
    ///   - result: its label (see `Values.fetches`).
    ///   - seconds: how long it took.
    ///   - bytes: the body it brought, 0 for none.
    ///   - filtered: the new stories the feed's filters dropped.
    func recordFetch(result: String, seconds: Double, bytes: Int, filtered: Int) {
        let bucket = Self.durationBounds.firstIndex { seconds <= $0 } ?? Self.durationBounds.count
        values.withLock { values in
            values.fetches[result, default: 0] += 1
            values.durationBuckets[bucket] += 1
            values.durationSum += max(0, seconds)
            values.bytesFetched += bytes
            values.storiesFiltered += filtered
        }
    }

    /// Counts stories appended to the log (durably: only a write that succeeded counts).
    func recordLogged(_ count: Int) {
        values.withLock { $0.storiesLogged += count }
    }

    /// The values now.
    var current: Values {
        values.withLock { $0 }
    }
}
