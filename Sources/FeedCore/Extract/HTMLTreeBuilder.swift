/// Builds an `HTMLTree` from the tokens of `HTMLScanner(everything:)`, forgiving as browsers are, for the parts of
/// the HTML tree construction rules (WHATWG HTML §13.2.6) that decide where an article's text ends up.
///
/// Kept: void elements, raw text, `<p>` closed by a block that opens, `<li>`, `<dt>`/`<dd>`, `<option>` and table
/// rows and cells closed by their next sibling, a heading closed by another, end tags that close everything
/// opened inside them, stray end tags ignored, one `<html>`, `<head>` and `<body>`. Left out, because they move
/// text little or not at all: the adoption agency for misnested formatting (`<b><i></b></i>`), foster parenting
/// of text misplaced in tables, and the insertion modes of `<head>` (its elements land where they appear).
struct HTMLTreeBuilder {
    /// Elements that never have content (§13.1.2).
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "keygen", "frame", "basefont", "bgsound",
    ]
    /// Start tags that close an open `<p>` (§13.2.6.4.7, "in body").
    static let paragraphClosers: Set<String> = [
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main",
        "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "li", "dd", "dt", "listing", "xmp",
    ]
    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    /// Where a search for an open element to close implicitly stops (a simplified "has an element in scope").
    private static let scopeBoundaries: Set<String> = [
        "table", "td", "th", "caption", "html", "body", "template", "object", "marquee", "button", "applet",
    ]
    private static let listBoundaries: Set<String> = scopeBoundaries.union([
        "ul", "ol", "menu", "dl", "article", "section", "aside", "nav", "blockquote", "main",
    ])
    /// Deeper elements are added as children of the deepest open one, not nested further: pages that never close
    /// their `<div>`s must not make the tree (and every walk up it) as deep as the page is long.
    static let maximumDepth = 256

    private var tree = HTMLTree()
    private var open: [Int] = [HTMLTree.root]
    private var singletons: [String: Int] = [:]

    /// The tree of `bytes`, a page in UTF-8.
    static func build(_ bytes: UnsafeBufferPointer<UInt8>) -> HTMLTree {
        var builder = HTMLTreeBuilder()
        var scanner = HTMLScanner(everything: bytes)
        while let token = scanner.next() {
            switch token {
            case .text(let range):
                let text = HTMLEntities.decode(UnsafeBufferPointer(rebasing: bytes[range]), inAttribute: false)
                builder.tree.appendText(text, to: builder.current)
            case .rawText(let element, let range):
                let raw = UnsafeBufferPointer(rebasing: bytes[range])
                // `<title>` and `<textarea>` are escapable raw text (§13.1.2.2): references count; scripts' do not.
                let text =
                    element == "title" || element == "textarea"
                    ? HTMLEntities.decode(raw, inAttribute: false) : String(decoding: raw, as: UTF8.self)
                let last = builder.tree[builder.current].lastChild
                if last >= 0, builder.tree[last].name == element { builder.tree.setText(text, of: last) }
            case .tag(let tag): builder.start(tag)
            case .endTag(let name): builder.end(name)
            }
        }
        return builder.tree
    }

    private var current: Int { open[open.count - 1] }

    private mutating func start(_ tag: HTMLTag) {
        let name = tag.name
        if name == "html" || name == "head" || name == "body" {
            if singletons[name] != nil { return }
            // Content after `</head>` or `</body>` (ignored below) stays where the page put it; a `<body>` opened
            // inside `<head>` takes the head's place.
            if name == "body", let head = singletons["head"], let index = open.lastIndex(of: head) {
                open.removeSubrange(index...)
            }
        }
        closeImplied(by: name)
        let index = tree.append(HTMLTree.Node(name: name, attributes: tag.attributes, text: "", parent: current))
        if name == "html" || name == "head" || name == "body" { singletons[name] = index }
        let leaf =
            Self.voidElements.contains(name) || HTMLScanner.rawTextElements.contains(name)
            || (tag.selfClosing && (name == "svg" || name == "math"))
        if !leaf, open.count < Self.maximumDepth { open.append(index) }
    }

    private mutating func end(_ name: String) {
        switch name {
        case "html", "body", "head":
            if name == "head", let head = singletons["head"], let index = open.lastIndex(of: head) {
                open.removeSubrange(index...)
            }
            return
        case "br":
            // `</br>` is read as `<br>` (§13.2.6.4.7).
            start(HTMLTag(name: "br", attributes: []))
            return
        default: break
        }
        guard let index = open.lastIndex(where: { tree[$0].name == name }), index > 0 else { return }
        open.removeSubrange(index...)
    }

    /// Closes the elements that a start tag `name` ends without an end tag of theirs.
    private mutating func closeImplied(by name: String) {
        if Self.paragraphClosers.contains(name) { closeOpen(["p"], stoppingAt: Self.scopeBoundaries) }
        switch name {
        case "li": closeOpen(["li"], stoppingAt: Self.listBoundaries)
        case "dt", "dd": closeOpen(["dt", "dd"], stoppingAt: Self.listBoundaries)
        case "option", "optgroup": if tree[current].name == "option" { open.removeLast() }
        case "tr": closeOpen(["tr"], stoppingAt: ["table", "tbody", "thead", "tfoot", "html", "body"])
        case "td", "th": closeOpen(["td", "th"], stoppingAt: ["tr", "table", "html", "body"])
        case "thead", "tbody", "tfoot": closeOpen(["thead", "tbody", "tfoot"], stoppingAt: ["table", "html", "body"])
        case "a": closeOpen(["a"], stoppingAt: Self.scopeBoundaries)
        default:
            if Self.headings.contains(name), Self.headings.contains(tree[current].name) { open.removeLast() }
        }
    }

    /// Pops the open elements up to and including the nearest one named in `names`, unless an element named in
    /// `boundaries` comes first.
    private mutating func closeOpen(_ names: Set<String>, stoppingAt boundaries: Set<String>) {
        var index = open.count - 1
        while index > 0 {
            let name = tree[open[index]].name
            if names.contains(name) {
                open.removeSubrange(index...)
                return
            }
            if boundaries.contains(name) { return }
            index -= 1
        }
    }
}
