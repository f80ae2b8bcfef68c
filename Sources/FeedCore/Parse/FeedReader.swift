import Foundation

/// Turns the token stream of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom 0.3/1.0 document into a `ParsedFeed`.
///
/// One reader lives inside one `FeedParser.parse` call. It keeps a stack of open elements, each with the part of
/// the feed it is in (`Context`), its `xml:base`, and whether its text is being captured into a `FeedField`.
struct FeedReader: XMLTokenHandler {
    enum Context {
        case document
        case channel
        case item
        case person(inItem: Bool)
        /// `media:group`: its `media:content` elements belong to the enclosing item.
        case mediaGroup
        /// An element whose content feedd does not read (`image`, `textInput`, Atom `source`, …).
        case skip
    }

    struct Frame {
        var context: Context
        var base: URL?
    }

    struct Capture {
        var field: FeedField
        var depth: Int
        var contentStart: Int
        var text: [UInt8] = []
        var hasChildren = false
        var base: URL?
    }

    let source: UnsafeBufferPointer<UInt8>
    // The state below is internal rather than private only so that FeedReader+Fields.swift can reach it.
    var feed: ParsedFeed?
    /// The root element, once seen, so that the parser can say what a document that is no feed looks like.
    private(set) var root: XMLElementName?
    /// The namespace of the root element, which RSS documents with an unusual default namespace use throughout.
    private var rootNamespace: XMLNamespace = .none
    private var stack: [Frame] = []
    private var capture: Capture?
    var draft: ItemDraft?
    var person: (name: String?, email: String?) = (nil, nil)
    var feedAuthors: [String] = []
    var feedPublished: Date?
    var feedLinkFromAtom: String?
    private let documentURL: URL?

    init(source: UnsafeBufferPointer<UInt8>, documentURL: URL?) {
        self.source = source
        self.documentURL = documentURL
    }

    /// The finished feed: nil when the root element is not that of a feed.
    func finish() -> ParsedFeed? {
        guard var feed else { return nil }
        if feed.updated == nil { feed.updated = feedPublished }
        if feed.url == nil { feed.url = feedLinkFromAtom }
        return feed
    }

    // MARK: - XMLTokenHandler

    mutating func startElement(_ name: XMLElementName, attributes: XMLAttributes, contentStart: Int) {
        if capture != nil {
            capture!.hasChildren = true
            stack.append(Frame(context: .skip, base: nil))
            return
        }
        let parent = stack.last
        var base = parent?.base ?? documentURL
        if let xmlBase = attributes.value("xml:base") {
            base = LinkResolver.url(xmlBase, against: base) ?? base
        }
        let context: Context
        if feed == nil {
            // Until a feed's root is found every element may be it: an Atom feed wrapped in an HTML page still reads.
            context = begin(name, attributes: attributes)
        } else if let parent {
            context = child(name, of: parent.context, attributes: attributes, contentStart: contentStart, base: base)
        } else {
            context = .skip
        }
        stack.append(Frame(context: context, base: base))
    }

    mutating func endElement(_ name: XMLElementName, contentEnd: Int) {
        guard let frame = stack.popLast() else { return }
        if let current = capture, current.depth == stack.count {
            capture = nil
            finish(current, contentEnd: contentEnd)
            return
        }
        switch frame.context {
        case .item:
            if let draft {
                feed?.items.append(draft.item(inheritedAuthor: feedAuthors.isEmpty ? nil : feedAuthors.joined(separator: ", ")))
            }
            draft = nil
        case .person(let inItem):
            if let who = person.name ?? person.email {
                if inItem { draft?.atomAuthors.append(who) } else { feedAuthors.append(who) }
            }
            person = (nil, nil)
        default:
            break
        }
    }

    mutating func characters(_ raw: UnsafeBufferPointer<UInt8>) {
        guard capture != nil else { return }
        XMLText.appendDecoded(raw, to: &capture!.text)
    }

    mutating func cdata(_ text: UnsafeBufferPointer<UInt8>) {
        guard capture != nil else { return }
        XMLText.appendCDATA(text, to: &capture!.text)
    }

    // MARK: - Structure

    /// Recognizes the root element and the format it announces.
    private mutating func begin(_ name: XMLElementName, attributes: XMLAttributes) -> Context {
        if root == nil { root = name }
        rootNamespace = name.namespace
        switch (name.localName, name.namespace) {
        case ("rss", _):
            let version = attributes.value("version")?.trimmingASCIISpaces() ?? ""
            feed = ParsedFeed(format: version.hasPrefix("0.9") ? .rss09x : .rss20)
            return .document
        case ("RDF", .rdf):
            feed = ParsedFeed(format: .rss10)
            return .document
        case ("feed", .atom03):
            feed = ParsedFeed(format: .atom03)
            feed?.language = attributes.value("xml:lang")
            return .channel
        case ("feed", .atom), ("feed", .none):
            feed = ParsedFeed(format: .atom10)
            feed?.language = attributes.value("xml:lang")
            return .channel
        case ("channel", _) where !name.namespace.isAtom:
            // RSS 0.9x documents that lost their `rss` wrapper still read as RSS.
            feed = ParsedFeed(format: .rss09x)
            return .channel
        default:
            return .skip
        }
    }

    /// The context of an element inside `parent`, starting a capture when the element is a field feedd reads.
    private mutating func child(
        _ name: XMLElementName, of parent: Context, attributes: XMLAttributes, contentStart: Int, base: URL?
    ) -> Context {
        switch parent {
        case .document:
            if name.localName == "channel" && isRSS(name.namespace) { return .channel }
            if name.localName == "item" && isRSS(name.namespace) { return startItem(attributes) }
            if feed?.format == .rss10, name.namespace == .rss090 {
                // RSS 0.90 is RDF with its own namespace; report it as the 0.9x family it belongs to.
                feed?.format = .rss09x
                return name.localName == "channel" ? .channel : .skip
            }
            return .skip
        case .channel:
            if name.localName == "item", isRSS(name.namespace) {
                return startItem(attributes)
            }
            if isAtom(name.namespace) && (name.localName == "entry") { return startItem(attributes) }
            if isAtom(name.namespace) && (name.localName == "author") { return .person(inItem: false) }
            if let field = feedField(name, attributes: attributes, base: base) {
                startCapture(field, contentStart: contentStart, base: base)
            }
            return .skip
        case .item, .mediaGroup:
            if name.namespace == .media && name.localName == "group" { return .mediaGroup }
            if isAtom(name.namespace) && (name.localName == "author" || name.localName == "contributor") {
                // RFC 4287 §4.2.3: contributors are not authors; only `author` names the item's author.
                return name.localName == "author" ? .person(inItem: true) : .skip
            }
            if let field = itemField(name, attributes: attributes, base: base) {
                startCapture(field, contentStart: contentStart, base: base)
            }
            return .skip
        case .person:
            switch name.localName {
            case "name": startCapture(.personName, contentStart: contentStart, base: base)
            case "email": startCapture(.personEmail, contentStart: contentStart, base: base)
            default: break
            }
            return .skip
        case .skip:
            return .skip
        }
    }

    private mutating func startItem(_ attributes: XMLAttributes) -> Context {
        draft = ItemDraft()
        draft?.about = attributes.value("rdf:about")
        return .item
    }

    private mutating func startCapture(_ field: FeedField, contentStart: Int, base: URL?) {
        capture = Capture(field: field, depth: stack.count, contentStart: contentStart, base: base)
    }

    /// Whether `namespace` holds the RSS elements of this RSS document (false in Atom documents).
    func isRSS(_ namespace: XMLNamespace) -> Bool {
        guard !isAtomDocument else { return false }
        return namespace.isRSS || namespace == rootNamespace
    }

    /// Whether `namespace` holds Atom elements: Atom's own, or the root's in an Atom document that forgot it.
    func isAtom(_ namespace: XMLNamespace) -> Bool {
        namespace.isAtom || (isAtomDocument && namespace == rootNamespace)
    }

    private var isAtomDocument: Bool { feed?.format == .atom10 || feed?.format == .atom03 }

    // MARK: - Captured text

    /// The captured text: the decoded character data, or the inner markup as given when the element has children
    /// (unescaped HTML in an RSS `description`, XHTML content).
    private func value(of capture: Capture, contentEnd: Int) -> String {
        if capture.hasChildren {
            let raw = UnsafeBufferPointer(rebasing: source[capture.contentStart..<max(capture.contentStart, contentEnd)])
            return String(decoding: raw, as: UTF8.self)
        }
        return String(decoding: capture.text, as: UTF8.self)
    }

    private mutating func finish(_ capture: Capture, contentEnd: Int) {
        let text = value(of: capture, contentEnd: contentEnd).trimmingASCIISpaces()
        if draft != nil {
            assignItemField(capture.field, text: text, base: capture.base)
        } else {
            assignFeedField(capture.field, text: text, base: capture.base)
        }
    }
}
