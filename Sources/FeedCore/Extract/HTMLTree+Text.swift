// MARK: - Text of a subtree

extension HTMLTree {
    /// Elements that start a block of text: the text on either side of one is not the same paragraph.
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul", "br",
    ]

    /// The text of `index` and its descendants, with no regard to blocks (for short things: a title, a byline).
    func text(of index: Int) -> String {
        if nodes[index].isText { return nodes[index].text }
        var text = ""
        for node in descendants(of: index) where nodes[node].isText { text += nodes[node].text }
        return text
    }
}

/// How much text a piece of a page holds, counted as the scorer and the cleaner weigh it.
struct TextMeasure {
    /// Characters that are not whitespace: markup indentation does not count, and neither does the way a page
    /// wraps its lines.
    var length = 0
    var commas = 0
    /// Characters that end a sentence (`.`, `!`, `?`, `。`, …).
    var stops = 0

    init() {}

    init(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "\n", "\t", "\r", "\u{0C}", "\u{A0}": continue
            case ",", "，", "、", "،": commas += 1
            case ".", "!", "?", "。", "！", "？": stops += 1
            default: break
            }
            length += 1
        }
    }

    static func += (lhs: inout TextMeasure, rhs: TextMeasure) {
        lhs.length += rhs.length
        lhs.commas += rhs.commas
        lhs.stops += rhs.stops
    }
}
