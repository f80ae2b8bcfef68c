import Foundation

/// `filters` (top level and per feed) and `metrics_file` (README.md, "Filters" and "Metrics").
extension ConfigDecoder {
    /// The fields a `filters` object may have.
    static let filterFields = ["drop", "keep"]

    /// A `filters` object: `{"drop": {FIELD: REGEX, …}, "keep": {FIELD: REGEX, …}}`. Every pattern is compiled
    /// here, so that one that ICU refuses is a problem of the file, with its path, and never a surprise at poll time.
    /// - Returns: the filter, or nil when it has no rule (or had problems, which are recorded).
    mutating func filter(_ value: JSONValue, at path: String) -> StoryFilter? {
        let expected = #"an object with "drop" and/or "keep""#
        guard let fields = fields(of: value, at: path, known: Self.filterFields, expected: expected) else {
            return nil
        }
        let before = problems.count
        var filter = StoryFilter()
        if let value = fields["drop"] { filter.drop = rules(value, at: Self.path(path, "drop")) }
        if let value = fields["keep"] { filter.keep = rules(value, at: Self.path(path, "keep")) }
        guard problems.count == before, !filter.isEmpty else { return nil }
        return filter
    }

    /// The `FIELD: REGEX` pairs of `drop` or `keep`.
    private mutating func rules(_ value: JSONValue, at path: String) -> [StoryFilter.Rule] {
        let names = StoryFilter.Field.allCases.map(\.rawValue)
        let expected = "an object of FIELD: REGEX (FIELD one of \(names.joined(separator: ", ")))"
        guard let fields = fields(of: value, at: path, known: names, expected: expected) else { return [] }
        var rules: [StoryFilter.Rule] = []
        // In the order of `Field`, not of the file: the dictionary has none, and a fixed order keeps runs alike.
        for field in StoryFilter.Field.allCases {
            guard let value = fields[field.rawValue] else { continue }
            let place = Self.path(path, field.rawValue)
            guard let pattern = string(value, at: place, nonEmpty: true) else { continue }
            do {
                rules.append(try StoryFilter.Rule(field: field, pattern: pattern))
            } catch {
                // Foundation on Linux passes on no reason from ICU (only "the value is invalid"): the hint names
                // the usual culprits.
                report(
                    at: place,
                    "invalid regular expression \(value.summary) (ICU syntax: check brackets, parentheses, "
                        + "repetitions and backslashes, which JSON needs doubled)")
            }
        }
        return rules
    }

    /// `metrics_file`: a path, or `false` for none.
    mutating func metricsFile(_ value: JSONValue, at path: String) -> Config.MetricsFile? {
        switch value {
        case .bool(false): return Config.MetricsFile.none
        case .string(let text) where !text.isEmpty: return .path(text)
        default:
            report(at: path, "expected a file path or false, found \(value.summary)")
            return nil
        }
    }
}
