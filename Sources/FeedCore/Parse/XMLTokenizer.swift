#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forgiving XML tokenizer for feed documents, on UTF-8 bytes.
///
/// feedd reads XML with its own tokenizer rather than XMLParser: XMLParser drops undefined entities and the text
/// around a bare `&`, and its per-callback bridging alone runs at about a third of libxml2's SAX2 speed. Feeds
/// need none of XML's DTD machinery, so none is implemented: a DOCTYPE is skipped whole, no entity is ever
/// declared or expanded, and nothing outside the document is read (no XXE, no entity bombs, by construction).
///
/// Recovery follows what readers expect of real feeds: an end tag closes the nearest open element of that name
/// (and everything opened inside it), a stray end tag is ignored, a `<` that starts no markup is text, a CDATA
/// section without `]]>` ends where its element ends, and elements still open at the end are closed.
struct XMLTokenizer<Handler: XMLTokenHandler> {
    struct OpenElement {
        /// Where the name stands in the start tag, prefix and all.
        var qualifiedName: Range<Int>
        var name: XMLElementName
        /// How many namespace bindings this element declared, to drop them when it ends.
        var bindingCount: Int
    }

    // Internal rather than private only so that the extensions in XMLTokenizer+*.swift can reach them.
    let bytes: UnsafeBufferPointer<UInt8>
    var handler: Handler
    var open: [OpenElement] = []
    var bindings = XMLNamespaceBindings()
    var spans: [XMLAttributes.Span] = []
    var problems: [XMLProblem] = []
    /// The offset of the first start tag, nil when the document has none.
    var rootOffset: Int?
    /// Whether start tags beyond `maximumDepth` were ignored (reported once).
    var tooDeep = false
    /// The last search for a CDATA section's `]]>`: unclosed sections one after another would each search to the
    /// end of the document again.
    var cdataCloseSearch: (from: Int, found: Int?)?

    /// Elements nested deeper are ignored, as libxml2 refuses them by default: an end tag looks for its element in
    /// the open stack, so a deep stack of unclosed elements and many stray end tags would take quadratic time.
    static var maximumDepth: Int { 256 }
    /// Namespace bindings in scope at most; see `declareNamespaces`.
    static var maximumBindings: Int { 256 }

    /// Tokenizes `bytes` into `handler` and returns the handler with what it gathered, and the problems met.
    static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, into handler: Handler) -> (Handler, [XMLProblem]) {
        var tokenizer = XMLTokenizer(bytes: bytes, handler: handler)
        tokenizer.run()
        return (tokenizer.handler, tokenizer.problems)
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, handler: Handler) {
        self.bytes = bytes
        self.handler = handler
    }

    // MARK: - The scan

    private mutating func run() {
        let count = bytes.count
        let base = bytes.baseAddress!
        var textStart = 0
        var i = 0
        while i < count {
            guard let found = memchr(base + i, Int32(UInt8(ascii: "<")), count - i) else { break }
            let lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard lt + 1 < count else { break }
            let next = bytes[lt + 1]
            let markupEnd: Int?
            switch next {
            case UInt8(ascii: "/"):
                flushText(textStart, lt)
                markupEnd = endTag(at: lt)
            case UInt8(ascii: "!"):
                flushText(textStart, lt)
                markupEnd = declaration(at: lt)
            case UInt8(ascii: "?"):
                flushText(textStart, lt)
                markupEnd = bytes.find("?>", from: lt + 2).map { $0 + 2 }
            default:
                guard Self.isNameStart(next) else {
                    // A `<` that starts no markup is text, as in `1 < 2`.
                    i = lt + 1
                    continue
                }
                flushText(textStart, lt)
                markupEnd = startTag(at: lt)
            }
            guard let end = markupEnd else {
                report("document ends inside markup (truncated?)", at: lt)
                textStart = count
                i = count
                break
            }
            textStart = end
            i = end
        }
        flushText(textStart, count)
        closeAll(at: count)
    }

    private mutating func flushText(_ start: Int, _ end: Int) {
        guard end > start, !open.isEmpty else { return }
        handler.characters(UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    private mutating func closeAll(at offset: Int) {
        if let innermost = open.last {
            report("<\(innermost.name.localName)> and \(open.count - 1) enclosing elements not closed at the end", at: offset)
            handler.inputEndedInsideElements()
        }
        while let element = open.popLast() {
            bindings.removeLast(element.bindingCount)
            handler.endElement(element.name, contentEnd: offset)
        }
    }

    mutating func report(_ message: String, at offset: Int) {
        guard problems.count < XMLProblem.limit else { return }
        problems.append(XMLProblem(offset: offset, message: message))
    }
}

/// Something the tokenizer had to repair, at a byte offset of the document.
struct XMLProblem: Equatable, Sendable {
    /// How many problems one document reports at most; a broken document would otherwise report thousands.
    static let limit = 20
    var offset: Int
    var message: String
}
