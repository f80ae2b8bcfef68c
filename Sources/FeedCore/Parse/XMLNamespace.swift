/// The XML namespaces feeds use, identified once when a prefix is declared so that elements compare as small values.
enum XMLNamespace: UInt8, Sendable {
    case none
    case atom
    /// Atom 0.3 (`http://purl.org/atom/ns#`), which differs from Atom 1.0 in a few element names only.
    case atom03
    case rdf
    /// RSS 1.0 (`http://purl.org/rss/1.0/`).
    case rss10
    /// RSS 0.90 (`http://my.netscape.com/rdf/simple/0.9/`).
    case rss090
    /// Userland's RSS 2.0 namespace, which a few feeds declare as their default namespace.
    case rss20
    case content
    case dc
    case dcterms
    case media
    case itunes
    case googleplay
    case podcast
    /// The RSS 1.0 syndication module (`sy:updatePeriod`, `sy:updateFrequency`, `sy:updateBase`).
    case sy
    case xhtml
    case xml
    case other

    /// The namespace a URI names; `.other` for namespaces feedd does not read.
    init(uri: String) {
        switch uri {
        case "http://www.w3.org/2005/Atom", "https://www.w3.org/2005/Atom", "http://www.w3.org/2005/Atom/": self = .atom
        case "http://purl.org/atom/ns#": self = .atom03
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": self = .rdf
        case "http://purl.org/rss/1.0/", "http://purl.org/rss/1.0": self = .rss10
        case "http://my.netscape.com/rdf/simple/0.9/", "http://my.netscape.com/rdf/simple/0.9",
            "http://channel.netscape.com/rdf/simple/0.9/":
            self = .rss090
        case "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss": self = .rss20
        case "http://purl.org/rss/1.0/modules/content/", "http://purl.org/rss/1.0/modules/content": self = .content
        case "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/elements/1.1": self = .dc
        case "http://purl.org/dc/terms/", "http://purl.org/dc/terms": self = .dcterms
        case "http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss", "https://search.yahoo.com/mrss/",
            "http://tools.search.yahoo.com/mrss/", "http://www.rssboard.org/media-rss", "http://www.rssboard.org/media-rss/":
            self = .media
        case "http://www.itunes.com/dtds/podcast-1.0.dtd", "https://www.itunes.com/dtds/podcast-1.0.dtd",
            "http://www.itunes.com/DTDs/Podcast-1.0.dtd":
            self = .itunes
        case "http://www.google.com/schemas/play-podcasts/1.0": self = .googleplay
        case "https://podcastindex.org/namespace/1.0", "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md":
            self = .podcast
        case "http://purl.org/rss/1.0/modules/syndication/", "http://purl.org/rss/1.0/modules/syndication": self = .sy
        case "http://www.w3.org/1999/xhtml": self = .xhtml
        case "http://www.w3.org/XML/1998/namespace": self = .xml
        default: self = .other
        }
    }

    /// The namespace a prefix conventionally stands for, for the many feeds that use `dc:` or `content:` without
    /// declaring it (a well-formedness error that every reader forgives).
    init?(conventionalPrefix prefix: String) {
        switch prefix {
        case "atom", "atom10": self = .atom
        case "rdf": self = .rdf
        case "rss": self = .rss20
        case "content": self = .content
        case "dc": self = .dc
        case "dcterms": self = .dcterms
        case "media": self = .media
        case "itunes": self = .itunes
        case "googleplay": self = .googleplay
        case "podcast": self = .podcast
        case "sy": self = .sy
        case "xhtml": self = .xhtml
        case "xml": self = .xml
        default: return nil
        }
    }

    /// True for Atom 1.0 and 0.3, whose elements feedd reads alike.
    var isAtom: Bool { self == .atom || self == .atom03 }

    /// True where an RSS document's own elements live: no namespace, or one of the RSS namespaces
    /// (RSS 1.0 and 0.90 put their elements in one; some RSS 2.0 feeds declare a default namespace).
    var isRSS: Bool { self == .none || self == .rss10 || self == .rss090 || self == .rss20 }
}
