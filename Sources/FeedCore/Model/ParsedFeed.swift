import Foundation

/// A feed document in the normalized shape every format is turned into (README.md, "feedd parse output").
public struct ParsedFeed: Sendable, Equatable {
    public var format: FeedFormat
    public var title: String?
    /// The site the feed belongs to (RSS `link`, Atom `link rel=alternate`).
    public var url: String?
    /// The feed's own address (`atom:link rel=self`).
    public var feedURL: String?
    public var description: String?
    public var language: String?
    public var updated: Date?
    /// RSS `<ttl>` in minutes: how long the publisher asks readers to wait between polls.
    public var ttlMinutes: Int?
    /// `sy:updatePeriod` (RSS 1.0 syndication module): hourly, daily, weekly, monthly or yearly, as given.
    public var updatePeriod: String?
    /// `sy:updateFrequency`: how many updates per `updatePeriod`.
    public var updateFrequency: Int?
    /// `sy:updateBase`: the date updates are counted from.
    public var updateBase: Date?
    /// RSS `<skipHours>`: the `<hour>` values as given (0-23 UTC; some feeds write 24 for 0).
    public var skipHours: [Int] = []
    /// RSS `<skipDays>`: the `<day>` names as days of the week, 0 Sunday … 6 Saturday.
    public var skipDays: [Int] = []
    public var items: [ParsedItem]
    /// Problems met while reading a document that could still be recovered, one readable line each.
    public var problems: [String]

    public init(format: FeedFormat) {
        self.format = format
        self.items = []
        self.problems = []
    }
}

/// One story of a feed, normalized.
public struct ParsedItem: Sendable, Equatable {
    /// RSS `guid`, Atom `id`, JSON Feed `id`, as given.
    public var guid: String?
    /// Plain text: entities decoded, markup removed, whitespace collapsed.
    public var title: String?
    public var url: String?
    public var author: String?
    public var published: Date?
    public var updated: Date?
    /// Markup as the feed gives it.
    public var summary: String?
    /// Markup as the feed gives it.
    public var content: String?
    public var categories: [String]
    public var enclosures: [Enclosure]

    public init() {
        self.categories = []
        self.enclosures = []
    }
}

/// A file attached to a story: RSS `enclosure`, Atom `link rel=enclosure`, Media RSS content.
public struct Enclosure: Sendable, Equatable {
    public var url: String
    public var type: String?
    public var length: Int?

    public init(url: String, type: String? = nil, length: Int? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}
