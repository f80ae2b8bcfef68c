/// Finds the element that holds the article, as Readability does (`_grabArticle`): every block of enough text
/// scores for its commas and length, that score flows to its parent, half of it to its grandparent and less
/// further up; each candidate's score is weighed by its tag and class vocabulary and cut by its link density; the
/// best one is widened to a common ancestor of other near-best ones, or to a parent that scores higher, and its
/// siblings that score well or read as prose join it.
struct ArticleScorer {
    /// Blocks whose own text scores as a paragraph.
    static let scoredElements: Set<String> = [
        "p", "pre", "td", "div", "section", "article", "main", "blockquote", "dd", "h2", "h3", "h4", "h5", "h6", "li",
        "body", "font", "center",
    ]
    /// A block with less text of its own than this (non-space characters) gives no score.
    static let minimumParagraph = 22
    static let ancestorLevels = 5
    static let topCandidates = 5

    let tree: HTMLTree
    let dropped: [Bool]
    let pass: ExtractionPass
    /// Text below each node, not counting what is dropped.
    private(set) var text: [TextMeasure]
    /// Text below each node inside links.
    private(set) var linkText: [Int]
    private var score: [Double]

    init(tree: HTMLTree, dropped: [Bool], pass: ExtractionPass) {
        self.tree = tree
        self.dropped = dropped
        self.pass = pass
        text = [TextMeasure](repeating: TextMeasure(), count: tree.count)
        linkText = [Int](repeating: 0, count: tree.count)
        score = [Double](repeating: -.infinity, count: tree.count)
    }

    /// The elements that make the article, in page order, and the best one among them; nil when no block of the
    /// page has enough text.
    mutating func select() -> (top: Int, parts: [Int])? {
        let ownText = measure()
        var candidates: [Int] = []
        for index in 1..<tree.count where !dropped[index] && ownText[index].length >= Self.minimumParagraph {
            let node = tree[index]
            guard Self.scoredElements.contains(node.name) else { continue }
            if node.name == "li", ownText[index].length < 100 { continue }
            let own = ownText[index]
            let contentScore = 1 + Double(own.commas) + min(Double(own.length / 85), 3)
            var ancestor = node.parent
            var level = 0
            while ancestor > HTMLTree.root, level < Self.ancestorLevels {
                if score[ancestor] == -.infinity {
                    score[ancestor] = initialScore(ancestor)
                    candidates.append(ancestor)
                }
                let divider = level == 0 ? 1.0 : level == 1 ? 2.0 : Double(level * 3)
                score[ancestor] += contentScore / divider
                ancestor = tree[ancestor].parent
                level += 1
            }
        }
        guard !candidates.isEmpty else { return nil }
        for candidate in candidates { score[candidate] *= 1 - linkDensity(candidate) }
        let ranked = candidates.sorted { score[$0] > score[$1] }
        var top = ranked[0]
        if tree[top].name == "html" || tree[top].name == "body" {
            return (top, [top])
        }
        top = widen(top, among: Array(ranked.prefix(Self.topCandidates)))
        return (top, siblings(of: top))
    }

    /// The share of `index`'s text inside links.
    func linkDensity(_ index: Int) -> Double {
        let length = text[index].length
        return length == 0 ? 0 : Double(linkText[index]) / Double(length)
    }

    /// Sums the text below every node (`text`, `linkText`) and returns the text of each block's own: the text
    /// whose nearest block ancestor it is.
    private mutating func measure() -> [TextMeasure] {
        var block = [Int](repeating: HTMLTree.root, count: tree.count)
        var inLink = [Bool](repeating: false, count: tree.count)
        var own = [TextMeasure](repeating: TextMeasure(), count: tree.count)
        for index in 1..<tree.count where !dropped[index] {
            let parent = tree[index].parent
            block[index] = HTMLTree.blockElements.contains(tree[parent].name) ? parent : block[parent]
            inLink[index] = inLink[parent] || tree[parent].name == "a"
            guard tree[index].isText else { continue }
            let measure = TextMeasure(tree[index].text)
            text[index] = measure
            if inLink[index] { linkText[index] = measure.length }
            own[block[index]] += measure
        }
        for index in stride(from: tree.count - 1, through: 1, by: -1) where !dropped[index] {
            let parent = tree[index].parent
            text[parent] += text[index]
            linkText[parent] += linkText[index]
        }
        return own
    }

    /// Readability's `_initializeNode`: a base for the tag, and the class weight.
    private func initialScore(_ index: Int) -> Double {
        let node = tree[index]
        var base = 0.0
        switch node.name {
        case "div", "article": base = 5
        case "pre", "td", "blockquote": base = 3
        case "address", "ol", "ul", "dl", "dd", "dt", "li", "form": base = -3
        case "h1", "h2", "h3", "h4", "h5", "h6", "th": base = -5
        default: break
        }
        if node.attribute("itemprop")?.lowercased() == "articlebody" { base += 15 }
        return base + (pass.weighsClasses ? ChromeVocabulary.weight(of: node) : 0)
    }

    /// Moves the top candidate up to where the article is more likely whole: the nearest ancestor shared by three
    /// near-best candidates, a parent that scores better, or a parent it is the only child of.
    private func widen(_ best: Int, among ranked: [Int]) -> Int {
        var top = best
        let topScore = score[top]
        let body = tree.first("body") ?? HTMLTree.root
        let alternatives = ranked.dropFirst().filter { score[$0] / topScore >= 0.75 }
        if alternatives.count >= 3 {
            var ancestor = tree[top].parent
            while ancestor > HTMLTree.root, ancestor != body {
                if alternatives.filter({ tree.contains(ancestor, $0) }).count >= 3 {
                    top = ancestor
                    break
                }
                ancestor = tree[ancestor].parent
            }
        }
        var lastScore = score[top]
        let threshold = lastScore / 3
        var ancestor = tree[top].parent
        while ancestor > HTMLTree.root, ancestor != body {
            defer { ancestor = tree[ancestor].parent }
            guard score[ancestor] != -.infinity else { continue }
            if score[ancestor] < threshold { break }
            if score[ancestor] > lastScore {
                top = ancestor
                break
            }
            lastScore = score[ancestor]
        }
        var parent = tree[top].parent
        while parent > HTMLTree.root, parent != body, elementChildren(of: parent).count == 1 {
            top = parent
            parent = tree[parent].parent
        }
        return top
    }

    /// `top` and those of its siblings that belong with it (Readability's sibling pass).
    private func siblings(of top: Int) -> [Int] {
        let topScore = max(score[top], 0)
        let threshold = max(10, topScore * 0.2)
        let topClass = tree[top].attribute("class") ?? ""
        var parts: [Int] = []
        for sibling in elementChildren(of: tree[top].parent) {
            if sibling == top {
                parts.append(sibling)
                continue
            }
            var bonus = 0.0
            if !topClass.isEmpty, tree[sibling].attribute("class") == topClass { bonus = topScore * 0.2 }
            if score[sibling] != -.infinity, score[sibling] + bonus >= threshold {
                parts.append(sibling)
            } else if tree[sibling].name == "p" || tree[sibling].name == "blockquote" || tree[sibling].name == "pre" {
                let density = linkDensity(sibling)
                let length = text[sibling].length
                if length > 70 && density < 0.25 {
                    parts.append(sibling)
                } else if length > 0, length <= 70, density == 0, text[sibling].stops > 0 {
                    parts.append(sibling)
                }
            }
        }
        return parts
    }

    private func elementChildren(of index: Int) -> [Int] {
        tree.children(of: index).filter { !dropped[$0] && !tree[$0].isText }
    }
}
