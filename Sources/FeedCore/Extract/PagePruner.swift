/// The first pass over a page: marks what can never be article text (scripts, forms' controls, navigation,
/// hidden elements, landmarks that are not the main content) and, in a strict pass, the containers whose class or
/// id says page chrome.
enum PagePruner {
    /// Elements dropped with all they contain.
    static let droppedElements: Set<String> = [
        "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed", "button",
        "select", "input", "textarea", "option", "nav", "head", "title", "meta", "link", "dialog", "map", "audio",
        "video", "frameset", "frame", "applet", "datalist", "progress", "meter", "base",
    ]
    /// Landmarks dropped unless they hold the article.
    static let droppedLandmarks: Set<String> = ["aside", "footer"]
    /// ARIA roles of page chrome (WAI-ARIA 1.2 landmark and window roles).
    static let chromeRoles: Set<String> = [
        "navigation", "menu", "menubar", "complementary", "banner", "contentinfo", "dialog", "alertdialog", "alert",
        "search", "toolbar", "tooltip", "marquee",
    ]

    /// Which nodes of `tree` the pass drops: `true` for a node and everything below it.
    static func prune(_ tree: HTMLTree, pass: ExtractionPass) -> [Bool] {
        let holdsArticle = articleHolders(tree)
        let text = pass.stripsChrome ? textLengths(tree) : []
        var dropped = [Bool](repeating: false, count: tree.count)
        var inCode = [Bool](repeating: false, count: tree.count)
        for index in 1..<tree.count {
            let node = tree[index]
            let parent = node.parent
            if dropped[parent] {
                dropped[index] = true
                continue
            }
            if node.isText { continue }
            let name = node.name
            inCode[index] = inCode[parent] || name == "pre" || name == "code" || name == "table"
            if droppedElements.contains(name) || isHidden(node) {
                dropped[index] = true
            } else if holdsArticle[index] {
                continue
            } else if droppedLandmarks.contains(name) {
                dropped[index] = true
            } else if let role = node.attribute("role")?.lowercased(), chromeRoles.contains(role) {
                dropped[index] = true
            } else if pass.stripsChrome, !inCode[index], !keptElements.contains(name) {
                let names = ChromeVocabulary.names(of: node)
                guard ChromeVocabulary.isChrome(names) else { continue }
                // A wrapper named for the layout (`page has-sidebar`) that holds most of the page's text is the
                // page, not its chrome; comments are chrome however long they run.
                let most = text[index] * 10 >= text[HTMLTree.root] * 6
                if !most || ChromeVocabulary.matches(names, ChromeVocabulary.discussion) { dropped[index] = true }
            }
        }
        return dropped
    }

    /// Elements never dropped for their class or id: the page itself, and the elements that declare the article.
    private static let keptElements: Set<String> = ["html", "body", "article", "main", "a"]

    /// True for the elements that are or contain the page's declared article: `<article>`, `<main>`,
    /// `itemprop="articleBody"`, `role="main"`. What holds them is never dropped as chrome.
    static func articleHolders(_ tree: HTMLTree) -> [Bool] {
        var holds = [Bool](repeating: false, count: tree.count)
        for index in stride(from: tree.count - 1, through: 1, by: -1) {
            let node = tree[index]
            if !holds[index], !node.isText {
                holds[index] =
                    node.name == "article" || node.name == "main"
                    || node.attribute("itemprop")?.lowercased() == "articlebody"
                    || node.attribute("role")?.lowercased() == "main"
            }
            if holds[index] { holds[node.parent] = true }
        }
        return holds
    }

    /// The non-space characters of text below each node.
    static func textLengths(_ tree: HTMLTree) -> [Int] {
        var lengths = [Int](repeating: 0, count: tree.count)
        for index in stride(from: tree.count - 1, through: 1, by: -1) {
            let node = tree[index]
            if node.isText {
                lengths[index] = TextMeasure(node.text).length
            } else if droppedElements.contains(node.name) {
                continue
            }
            lengths[node.parent] += lengths[index]
        }
        return lengths
    }

    /// Hidden the way Readability's `_isProbablyVisible` sees it: `hidden`, `aria-hidden="true"`, or an inline
    /// style that hides it.
    static func isHidden(_ node: HTMLTree.Node) -> Bool {
        if node.attribute("hidden") != nil { return true }
        if node.attribute("aria-hidden") == "true", node.name != "img",
            !(node.attribute("class") ?? "").contains("fallback-image")
        {
            return true
        }
        guard let style = node.attribute("style"), !style.isEmpty else { return false }
        let compact = style.lowercased().filter { $0 != " " }
        return compact.contains("display:none") || compact.contains("visibility:hidden")
    }
}
