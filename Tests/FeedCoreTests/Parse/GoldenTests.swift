import Foundation
import Testing

@testable import FeedCore

/// `feedd parse` output for a set of fixtures, compared with the committed files in Golden/.
/// `FEEDD_RECORD=1 swift test` rewrites them and fails, so that a person reads the diff before committing.
@Suite struct GoldenTests {
    static let fixtures = [
        "rss2-wordpress-local-news.xml", "rss2-guid-permalink-no-link.xml", "rss091-netscape-doctype.xml",
        "rss090-netscape.xml", "rdf-rss10-dublin-core.xml", "atom10-xml-base.xml", "atom03-wordpress.xml",
        "rss2-podcast-itunes-media.xml", "rss2-html-entities.xml", "rss2-one-bad-item.xml", "rss2-truncated.xml",
        "rss2-broken-cdata.xml", "jsonfeed-1.1.json", "jsonfeed-1.0.json", "not-a-feed-html.html",
        "attack-billion-laughs.xml", "attack-xxe.xml",
    ]

    @Test(arguments: fixtures)
    func parseOutputMatchesGolden(fixture: String) throws {
        let data = try Fixtures.data(fixture)
        var line: [UInt8]
        do {
            let feed = try FeedParser.parse(data, url: URL(string: "https://feeds.example/\(fixture)"))
            line = feed.jsonLine(source: fixture)
        } catch {
            line = ParsedFeed.errorLine(source: fixture, error: error.description)
        }
        line.append(0x0A)
        let golden = Fixtures.testsDirectory.appendingPathComponent("Golden/\(fixture).jsonl")
        if ProcessInfo.processInfo.environment["FEEDD_RECORD"] == "1" {
            try Data(line).write(to: golden)
            Issue.record("recorded \(golden.lastPathComponent); unset FEEDD_RECORD and read the diff")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(String(decoding: line, as: UTF8.self) == expected)
    }
}
