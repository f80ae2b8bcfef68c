extension ParsedFeed {
    /// The document as one line of `feedd parse` output (README.md, "feedd parse output"), without the newline.
    func jsonLine(source: String) -> [UInt8] {
        var json = JSONWriter(capacity: 4096)
        writeJSON(source: source, to: &json)
        return json.bytes
    }

    /// Writes the document as `jsonLine(source:)` gives it.
    func writeJSON(source: String, to json: inout JSONWriter) {
        json.beginObject()
        json.key("source")
        json.string(source)
        json.key("format")
        json.string(format.rawValue)
        json.key("title")
        json.string(title)
        json.key("url")
        json.string(url)
        json.key("feed_url")
        json.string(feedURL)
        json.key("description")
        json.string(description)
        json.key("language")
        json.string(language)
        json.key("updated")
        json.date(updated)
        json.key("items")
        json.beginArray()
        for item in items { item.writeJSON(to: &json) }
        json.endArray()
        json.endObject()
    }

    /// The line `feedd parse` prints for a document that cannot be parsed.
    static func errorLine(source: String, error: String) -> [UInt8] {
        var json = JSONWriter()
        writeError(source: source, error: error, to: &json)
        return json.bytes
    }

    /// Writes the line `errorLine(source:error:)` gives.
    static func writeError(source: String, error: String, to json: inout JSONWriter) {
        json.beginObject()
        json.key("source")
        json.string(source)
        json.key("error")
        json.string(error)
        json.endObject()
    }
}

extension ParsedItem {
    func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        json.key("guid")
        json.string(guid)
        json.key("title")
        json.string(title)
        json.key("url")
        json.string(url)
        json.key("author")
        json.string(author)
        json.key("published")
        json.date(published)
        json.key("updated")
        json.date(updated)
        json.key("summary")
        json.string(summary)
        json.key("content")
        json.string(content)
        json.key("categories")
        json.strings(categories)
        json.key("enclosures")
        json.enclosures(enclosures)
        json.endObject()
    }
}

extension JSONWriter {
    /// `[{"url":…,"type":…,"length":…}, …]`, as both `feedd parse` and the story log write enclosures.
    mutating func enclosures(_ enclosures: [Enclosure]) {
        beginArray()
        for enclosure in enclosures {
            beginObject()
            key("url")
            string(enclosure.url)
            key("type")
            string(enclosure.type)
            key("length")
            number(enclosure.length)
            endObject()
        }
        endArray()
    }
}
