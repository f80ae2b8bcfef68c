import Foundation

/// What a poll tells the schedule beyond success, and why a feed's next poll is when it is.
extension Schedule {
    /// What a successful poll found that bears on when to poll next.
    struct Findings: Equatable {
        /// The document's polling hints; nil when there was no document (a 304: the last ones still hold).
        var publisher: PublisherHints?
        /// Stories never seen before.
        var newStories = 0
        /// The dates of the document's items (published, else updated); nil when there was no document.
        var itemDates: [Date]?
    }

    /// Why a feed's next poll is when it is, for `feedd status` ("in 5h (skipHours)").
    enum DueReason: Equatable, CustomStringConvertible {
        case interval
        /// An `"interval": "auto"` feed's learned interval.
        case auto(TimeInterval)
        case ttl
        case updatePeriod
        /// `Cache-Control: max-age` or `Expires`.
        case cacheHeaders
        case skipHours
        case skipDays
        case backoff
        case retryAfter

        var description: String {
            switch self {
            case .interval: "interval"
            case .auto(let seconds): "auto \(DurationSyntax.format(seconds < 60 ? seconds.rounded() : (seconds / 60).rounded() * 60))"
            case .ttl: "ttl"
            case .updatePeriod: "sy:updatePeriod"
            case .cacheHeaders: "Cache-Control"
            case .skipHours: "skipHours"
            case .skipDays: "skipDays"
            case .backoff: "backoff"
            case .retryAfter: "Retry-After"
            }
        }
    }
}
