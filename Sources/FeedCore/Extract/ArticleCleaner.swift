import Foundation

/// Cleans inside the elements chosen as the article: drops the heading that repeats the title, the byline and
/// date lines that repeat the metadata, short blocks of share/advert/"related" boilerplate, forms, and the
/// lists, tables and divisions that read as chrome (Readability's `_prepArticle` and `_cleanConditionally`,
/// done as one pass from the innermost element out, so that what an inner pass drops no longer counts outside).
struct ArticleCleaner {
    /// Elements judged by their content: dropped when they hold links, images or form fields more than prose.
    static let judgedElements: Set<String> = [
        "table", "ul", "ol", "dl", "div", "section", "header", "form", "fieldset", "figure", "aside", "footer", "span",
    ]
    static let alwaysDropped: Set<String> = [
        "form", "fieldset", "footer", "aside", "nav", "input", "button", "select", "textarea", "label", "iframe",
        "embed", "object", "link", "style", "script",
    ]
    /// Paragraphs that open with these words and are mostly a link point elsewhere ("Read more: …").
    static let pointerOpenings = [
        "read more", "related", "see also", "also read", "read also", "recommended", "watch:", "listen:",
        "lesen sie auch", "mehr zum thema", "lire aussi", "à lire aussi", "a lire aussi", "lee también", "leer más",
        "читайте также", "leggi anche",
    ]

    let tree: HTMLTree
    let pass: ExtractionPass
    /// Text below each node as the scorer measured it, before cleaning.
    let measuredText: [TextMeasure]

    /// Marks in `dropped` what the article `parts` should lose; `title` is the page's title. The parts that joined
    /// `top` are judged like what they hold; `top` itself is kept.
    func clean(_ parts: [Int], top: Int, title: String?, dropped: inout [Bool]) {
        let normalizedTitle = title.map(Self.normalized)
        for part in parts {
            let below = tree.descendants(of: part)
            let range = part == top ? below : part..<below.upperBound
            dropLines(in: range, title: normalizedTitle, dropped: &dropped)
            judge(range, dropped: &dropped)
        }
    }

    // MARK: - Lines that repeat the metadata

    private func dropLines(in range: Range<Int>, title: String?, dropped: inout [Bool]) {
        var headingsSeen = 0
        for index in range where !dropped[index] {
            let node = tree[index]
            if node.isText { continue }
            if dropped[node.parent] {
                dropped[index] = true
                continue
            }
            let name = node.name
            if Self.alwaysDropped.contains(name) {
                dropped[index] = true
                continue
            }
            if name == "h1" || name == "h2" {
                headingsSeen += 1
                if let title, headingsSeen <= 2, Self.repeats(title, Self.normalized(tree.text(of: index))) {
                    dropped[index] = true
                    continue
                }
            }
            if HTMLTreeBuilder.headings.contains(name), pass.weighsClasses, ChromeVocabulary.weight(of: node) < 0 {
                dropped[index] = true
                continue
            }
            let length = measuredText[index].length
            let names = ChromeVocabulary.names(of: node)
            let authorLink = node.attribute("rel")?.lowercased() == "author"
                || node.attribute("itemprop")?.lowercased() == "author"
            if length < 120, authorLink || name == "address" || ChromeVocabulary.matches(names, ChromeVocabulary.byline) {
                dropped[index] = true
                continue
            }
            if name == "time", let line = enclosingBlock(of: index, within: range),
                measuredText[line].length < 80, measuredText[line].stops == 0 || measuredText[line].length < 40
            {
                dropped[line] = true
                continue
            }
            if name == "img", Self.isPixel(node) {
                dropped[index] = true
                continue
            }
            if HTMLTree.blockElements.contains(name), length <= 40,
                ChromeVocabulary.boilerplatePhrases.contains(Self.normalized(tree.text(of: index)))
            {
                dropped[index] = true
                continue
            }
            if name == "p", length < 200, links(in: index) * 2 > length {
                let text = Self.normalized(tree.text(of: index))
                if Self.pointerOpenings.contains(where: { text.hasPrefix($0) }) { dropped[index] = true }
            }
        }
    }

    /// The nearest block element that holds `index`, inside `range`.
    private func enclosingBlock(of index: Int, within range: Range<Int>) -> Int? {
        var node = tree[index].parent
        while range.contains(node) {
            if HTMLTree.blockElements.contains(tree[node].name) { return node }
            node = tree[node].parent
        }
        return nil
    }

    private func links(in index: Int) -> Int {
        var length = 0
        for node in tree.descendants(of: index) where tree[node].name == "a" { length += measuredText[node].length }
        return length
    }

    // MARK: - Conditional cleaning

    /// What one element holds, once what was dropped inside it is gone.
    private struct Content {
        var text = TextMeasure()
        var linkText = 0
        var paragraphs = 0
        var images = 0
        var listItems = 0
        var embeds = 0

        mutating func add(_ other: Content) {
            text += other.text
            linkText += other.linkText
            paragraphs += other.paragraphs
            images += other.images
            listItems += other.listItems
            embeds += other.embeds
        }
    }

    private func judge(_ range: Range<Int>, dropped: inout [Bool]) {
        guard !range.isEmpty else { return }
        var content = [Content](repeating: Content(), count: range.count)
        var inFigure = [Bool](repeating: false, count: range.count)
        let offset = range.lowerBound
        for index in range {
            let parent = tree[index].parent
            inFigure[index - offset] =
                tree[index].name == "figure" || (range.contains(parent) && inFigure[parent - offset])
        }
        for index in range.reversed() where !dropped[index] {
            let node = tree[index]
            var own = content[index - offset]
            if node.isText {
                own.text = TextMeasure(node.text)
            } else {
                switch node.name {
                case "p": own.paragraphs += 1
                case "img": own.images += 1
                case "li": own.listItems += 1
                case "iframe", "video", "embed", "object": own.embeds += 1
                case "a": own.linkText = own.text.length
                default: break
                }
                if pass.cleansConditionally, Self.judgedElements.contains(node.name),
                    isChrome(node, own, inFigure: inFigure[index - offset])
                {
                    dropped[index] = true
                    continue
                }
            }
            content[index - offset] = own
            let parent = node.parent
            if range.contains(parent) { content[parent - offset].add(own) }
        }
    }

    /// Readability's `_cleanConditionally` verdict, with one more rule: a list that is mostly links.
    private func isChrome(_ node: HTMLTree.Node, _ content: Content, inFigure: Bool) -> Bool {
        let weight = pass.weighsClasses ? ChromeVocabulary.weight(of: node) : 0
        if weight < 0 { return true }
        let length = content.text.length
        let density = length == 0 ? 0 : Double(content.linkText) / Double(length)
        let isList = node.name == "ul" || node.name == "ol" || node.name == "dl"
        if isList { return density > 0.6 && content.text.commas < 3 }
        if content.text.commas >= 10 { return false }
        if node.name == "span" { return length == 0 && content.images == 0 }
        let paragraphs = Double(content.paragraphs)
        let images = content.images
        if images > 1, paragraphs / Double(images) < 0.5, !inFigure { return true }
        if content.listItems - 100 > content.paragraphs { return true }
        if length < 22, images == 0 || images > 2, !inFigure { return content.embeds == 0 }
        if weight < 25, density > 0.2 { return true }
        return weight >= 25 && density > 0.5
    }

    // MARK: - Words

    /// Lowercase, whitespace collapsed, without the punctuation around labels (`Share:`, `— Advertisement —`).
    static func normalized(_ text: String) -> String {
        let trimmed = text.lowercased().collapsedWhitespace
        return trimmed.trimmingCharacters(in: CharacterSet(charactersIn: " :·•|–—-»«>").union(.whitespaces))
    }

    /// True when a heading's text is the title, or the title with the site's name around it.
    static func repeats(_ title: String, _ heading: String) -> Bool {
        guard !heading.isEmpty else { return false }
        if heading == title { return true }
        return heading.count * 10 >= title.count * 6 && (title.contains(heading) || heading.contains(title))
    }

    /// A tracking pixel: an image declared at most 2 pixels wide or high.
    static func isPixel(_ node: HTMLTree.Node) -> Bool {
        for dimension in ["width", "height"] {
            if let value = node.attribute(dimension).flatMap({ Int($0.trimmedText) }), value <= 2 { return true }
        }
        return false
    }
}
