import Foundation

/// What a page declares about its article, read before any heuristics: Open Graph and `article:*` meta tags,
/// schema.org JSON-LD, `<link rel="canonical">`, `rel="author"`, `itemprop` and `<time datetime>`.
struct PageMetadata: Equatable {
    var title: String?
    var siteName: String?
    var byline: String?
    var published: Date?
    var canonical: String?
    var baseHref: String?

    /// JSON-LD `@type`s that describe an article.
    static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "techarticle", "scholarlyarticle", "report", "socialmediaposting", "liveblogposting", "backgroundnewsarticle",
    ]
    /// `<meta name>` values that carry a publication date, as news and blog platforms write them.
    private static let dateNames: Set<String> = [
        "article:published_time", "og:article:published_time", "date", "pubdate", "publishdate", "publish-date",
        "publish_date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date",
        "parsely-pub-date", "article.published", "datepublished", "citation_publication_date",
    ]

    /// Reads the metadata of `tree`.
    init(_ tree: HTMLTree) {
        var meta: [String: String] = [:]
        var documentTitle: String?
        var jsonLD: [String] = []
        var relAuthor: String?
        var itemAuthor: String?
        var itemDate: String?
        var timeDate: String?
        for index in 0..<tree.count {
            let node = tree[index]
            switch node.name {
            case "meta":
                guard let content = node.attribute("content")?.trimmedText, !content.isEmpty else { continue }
                for key in ["property", "name", "itemprop"] {
                    if let name = node.attribute(key)?.lowercased(), meta[name] == nil { meta[name] = content }
                }
            case "link":
                let rel = node.attribute("rel")?.lowercased() ?? ""
                if rel.split(separator: " ").contains("canonical"), canonical == nil { canonical = node.attribute("href") }
            case "base":
                if baseHref == nil { baseHref = node.attribute("href") }
            case "title":
                if documentTitle == nil { documentTitle = node.text.collapsedWhitespace }
            case "script":
                if node.attribute("type")?.lowercased().contains("ld+json") == true { jsonLD.append(node.text) }
            case "time":
                if timeDate == nil { timeDate = node.attribute("datetime") }
            case "#text": continue
            default: break
            }
            if relAuthor == nil, node.name == "a", node.attribute("rel")?.lowercased().contains("author") == true {
                relAuthor = tree.text(of: index).collapsedWhitespace
            }
            if let property = node.attribute("itemprop")?.lowercased() {
                if itemAuthor == nil, property == "author" {
                    itemAuthor = node.attribute("content") ?? tree.text(of: index).collapsedWhitespace
                }
                if itemDate == nil, property == "datepublished" {
                    itemDate = node.attribute("content") ?? node.attribute("datetime") ?? node.attribute("title")
                }
            }
        }
        let linked = jsonLD.lazy.compactMap(LinkedData.init).first { $0.isArticle } ?? jsonLD.lazy.compactMap(LinkedData.init).first
        siteName = meta["og:site_name"] ?? linked?.publisher
        title = meta["og:title"] ?? meta["twitter:title"] ?? linked?.headline ?? documentTitle
        var authors = [linked?.author, meta["author"], meta["article:author"], meta["parsely-author"],
            meta["sailthru.author"], meta["dc.creator"], itemAuthor, relAuthor]
        if meta["twitter:label1"]?.lowercased() == "written by" { authors.append(meta["twitter:data1"]) }
        byline = authors.lazy.compactMap { $0?.collapsedWhitespace }.first { !$0.isEmpty && !$0.contains("://") }
        let dates = [meta["article:published_time"], linked?.datePublished]
            + Self.dateNames.sorted().map { meta[$0] } + [itemDate, timeDate]
        published = dates.lazy.compactMap { $0.flatMap { FeedDate.parse($0.trimmedText) } }.first
        canonical = canonical ?? meta["og:url"]
    }
}

/// The schema.org facts of one JSON-LD block: the article object in it (top level, in an array or in `@graph`).
struct LinkedData {
    var isArticle = false
    var headline: String?
    var author: String?
    var datePublished: String?
    var publisher: String?

    init?(_ text: String) {
        guard let data = text.trimmedText.data(using: .utf8),
            let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return nil }
        var objects: [[String: Any]] = []
        func collect(_ value: Any, depth: Int) {
            guard depth < 4 else { return }
            if let array = value as? [Any] { array.forEach { collect($0, depth: depth + 1) } }
            if let object = value as? [String: Any] {
                objects.append(object)
                if let graph = object["@graph"] { collect(graph, depth: depth + 1) }
            }
        }
        collect(json, depth: 0)
        let article = objects.first { Self.types(of: $0).contains { PageMetadata.articleTypes.contains($0) } }
        guard let object = article ?? objects.first(where: { $0["headline"] != nil }) else { return nil }
        isArticle = article != nil
        headline = (object["headline"] as? String).map { $0.collapsedWhitespace }
        author = Self.names(object["author"]).joined(separator: ", ").nilIfEmpty
        datePublished = object["datePublished"] as? String
        publisher = Self.names(object["publisher"]).first
    }

    private static func types(of object: [String: Any]) -> [String] {
        if let type = object["@type"] as? String { return [type.lowercased()] }
        return (object["@type"] as? [String])?.map { $0.lowercased() } ?? []
    }

    /// The names of a schema.org Person or Organization, or of a list of them.
    private static func names(_ value: Any?) -> [String] {
        if let name = value as? String { return [name.collapsedWhitespace] }
        if let object = value as? [String: Any], let name = object["name"] as? String { return [name.collapsedWhitespace] }
        if let array = value as? [Any] { return array.flatMap { names($0) } }
        return []
    }
}

extension String {
    /// Runs of whitespace as one space, none at the ends.
    var collapsedWhitespace: String { collapsingWhitespace().text }

    /// Runs of whitespace as one space, none at the ends, and whether there was whitespace at either end: one pass
    /// over the scalars, ASCII without a Unicode property lookup (`Character.isWhitespace` costs one per
    /// character, which made it most of the time of a large page).
    func collapsingWhitespace() -> (text: String, leading: Bool, trailing: Bool) {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var leading = false
        var sawText = false
        for scalar in unicodeScalars {
            let isSpace =
                scalar.value < 0x80
                ? scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}"
                    || scalar == "\u{0B}"
                : scalar.properties.isWhitespace
            if isSpace {
                if sawText { pendingSpace = true } else { leading = true }
                continue
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            sawText = true
            out.append(scalar)
        }
        return (String(out), leading, pendingSpace)
    }

    var trimmedText: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    var nilIfEmpty: String? { isEmpty ? nil : self }
}
