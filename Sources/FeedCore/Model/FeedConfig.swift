import Foundation

/// One feed as the configuration asks for it, with every default applied.
public struct FeedConfig: Sendable, Equatable {
    public var id: FeedID
    /// An http(s) or file URL.
    public var url: URL
    /// The title the config gives; the feed's own title is used when nil.
    public var title: String?
    public var enabled: Bool
    /// Seconds between polls; with `auto`, the shortest the learned interval may be.
    public var interval: TimeInterval
    /// Set when `interval` is `"auto"`: the feed is polled as often as it publishes, within these bounds.
    public var auto: AutoInterval?
    /// Seconds a whole fetch may take.
    public var timeout: TimeInterval
    /// Extra request headers.
    public var headers: [String: String]
    public var userAgent: String
    /// How many of a new feed's current items its first fetch logs; nil logs them all.
    public var backfill: Int?
    public var tags: [String]
    /// Whether each new story's page is fetched and its article logged with the story (`fulltext`).
    public var fulltext: Bool

    public init(
        id: FeedID, url: URL, title: String? = nil, enabled: Bool = true, interval: TimeInterval = 900,
        timeout: TimeInterval = 30, headers: [String: String] = [:], userAgent: String = Config.defaultUserAgent,
        backfill: Int? = nil, tags: [String] = [], fulltext: Bool = false, auto: AutoInterval? = nil
    ) {
        self.id = id
        self.url = url
        self.title = title
        self.enabled = enabled
        self.interval = interval
        self.timeout = timeout
        self.headers = headers
        self.userAgent = userAgent
        self.backfill = backfill
        self.tags = tags
        self.fulltext = fulltext
        self.auto = auto
    }
}

/// The bounds of an `"interval": "auto"`: `min_interval` (default 5m) and `max_interval` (default 1d).
public struct AutoInterval: Sendable, Equatable {
    public var minimum: TimeInterval
    public var maximum: TimeInterval

    public static let defaultMinimum: TimeInterval = 300
    public static let defaultMaximum: TimeInterval = 86400

    public init(minimum: TimeInterval = defaultMinimum, maximum: TimeInterval = defaultMaximum) {
        self.minimum = minimum
        self.maximum = maximum
    }
}
