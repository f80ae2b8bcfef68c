import Foundation

extension FeedReader {
    // MARK: - Which elements are fields

    /// The field a child of the channel (or of the Atom `feed`) fills, handling attribute-only elements at once.
    mutating func feedField(_ name: XMLElementName, attributes: XMLAttributes) -> FeedField? {
        let ns = name.namespace
        switch name.element {
        case .title? where isRSS(ns) || isAtom(ns) || ns == .dc:
            return .feedTitle(isAtom(ns) ? Self.textKind(attributes) : .html)
        case .link? where isAtom(ns) || (isRSS(ns) && attributes.value("href") != nil):
            linkElement(attributes, inItem: false)
            return nil
        case .link? where isRSS(ns):
            return .feedLink
        case .description? where isRSS(ns):
            return .feedDescription(.html)
        case .subtitle? where isAtom(ns), .tagline? where isAtom(ns):
            return .feedDescription(Self.textKind(attributes))
        case .language? where isRSS(ns) || ns == .dc:
            return .feedLanguage
        case .lastBuildDate? where isRSS(ns), .updated? where isAtom(ns), .modified? where isAtom(ns),
            .modified? where ns == .dcterms:
            return .feedUpdated
        case .pubDate? where isRSS(ns), .date? where ns == .dc:
            return .feedPublished
        case .ttl? where isRSS(ns):
            return .feedTTL
        case .updatePeriod? where ns == .sy:
            return .feedUpdatePeriod
        case .updateFrequency? where ns == .sy:
            return .feedUpdateFrequency
        case .updateBase? where ns == .sy:
            return .feedUpdateBase
        default:
            return nil
        }
    }

    /// The field a child of an item (or Atom `entry`, or `media:group`) fills, handling attribute-only elements.
    mutating func itemField(_ name: XMLElementName, attributes: XMLAttributes) -> FeedField? {
        let ns = name.namespace
        if let field = extensionItemField(name, attributes: attributes) { return field }
        switch (ns, name.element) {
        case (_, .title?) where isRSS(ns) || ns == .dc:
            return draft.title == nil ? .title(.html) : nil
        case (_, .title?) where isAtom(ns):
            return .title(Self.textKind(attributes))
        case (_, .link?) where isAtom(ns) || attributes.value("href") != nil:
            linkElement(attributes, inItem: true)
            return nil
        case (_, .link?) where isRSS(ns):
            return .link
        case (_, .guid?) where isRSS(ns):
            let permaLink = attributes.value("isPermaLink")?.trimmingASCIISpaces().lowercased() != "false"
            return .guid(isPermaLink: permaLink)
        case (_, .id?) where isAtom(ns):
            return .atomID
        case (_, .description?) where isRSS(ns):
            return .rssDescription
        case (.content, .encoded?):
            return .contentEncoded
        case (_, .summary?) where isAtom(ns):
            return .summary(Self.textKind(attributes))
        case (_, .content?) where isAtom(ns):
            let kind = TextKind(type: attributes.value("type"), mode: attributes.value("mode"), src: attributes.value("src"))
            return kind == .outOfLine ? nil : .content(kind)
        case (.itunes, .summary?), (.media, .description?):
            return .fallbackSummary
        case (_, .author?) where isRSS(ns):
            return .author
        case (.dc, .creator?):
            return .creator
        case (.itunes, .author?):
            return .itunesAuthor
        case (_, .pubDate?) where isRSS(ns), (_, .published?) where isAtom(ns), (_, .issued?) where isAtom(ns),
            (.dcterms, .issued?), (.dcterms, .created?):
            return .published
        case (_, .updated?) where isAtom(ns), (_, .modified?) where isAtom(ns), (.dcterms, .modified?):
            return .updated
        case (.dc, .date?):
            return .dcDate
        case (_, .category?) where isAtom(ns):
            guard let term = attributes.value("term") ?? attributes.value("label") else {
                return .category  // `<category>text</category>`, which some Atom feeds write
            }
            draft.addCategory(term)
            return nil
        case (_, .category?) where isRSS(ns), (.dc, .subject?), (.media, .category?):
            return .category
        case (.itunes, .keywords?):
            return .keywords
        case (_, .enclosure?) where isRSS(ns):
            addEnclosure(attributes, url: "url", length: "length")
            return nil
        case (.media, .content?):
            addEnclosure(attributes, url: "url", length: "fileSize")
            return nil
        case (.media, .thumbnail?):
            addEnclosure(attributes, url: "url", length: nil)
            return nil
        default:
            return nil
        }
    }

    private static func textKind(_ attributes: XMLAttributes) -> TextKind {
        TextKind(type: attributes.value("type"), mode: attributes.value("mode"))
    }

    /// An Atom `link` (RFC 4287 §4.2.7): `alternate` (the default) is the story or site, `self` the feed itself,
    /// `enclosure` a file.
    private mutating func linkElement(_ attributes: XMLAttributes, inItem: Bool) {
        guard let href = attributes.value("href")?.trimmingASCIISpaces(), !href.isEmpty else { return }
        let url = LinkResolver.resolve(href, against: base)
        let type = attributes.value("type")
        switch attributes.value("rel")?.trimmingASCIISpaces().lowercased() ?? "alternate" {
        case "alternate", "http://www.iana.org/assignments/relation/alternate":
            if inItem {
                draft.addAlternate(url, type: type)
            } else if feedLinkFromAtom == nil {
                feedLinkFromAtom = url
            }
        case "self":
            if !inItem && feed?.feedURL == nil { feed?.feedURL = url }
        case "enclosure":
            if inItem { draft.addEnclosure(Enclosure(url: url, type: type, length: Self.length(attributes.value("length")))) }
        default:
            break
        }
    }

    private mutating func addEnclosure(_ attributes: XMLAttributes, url: StaticString, length: StaticString?) {
        guard let href = attributes.value(url)?.trimmingASCIISpaces(), !href.isEmpty else { return }
        let type = attributes.value("type")?.trimmingASCIISpaces()
        let size = length.flatMap { attributes.value($0) }
        draft.addEnclosure(
            Enclosure(url: LinkResolver.resolve(href, against: base), type: type?.isEmpty == true ? nil : type,
                      length: Self.length(size)))
    }

    private static func length(_ text: String?) -> Int? {
        guard let text, let value = Int(text.trimmingASCIISpaces()), value >= 0 else { return nil }
        return value
    }

    // MARK: - Assigning captured text

    mutating func assignFeedField(_ field: FeedField, text: String, base: URL?) {
        guard !text.isEmpty else { return }
        switch field {
        case .feedTitle(let kind): if feed?.title == nil { feed?.title = Self.plain(text, kind) }
        case .feedLink: if feed?.url == nil { feed?.url = LinkResolver.resolve(text, against: base) }
        case .feedDescription(let kind): if feed?.description == nil { feed?.description = Self.markup(text, kind) }
        case .feedLanguage: if feed?.language == nil { feed?.language = text }
        case .feedTTL: feed?.ttlMinutes = Int(text.trimmingASCIISpaces())
        case .feedUpdatePeriod: feed?.updatePeriod = text.trimmingASCIISpaces()
        case .feedUpdateFrequency: feed?.updateFrequency = Int(text.trimmingASCIISpaces())
        case .skipHour: if let hour = Int(text.trimmingASCIISpaces()) { feed?.skipHours.append(hour) }
        case .skipDay: if let day = Self.weekday(text) { feed?.skipDays.append(day) }
        case .personName: person.name = PlainText.from(text)
        case .personEmail: person.email = text
        default: break
        }
    }

    mutating func assignItemField(_ field: FeedField, text: String, base: URL?) {
        guard !text.isEmpty else { return }
        switch field {
        case .title(let kind): if draft.title == nil { draft.title = Self.plain(text, kind) }
        case .link: if draft.rssLink == nil { draft.rssLink = LinkResolver.resolve(text, against: base) }
        case .guid(let permaLink):
            if draft.guid == nil {
                draft.guid = text
                draft.guidIsPermaLink = permaLink
            }
        case .atomID: if draft.atomID == nil { draft.atomID = text }
        case .rssDescription: if draft.rssDescription == nil { draft.rssDescription = LinkResolver.resolveHTML(text, against: base) }
        case .contentEncoded: if draft.contentEncoded == nil { draft.contentEncoded = LinkResolver.resolveHTML(text, against: base) }
        case .summary(let kind): if draft.atomSummary == nil { draft.atomSummary = Self.markup(text, kind, base: base) }
        case .content(let kind): if draft.atomContent == nil { draft.atomContent = Self.markup(text, kind, base: base) }
        case .fallbackSummary: if draft.fallbackSummary == nil { draft.fallbackSummary = text }
        case .fallbackTitle: if draft.fallbackTitle == nil { draft.fallbackTitle = Self.plain(text, .html) }
        case .author: if draft.rssAuthor == nil { draft.rssAuthor = PlainText.from(Self.personName(in: text)) }
        case .creator: draft.creators.append(PlainText.from(text))
        case .itunesAuthor: if draft.itunesAuthor == nil { draft.itunesAuthor = PlainText.from(text) }
        case .category: draft.addCategory(text)
        case .keywords: for keyword in text.split(separator: ",") { draft.addCategory(String(keyword)) }
        case .personName: person.name = PlainText.from(text)
        case .personEmail: person.email = text
        default: break
        }
    }

    /// Sets the date field `field` names to `date` unless an earlier one parsed: of an item's fields while in an item,
    /// else of the feed's.
    mutating func assignDate(_ field: FeedField, _ date: Date?) {
        switch field {
        case .feedUpdated where !inItem: if feed?.updated == nil { feed?.updated = date }
        case .feedPublished where !inItem: if feedPublished == nil { feedPublished = date }
        case .feedUpdateBase where !inItem: if feed?.updateBase == nil { feed?.updateBase = date }
        case .published where inItem: if draft.published == nil { draft.published = date }
        case .updated where inItem: if draft.updated == nil { draft.updated = date }
        case .dcDate where inItem: if draft.dcDate == nil { draft.dcDate = date }
        default: break
        }
    }

    /// The day of the week a `<skipDays>` `<day>` names (RSS 2.0: `Monday` … `Sunday`), 0 Sunday … 6 Saturday;
    /// case and surrounding spaces are forgiven, and so are three-letter abbreviations.
    static func weekday(_ text: String) -> Int? {
        let name = text.trimmingASCIISpaces().lowercased()
        guard name.count >= 3 else { return nil }
        let days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        return days.firstIndex { $0.hasPrefix(name) }
    }

    /// The `<name>` of an RSS `author` written as a person (`<author><name>…</name><title>…</title></author>`),
    /// else the text as it is.
    static func personName(in text: String) -> String {
        guard text.hasPrefix("<"), let open = text.range(of: "<name>"),
            let close = text.range(of: "</name>", range: open.upperBound..<text.endIndex)
        else { return text }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Plain text of a title: Atom `type="text"` is already plain, everything else may hold markup.
    static func plain(_ text: String, _ kind: TextKind) -> String? {
        let plain: String
        switch kind {
        case .text: plain = collapsingWhitespace(text)
        case .base64: plain = markup(text, kind).map(PlainText.from) ?? ""
        case .html, .xhtml, .outOfLine: plain = PlainText.from(text)
        }
        return plain.isEmpty ? nil : plain
    }

    /// `text` with runs of ASCII white space made one space, for text that holds no markup.
    static func collapsingWhitespace(_ text: String) -> String {
        guard needsCollapsing(text) else { return text }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" })
            .joined(separator: " ")
    }

    /// False when `collapsingWhitespace` would give `text` back as it is, told from its bytes: no tab, line feed or
    /// carriage return, and every space between two other bytes. Most titles are like that, and splitting them into
    /// words to join them again is the slowest part of reading them.
    private static func needsCollapsing(_ text: String) -> Bool {
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previous == 0x20) { return true }
            previous = byte
        }
        return previous == 0x20
    }

    /// Markup of a summary or content, as the feed gives it: the XHTML wrapper `div` removed, base64 decoded,
    /// relative links resolved.
    private static func markup(_ text: String, _ kind: TextKind, base: URL? = nil) -> String? {
        switch kind {
        case .xhtml: return LinkResolver.resolveHTML(unwrappingDiv(text), against: base)
        case .base64: return Data(base64Encoded: text, options: .ignoreUnknownCharacters).map { String(decoding: $0, as: UTF8.self) }
        case .html: return LinkResolver.resolveHTML(text, against: base)
        case .text, .outOfLine: return text
        }
    }

    /// The inner markup of the `div` that RFC 4287 §3.1.1.3 wraps XHTML content in.
    static func unwrappingDiv(_ markup: String) -> String {
        guard markup.hasPrefix("<"), let open = markup.firstIndex(of: ">"),
            markup[markup.startIndex..<open].hasSuffix("div") || markup[markup.startIndex..<open].contains("div "),
            markup.hasSuffix("div>"), let close = lastEndTagStart(in: markup)
        else { return markup }
        let inner = markup[markup.index(after: open)..<close]
        return String(inner).trimmingASCIISpaces()
    }

    /// Where the last `</` of `markup` starts. Content that ends with `</div>`, as wrapped XHTML does, is answered
    /// from its last bytes: a backwards search through NSString first indexes the whole content in UTF-16.
    private static func lastEndTagStart(in markup: String) -> String.Index? {
        let utf8 = markup.utf8
        if utf8.count >= 6, utf8.suffix(6).elementsEqual("</div>".utf8) {
            return utf8.index(utf8.endIndex, offsetBy: -6)
        }
        return markup.range(of: "</", options: .backwards)?.lowerBound
    }
}
