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
        switch field {
        case .title: return Self.finds(patterns, in: item.title)
        case .summary:
            if summary == nil, let raw = item.summary, Self.cannotMatch(patterns, plainTextOf: raw) { return false }
            return Self.finds(patterns, in: plainSummary)
        case .content:
            if content == nil, let raw = item.content, Self.cannotMatch(patterns, plainTextOf: raw) { return false }
            return Self.finds(patterns, in: plainContent)
        case .author: return Self.finds(patterns, in: item.author)
        case .category: return item.categories.contains { Self.finds(patterns, in: $0) }
        case .url: return Self.finds(patterns, in: item.url)
        case .any:
            return [.title, .summary, .content, .author, .url, .category].contains { matches(patterns, in: $0) }
        }
    }

    /// Whether the markup alone shows that no pattern can match its plain text (`RequiredLiterals`), which then
    /// need not be made: most summaries and contents match no rule.
    private static func cannotMatch(_ patterns: [CompiledPattern], plainTextOf raw: String) -> Bool {
        patterns.allSatisfy { $0.required.map { !$0.mayMatchPlainText(of: raw) } ?? false }
    }

    private static func finds(_ patterns: [CompiledPattern], in text: String?) -> Bool {
        guard let text else { return false }
        return patterns.contains { $0.finds(in: text) }
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
