/// Gathers the feeds of an OPML document from `XMLTokenizer`'s events: each `outline` with an `xmlUrl` is a
/// feed, each other `outline` a folder whose name tags the feeds inside it.
struct OPMLReader: XMLTokenHandler {
    let source: UnsafeBufferPointer<UInt8>
    /// The first element of the document.
    private(set) var root: XMLElementName?
    private(set) var feeds: [OPMLDocument.Feed] = []
    private(set) var title: String?
    /// For each open `outline`: the folder name it gives the outlines inside it, nil for a feed or a nameless one.
    private var outlines: [String?] = []
    /// The text of `head/title` while it is open.
    private var titleText: [UInt8]?
    private var inHead = false
    /// A point whose line is known: outlines come in document order, so their lines are counted incrementally.
    private var lineMark = (offset: 0, line: 1)

    init(source: UnsafeBufferPointer<UInt8>) {
        self.source = source
    }

    mutating func startElement(_ name: XMLElementName, attributes: XMLAttributes, contentStart: Int) {
        if root == nil { root = name }
        switch name.localName.lowercased() {
        case "outline":
            outlines.append(outline(attributes, at: contentStart))
        case "head":
            inHead = true
        case "title" where inHead && title == nil && outlines.isEmpty:
            titleText = []
        default:
            break
        }
    }

    mutating func endElement(_ name: XMLElementName, contentEnd: Int) {
        switch name.localName.lowercased() {
        case "outline":
            _ = outlines.popLast()
        case "head":
            inHead = false
        case "title":
            if let text = titleText {
                let plain = OPMLDocument.text(String(decoding: text, as: UTF8.self))
                title = plain.isEmpty ? nil : plain
            }
            titleText = nil
        default:
            break
        }
    }

    mutating func characters(_ raw: UnsafeBufferPointer<UInt8>) {
        if titleText != nil { XMLText.appendDecoded(raw, to: &titleText!) }
    }

    mutating func cdata(_ text: UnsafeBufferPointer<UInt8>) {
        if titleText != nil { titleText!.append(contentsOf: text) }
    }

    /// Records the feed an outline names, if any; returns the folder name it gives the outlines inside it.
    private mutating func outline(_ attributes: XMLAttributes, at offset: Int) -> String? {
        // Attribute names are matched without case: exporters write `xmlUrl`, `xmlURL` and `xmlurl`.
        var values: [String: String] = [:]
        for (name, value) in attributes.all where values[name.lowercased()] == nil {
            values[name.lowercased()] = value
        }
        let text = [values["text"], values["title"]].compactMap { $0.map(OPMLDocument.text) }.first { !$0.isEmpty }
        guard let xmlURL = values["xmlurl"].map(OPMLDocument.feedURL), !xmlURL.isEmpty else { return text }
        var tags = outlines.compactMap { $0 }
        if let category = values["category"] { tags += OPMLDocument.tags(fromCategory: category) }
        let site = values["htmlurl"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        feeds.append(
            OPMLDocument.Feed(
                url: xmlURL, title: text == xmlURL ? nil : text, tags: OPMLDocument.unique(tags),
                siteURL: site?.isEmpty == false ? site : nil, id: values["feedd:id"],
                line: line(of: offset)))
        return nil
    }

    /// The 1-based line of `offset`, which is not before the last offset asked about.
    private mutating func line(of offset: Int) -> Int {
        var line = lineMark.line
        for index in lineMark.offset..<max(offset, lineMark.offset) where source[index] == 0x0A { line += 1 }
        lineMark = (max(offset, lineMark.offset), line)
        return line
    }
}
