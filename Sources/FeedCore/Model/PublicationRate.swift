import Foundation

/// What feedd has learned of how often a feed publishes, for a feed whose `interval` is `"auto"`. Kept in the
/// feed's state, so that a restart does not start the learning over; see `AdaptiveInterval` for the rules.
public struct PublicationRate: Codable, Equatable, Sendable {
    /// Mean seconds between new stories as polls saw them arrive (a moving average in log space); nil until a
    /// poll after the first one found new stories.
    public var observedGap: TimeInterval?
    /// Mean seconds between the stories of the last document, from their dates; nil when it had too few dates.
    public var datedGap: TimeInterval?
    /// When a poll last found new stories.
    public var lastNew: Date?
    /// The date of the newest story of the last document (not in the future).
    public var newestItem: Date?
    /// The interval the last poll decided on.
    public var interval: TimeInterval?

    public init(
        observedGap: TimeInterval? = nil, datedGap: TimeInterval? = nil, lastNew: Date? = nil, newestItem: Date? = nil,
        interval: TimeInterval? = nil
    ) {
        self.observedGap = observedGap
        self.datedGap = datedGap
        self.lastNew = lastNew
        self.newestItem = newestItem
        self.interval = interval
    }

    private enum CodingKeys: String, CodingKey {
        case observedGap = "observed_gap"
        case datedGap = "dated_gap"
        case lastNew = "last_new"
        case newestItem = "newest_item"
        case interval
    }
}
