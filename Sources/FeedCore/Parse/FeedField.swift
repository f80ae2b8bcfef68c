/// A piece of a feed or item whose text the reader captures, named for what it becomes.
enum FeedField: Equatable {
    // Feed level.
    case feedTitle(TextKind)
    case feedLink
    case feedDescription(TextKind)
    case feedLanguage
    case feedUpdated
    /// RSS `pubDate` / `dc:date` of a channel: the feed's `updated` when it has no `lastBuildDate`.
    case feedPublished
    case feedTTL
    case feedUpdatePeriod
    case feedUpdateFrequency
    case feedUpdateBase
    /// An `<hour>` of `<skipHours>`.
    case skipHour
    /// A `<day>` of `<skipDays>`.
    case skipDay
    // Item level.
    case title(TextKind)
    case link
    case guid(isPermaLink: Bool)
    case atomID
    case summary(TextKind)
    case content(TextKind)
    case rssDescription
    case contentEncoded
    /// `itunes:summary`, `media:description`: a summary only when the item has no other.
    case fallbackSummary
    /// `media:title`: the title only when the item has no other.
    case fallbackTitle
    case author
    case creator
    case itunesAuthor
    case published
    case updated
    case dcDate
    case category
    /// `itunes:keywords`: categories separated by commas.
    case keywords
    // Person constructs (Atom `author`, `contributor`).
    case personName
    case personEmail

    /// True for the fields that hold a date, which the reader parses from the captured bytes.
    var isDate: Bool {
        switch self {
        case .feedUpdated, .feedPublished, .feedUpdateBase, .published, .updated, .dcDate: true
        default: false
        }
    }
}

/// How an Atom text construct (RFC 4287 §3.1) or Atom 0.3 content element carries its text.
enum TextKind: Equatable {
    /// Plain text, or RSS text whose HTML-ness is unknown.
    case text
    case html
    /// XHTML markup wrapped in a `div` that is not part of the content.
    case xhtml
    /// Atom 0.3 `mode="base64"`.
    case base64
    /// Atom `content` with a `src` attribute: the content lives elsewhere.
    case outOfLine

    /// The kind an Atom element's `type` (and Atom 0.3 `mode`) attribute names; RFC 4287 §3.1.1 defaults to text.
    init(type: String?, mode: String?, src: String? = nil) {
        if src != nil {
            self = .outOfLine
            return
        }
        if mode?.lowercased() == "base64" {
            self = .base64
            return
        }
        switch type?.lowercased() {
        case "html", "text/html": self = .html
        case "xhtml", "application/xhtml+xml": self = .xhtml
        // Atom 0.3 says `mode="escaped"` carries escaped markup.
        case _ where mode?.lowercased() == "escaped": self = .html
        // RFC 4287 §4.1.3.3: content of any other media type than text or XML is base64 (a `type` that is no
        // media type, `text` or a typo, is left as text).
        case let media? where Self.isBase64MediaType(media): self = .base64
        default: self = .text
        }
    }

    /// Whether an Atom `type` names a media type whose content RFC 4287 §4.1.3.3 says is base64: one with a `/`
    /// that is neither `text/*` nor XML (`*/xml`, `*+xml`).
    private static func isBase64MediaType(_ type: String) -> Bool {
        let media = String(type.split(separator: ";", maxSplits: 1).first ?? "").trimmingASCIISpaces().lowercased()
        guard media.contains("/"), !media.hasPrefix("text/") else { return false }
        return !media.hasSuffix("/xml") && !media.hasSuffix("+xml")
    }
}
