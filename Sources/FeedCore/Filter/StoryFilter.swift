import Foundation
import Synchronization

/// One `filters` object of feeds.json (README.md, "Filters"): patterns that drop stories before they are logged.
///
/// A story is dropped when any `drop` pattern finds a match in its field, or when `keep` has patterns and none of
/// them finds one. Pure: a filter is decided once per new story, off the daemon's queue's disk work, and a dropped
/// story is still recorded as seen by the caller (`NewStories`), so it never comes back.
public struct StoryFilter: Sendable, Equatable {
    /// The part of a story a pattern is matched against.
    public enum Field: String, Sendable, CaseIterable {
        case title, summary, content, author, category, url, any
    }

    /// One `FIELD: REGEX` pair, compiled.
    public struct Rule: Sendable, Equatable {
        public var field: Field
        /// The ICU pattern as written, which is what makes two rules equal.
        public var pattern: String
        let regex: CompiledPattern

        /// Compiles `pattern` (ICU syntax, as `NSRegularExpression` takes it).
        /// - Throws: the reason the pattern does not compile, as `NSRegularExpression` gives it.
        public init(field: Field, pattern: String) throws {
            self.field = field
            self.pattern = pattern
            regex = try CompiledPattern.compile(pattern)
        }

        public static func == (lhs: Rule, rhs: Rule) -> Bool {
            lhs.field == rhs.field && lhs.pattern == rhs.pattern
        }
    }

    public var drop: [Rule]
    public var keep: [Rule]

    public init(drop: [Rule] = [], keep: [Rule] = []) {
        self.drop = drop
        self.keep = keep
    }

    /// Whether the filter has no rule at all, so that it can be left out.
    public var isEmpty: Bool { drop.isEmpty && keep.isEmpty }

    /// Whether any of `filters` drops `item`: the top-level filter and the feed's own apply each on its own, so a
    /// story must pass both (a `keep` at the top and another in the feed both have to match). Compiles a
    /// `FilterPlan` each time: the daemon keeps the feed's (`FeedConfig.filterPlan`).
    static func drops(_ item: ParsedItem, by filters: [StoryFilter]) -> Bool {
        FilterPlan(filters).drops(item)
    }
}

/// An `NSRegularExpression`, which is immutable once made and documented as safe to use from several threads at
/// once; the wrapper says so to the compiler, whichever way the platform's Foundation marks the class. With it, the
/// literals every match contains (`RequiredLiterals`), which answer most texts without ICU.
struct CompiledPattern: @unchecked Sendable {
    let regex: NSRegularExpression
    let required: RequiredLiterals?

    private init(_ regex: NSRegularExpression) {
        self.regex = regex
        required = RequiredLiterals(pattern: regex.pattern)
    }

    /// The patterns compiled so far, by their text. Ten thousand feeds that share the top-level filters, or give
    /// themselves the same rules, share one compiled pattern each (a compiled pattern is ~3 KB and ~30 µs).
    private static let compiled = Mutex<[String: CompiledPattern]>([:])

    /// `pattern` compiled, or the same pattern compiled before.
    /// - Throws: the reason the pattern does not compile, as `NSRegularExpression` gives it.
    static func compile(_ pattern: String) throws -> CompiledPattern {
        if let known = compiled.withLock({ $0[pattern] }) { return known }
        let made = CompiledPattern(try NSRegularExpression(pattern: pattern))
        compiled.withLock { $0[pattern] = made }
        return made
    }

    /// Whether the pattern matches somewhere in `text`.
    func finds(in text: String) -> Bool {
        if let required, !required.mayMatch(text) { return false }
        return regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
