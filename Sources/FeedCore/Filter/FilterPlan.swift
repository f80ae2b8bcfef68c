import Foundation
import Synchronization

/// A feed's filters (the top-level one, then its own) compiled for speed: per field, the patterns that apply to
/// it, `any` rules folded into every field, and as many patterns as possible joined into one alternation.
///
/// On Linux, `NSRegularExpression` copies the whole text into UTF-16 on every match call; with one call per rule,
/// ten rules over a story's content cost three or four copies of it and more time than parsing the feed. Joined,
/// each field of a story is handed to ICU once for all `drop` rules, and once per filter with `keep` rules.
struct FilterPlan: Sendable {
    /// The concrete fields, in the order a story is checked: short fields first, content last.
    static let fields: [StoryFilter.Field] = [.title, .author, .category, .url, .summary, .content]

    /// Per field, the patterns that drop a story, from every filter.
    let drop: [StoryFilter.Field: [CompiledPattern]]
    /// Per filter that has `keep` rules, per field, its keep patterns: a story must match one of each filter's.
    let keeps: [[StoryFilter.Field: [CompiledPattern]]]

    /// `drop` in the order of `fields`, read once per story without hashing.
    private let dropInOrder: [(field: StoryFilter.Field, patterns: [CompiledPattern])]

    init(_ filters: [StoryFilter]) {
        let drop = Self.byField(filters.flatMap(\.drop))
        self.drop = drop
        keeps = filters.filter { !$0.keep.isEmpty }.map { Self.byField($0.keep) }
        dropInOrder = Self.fields.compactMap { field in drop[field].map { (field, $0) } }
    }

    var isEmpty: Bool { drop.isEmpty && keeps.isEmpty }

    /// The plan of `filters`, made once for every feed with the same rules: most feeds have only the top-level
    /// filters, or share theirs, and a config of 10,000 feeds would otherwise plan them 10,000 times. Plans are
    /// kept for the life of the process, like compiled patterns: a reload that changes rules adds a few.
    static func shared(_ filters: [StoryFilter]) -> FilterPlan {
        guard !filters.isEmpty else { return FilterPlan([]) }
        var key = ""
        for filter in filters {
            for (kind, rules) in [("d", filter.drop), ("k", filter.keep)] {
                for rule in rules { key += "\(kind)\u{1}\(rule.field.rawValue)\u{1}\(rule.pattern)\u{2}" }
            }
            key += "\u{3}"
        }
        if let known = planned.withLock({ $0[key] }) { return known }
        let plan = FilterPlan(filters)
        planned.withLock { $0[key] = plan }
        return plan
    }

    private static let planned = Mutex<[String: FilterPlan]>([:])

    /// Whether the filters drop `item`.
    func drops(_ item: ParsedItem) -> Bool {
        guard !isEmpty else { return false }
        let subject = FilterSubject(item)
        for (field, patterns) in dropInOrder where subject.matches(patterns, in: field) { return true }
        for keep in keeps {
            let kept = Self.fields.contains { field in keep[field].map { subject.matches($0, in: field) } ?? false }
            if !kept { return true }
        }
        return false
    }

    /// The rules' patterns per concrete field, `any` rules in each, joined where possible.
    private static func byField(_ rules: [StoryFilter.Rule]) -> [StoryFilter.Field: [CompiledPattern]] {
        var result: [StoryFilter.Field: [CompiledPattern]] = [:]
        for field in fields {
            let applying = rules.filter { $0.field == field || $0.field == .any }
            if !applying.isEmpty { result[field] = joined(applying) }
        }
        return result
    }

    /// `(?:p1)|(?:p2)|…` for the patterns that can be joined, each of the others alone. ICU scopes inline flags
    /// such as `(?i)` to their group, so each pattern keeps its own; a pattern whose meaning could change inside
    /// another (backreferences and named groups, which count groups; `\Q` without its `\E`; `#`, a comment to the
    /// end of the line under `(?x)`, which would swallow the closing parenthesis) stays alone.
    private static func joined(_ rules: [StoryFilter.Rule]) -> [CompiledPattern] {
        let joinable = rules.filter { canJoin($0.pattern) }
        var alone = rules.filter { !canJoin($0.pattern) }.map(\.regex)
        if joinable.count > 1 {
            let pattern = joinable.map { "(?:" + $0.pattern + ")" }.joined(separator: "|")
            if let regex = try? CompiledPattern.compile(pattern) {
                return [regex] + alone
            }
        }
        alone.insert(contentsOf: joinable.map(\.regex), at: 0)
        return alone
    }

    private static func canJoin(_ pattern: String) -> Bool {
        // Scanned by hand: `String.contains` and `range(of:options:)` go through CoreFoundation, and the daemon
        // plans the filters of every feed at each load.
        let bytes = Array(pattern.utf8)
        for (index, byte) in bytes.enumerated() {
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            switch byte {
            case UInt8(ascii: "#"): return false
            case UInt8(ascii: "\\"):
                let quoteReferenceOrBackreference = next == UInt8(ascii: "Q") || next == UInt8(ascii: "k")
                if quoteReferenceOrBackreference || (0x31...0x39).contains(next) { return false }
            case UInt8(ascii: "(") where next == UInt8(ascii: "?") && index + 2 < bytes.count
                && (bytes[index + 2] == UInt8(ascii: "<") || bytes[index + 2] == UInt8(ascii: "P")):
                return false
            default: continue
            }
        }
        return true
    }
}
