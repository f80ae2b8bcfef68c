import Foundation

/// The RSS extension elements that carry an item's content, summary, title, author or keywords where the core
/// elements are missing: each is a kind of item real feeds publish, and feedparser reads them all.
extension FeedReader {
    /// The field an extension element of an item fills; nil for the core elements, which `itemField` reads.
    mutating func extensionItemField(_ name: XMLElementName, attributes: XMLAttributes) -> FeedField? {
        let ns = name.namespace
        switch (ns, name.element) {
        // The item's whole content: XHTML in an `xhtml:body`, escaped HTML in a `fullitem`.
        case (.xhtml, .body?), (_, .body?) where isRSS(ns):
            return draft.contentEncoded == nil ? .content(.html) : nil
        case (_, .fullitem?) where isRSS(ns):
            return draft.contentEncoded == nil ? .content(.html) : nil
        // Summary and author in Dublin Core terms: `dc:description` is a summary only when there is no other,
        // `dc:author` is an author as `dc:creator` is (`Name (e-mail)` and `e-mail (Name)` alike).
        case (.dc, .description?):
            return .fallbackSummary
        case (.dc, .author?):
            return .creator
        case (.media, .title?):
            return .fallbackTitle
        // A comma-separated keyword list in a made-up `tags` element, as feedparser takes it.
        case (_, .tags?) where isRSS(ns):
            return .keywords
        // Atom elements in an RSS item without the Atom namespace, as some generators write them. Not `id`: an
        // RSS item's identity is its guid, else its link, and reading an `id` now would change the story key of
        // every such item a daemon has already seen, which would log each of them again.
        case (_, .updated?) where isRSS(ns):
            return .updated
        case (_, .summary?) where isRSS(ns):
            return .summary(.html)
        case (.itunes, .category?):
            if let text = attributes.value("text") { draft.addCategory(text) }
            return nil
        default:
            return nil
        }
    }
}

extension FeedReader {
    /// Whether the document ends inside the `<![CDATA[` that opens a CDATA section (`<![CD`): an item whose last
    /// field is such an incomplete CDATA block is kept, as feedparser keeps it. Told from the document's last `<!`.
    /// A document cut inside the text of a CDATA section is not one: that is a truncated download (most of a feed's
    /// bytes are CDATA content), and its item is left out like any other cut-off item, since logging it would log a
    /// story cut short and never the whole one.
    var endsInsideCDATA: Bool {
        let tail = source.count - min(source.count, 64 * 1024)
        var i = source.count - 2
        while i >= tail {
            if source[i] == UInt8(ascii: "<") && source[i + 1] == UInt8(ascii: "!") { break }
            i -= 1
        }
        guard i >= tail else { return false }
        let opener = Array("<![CDATA[".utf8)
        var end = source.count
        while end > i, [0x20, 0x09, 0x0A, 0x0D].contains(source[end - 1]) { end -= 1 }
        let rest = UnsafeBufferPointer(rebasing: source[i..<end])
        return rest.count < opener.count && opener.starts(with: rest)
    }
}

extension FeedReader {
    /// `name` with its local name read without case when it is one of the elements feedd reads in another case
    /// (`<TiTlE>`, `<itunes:Author>`, `<PubDate>`), as feedparser reads every element name; nil when it is not.
    /// Only names with an upper-case ASCII letter are looked up, so the many other unknown elements cost one pass
    /// over their name.
    static func caseFolded(_ name: XMLElementName) -> XMLElementName? {
        guard name.element == nil else { return nil }
        let local = name.localName
        guard local.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }),
            let element = elementsByFoldedName[local.lowercased()]
        else { return nil }
        var raw = element.rawValue
        return raw.withUTF8 { XMLElementName(namespace: name.namespace, localName: $0) }
    }

    private static let elementsByFoldedName: [String: FeedElement] = {
        var byName: [String: FeedElement] = [:]
        for element in FeedElement.allCases { byName[element.rawValue.lowercased()] = element }
        return byName
    }()
}
