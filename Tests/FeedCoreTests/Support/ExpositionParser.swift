import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4), as node_exporter's textfile collector needs
/// it: every sample belongs to a family announced by one `# HELP` and one `# TYPE` line before it, names and label
/// names are valid, label values correctly escaped, values numbers, no timestamps, no family twice, and each
/// histogram's buckets ascending and cumulative with `+Inf` equal to `_count`. Any departure is an error naming
/// the line. Written for the tests from the format's description, independently of `MetricsRenderer`.
struct ExpositionParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var name: String
        var type: String
        var help: String
        var samples: [Sample] = []
    }

    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    private(set) var families: [String: Family] = [:]
    private var order: [String] = []

    /// The value of the sample `name` with exactly `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.values.lazy.flatMap(\.samples).first { $0.name == name && $0.labels == labels }?.value
    }

    static func parse(_ text: String) throws -> ExpositionParser {
        var parser = ExpositionParser()
        guard text.hasSuffix("\n") else { throw Failure(line: 0, reason: "the text does not end with a line feed") }
        var current: String?
        var help: [String: String] = [:]
        for (index, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let fail = { (reason: String) in Failure(line: number, reason: reason + ": \(line)") }
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst("# HELP ".count)
                let name = String(rest.prefix { $0 != " " })
                guard isMetricName(name) else { throw fail("bad metric name") }
                guard help[name] == nil, parser.families[name] == nil else { throw fail("second HELP") }
                let text = String(rest.dropFirst(name.count).drop { $0 == " " })
                try checkEscapes(text, quotes: false, fail: fail)
                help[name] = text
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else { throw fail("TYPE needs a name and a type") }
                let name = String(parts[2])
                guard isMetricName(name) else { throw fail("bad metric name") }
                guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw fail("unknown type")
                }
                guard parser.families[name] == nil else { throw fail("family announced twice") }
                guard let text = help[name] else { throw fail("TYPE without HELP before it") }
                parser.families[name] = Family(name: name, type: String(parts[3]), help: text)
                parser.order.append(name)
                current = name
            } else if line.hasPrefix("#") || line.isEmpty {
                throw fail("a comment or blank line feedd does not write")
            } else {
                let sample = try parseSample(String(line), fail: fail)
                guard let family = current, belongs(sample.name, to: family, type: parser.families[family]!.type) else {
                    throw fail("sample outside its family")
                }
                parser.families[family]!.samples.append(sample)
            }
        }
        for family in parser.families.values where family.type == "histogram" {
            try checkHistogram(family)
        }
        return parser
    }

    private static func belongs(_ name: String, to family: String, type: String) -> Bool {
        guard type == "histogram" else { return name == family }
        return [family + "_bucket", family + "_sum", family + "_count"].contains(name)
    }

    private static func parseSample(_ line: String, fail: (String) -> Failure) throws -> Sample {
        var rest = Substring(line)
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        guard isMetricName(name) else { throw fail("bad metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0 != "=" })
                guard isLabelName(label), labels[label] == nil else { throw fail("bad or repeated label name") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw fail("label without =\"") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.first else { throw fail("unterminated label value") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let next = rest.first else { throw fail("dangling backslash") }
                        rest = rest.dropFirst()
                        switch next {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw fail("bad escape")
                        }
                    } else {
                        value.append(character)
                    }
                }
                labels[label] = value
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw fail("bad label list") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw fail("no space before the value") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 1 else { throw fail("a timestamp or stray field (the textfile collector refuses them)") }
        guard let value = number(String(fields[0])) else { throw fail("value is not a number") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard !text.isEmpty, text.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    private static func checkHistogram(_ family: Family) throws {
        let fail = { (reason: String) in Failure(line: 0, reason: "histogram \(family.name): \(reason)") }
        let buckets = family.samples.filter { $0.name == family.name + "_bucket" }
        guard let last = buckets.last, last.labels["le"] == "+Inf" else { throw fail("no +Inf bucket last") }
        var previous: (bound: Double, count: Double) = (-.infinity, 0)
        for bucket in buckets {
            guard let text = bucket.labels["le"], let bound = number(text) else { throw fail("bucket without le") }
            guard bound > previous.bound else { throw fail("bounds not ascending") }
            guard bucket.value >= previous.count else { throw fail("buckets not cumulative") }
            previous = (bound, bucket.value)
        }
        let count = family.samples.first { $0.name == family.name + "_count" }?.value
        guard count == last.value else { throw fail("+Inf bucket \(last.value) is not _count \(count ?? -1)") }
        guard family.samples.contains(where: { $0.name == family.name + "_sum" }) else { throw fail("no _sum") }
    }

    private static func checkEscapes(_ text: String, quotes: Bool, fail: (String) -> Failure) throws {
        var escaping = false
        for character in text {
            if escaping {
                guard character == "\\" || character == "n" || (quotes && character == "\"") else { throw fail("bad escape") }
                escaping = false
            } else if character == "\\" {
                escaping = true
            }
        }
        if escaping { throw fail("dangling backslash") }
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetterOrUnderscore || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrUnderscore || $0 == ":" || ("0"..."9").contains($0) }
    }

    private static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetterOrUnderscore else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetterOrUnderscore || ("0"..."9").contains($0) }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetterOrUnderscore: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_"
    }
}
