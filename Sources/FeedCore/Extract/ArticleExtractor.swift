import Foundation

/// The main article of a web page.
public struct ExtractedArticle: Sendable, Equatable {
    /// The page's canonical URL if declared, else the URL it was read from.
    public var url: URL?
    public var title: String?
    public var byline: String?
    public var published: Date?
    /// Cleaned article markup, absolute URLs.
    public var html: String
    /// Plain text, paragraphs separated by blank lines.
    public var text: String
}

/// Why a page gave no article.
public struct ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One phrase, e.g. "no article found", "not an HTML page (image/png)".
    public var description: String
}

/// Finds the main article of a web page: reads the page into a tree (`HTMLTreeBuilder`), takes title, byline and
/// date from what the page declares (`PageMetadata`), drops what can never be article (`PagePruner`), scores the
/// blocks of text to find the article's element and its siblings (`ArticleScorer`), cleans inside them
/// (`ArticleCleaner`) and writes the result as markup and as text (`ArticleWriter`). When a strict attempt leaves
/// too little text, a more lenient one follows (`ExtractionPass`).
public enum ArticleExtractor {
    /// An article with less text than this (non-space characters) is no article.
    static let minimumText = 30

    /// `page`: the raw bytes as fetched; `url`: where it came from (for absolute URLs); `contentType`: the
    /// response's Content-Type header if any (charset). Pure, thread-safe, bounded memory.
    public static func extract(page: Data, url: URL?, contentType: String?) -> Result<ExtractedArticle, ExtractionError> {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        if let mediaType, !mediaType.isEmpty, !mediaType.contains("html"), mediaType != "text/plain" {
            return .failure(ExtractionError(description: "not an HTML page (\(mediaType))"))
        }
        if let binary = binaryType(page) {
            return .failure(ExtractionError(description: "not an HTML page (\(binary))"))
        }
        let charset = contentType.flatMap { CharsetDecoder.charset(inContentType: $0) }
        let tree = CharsetDecoder.withUTF8(of: page, html: true, charset: charset) { bytes, _ in
            HTMLTreeBuilder.build(bytes)
        }
        return extract(from: tree, url: url)
    }

    static func extract(from tree: HTMLTree, url: URL?) -> Result<ExtractedArticle, ExtractionError> {
        let metadata = PageMetadata(tree)
        let canonical = metadata.canonical.flatMap { LinkResolver.url($0, against: url) }
            .flatMap { $0.scheme == "http" || $0.scheme == "https" ? $0 : nil }
        // A saved page's links belong to its site, not to the folder it was saved in.
        let documentURL = (url?.isFileURL ?? true) ? canonical ?? url : url
        let base = metadata.baseHref.flatMap { LinkResolver.url($0, against: documentURL) } ?? documentURL
        let title = cleanTitle(metadata, tree: tree)

        var attempts: [(html: String, text: String, length: Int)] = []
        for pass in ExtractionPass.all {
            var dropped = PagePruner.prune(tree, pass: pass)
            var scorer = ArticleScorer(tree: tree, dropped: dropped, pass: pass)
            guard let selection = scorer.select() else { continue }
            ArticleCleaner(tree: tree, pass: pass, measuredText: scorer.text)
                .clean(selection.parts, top: selection.top, title: title, dropped: &dropped)
            let written = ArticleWriter.write(selection.parts, tree: tree, dropped: dropped, base: base)
            let length = TextMeasure(written.text).length
            attempts.append((written.html, written.text, length))
            if length >= ExtractionPass.enoughText { break }
        }
        // A short article found by a strict pass beats the chrome a lenient one adds to it; a strict pass that
        // lost most of the article (a third of the longest, or less) does not.
        let longest = attempts.map(\.length).max() ?? 0
        guard let best = attempts.first(where: { $0.length * 3 > longest }), best.length >= minimumText else {
            return .failure(ExtractionError(description: "no article found"))
        }
        return .success(
            ExtractedArticle(
                url: canonical ?? url, title: title, byline: metadata.byline, published: metadata.published,
                html: best.html, text: best.text))
    }

    /// The title the page declares, without the site's name that pages add to it (`Story - Site`): the page's
    /// first-level heading when the declared title contains it, else the declared title with the site's name cut.
    static func cleanTitle(_ metadata: PageMetadata, tree: HTMLTree) -> String? {
        guard let declared = metadata.title?.collapsedWhitespace, !declared.isEmpty else {
            return tree.first("h1").map { tree.text(of: $0).collapsedWhitespace }.flatMap(\.nilIfEmpty)
        }
        var headings = 0
        var siteName = metadata.siteName?.collapsedWhitespace
        for index in 0..<tree.count where tree[index].name == "h1" {
            let heading = tree.text(of: index).collapsedWhitespace
            // A heading that is a link is the site's name over its logo, not the article's title.
            if isLink(index, tree: tree) {
                if siteName == nil, !heading.isEmpty { siteName = heading }
                continue
            }
            if heading.count >= 8, declared.contains(heading) {
                if heading.count * 2 >= declared.count { return heading }
                for separator in Self.titleSeparators
                where declared.hasPrefix(heading + separator) || declared.hasSuffix(separator + heading) {
                    return heading
                }
            }
            headings += 1
            if headings == 3 { break }
        }
        guard let site = siteName, !site.isEmpty, declared != site else { return declared }
        for separator in Self.titleSeparators {
            if declared.hasSuffix(separator + site) { return String(declared.dropLast((separator + site).count)) }
            if declared.hasPrefix(site + separator) { return String(declared.dropFirst((site + separator).count)) }
        }
        return declared
    }

    /// True when most of the text of `index` is inside links.
    private static func isLink(_ index: Int, tree: HTMLTree) -> Bool {
        var linked = 0
        for node in tree.descendants(of: index) where tree[node].name == "a" { linked += tree.text(of: node).count }
        return linked * 2 > tree.text(of: index).count
    }

    /// What pages put between an article's title and their own name.
    static let titleSeparators = [" - ", " | ", " – ", " — ", " :: ", " · ", " • ", ": ", " / ", " « ", " » "]

    /// The kind of a page that is plainly not text, from its first bytes; nil for anything that may be HTML.
    static func binaryType(_ page: Data) -> String? {
        let signatures: [(String, [UInt8])] = [
            ("image/png", [0x89, 0x50, 0x4E, 0x47]), ("image/jpeg", [0xFF, 0xD8, 0xFF]), ("image/gif", Array("GIF8".utf8)),
            ("application/pdf", Array("%PDF".utf8)), ("application/zip", [0x50, 0x4B, 0x03, 0x04]),
            ("application/gzip", [0x1F, 0x8B]),
        ]
        for (type, signature) in signatures where page.starts(with: signature) { return type }
        return nil
    }
}
