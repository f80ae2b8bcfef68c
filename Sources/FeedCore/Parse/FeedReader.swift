import Foundation

/// Turns the token stream of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom 0.3/1.0 document into a `ParsedFeed`.
///
/// One reader lives inside one `FeedParser.parse` call. It keeps a stack of open elements, each with the part of
/// the feed it is in (`Context`), the `xml:base` values in scope, and the element whose text is being captured into
/// a `FeedField`.
///
/// Its state is read in place wherever it can be: a call to one of its non-mutating methods from a mutating one
/// copies the whole reader, its draft item included, and retains every string in it.
struct FeedReader: XMLTokenHandler {
    enum Context {
        case document
        case channel
        case item
        case person(inItem: Bool)
        /// `media:group`: its `media:content` elements belong to the enclosing item.
        case mediaGroup
        /// RSS `skipHours` or `skipDays`, whose `hour` or `day` children are read.
        case skipList
        /// An element whose content feedd does not read (`image`, `textInput`, Atom `source`, …).
        case skip
    }

    struct Frame {
        var context: Context
        /// Whether the element has an `xml:base`, pushed on `bases` until it ends.
        var setsBase = false
    }

    struct Capture {
        var field: FeedField
        var depth: Int
        var contentStart: Int
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
    /// Whether `feed` is set, kept apart because asking `feed` itself copies the whole feed.
    private var foundFeed = false
    /// Whether the root is Atom's `feed`, kept apart for the same reason.
    private var isAtomDocument = false
    /// Whether the root is a CDF `CHANNEL` (see FeedReader+CDF.swift).
    private var isCDFDocument = false
    private var stack: [Frame] = []
    /// The `xml:base` of each open element that has one, innermost last: kept apart from `stack` so that the many
    /// elements without one cost no URL reference counting.
    private var bases: [URL] = []
    private var capture: Capture?
    /// The text of the element being captured; its storage serves every capture of the document.
    private var capturedText = CapturedText()
    /// The item being read, while `inItem`: items do not nest, so one draft serves them all in turn.
    var draft = ItemDraft()
    var inItem = false
    var person: (name: String?, email: String?) = (nil, nil)
    /// The feed's authors as entries inherit them, joined once and capped: every entry carries a copy, so an
    /// endless author list would multiply the output.
    var feedAuthor: String?
    /// Longest `xml:base` kept, in bytes.
    static let longestBase = 512
    /// Longest inherited author, in bytes.
    static let longestAuthor = 512

    /// `text`, cut to `longestAuthor` bytes (on a character boundary) with `…` when longer.
    static func capped(_ text: String) -> String {
        guard text.utf8.count > longestAuthor else { return text }
        var cut = ""
        for character in text where cut.utf8.count + character.utf8.count < longestAuthor { cut.append(character) }
        return cut + "…"
    }
    var feedPublished: Date?
    var feedLinkFromAtom: String?
    /// Whether the document ended inside elements, and how many items that cut off.
    private var inputEnded = false
    private var droppedItems = 0
    private let documentURL: URL?
    /// Whether the document was read from a file, whose path means nothing to the links of a web feed.
    private let readsFile: Bool
    private var startedItems = false
    /// For a document read from a file: the feed's own web link as it stood when the first item started, which the
    /// items' relative links resolve against instead of the file's path (see `FeedParser.parse`).
    private(set) var siteBase: URL?

    init(source: UnsafeBufferPointer<UInt8>, documentURL: URL?) {
        self.source = source
        self.documentURL = documentURL
        readsFile = documentURL?.isFileURL == true
    }

    /// The finished feed: nil when the root element is not that of a feed.
    func finish() -> ParsedFeed? {
        guard var feed else { return nil }
        if feed.updated == nil { feed.updated = feedPublished }
        if feed.url == nil { feed.url = feedLinkFromAtom }
        if droppedItems > 0 {
            feed.problems.append("\(droppedItems) item\(droppedItems == 1 ? "" : "s") cut off by the end of the document left out")
        }
        return feed
    }

    // MARK: - XMLTokenHandler

    mutating func inputEndedInsideElements() {
        inputEnded = true
    }

    mutating func startElement(_ name: XMLElementName, attributes: XMLAttributes, contentStart: Int) {
        if capture != nil {
            capture!.hasChildren = true
            stack.append(Frame(context: .skip))
            return
        }
        var setsBase = false
        // A base only matters where links are read: not inside skipped elements. And a base longer than any real
        // one is ignored, since each nested relative base grows its children's (quadratic time and memory).
        var skipped = false
        if foundFeed, case .skip? = stack.last?.context { skipped = true }
        if !skipped, let xmlBase = attributes.value("xml:base"),
            let url = LinkResolver.url(xmlBase, against: base), url.absoluteString.utf8.count <= Self.longestBase
        {
            bases.append(url)
            setsBase = true
        }
        // Below the root, element names are read without case (CDF's upper-case names are told by the root).
        let name = foundFeed ? Self.caseFolded(name) ?? name : name
        let context: Context
        if !foundFeed {
            // Until a feed's root is found every element may be it: an Atom feed wrapped in an HTML page still reads.
            context = begin(name, attributes: attributes)
        } else if let parent = stack.last?.context {
            context = child(name, of: parent, attributes: attributes, contentStart: contentStart)
        } else {
            context = .skip
        }
        stack.append(Frame(context: context, setsBase: setsBase))
    }

    mutating func endElement(_ name: XMLElementName, contentEnd: Int) {
        guard let frame = stack.popLast() else { return }
        if frame.setsBase { bases.removeLast() }
        if let current = capture, current.depth == stack.count {
            capture = nil
            finish(current, contentEnd: contentEnd)
            return
        }
        switch frame.context {
        case .item:
            // Moved out of `draft` rather than read in place, which would copy it whole.
            var finished = ItemDraft()
            swap(&finished, &draft)
            inItem = false
            // An item the document ended inside is cut off (a truncated download): its fields may be cut too, and
            // logging it would log a story that is not one, and then the real one again.
            guard !inputEnded || endsInsideCDATA else {
                droppedItems += 1
                return
            }
            let inheritedAuthor = feedAuthor
            feed?.items.append(finished.item(inheritedAuthor: inheritedAuthor))
        case .person(let inItem):
            if let who = person.name ?? person.email {
                if inItem {
                    draft.atomAuthors.append(who)
                } else if (feedAuthor?.utf8.count ?? 0) <= Self.longestAuthor {
                    // Grown one name at a time, and no more once past the cap: joining every name each time was
                    // quadratic in a document with thousands of feed authors.
                    feedAuthor = Self.capped(feedAuthor.map { $0 + ", " + who } ?? who)
                }
            }
            person = (nil, nil)
        default:
            break
        }
    }

    mutating func characters(_ raw: UnsafeBufferPointer<UInt8>) {
        // Once the element has children, its markup is taken as given and the decoded text is not needed.
        guard capture?.hasChildren == false else { return }
        capturedText.append(characters: raw)
    }

    mutating func cdata(_ text: UnsafeBufferPointer<UInt8>) {
        guard capture?.hasChildren == false else { return }
        capturedText.append(cdata: text)
    }

    // MARK: - Structure

    /// Recognizes the root element and the format it announces.
    private mutating func begin(_ name: XMLElementName, attributes: XMLAttributes) -> Context {
        if root == nil { root = name }
        rootNamespace = name.namespace
        let format: FeedFormat
        let context: Context
        switch (name.element, name.namespace) {
        case (.rss?, _):
            let version = attributes.value("version")?.trimmingASCIISpaces() ?? ""
            (format, context) = (version.hasPrefix("0.9") ? .rss09x : .rss20, .document)
        case (.rdf?, .rdf):
            (format, context) = (.rss10, .document)
        case (.feed?, .atom03):
            (format, context) = (.atom03, .channel)
        case (.feed?, .atom):
            (format, context) = (.atom10, .channel)
        case (.feed?, _) where !name.namespace.isRSS || name.namespace == .none:
            // A `feed` root in no namespace, a draft-era one or a misspelled one is Atom all the same, as feedparser
            // reads it: its `version` attribute (0.1 to 0.3, the drafts before RFC 4287) tells the format.
            let version = attributes.value("version")?.trimmingASCIISpaces() ?? ""
            (format, context) = (version.hasPrefix("0.") ? .atom03 : .atom10, .channel)
        case (nil, _) where Self.isCDFChannel(name):
            (format, context) = (.rss09x, .channel)
            isCDFDocument = true
        case (.channel?, _) where !name.namespace.isAtom:
            // RSS 0.9x documents that lost their `rss` wrapper still read as RSS.
            (format, context) = (.rss09x, .channel)
        default:
            return .skip
        }
        var feed = ParsedFeed(format: format)
        isAtomDocument = format == .atom03 || format == .atom10
        if isAtomDocument { feed.language = attributes.value("xml:lang") }
        self.feed = feed
        foundFeed = true
        if isCDFDocument { startCDFChannel(attributes) }
        return context
    }

    /// The context of an element inside `parent`, starting a capture when the element is a field feedd reads.
    private mutating func child(
        _ name: XMLElementName, of parent: Context, attributes: XMLAttributes, contentStart: Int
    ) -> Context {
        let element = name.element
        if isCDFDocument, case .channel = parent, let context = cdfChild(name, attributes: attributes, contentStart: contentStart) {
            return context
        }
        if isCDFDocument, case .item = parent, let context = cdfChild(name, attributes: attributes, contentStart: contentStart) {
            return context
        }
        switch parent {
        case .document:
            if element == .channel && isRSS(name.namespace) { return .channel }
            if element == .item && isRSS(name.namespace) { return startItem(attributes) }
            if feed?.format == .rss10, name.namespace == .rss090 {
                // RSS 0.90 is RDF with its own namespace; report it as the 0.9x family it belongs to.
                feed?.format = .rss09x
                return element == .channel ? .channel : .skip
            }
            return .skip
        case .channel:
            if element == .item, isRSS(name.namespace) {
                return startItem(attributes)
            }
            // An Atom `item` (a pre-1.0 habit) is an entry, as feedparser reads it.
            if isAtom(name.namespace) && (element == .entry || element == .item) { return startItem(attributes) }
            if isAtom(name.namespace) && element == .author { return .person(inItem: false) }
            if (element == .skipHours || element == .skipDays) && isRSS(name.namespace) { return .skipList }
            if let field = feedField(name, attributes: attributes) {
                startCapture(field, contentStart: contentStart)
            }
            return .skip
        case .item, .mediaGroup:
            if name.namespace == .media && element == .group { return .mediaGroup }
            if isAtom(name.namespace) && (element == .author || element == .contributor) {
                // RFC 4287 §4.2.3: contributors are not authors; only `author` names the item's author.
                return element == .author ? .person(inItem: true) : .skip
            }
            if let field = itemField(name, attributes: attributes) {
                startCapture(field, contentStart: contentStart)
            }
            return .skip
        case .person:
            switch element {
            case .name?: startCapture(.personName, contentStart: contentStart)
            case .email?: startCapture(.personEmail, contentStart: contentStart)
            default: break
            }
            return .skip
        case .skipList:
            switch element {
            case .hour?: startCapture(.skipHour, contentStart: contentStart)
            case .day?: startCapture(.skipDay, contentStart: contentStart)
            default: break
            }
            return .skip
        case .skip:
            return .skip
        }
    }

    mutating func startItem(_ attributes: XMLAttributes) -> Context {
        if readsFile && !startedItems {
            startedItems = true
            siteBase = feed.flatMap { FeedParser.webLink(of: $0, atomAlternate: feedLinkFromAtom) }
        }
        draft = ItemDraft()
        draft.about = attributes.value("rdf:about")
        inItem = true
        return .item
    }

    /// Starts capturing `field`, for the readers of other formats in extensions.
    mutating func beginCapture(_ field: FeedField, contentStart: Int) {
        startCapture(field, contentStart: contentStart)
    }

    private mutating func startCapture(_ field: FeedField, contentStart: Int) {
        capture = Capture(field: field, depth: stack.count, contentStart: contentStart, base: base)
        capturedText.removeAll()
    }

    /// The URL relative links resolve against where the reader is: the innermost `xml:base`, else the feed's web
    /// link for a document read from a file, else the document's URL.
    @inline(__always)
    var base: URL? { bases.last ?? siteBase ?? documentURL }

    /// Whether `namespace` holds the RSS elements of this RSS document (false in Atom documents).
    ///
    /// Always inlined, as is `isAtom`: every element asks, and a call would copy the reader.
    @inline(__always)
    func isRSS(_ namespace: XMLNamespace) -> Bool {
        guard !isAtomDocument else { return false }
        return namespace.isRSS || namespace == rootNamespace
    }

    /// Whether `namespace` holds Atom elements: Atom's own, or the root's in an Atom document that forgot it.
    @inline(__always)
    func isAtom(_ namespace: XMLNamespace) -> Bool {
        namespace.isAtom || (isAtomDocument && namespace == rootNamespace)
    }

    // MARK: - Captured text

    private mutating func finish(_ capture: Capture, contentEnd: Int) {
        // The decoded character data, or the inner markup as given when the element has children (unescaped HTML in
        // an RSS `description`, XHTML content); made here rather than by a method, which would copy the reader.
        let markup = UnsafeBufferPointer(rebasing: source[capture.contentStart..<max(capture.contentStart, contentEnd)])
        if capture.field.isDate {
            // Parsed from the bytes: the string of a date would be thrown away at once.
            let date: Date?
            if capture.hasChildren {
                date = FeedDate.parse(bytes: markup.trimmingASCIISpaces())
            } else {
                date = capturedText.withDecodedBytes { FeedDate.parse(bytes: $0.trimmingASCIISpaces()) }
            }
            assignDate(capture.field, date)
            return
        }
        let text = capture.hasChildren ? String(trimmingASCIISpacesOf: markup) : capturedText.text()
        // A title of plain text with naked markup in it (`<title>A <b>bold</b> word</title>`) is shown as readers
        // show it: the markup read as HTML, not kept as text.
        var field = capture.field
        if capture.hasChildren {
            if case .title(.text) = field { field = .title(.html) }
            if case .feedTitle(.text) = field { field = .feedTitle(.html) }
        }
        if inItem {
            assignItemField(field, text: text, base: capture.base)
        } else {
            assignFeedField(field, text: text, base: capture.base)
        }
    }
}
