import Foundation

/// A feed that a web page offers, as `feedd discover` lists it (README.md, "feedd discover").
struct DiscoveredFeed: Equatable, Sendable {
    /// The feed's address: as the page gives it, made absolute, or where a permanent redirect said it moved.
    let url: URL
    /// The format as `feedd parse` names it (`rss2.0`, `atom1.0`, `json1.x`, …); nil when the feed was not fetched.
    let format: String?
    /// The feed's own title; nil when the feed was not fetched, or has none.
    let title: String?
    /// How the feed was found.
    let via: Via

    enum Via: String, Sendable {
        /// Declared by the page in a `<link rel="alternate">`; also the document given, when it is a feed itself.
        case link
        /// Known for the platform the page is on (WordPress, YouTube, GitHub…), confirmed by fetching it.
        case platform
        /// An `<a href>` of the page that looks like a feed, confirmed by fetching it.
        case anchor
        /// A usual feed path on the site, tried when nothing else was found, confirmed by fetching it.
        case guess
    }
}
