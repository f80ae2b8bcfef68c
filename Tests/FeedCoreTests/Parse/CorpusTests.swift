import Foundation
import Testing

@testable import FeedCore

/// Every document of `../shared/corpus` (skipped when absent): no crash, no hang; every well-formed file parses;
/// and each file's outcome is what Golden/corpus-outcomes.tsv says, so that a regression fails here.
@Suite struct CorpusTests {
    struct Entry {
        var path: String
        var wellFormed: Bool
    }

    static func entries(_ corpus: URL) throws -> [Entry] {
        let index = try String(contentsOf: corpus.appendingPathComponent("INDEX.tsv"), encoding: .utf8)
        return index.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count > 3 else { return nil }
            return Entry(path: String(fields[0]), wellFormed: fields[3] == "yes")
        }
    }

    /// One line per document: what came out of it, in a form that changes only when the parser's result does.
    static func outcome(_ data: Data, path: String) -> String {
        do {
            let feed = try FeedParser.parse(data, url: URL(string: "https://corpus.example/\(path)"))
            let items = feed.items
            return [
                path, feed.format.rawValue, "items=\(items.count)",
                "titled=\(items.filter { $0.title != nil }.count)",
                "linked=\(items.filter { $0.url != nil }.count)",
                "ids=\(items.filter { $0.guid != nil }.count)",
                "dated=\(items.filter { $0.published != nil || $0.updated != nil }.count)",
                "authored=\(items.filter { $0.author != nil }.count)",
                "bodies=\(items.filter { $0.summary != nil || $0.content != nil }.count)",
                "enclosures=\(items.reduce(0) { $0 + $1.enclosures.count })",
                "title=\(feed.title ?? "-")",
            ].joined(separator: "\t")
        } catch {
            return "\(path)\terror\t\(error)"
        }
    }

    @Test func everyDocumentHasItsRecordedOutcome() throws {
        guard let corpus = Fixtures.corpus else { return }
        var lines: [String] = []
        for entry in try Self.entries(corpus) {
            let data = try Data(contentsOf: corpus.appendingPathComponent(entry.path))
            let outcome = Self.outcome(data, path: entry.path)
            if entry.wellFormed && data.first != 0x7B {
                #expect(!outcome.contains("\terror\t"), "well-formed \(entry.path) must parse: \(outcome)")
            }
            lines.append(outcome)
        }
        let text = lines.joined(separator: "\n") + "\n"
        let golden = Fixtures.testsDirectory.appendingPathComponent("Golden/corpus-outcomes.tsv")
        if ProcessInfo.processInfo.environment["FEEDD_RECORD"] == "1" {
            try Data(text.utf8).write(to: golden)
            Issue.record("recorded corpus-outcomes.tsv; unset FEEDD_RECORD and read the diff")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8).split(separator: "\n").map(String.init)
        let expectedByPath = Dictionary(expected.map { ($0.split(separator: "\t").first.map(String.init) ?? "", $0) }) { a, _ in a }
        for line in lines {
            let path = String(line.split(separator: "\t")[0])
            #expect(expectedByPath[path] == line, "outcome of \(path) changed")
        }
    }
}
