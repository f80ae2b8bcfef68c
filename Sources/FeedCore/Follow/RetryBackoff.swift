/// How long a follower waits before running a failed handler again: doubling from `initial` after each failure,
/// never more than `maximum` (a handler down for an hour is tried every `maximum`, not ever more rarely).
struct RetryBackoff: Equatable, Sendable {
    var initial: Double
    var maximum: Double

    /// The wait after the `failures`th failure in a row (1 for the first).
    func delay(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        // 2^62 seconds overflows nothing and is past any maximum.
        let factor = Double(1 << min(failures - 1, 62))
        return min(maximum, initial * factor)
    }
}
