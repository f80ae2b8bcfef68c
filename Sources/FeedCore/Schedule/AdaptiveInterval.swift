import Foundation

/// The interval of a feed whose `interval` is `"auto"`: learned from the feed's own pace of publication.
///
/// The pace is a mean gap between stories, estimated two ways and blended: from the dates of the document's newest
/// items, and from when polls actually found new stories (which also serves feeds without dates). A poll costs a
/// fetch, and a story found late costs its delay; for stories arriving every `gap` seconds, polling every `I`
/// seconds costs `1/I` fetches and `I/(2·gap)` of delay per second, whose weighted sum is least at
/// `I = √(2·gap/λ)`. So the interval grows as the square root of the gap: `√(gap × reference)`, within
/// `min_interval` and `max_interval`. While a feed stays silent for longer than its gap, the silence stands in for
/// the gap, so that the interval grows gradually over polls that find nothing.
enum AdaptiveInterval {
    /// Seconds of delay a fetch is worth, in effect: the interval is `√(gap × reference)`. With 300 s, a feed that
    /// publishes hourly is polled every 17 minutes, a daily one every 85 minutes, a weekly one every 3.7 hours.
    /// Chosen with `schedule-sim` (bench/schedule-sim.sh): 120 s saved too few fetches, 500 s made the median
    /// feed that publishes daily or more wait longer than 15 minutes.
    static let reference: TimeInterval = 300
    /// How many of the newest item dates the dated estimate uses: recent enough to follow a change of pace.
    static let window = 10
    /// Weight of a poll's observation in the moving average of observed gaps.
    static let weight = 0.3
    /// A date this far ahead of the clock is an error of the feed, not a story.
    static let futureSlack: TimeInterval = 3600

    /// What the poll at `now` teaches about the feed's pace.
    /// - Parameters:
    ///   - newStories: how many stories the poll found that were never seen before.
    ///   - itemDates: the dates of the document's items (published, else updated); nil when there was no document
    ///     (a 304), which leaves the dated estimate as it was.
    static func learn(_ previous: PublicationRate?, newStories: Int, itemDates: [Date]?, now: Date) -> PublicationRate {
        var rate = previous ?? PublicationRate()
        if let itemDates {
            let dates = itemDates.filter { $0 <= now + futureSlack }.map { min($0, now) }.sorted(by: >)
            rate.newestItem = dates.first ?? rate.newestItem
            rate.datedGap = datedGap(dates, now: now)
        }
        if let last = rate.lastNew, newStories > 0 {
            let sample = max(1, now.timeIntervalSince(last)) / Double(newStories)
            rate.observedGap = rate.observedGap.map { exp((1 - weight) * log($0) + weight * log(sample)) } ?? sample
            rate.lastNew = now
        } else if rate.lastNew == nil {
            // The first poll finds the whole document new, which says nothing of its pace: the last story came out
            // when its date says, else (no dates) now.
            rate.lastNew = rate.newestItem ?? now
        }
        return rate
    }

    /// The mean gap the newest dates show: `window` stories (at most) over the time from the oldest of them to
    /// now, which counts the silence since the newest as part of the pace (the Poisson estimate of a rate). Nil
    /// with fewer than three distinct dates: dates all alike are those of a feed that stamps every item with the
    /// time it was generated.
    static func datedGap(_ newestFirst: [Date], now: Date) -> TimeInterval? {
        let recent = Array(newestFirst.prefix(window + 1))
        guard Set(recent).count >= 3, let oldest = recent.last else { return nil }
        return max(1, now.timeIntervalSince(oldest)) / Double(recent.count - 1)
    }

    /// The interval for `rate` at `now`, within `bounds`.
    static func interval(_ rate: PublicationRate?, bounds: AutoInterval, now: Date) -> TimeInterval {
        guard let rate else { return bounds.minimum }
        let gap: TimeInterval?
        switch (rate.datedGap, rate.observedGap) {
        case (let dated?, let observed?): gap = (dated * observed).squareRoot()
        case (let dated?, nil): gap = dated
        case (nil, let observed?): gap = observed
        case (nil, nil): gap = nil
        }
        let lastSeen = [rate.lastNew, rate.newestItem].compactMap { $0 }.max()
        let silence = lastSeen.map { max(0, now.timeIntervalSince($0)) } ?? 0
        let effective = max(gap ?? 0, silence)
        return min(bounds.maximum, max(bounds.minimum, (effective * reference).squareRoot()))
    }
}
