import Foundation

/// What feedd remembers about one feed between fetches and across restarts: validators, redirects, outcome and
/// backoff. Stored with every other feed's in `<state>/feed-states.json` (see `FeedStateStore`); `feedd status`
/// shows it.
@dynamicMemberLookup
public struct FeedState: Codable, Equatable, Sendable {
    /// What the last read of a `file:` feed found, which has no HTTP status to tell it.
    public enum FileResult: String, Codable, Sendable {
        /// The file was read and parsed (or failed to parse) because it changed since the last read.
        case changed
        /// The file's size, modification time and inode were those of the last read: nothing was parsed.
        case unchanged
        /// No file was at the path.
        case missing
    }

    /// The fields, read and written as the state's own (`state.etag`). They are kept out of line, copied on write
    /// (`CopyOnWrite`): the daemon holds a state per feed in a dictionary, whose every slot would otherwise
    /// take the whole struct (384 bytes), and a dictionary of 100,000 feeds has 262,144 slots.
    public struct Fields: Codable, Equatable, Sendable {
        /// The `ETag` of the last 200, sent back as `If-None-Match` (RFC 9110 §13.1.2).
        public var etag: String?
        /// The `Last-Modified` of the last 200, sent back as `If-Modified-Since` (RFC 9110 §13.1.3).
        public var lastModified: String?
        /// Where a permanent redirect (301, 308; RFC 9110 §15.4) moved the feed; fetched instead of the config's URL.
        public var permanentURL: String?
        /// The feed answered 410 Gone (RFC 9110 §15.5.11) and is no longer polled.
        public var gone = false
        public var goneReason: String?
        public var lastAttempt: Date?
        public var lastSuccess: Date?
        /// The HTTP status of the last attempt; nil when it got no response, and for `file:` feeds.
        public var lastStatus: Int?
        /// What the last read of a `file:` feed found; nil for http(s) feeds and when the read failed otherwise.
        public var fileResult: FileResult?
        /// How many new stories the last successful fetch found.
        public var lastFound = 0
        public var consecutiveFailures = 0
        /// How many new stories the feed's filters dropped (README.md, "Filters"), over the feed's whole history.
        public var filtered = 0
        public var nextDue: Date?
        public var lastError: String?
        /// Not before this time, as a 429 or 503 `Retry-After` asked (RFC 9110 §10.2.3).
        public var retryAfter: Date?
        /// The URL the config gave when this state was made; see `reconcile(withConfigURL:)`.
        public var configURL: String?
        /// The site the feed belongs to (RSS channel `link`, Atom `link rel="alternate"`, JSON Feed `home_page_url`),
        /// as the last fetch with a body that named one gave it: `feedd export` writes it as `htmlUrl`.
        public var siteURL: String?
        /// The polling hints of the last document that gave any (`PublisherHints`); a 304 keeps them.
        public var publisherHints: PublisherHints?
        /// What an `"interval": "auto"` feed's polls have learned of its pace.
        public var publicationRate: PublicationRate?
        /// Why `nextDue` is when it is: `interval`, `auto 42m`, `ttl`, `skipHours`, `backoff`… (see `Schedule.DueReason`).
        public var nextDueReason: String?

        private enum CodingKeys: String, CodingKey {
            case etag
            case lastModified = "last_modified"
            case permanentURL = "permanent_url"
            case gone
            case goneReason = "gone_reason"
            case lastAttempt = "last_attempt"
            case lastSuccess = "last_success"
            case lastStatus = "last_status"
            case fileResult = "file_result"
            case lastFound = "last_found"
            case consecutiveFailures = "consecutive_failures"
            case filtered
            case nextDue = "next_due"
            case lastError = "last_error"
            case retryAfter = "retry_after"
            case configURL = "config_url"
            case siteURL = "site_url"
            case publisherHints = "publisher_hints"
            case publicationRate = "publication_rate"
            case nextDueReason = "next_due_reason"
        }
    }

    private var box: CopyOnWrite<Fields>

    public subscript<Value>(dynamicMember field: WritableKeyPath<Fields, Value>) -> Value {
        get { box[field] }
        set { box[field] = newValue }
    }

    public init(
        etag: String? = nil, lastModified: String? = nil, permanentURL: String? = nil, gone: Bool = false,
        goneReason: String? = nil, lastAttempt: Date? = nil, lastSuccess: Date? = nil, lastStatus: Int? = nil,
        fileResult: FileResult? = nil, lastFound: Int = 0, consecutiveFailures: Int = 0, filtered: Int = 0,
        nextDue: Date? = nil, lastError: String? = nil, retryAfter: Date? = nil, configURL: String? = nil,
        siteURL: String? = nil, publisherHints: PublisherHints? = nil, publicationRate: PublicationRate? = nil,
        nextDueReason: String? = nil
    ) {
        box = CopyOnWrite(
            Fields(
                etag: etag, lastModified: lastModified, permanentURL: permanentURL, gone: gone, goneReason: goneReason,
                lastAttempt: lastAttempt, lastSuccess: lastSuccess, lastStatus: lastStatus, fileResult: fileResult,
                lastFound: lastFound, consecutiveFailures: consecutiveFailures, filtered: filtered, nextDue: nextDue,
                lastError: lastError, retryAfter: retryAfter, configURL: configURL, siteURL: siteURL,
                publisherHints: publisherHints, publicationRate: publicationRate, nextDueReason: nextDueReason))
    }

    /// Forgets what belonged to the feed's old address when the config now gives it another: a user who edits
    /// the URL of a gone or moved feed means the new one. Validators, redirect, gone, backoff, the due time
    /// and the site link are reset (the new URL is due at once); the history fields stay for `feedd status`.
    /// - Returns: whether anything was reset.
    @discardableResult
    public mutating func reconcile(withConfigURL url: String) -> Bool {
        guard box.value.configURL != url else { return false }
        let old = box.value
        self = FeedState(
            lastAttempt: old.lastAttempt, lastSuccess: old.lastSuccess, lastStatus: old.lastStatus,
            fileResult: old.fileResult, lastFound: old.lastFound, filtered: old.filtered, lastError: old.lastError,
            configURL: url)
        return true
    }

    /// A state of these fields.
    init(fields: Fields) {
        box = CopyOnWrite(fields)
    }

    /// All the fields at once, to read many.
    var fields: Fields { box.value }

    public static func == (lhs: FeedState, rhs: FeedState) -> Bool {
        lhs.box == rhs.box
    }

    public init(from decoder: Decoder) throws {
        box = CopyOnWrite(try Fields(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        try box.value.encode(to: encoder)
    }
}

extension FeedState.Fields {
    /// Every field is optional in the file, so a state file written before a field existed still loads.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            etag: try container.decodeIfPresent(String.self, forKey: .etag),
            lastModified: try container.decodeIfPresent(String.self, forKey: .lastModified),
            permanentURL: try container.decodeIfPresent(String.self, forKey: .permanentURL),
            gone: try container.decodeIfPresent(Bool.self, forKey: .gone) ?? false,
            goneReason: try container.decodeIfPresent(String.self, forKey: .goneReason),
            lastAttempt: try container.decodeIfPresent(Date.self, forKey: .lastAttempt),
            lastSuccess: try container.decodeIfPresent(Date.self, forKey: .lastSuccess),
            lastStatus: try container.decodeIfPresent(Int.self, forKey: .lastStatus),
            fileResult: try? container.decodeIfPresent(FeedState.FileResult.self, forKey: .fileResult),
            lastFound: try container.decodeIfPresent(Int.self, forKey: .lastFound) ?? 0,
            consecutiveFailures: try container.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? 0,
            filtered: try container.decodeIfPresent(Int.self, forKey: .filtered) ?? 0,
            nextDue: try container.decodeIfPresent(Date.self, forKey: .nextDue),
            lastError: try container.decodeIfPresent(String.self, forKey: .lastError),
            retryAfter: try container.decodeIfPresent(Date.self, forKey: .retryAfter),
            configURL: try container.decodeIfPresent(String.self, forKey: .configURL),
            siteURL: try container.decodeIfPresent(String.self, forKey: .siteURL),
            publisherHints: try? container.decodeIfPresent(PublisherHints.self, forKey: .publisherHints),
            publicationRate: try? container.decodeIfPresent(PublicationRate.self, forKey: .publicationRate),
            nextDueReason: try container.decodeIfPresent(String.self, forKey: .nextDueReason))
    }
}
