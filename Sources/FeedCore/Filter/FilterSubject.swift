import Foundation

/// A story as filters see it: the plain text of its title, summary and content (markup removed, entities decoded,
/// whitespace collapsed: `PlainText.from`), its author, categories and URL. A field's text is made the first time
/// a rule asks for it and kept, so ten rules over one field cost one conversion.
final class FilterSubject {
    private let item: ParsedItem
    private var summary: String??
    private var content: String??

    init(_ item: ParsedItem) {
        self.item = item
    }

    /// Whether any of `patterns` finds a match in `field`; for `category`, in any category.
    func matches(_ patterns: [CompiledPattern], in field: StoryFilter.Field) -> Bool {
        let texts = texts(of: field)
        return patterns.contains { pattern in texts.contains { pattern.finds(in: $0) } }
    }

    private func texts(of field: StoryFilter.Field) -> [String] {
        switch field {
        case .title: return item.title.map { [$0] } ?? []
        case .summary: return plainSummary.map { [$0] } ?? []
        case .content: return plainContent.map { [$0] } ?? []
        case .author: return item.author.map { [$0] } ?? []
        case .category: return item.categories
        case .url: return item.url.map { [$0] } ?? []
        case .any:
            return [item.title, plainSummary, plainContent, item.author, item.url].compactMap { $0 } + item.categories
        }
    }

    private var plainSummary: String? {
        if let summary { return summary }
        let text = item.summary.map(PlainText.from)
        summary = .some(text)
        return text
    }

    private var plainContent: String? {
        if let content { return content }
        let text = item.content.map(PlainText.from)
        content = .some(text)
        return text
    }
}
