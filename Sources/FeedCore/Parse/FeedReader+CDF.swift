import Foundation

/// Microsoft's Channel Definition Format (CDF, 1997): `<CHANNEL HREF LASTMOD>` with `<TITLE>`, `<ABSTRACT>` and
/// `<ITEM HREF LASTMOD>` children, in upper case. Some old sites still serve it; feedparser reads it as a channel
/// with items, and so does feedd, as the `rss0.9x` format: a channel of items without a version is what RSS 0.9x
/// is, and a new `format` value would be one more that every consumer must learn for a handful of sites.
extension FeedReader {
    /// Whether a root element is a CDF `CHANNEL` (any case but RSS's lower-case `channel`, which RSS reads).
    static func isCDFChannel(_ name: XMLElementName) -> Bool {
        name.element == nil && name.namespace == .none && name.localName.lowercased() == "channel"
    }

    /// The upper-cased local name of an element of a CDF document, whose names are upper case by convention but
    /// compared without case, as feedparser does.
    static func cdfName(_ name: XMLElementName) -> String? {
        guard name.namespace == .none else { return nil }
        return name.localName.uppercased()
    }

    /// The channel's `HREF` (its site) and `LASTMOD` (its last change).
    mutating func startCDFChannel(_ attributes: XMLAttributes) {
        if let href = Self.cdfAttribute(attributes, upper: "HREF", lower: "href") {
            let url = LinkResolver.resolve(href, against: base)
            feed?.url = url
        }
        if let lastmod = Self.cdfAttribute(attributes, upper: "LASTMOD", lower: "lastmod") {
            feed?.updated = FeedDate.parse(lastmod)
        }
    }

    /// The context of a child of a CDF channel or item, capturing `TITLE` and `ABSTRACT`.
    mutating func cdfChild(_ name: XMLElementName, attributes: XMLAttributes, contentStart: Int) -> Context? {
        guard let upper = Self.cdfName(name) else { return nil }
        switch upper {
        case "ITEM" where !inItem:
            let context = startItem(attributes)
            if let href = Self.cdfAttribute(attributes, upper: "HREF", lower: "href") {
                draft.rssLink = LinkResolver.resolve(href, against: base)
            }
            if let lastmod = Self.cdfAttribute(attributes, upper: "LASTMOD", lower: "lastmod") {
                draft.updated = FeedDate.parse(lastmod)
            }
            return context
        case "TITLE":
            beginCapture(inItem ? .title(.html) : .feedTitle(.html), contentStart: contentStart)
            return .skip
        case "ABSTRACT":
            beginCapture(inItem ? .rssDescription : .feedDescription(.html), contentStart: contentStart)
            return .skip
        default:
            return nil
        }
    }

    private static func cdfAttribute(_ attributes: XMLAttributes, upper: StaticString, lower: StaticString) -> String? {
        guard let value = (attributes.value(upper) ?? attributes.value(lower))?.trimmingASCIISpaces(), !value.isEmpty
        else { return nil }
        return value
    }
}
