import Foundation

/// How a feed's publisher hints move its next poll: ttl, `sy:updatePeriod` and the response's cache lifetime are
/// floors under the interval; skipHours and skipDays move a poll out of the hours and days they name. Everything is
/// capped, so that no document can silence its feed for more than a day.
extension PublisherHints {
    /// The next poll after a successful one at `now`, and why it is then.
    /// - Parameters:
    ///   - interval: the feed's own interval (fixed, or what `AdaptiveInterval` learned).
    ///   - reason: the reason the interval alone gives (`.interval` or `.auto`).
    ///   - cacheFor: how long the response may be cached (`Cache-Control: max-age`, `Expires`).
    ///   - jitter: a factor near 1 that spreads feeds with one interval apart.
    func nextPoll(
        after now: Date, interval: TimeInterval, reason: Schedule.DueReason, cacheFor: TimeInterval?,
        jitter: Double = 1
    ) -> (date: Date, reason: Schedule.DueReason) {
        let cap = max(interval, Schedule.longestHint)
        var wait = interval
        var why = reason
        for (floor, floorReason) in [(ttl, .ttl), (updateStep, .updatePeriod), (cacheFor, .cacheHeaders)]
            as [(TimeInterval?, Schedule.DueReason)]
        {
            if let floor, min(floor, cap) > wait {
                wait = min(floor, cap)
                why = floorReason
            }
        }
        var due = now + wait * jitter
        if why == .updatePeriod, let base = updateBase, let step = updateStep, step > 0 {
            // The publisher updates at base + k × step: poll at the first of those instants not before the floor.
            let steps = (due.timeIntervalSince(base) / step).rounded(.up)
            due = max(due, base + steps * step)
        }
        if let (allowed, skipReason) = firstAllowed(atOrAfter: due) {
            if allowed > due { why = skipReason }
            due = allowed
        } else {
            // Every hour of every day is skipped: once a day all the same.
            why = skipDays.count == 7 ? .skipDays : .skipHours
            due = now + cap
        }
        if due > now + cap { due = now + cap }
        return (due, why)
    }

    /// The first instant at or after `date` that is in no skipped hour or day (UTC), with the rule that moved it
    /// (if it moved); nil when every hour of the week is skipped.
    func firstAllowed(atOrAfter date: Date) -> (Date, Schedule.DueReason)? {
        guard !skipHours.isEmpty || !skipDays.isEmpty else { return (date, .interval) }
        let hours = Set(skipHours)
        let days = Set(skipDays)
        var candidate = date
        var reason = Schedule.DueReason.skipHours
        // A week of hours visits every (day, hour) pair once.
        for _ in 0...(7 * 24) {
            let seconds = Int(candidate.timeIntervalSince1970.rounded(.down))
            let hourStart = Double(seconds - seconds.modulo(3600))
            let day = (seconds.floorDivided(by: 86400) + 4).modulo(7)  // 1970-01-01 was a Thursday.
            if days.contains(day) {
                if candidate == date { reason = .skipDays }
                candidate = Date(timeIntervalSince1970: Double(seconds - seconds.modulo(86400) + 86400))
            } else if hours.contains(seconds.modulo(86400) / 3600) {
                if candidate == date { reason = .skipHours }
                candidate = Date(timeIntervalSince1970: hourStart + 3600)
            } else {
                return (candidate, reason)
            }
        }
        return nil
    }
}

extension Int {
    /// The remainder of division by `divisor` (positive), never negative: dates before 1970 have hours too.
    fileprivate func modulo(_ divisor: Int) -> Int { ((self % divisor) + divisor) % divisor }
    fileprivate func floorDivided(by divisor: Int) -> Int { (self - modulo(divisor)) / divisor }
}
