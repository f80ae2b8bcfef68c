import Foundation

/// Reads JSON Feed 1.0 and 1.1 documents (https://www.jsonfeed.org/version/1.1/).
enum JSONFeedDecoder {
    static func decode(_ data: Data, url: URL?) throws(ParseError) -> ParsedFeed {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw .invalidJSONFeed("the JSON does not parse (\(jsonErrorSummary(error)))")
        }
        guard let root = object as? [String: Any] else { throw .notAFeed("JSON that is not an object") }
        let version = root["version"] as? String
        guard version?.contains("jsonfeed.org") == true || root["items"] is [Any] else {
            throw .notAFeed("JSON without a JSON Feed \"version\" or \"items\"")
        }
        guard let items = root["items"] as? [Any] else { throw .invalidJSONFeed("\"items\" is missing or not an array") }
        var feed = ParsedFeed(format: .json1x)
        feed.title = string(root["title"]).map(PlainText.from)
        feed.url = string(root["home_page_url"]).map { LinkResolver.resolve($0, against: url) }
        feed.feedURL = string(root["feed_url"]).map { LinkResolver.resolve($0, against: url) }
        feed.description = string(root["description"])
        feed.language = string(root["language"])
        // A document read from a file links to its site, not to the file's folder (see `FeedParser.webLink`).
        let base = url?.isFileURL == true ? FeedParser.webLink(of: feed, atomAlternate: nil) ?? url : url
        // Every item without an author of its own carries a copy: capped, as in Atom (see FeedReader.capped).
        let feedAuthor = authors(root).map(FeedReader.capped)
        for (index, element) in items.enumerated() {
            guard let entry = element as? [String: Any] else {
                feed.problems.append("items[\(index)] is not an object; skipped")
                continue
            }
            feed.items.append(item(entry, base: base, feedAuthor: feedAuthor))
        }
        return feed
    }

    private static func item(_ entry: [String: Any], base: URL?, feedAuthor: String?) -> ParsedItem {
        var item = ParsedItem()
        item.guid = string(entry["id"])
        item.title = string(entry["title"]).map(PlainText.from).flatMap { $0.isEmpty ? nil : $0 }
        item.url = (string(entry["url"]) ?? string(entry["external_url"])).map { LinkResolver.resolve($0, against: base) }
        item.author = authors(entry) ?? feedAuthor
        item.published = string(entry["date_published"]).flatMap(FeedDate.parse)
        item.updated = string(entry["date_modified"]).flatMap(FeedDate.parse)
        item.summary = string(entry["summary"])
        item.content = string(entry["content_html"]).map { LinkResolver.resolveHTML($0, against: base) }
            ?? string(entry["content_text"])
        var known = Set<String>()
        for tag in entry["tags"] as? [Any] ?? [] {
            if let tag = string(tag).map(PlainText.from), !tag.isEmpty, known.insert(tag).inserted {
                item.categories.append(tag)
            }
        }
        for case let attachment as [String: Any] in entry["attachments"] as? [Any] ?? [] {
            guard let href = string(attachment["url"]) else { continue }
            let size = (attachment["size_in_bytes"] as? NSNumber).map { $0.intValue }
            item.enclosures.append(
                Enclosure(url: LinkResolver.resolve(href, against: base), type: string(attachment["mime_type"]),
                          length: size.flatMap { $0 >= 0 ? $0 : nil }))
        }
        return item
    }

    /// The names of JSON Feed 1.1 `authors`, or of the 1.0 `author`, joined.
    private static func authors(_ object: [String: Any]) -> String? {
        var people = object["authors"] as? [Any] ?? []
        if people.isEmpty, let single = object["author"] { people = [single] }
        let names = people.compactMap { ($0 as? [String: Any]).flatMap { string($0["name"]) } }.map(PlainText.from)
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }

    /// A non-empty string value; numbers are accepted where strings are expected (ids often are numbers).
    private static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String:
            let trimmed = text.trimmingASCIISpaces()
            return trimmed.isEmpty ? nil : trimmed
        case let number as NSNumber:
            return number.stringValue
        default:
            return nil
        }
    }

    private static func jsonErrorSummary(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}
