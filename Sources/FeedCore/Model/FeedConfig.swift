import Foundation

/// One feed as the configuration asks for it, with every default applied.
@dynamicMemberLookup
public struct FeedConfig: Sendable, Equatable {
    /// The settings, read and written as the config's own (`feed.url`). They are kept out of line, copied on write
    /// (`CopyOnWrite`): the config, the daemon and the schedule each hold every feed's, and share one copy.
    public struct Fields: Sendable, Equatable {
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
        /// The filters a new story must pass to be logged: the top-level one, then the feed's own (README.md,
        /// "Filters"); empty for none.
        public var filters: [StoryFilter] {
            didSet { filterPlan = FilterPlan.shared(filters) }
        }
        /// `filters`, compiled for matching; made whenever they are set.
        fileprivate(set) var filterPlan: FilterPlan

        public static func == (lhs: Fields, rhs: Fields) -> Bool {
            lhs.id == rhs.id && lhs.url == rhs.url && lhs.title == rhs.title && lhs.enabled == rhs.enabled
                && lhs.interval == rhs.interval && lhs.timeout == rhs.timeout && lhs.headers == rhs.headers
                && lhs.userAgent == rhs.userAgent && lhs.backfill == rhs.backfill && lhs.tags == rhs.tags
                && lhs.fulltext == rhs.fulltext && lhs.auto == rhs.auto && lhs.filters == rhs.filters
        }
    }

    private var box: CopyOnWrite<Fields>

    public subscript<Value>(dynamicMember field: KeyPath<Fields, Value>) -> Value {
        box[field]
    }

    public subscript<Value>(dynamicMember field: WritableKeyPath<Fields, Value>) -> Value {
        get { box[field] }
        set { box[field] = newValue }
    }

    public init(
        id: FeedID, url: URL, title: String? = nil, enabled: Bool = true, interval: TimeInterval = 900,
        timeout: TimeInterval = 30, headers: [String: String] = [:], userAgent: String = Config.defaultUserAgent,
        backfill: Int? = nil, tags: [String] = [], fulltext: Bool = false, auto: AutoInterval? = nil,
        filters: [StoryFilter] = []
    ) {
        box = CopyOnWrite(
            Fields(
                id: id, url: url, title: title, enabled: enabled, interval: interval, auto: auto, timeout: timeout,
                headers: headers, userAgent: userAgent, backfill: backfill, tags: tags, fulltext: fulltext,
                filters: filters, filterPlan: FilterPlan.shared(filters)))
    }

    public static func == (lhs: FeedConfig, rhs: FeedConfig) -> Bool {
        lhs.box == rhs.box
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
