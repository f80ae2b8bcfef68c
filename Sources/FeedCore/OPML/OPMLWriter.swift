/// Writes the configured feeds as an OPML 2.0 subscription list (http://opml.org/spec2.opml), for `feedd export`:
/// one `<outline type="rss">` per feed, in the config's order, which other readers import and `feedd import`
/// reads back into the same feeds, titles and tags.
enum OPMLWriter {
    /// The namespace of the one attribute of feedd's own, `feedd:id` (OPML 2.0 allows namespaced attributes).
    static let namespace = "https://github.com/feedd/feedd"

    /// One feed as the list gives it.
    struct Feed: Equatable {
        var url: String
        /// The config's title; nil writes the URL as `text`, which OPML 2.0 requires and which `feedd import`
        /// does not take for a title.
        var title: String?
        /// The site, from the feed's last successful fetch.
        var siteURL: String?
        var tags: [String] = []
        /// An id the config gives rather than derives, so that an import keeps the feed's name in the log.
        var id: String?
    }

    /// The whole document, ending with a line break.
    static func document(_ feeds: [Feed], title: String) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0" xmlns:feedd="\(namespace)">
              <head>
                <title>\(escaped(title, attribute: false))</title>
              </head>
              <body>

            """
        for feed in feeds {
            out += "    <outline type=\"rss\""
            out += attribute("text", feed.title ?? feed.url)
            if let title = feed.title { out += attribute("title", title) }
            out += attribute("xmlUrl", feed.url)
            if let site = feed.siteURL { out += attribute("htmlUrl", site) }
            if !feed.tags.isEmpty { out += attribute("category", feed.tags.joined(separator: ",")) }
            if let id = feed.id { out += attribute("feedd:id", id) }
            out += "/>\n"
        }
        out += "  </body>\n</opml>\n"
        return out
    }

    private static func attribute(_ name: String, _ value: String) -> String {
        " \(name)=\"\(escaped(value, attribute: true))\""
    }

    /// `text` as XML character data or a double-quoted attribute value: the markup characters as entities, line
    /// breaks and tabs in attributes as character references (a parser would turn them into spaces), and the
    /// control characters XML 1.0 cannot hold (§2.2) dropped.
    static func escaped(_ text: String, attribute: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
