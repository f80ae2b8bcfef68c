import Foundation

/// Writes the cleaned article twice in one walk: as markup that keeps only article elements (paragraphs,
/// headings, lists, quotes, code, tables, figures with images and captions, links) with absolute URLs and no
/// attributes but `href`, `src`, `alt` and table spans, and as plain text whose paragraphs are separated by blank
/// lines.
///
/// Containers (`div`, `section`, `span`, …) are unwrapped; text that stood in one directly is put in a `<p>`.
/// An element that ends up with no text and no image is left out.
struct ArticleWriter {
    /// Elements that hold text directly.
    static let textBlocks: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "figcaption", "caption", "pre",
    ]
    /// Elements kept that hold blocks; text directly inside is wrapped in `<p>`.
    static let containerBlocks: Set<String> = [
        "blockquote", "figure", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr",
    ]
    /// Inline elements kept as they are.
    static let inlineElements: Set<String> = [
        "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "code", "kbd", "samp", "var", "mark",
        "small", "q", "cite", "abbr", "dfn",
    ]

    let tree: HTMLTree
    let dropped: [Bool]
    /// What relative URLs resolve against.
    let base: URL?

    /// The markup, as bytes: an element that turns out empty is cut off its end.
    private var html: [UInt8] = []
    private var paragraphs: [String] = []
    private var paragraph = ""
    private var pendingSpace = false
    /// The `<p>` opened for text standing directly in a container, while it is open.
    private var implicitParagraph = false
    /// Depth of the text blocks and inline elements open: inline content needs no `<p>` of its own there.
    private var inlineDepth = 0
    private var preDepth = 0
    private var figureDepth = 0
    /// Inside a table cell, paragraphs end with a space: a table row is one paragraph of text.
    private var cellDepth = 0
    /// Characters and images written so far, to tell an empty element from one with content.
    private var content = 0

    private init(tree: HTMLTree, dropped: [Bool], base: URL?) {
        self.tree = tree
        self.dropped = dropped
        self.base = base
    }

    /// The markup and the text of `parts`.
    static func write(_ parts: [Int], tree: HTMLTree, dropped: [Bool], base: URL?) -> (html: String, text: String) {
        var writer = ArticleWriter(tree: tree, dropped: dropped, base: base)
        for part in parts { writer.write(part) }
        writer.closeImplicitParagraph()
        writer.endParagraph()
        let html = String(decoding: writer.html, as: UTF8.self).trimmedText
        return (html, writer.paragraphs.joined(separator: "\n\n"))
    }

    private mutating func write(_ index: Int) {
        guard !dropped[index] else { return }
        let node = tree[index]
        if node.isText {
            writeText(node.text)
            return
        }
        var name = node.name
        if name == "h1" { name = "h2" }
        switch name {
        case "br":
            if inlineDepth > 0 { emit("<br>") }
            paragraph += "\n"
            pendingSpace = false
        case "hr":
            closeImplicitParagraph()
            endParagraph()
            emit("<hr>\n")
        case "img":
            writeImage(node)
        default:
            if Self.textBlocks.contains(name) || Self.containerBlocks.contains(name) {
                writeBlock(index, name: name)
            } else if Self.inlineElements.contains(name) {
                writeInline(index, name: name)
            } else if HTMLTree.blockElements.contains(name) {
                closeImplicitParagraph()
                endParagraph()
                writeChildren(of: index)
                closeImplicitParagraph()
                endParagraph()
            } else {
                writeChildren(of: index)
            }
        }
    }

    private mutating func writeChildren(of index: Int) {
        for child in tree.children(of: index) { write(child) }
    }

    private mutating func writeBlock(_ index: Int, name: String) {
        let isCell = name == "td" || name == "th"
        if isCell { cellDepth += 1 }
        defer { if isCell { cellDepth -= 1 } }
        closeImplicitParagraph()
        endParagraph()
        let start = html.count
        let contentBefore = content
        emit("<\(name)\(blockAttributes(tree[index], name: name))>")
        let savedInline = inlineDepth
        inlineDepth = Self.textBlocks.contains(name) ? 1 : 0
        if name == "pre" { preDepth += 1 }
        if name == "figure" { figureDepth += 1 }
        writeChildren(of: index)
        if name == "pre" { preDepth -= 1 }
        if name == "figure" { figureDepth -= 1 }
        closeImplicitParagraph()
        inlineDepth = savedInline
        endParagraph()
        if content == contentBefore {
            html.removeSubrange(start...)
        } else {
            emit("</\(name)>")
            if name != "li" && name != "td" && name != "th" { emit("\n") }
        }
    }

    private mutating func writeInline(_ index: Int, name: String) {
        let node = tree[index]
        var open = "<\(name)>"
        if name == "a" {
            guard let href = node.attribute("href").map(resolved), !href.lowercased().hasPrefix("javascript:") else {
                writeChildren(of: index)
                return
            }
            open = "<a href=\"\(Self.escapedAttribute(href))\">"
        }
        if inlineDepth == 0 { openImplicitParagraph() }
        if pendingSpace, !paragraph.isEmpty, paragraph.last != "\n" {
            emit(" ")
            paragraph += " "
            pendingSpace = false
        }
        let start = html.count
        let contentBefore = content
        emit(open)
        inlineDepth += 1
        writeChildren(of: index)
        inlineDepth -= 1
        if content == contentBefore {
            html.removeSubrange(start...)
        } else {
            emit("</\(name)>")
        }
    }

    private mutating func writeImage(_ node: HTMLTree.Node) {
        guard let source = Self.imageSource(node) else { return }
        if inlineDepth == 0 && figureDepth == 0 { openImplicitParagraph() }
        var tag = "<img src=\"\(Self.escapedAttribute(resolved(source)))\""
        if let alt = node.attribute("alt") { tag += " alt=\"\(Self.escapedAttribute(alt.collapsedWhitespace))\"" }
        emit(tag + ">")
        content += 1
    }

    /// The image's address: `src`, unless it is a placeholder that a script swaps for a lazy-loaded one.
    static func imageSource(_ node: HTMLTree.Node) -> String? {
        let src = node.attribute("src")?.trimmedText ?? ""
        if !src.isEmpty, !src.hasPrefix("data:") { return src }
        for name in ["data-src", "data-lazy-src", "data-original", "data-url", "data-orig-file"] {
            if let value = node.attribute(name)?.trimmedText, !value.isEmpty { return value }
        }
        for name in ["srcset", "data-srcset", "data-lazy-srcset"] {
            if let first = node.attribute(name)?.split(separator: ",").first?.split(separator: " ").first {
                return String(first)
            }
        }
        return src.isEmpty ? nil : src
    }

    private func blockAttributes(_ node: HTMLTree.Node, name: String) -> String {
        switch name {
        case "td", "th":
            var attributes = ""
            for span in ["colspan", "rowspan"] {
                if let value = node.attribute(span), Int(value) != nil { attributes += " \(span)=\"\(value)\"" }
            }
            return attributes
        case "ol":
            return node.attribute("start").flatMap { Int($0) }.map { " start=\"\($0)\"" } ?? ""
        default: return ""
        }
    }

    // MARK: - Text

    private mutating func writeText(_ text: String) {
        if preDepth > 0 {
            guard !text.isEmpty else { return }
            emit(Self.escaped(text))
            paragraph += text
            content += text.count
            return
        }
        let (joined, leadingSpace, trailingSpace) = text.collapsingWhitespace()
        guard !joined.isEmpty else {
            if leadingSpace { pendingSpace = true }
            return
        }
        if inlineDepth == 0 { openImplicitParagraph() }
        if leadingSpace || pendingSpace, !paragraph.isEmpty, paragraph.last != "\n" {
            emit(" ")
            paragraph += " "
        }
        emit(Self.escaped(joined))
        paragraph += joined
        content += joined.utf8.count
        pendingSpace = trailingSpace
    }

    private mutating func emit(_ markup: String) {
        html.append(contentsOf: markup.utf8)
    }

    private mutating func openImplicitParagraph() {
        guard !implicitParagraph, inlineDepth == 0 else { return }
        emit("<p>")
        implicitParagraph = true
        inlineDepth = 1
    }

    /// Closes the implicit `<p>`, unless an inline element inside it is open (a block inside a link stays in it).
    private mutating func closeImplicitParagraph() {
        guard implicitParagraph, inlineDepth == 1 else { return }
        implicitParagraph = false
        inlineDepth = 0
        if html.count >= 3, html[(html.count - 3)...].elementsEqual("<p>".utf8) {
            html.removeLast(3)
        } else {
            emit("</p>\n")
        }
        endParagraph()
    }

    private mutating func endParagraph() {
        if cellDepth > 0 {
            pendingSpace = true
            return
        }
        let text = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { paragraphs.append(text) }
        paragraph = ""
        pendingSpace = false
    }

    private func resolved(_ reference: String) -> String {
        LinkResolver.resolve(reference, against: base)
    }

    static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    static func escapedAttribute(_ text: String) -> String {
        escaped(text).replacingOccurrences(of: "\"", with: "&quot;")
    }
}
