import Foundation

/// What a feed document says about when to poll it: RSS `ttl`, the RSS 1.0 syndication module's
/// `sy:updatePeriod`/`sy:updateFrequency`/`sy:updateBase`, and RSS `skipHours`/`skipDays`. Kept in the feed's
/// state, since a 304 carries no document and the hints of the last one still hold.
public struct PublisherHints: Codable, Equatable, Sendable {
    /// RSS 2.0 `<ttl>`: minutes a reader may cache the channel, as seconds.
    public var ttl: TimeInterval?
    /// `sy:updatePeriod` divided by `sy:updateFrequency`: the publisher updates the feed this often, in seconds.
    public var updateStep: TimeInterval?
    /// `sy:updateBase`: the date the publisher's updates are counted from, so that polls can land just after them.
    public var updateBase: Date?
    /// RSS 2.0 `<skipHours>`: hours of the day (UTC, 0-23) in which readers should not poll, sorted.
    public var skipHours: [Int]
    /// RSS 2.0 `<skipDays>`: days (UTC; 0 Sunday … 6 Saturday, as `tm_wday`) on which readers should not poll, sorted.
    public var skipDays: [Int]

    public init(
        ttl: TimeInterval? = nil, updateStep: TimeInterval? = nil, updateBase: Date? = nil, skipHours: [Int] = [],
        skipDays: [Int] = []
    ) {
        self.ttl = ttl
        self.updateStep = updateStep
        self.updateBase = updateBase
        self.skipHours = skipHours
        self.skipDays = skipDays
    }

    /// Whether the document gave no hint at all.
    public var isEmpty: Bool { self == PublisherHints() }

    private enum CodingKeys: String, CodingKey {
        case ttl
        case updateStep = "update_step"
        case updateBase = "update_base"
        case skipHours = "skip_hours"
        case skipDays = "skip_days"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            ttl: try container.decodeIfPresent(TimeInterval.self, forKey: .ttl),
            updateStep: try container.decodeIfPresent(TimeInterval.self, forKey: .updateStep),
            updateBase: try container.decodeIfPresent(Date.self, forKey: .updateBase),
            skipHours: try container.decodeIfPresent([Int].self, forKey: .skipHours) ?? [],
            skipDays: try container.decodeIfPresent([Int].self, forKey: .skipDays) ?? [])
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(ttl, forKey: .ttl)
        try container.encodeIfPresent(updateStep, forKey: .updateStep)
        try container.encodeIfPresent(updateBase, forKey: .updateBase)
        if !skipHours.isEmpty { try container.encode(skipHours, forKey: .skipHours) }
        if !skipDays.isEmpty { try container.encode(skipDays, forKey: .skipDays) }
    }
}

extension PublisherHints {
    /// The hints a parsed document gives; skip lists are cleaned (24 read as 0, out of range dropped, sorted).
    public init(_ feed: ParsedFeed) {
        self.init(
            ttl: feed.ttlMinutes.flatMap { $0 > 0 ? TimeInterval($0) * 60 : nil },
            updateStep: Self.step(period: feed.updatePeriod, frequency: feed.updateFrequency),
            updateBase: feed.updateBase,
            skipHours: Set(feed.skipHours.map { $0 == 24 ? 0 : $0 }.filter { (0...23).contains($0) }).sorted(),
            skipDays: Set(feed.skipDays.filter { (0...6).contains($0) }).sorted())
    }

    /// Seconds between updates for `sy:updatePeriod` (hourly, daily, weekly, monthly, yearly; default daily)
    /// and `sy:updateFrequency` (updates per period; default 1), as the RSS 1.0 syndication module defines them.
    /// Nil when the document names neither.
    static func step(period: String?, frequency: Int?) -> TimeInterval? {
        guard period != nil || frequency != nil else { return nil }
        let seconds: TimeInterval
        switch period?.lowercased() ?? "daily" {
        case "hourly": seconds = 3600
        case "daily": seconds = 86400
        case "weekly": seconds = 7 * 86400
        case "monthly": seconds = 30 * 86400
        case "yearly": seconds = 365 * 86400
        default: return nil
        }
        let times = frequency ?? 1
        guard times > 0 else { return nil }
        return seconds / TimeInterval(times)
    }
}
