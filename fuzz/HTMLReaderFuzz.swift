import Foundation

/// The libFuzzer checks for the HTML reader and the article extractor, run on every input beside the feed
/// parser's (fuzz/FeedParserFuzz.swift calls `check`): one build, one corpus of feeds and pages.
///
/// Invariants: the tree is well formed (each node after its parent, each parent's child list reaching exactly the
/// nodes that name it, no deeper than the cap); an extracted article has text, and markup without scripts, styles
/// or attributes other than the few the writer keeps.
enum HTMLReaderFuzz {
    static let baseURL = URL(string: "https://example.com/news/story.html")

    static func check(_ data: Data) {
        let tree = CharsetDecoder.withUTF8(of: data, html: true) { bytes, _ in HTMLTreeBuilder.build(bytes) }
        var childCount = [Int](repeating: 0, count: tree.count)
        for index in 1..<max(tree.count, 1) {
            let parent = tree[index].parent
            FeedParserFuzz.require(parent >= 0 && parent < index, "node \(index) has parent \(parent)")
            childCount[parent] += 1
        }
        var depth = [Int](repeating: 0, count: tree.count)
        for index in 0..<tree.count {
            var listed = 0
            for child in tree.children(of: index) {
                FeedParserFuzz.require(tree[child].parent == index, "node \(child) listed under \(index)")
                listed += 1
            }
            FeedParserFuzz.require(listed == childCount[index], "node \(index) lists \(listed) of \(childCount[index])")
            if index > 0 {
                depth[index] = depth[tree[index].parent] + 1
                FeedParserFuzz.require(depth[index] <= HTMLTreeBuilder.maximumDepth + 1, "tree deeper than the cap")
            }
        }
        let url = (data.first ?? 0) & 1 == 0 ? baseURL : nil
        guard case .success(let article) = ArticleExtractor.extract(page: data, url: url, contentType: nil) else {
            return
        }
        FeedParserFuzz.require(!article.text.isEmpty, "an article without text")
        FeedParserFuzz.require(!article.html.isEmpty, "an article without markup")
        for forbidden in ["<script", "<style", "<iframe", "<form"] {
            FeedParserFuzz.require(!article.html.contains(forbidden), "article markup contains \(forbidden)")
        }
        // Text is escaped, so every `<` opens a tag the writer made: its attributes must be among the kept ones.
        for tag in article.html.split(separator: "<").dropFirst() {
            var rest = tag.prefix { $0 != ">" }.drop { $0 != " " }
            while let equals = rest.firstIndex(of: "=") {
                let name = rest[..<equals].trimmingCharacters(in: .whitespaces)
                FeedParserFuzz.require(keptAttributes.contains(name), "article markup has attribute \(name)")
                let value = rest[rest.index(after: equals)...].dropFirst()  // the opening quote
                guard let close = value.firstIndex(of: "\"") else { break }
                rest = value[value.index(after: close)...]
            }
        }
    }

    /// The attributes `ArticleWriter` writes, always with a double-quoted value.
    static let keptAttributes: Set<String> = ["href", "src", "alt", "colspan", "rowspan", "start"]
}
