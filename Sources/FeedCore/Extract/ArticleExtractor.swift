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

/// Finds the main article of a page.
///
/// A minimal stand-in: the `<p>` paragraphs of the page's `<article>` (else of its `<body>`), as markup and as
/// text. The full extractor (scoring, cleaning, metadata) takes this file's place with the same API.
public enum ArticleExtractor {
    /// `page`: the raw bytes as fetched; `url`: where it came from (for absolute URLs); `contentType`: the
    /// response's Content-Type header if any (charset). Pure, thread-safe, bounded memory.
    public static func extract(
        page: Data, url: URL?, contentType: String?
    ) -> Result<ExtractedArticle, ExtractionError> {
        if let contentType {
            let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !type.isEmpty, !type.lowercased().contains("html") {
                return .failure(ExtractionError(description: "not an HTML page (\(type))"))
            }
        }
        let document = String(decoding: page, as: UTF8.self)
        let scope = element("article", in: document) ?? element("body", in: document) ?? document[...]
        var paragraphs: [Substring] = []
        var rest = scope
        while let paragraph = element("p", in: rest) {
            paragraphs.append(paragraph)
            rest = rest[paragraph.endIndex...]
        }
        let texts = paragraphs.map(plainText).filter { !$0.isEmpty }
        guard !texts.isEmpty else { return .failure(ExtractionError(description: "no article found")) }
        let html = texts.map { "<p>\(escaped($0))</p>" }.joined(separator: "\n")
        let title = element("title", in: document).map(plainText).flatMap { $0.isEmpty ? nil : $0 }
        return .success(
            ExtractedArticle(
                url: url, title: title, byline: nil, published: nil, html: html,
                text: texts.joined(separator: "\n\n")))
    }

    /// The content of the first `<name …>…</name>` in `text`, compared without regard to case.
    private static func element(_ name: String, in text: Substring) -> Substring? {
        var search = text
        while let open = search.range(of: "<\(name)", options: .caseInsensitive) {
            let after = search[open.upperBound...]
            guard let next = after.first else { return nil }
            guard next == ">" || next == " " || next == "\t" || next == "\n" || next == "\r" else {
                search = after
                continue
            }
            guard let start = after.firstIndex(of: ">") else { return nil }
            let content = after[after.index(after: start)...]
            let close = content.range(of: "</\(name)", options: .caseInsensitive)
            return content[..<(close?.lowerBound ?? content.endIndex)]
        }
        return nil
    }

    private static func element(_ name: String, in text: String) -> Substring? {
        element(name, in: text[...])
    }

    /// `markup` without tags, the common entities decoded, whitespace collapsed.
    private static func plainText(_ markup: Substring) -> String {
        var text = ""
        var inTag = false
        for character in markup {
            if character == "<" {
                inTag = true
            } else if character == ">" {
                inTag = false
                text.append(" ")
            } else if !inTag {
                text.append(character)
            }
        }
        let entities = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")]
        for (entity, value) in entities {
            text = text.replacingOccurrences(of: entity, with: value)
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
