import Foundation

/// What the reader has gathered for one item so far, every candidate kept until the item ends and the
/// precedence rules pick among them.
struct ItemDraft {
    var guid: String?
    var guidIsPermaLink = false
    var atomID: String?
    /// RDF `rdf:about`, the id of an RSS 1.0 item.
    var about: String?
    var title: String?
    var rssLink: String?
    var alternateLink: String?
    var alternateLinkIsHTML = false
    var rssDescription: String?
    var contentEncoded: String?
    var atomSummary: String?
    var atomContent: String?
    var fallbackSummary: String?
    /// `media:title`, the title of an item that has no `title`.
    var fallbackTitle: String?
    var rssAuthor: String?
    var creators: [String] = []
    var itunesAuthor: String?
    var atomAuthors: [String] = []
    var published: Date?
    var updated: Date?
    var dcDate: Date?
    var categories: [String] = []
    /// The categories already taken, once there are more than `categoriesScanned`, so that a document with thousands
    /// stays linear. Fewer are compared one by one: hashing every category of every item cost more than that.
    private var knownCategories = Set<String>()
    private static var categoriesScanned: Int { 16 }
    /// The enclosure URLs already taken, for the same reason.
    private var enclosureIndex: [String: Int] = [:]
    var enclosures: [Enclosure] = []

    /// Records an Atom `link rel=alternate` (or one without `rel`): the first wins, except that an HTML one
    /// beats an earlier one of another type.
    mutating func addAlternate(_ url: String, type: String?) {
        let isHTML = type.map(Self.namesHTML) ?? true
        if alternateLink == nil || (isHTML && !alternateLinkIsHTML) {
            alternateLink = url
            alternateLinkIsHTML = isHTML
        }
    }

    /// Whether a media type names HTML (`text/html`, `application/xhtml+xml`). An ASCII type is searched as bytes:
    /// Foundation's `contains` goes through NSString, which costs more than all the rest of reading a link.
    private static func namesHTML(_ type: String) -> Bool {
        var type = type
        let found = type.withUTF8 { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return bytes.find("html", from: 0) != nil
        }
        return found ?? type.contains("html")
    }

    mutating func addCategory(_ text: String) {
        let category = PlainText.from(text)
        guard !category.isEmpty else { return }
        if categories.count < Self.categoriesScanned {
            if !categories.contains(category) { categories.append(category) }
            return
        }
        if knownCategories.isEmpty { knownCategories = Set(categories) }
        if knownCategories.insert(category).inserted { categories.append(category) }
    }

    /// Adds an enclosure once per URL, filling in a type or length that an earlier mention lacked.
    mutating func addEnclosure(_ enclosure: Enclosure) {
        if let index = enclosureIndex[enclosure.url] {
            if enclosures[index].type == nil { enclosures[index].type = enclosure.type }
            if enclosures[index].length == nil { enclosures[index].length = enclosure.length }
        } else {
            enclosureIndex[enclosure.url] = enclosures.count
            enclosures.append(enclosure)
        }
    }

    /// The normalized item. `inheritedAuthor` is the feed's Atom author, which RFC 4287 §4.2.1 lets entries inherit.
    /// Consuming, so that the draft's strings move into the item rather than being retained twice.
    consuming func item(inheritedAuthor: String?) -> ParsedItem {
        var item = ParsedItem()
        item.guid = guid ?? atomID ?? about
        item.title = title ?? fallbackTitle
        // Without any link, a permalink guid or an Atom id that is a web URL is the story's address (as feedparser
        // reads it too).
        item.url = rssLink ?? alternateLink ?? (guidIsPermaLink ? guid.flatMap(Self.absoluteWebURL) : nil)
            ?? atomID.flatMap(Self.absoluteWebURL)
        let authors = atomAuthors.isEmpty ? nil : atomAuthors.joined(separator: ", ")
        item.author = rssAuthor ?? (creators.isEmpty ? nil : creators.joined(separator: ", ")) ?? authors
            ?? itunesAuthor ?? inheritedAuthor
        item.published = published ?? dcDate
        item.updated = updated
        item.summary = rssDescription ?? atomSummary ?? fallbackSummary
        item.content = contentEncoded ?? atomContent
        item.categories = categories
        item.enclosures = enclosures
        return item
    }

    /// `text` when it is an absolute http(s) URL: a permalink guid only stands in for a link when it is one, and
    /// one that does not parse as a URL with a host (`http://example.c[o.test/`) is none.
    private static func absoluteWebURL(_ text: String) -> String? {
        let lower = text.prefix(8).lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return nil }
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else { return nil }
        return text
    }
}
