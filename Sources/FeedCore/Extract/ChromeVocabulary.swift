/// The words of `class` and `id` attributes that tell page chrome from article, after Readability's regular
/// expressions (Readability.js `REGEXPS`), extended with what news and blog themes use for share bars,
/// newsletters, cookie banners and recommendation widgets.
///
/// Matching is on lowercase substrings (`td-post-sharing` contains `shar`) except for short words, which must be
/// whole tokens between `-`, `_` and spaces, so that `ad` finds `td-a-rec ad` but not `header` or `shadow`.
enum ChromeVocabulary {
    /// Containers that are almost never the article (Readability `unlikelyCandidates`, and more).
    static let unlikely = [
        "-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus", "extra",
        "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar",
        "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
        "yom-remote", "share", "sharing", "newsletter", "subscri", "cookie", "consent", "promo", "outbrain", "taboola",
        "recommend", "navbar", "toolbar", "masthead", "signup", "widget", "author-bio", "authorbio", "more-stories",
        "trending", "popular", "read-next", "readnext", "advert", "skip-link", "adsbygoogle", "dfp", "modal",
    ]
    static let unlikelyTokens: Set<String> = ["ad", "ads", "nav", "tags", "print", "login", "rec", "meta"]
    /// Words that save an unlikely container: it may hold the article (Readability `okMaybeItsACandidate`).
    static let maybe = ["and", "article", "body", "column", "content", "main", "shadow", "story"]
    /// Chrome even next to a `maybe` word: `comments-content` is still the comments.
    static let strong = [
        "comment", "disqus", "respond", "share", "sharing", "sharedaddy", "social", "newsletter", "related",
        "breadcrumb", "cookie", "sidebar", "adsbygoogle", "outbrain", "taboola", "recommend", "subscri", "popular",
        "trending", "read-next", "readnext", "more-stories", "author-bio", "authorbio", "jp-relatedposts", "promo",
    ]
    /// Reader discussion: chrome even when it holds most of the page's text.
    static let discussion = ["comment", "disqus", "respond", "replies", "discussion", "forum"]
    static let strongTokens: Set<String> = ["ad", "ads", "advert", "advertisement", "nav", "navigation", "menu"]
    /// Class weights (Readability `positive` and `negative`).
    static let positive = [
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story",
        "prose", "markdown", "rich-text", "richtext",
    ]
    static let negative = [
        "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead", "media",
        "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
        "shopping", "tags", "widget", "byline", "author", "dateline", "caption-credit", "newsletter", "subscri",
    ]
    static let negativeTokens: Set<String> = ["hid", "ad", "ads", "nav"]
    /// The byline and date lines that repeat, inside the article, what the metadata says.
    static let byline = [
        "byline", "author", "dateline", "writtenby", "p-author", "posted-on", "post-meta", "entry-meta", "article-meta",
        "meta-info", "published", "timestamp", "post-date", "entry-date", "article-date", "reading-time", "read-time",
    ]
    /// Short blocks made of these words are chrome whatever their markup, in the languages of the fixtures.
    static let boilerplatePhrases: Set<String> = [
        "advertisement", "- advertisement -", "advertising", "sponsored", "share", "share this", "share this article",
        "share on facebook", "share on twitter", "tweet", "print", "email", "read more", "continue reading",
        "you may also like", "related", "related articles", "related posts", "related stories", "more stories",
        "recommended", "leave a reply", "leave a comment", "comments", "subscribe", "sign up", "follow us",
        "anzeige", "werbung", "teilen", "publicité", "partager", "publicidad", "compartir", "реклама", "поделиться",
        "広告", "シェア", "pubblicità", "condividi", "advertentie", "delen", "reklama", "udostępnij",
    ]

    /// The lowercase `class` and `id` of an element, joined by a space.
    static func names(of node: HTMLTree.Node) -> String {
        let names = [node.attribute("class"), node.attribute("id")].compactMap { $0 }.joined(separator: " ")
        return names.lowercased()
    }

    /// True when `names` contains one of `words`, or one of `tokens` as a whole token.
    static func matches(_ names: String, _ words: [String], tokens: Set<String> = []) -> Bool {
        guard !names.isEmpty else { return false }
        for word in words where names.contains(word) { return true }
        guard !tokens.isEmpty else { return false }
        return names.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).contains { tokens.contains(String($0)) }
    }

    /// Readability's class weight: ±25 for the class, ±25 for the id.
    static func weight(of node: HTMLTree.Node) -> Double {
        var weight = 0.0
        for value in [node.attribute("class"), node.attribute("id")] {
            guard let value = value?.lowercased(), !value.isEmpty else { continue }
            if matches(value, negative, tokens: negativeTokens) { weight -= 25 }
            if matches(value, positive) { weight += 25 }
        }
        return weight
    }

    /// The page-chrome verdict for an element before scoring: `strong` chrome always, `unlikely` chrome unless a
    /// `maybe` word saves it.
    static func isChrome(_ names: String) -> Bool {
        guard !names.isEmpty else { return false }
        if matches(names, strong, tokens: strongTokens) { return !names.contains("commentary") }
        return matches(names, unlikely, tokens: unlikelyTokens) && !matches(names, maybe)
    }
}
