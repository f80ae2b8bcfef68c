import Foundation
import Testing

@testable import FeedCore

/// `feedd extract`: in process for its output and exit status, and as the built binary against a page served on
/// 127.0.0.1.
@Suite struct ExtractCommandTests {
    private func run(_ arguments: [String]) async -> (status: Int32, stdout: String, stderr: String) {
        let stdout = Output.memory()
        let stderr = Output.memory()
        let status = await Feedd.main(arguments: ["feedd", "extract"] + arguments, stdout: stdout, stderr: stderr)
        return (status, stdout.text, stderr.text)
    }

    private func object(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func printsOneJSONLinePerPageWithTheContractsKeysInOrder() async throws {
        let path = Fixtures.url("Extract/news-site-de.html").path
        let result = await run([path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let keys = ["source", "url", "title", "byline", "published", "html", "text"]
        var position = lines[0].startIndex
        for key in keys {
            let found = try #require(lines[0].range(of: "\"\(key)\":", range: position..<lines[0].endIndex))
            position = found.upperBound
        }
        let json = try object(lines[0])
        #expect(json["source"] as? String == path)
        #expect(json["url"] as? String == "https://www.nordkurier.example/wirtschaft/bahnstreik-fernverkehr-a-8812.html")
        #expect(json["published"] as? String == "2025-03-04T05:30:00Z")
        #expect(json["text"] as? String == (try ArticleExtractorTests.reference("news-site-de")))
    }

    @Test func textPrintsOnlyTheTextOfEachPage() async throws {
        let pages = ["docs-sphinx", "news-ja"]
        let result = await run(["--text"] + pages.map { Fixtures.url("Extract/\($0).html").path })
        #expect(result.status == 0)
        let expected = try pages.map { try ArticleExtractorTests.reference($0) + "\n" }.joined(separator: "\n")
        #expect(result.stdout == expected)
    }

    @Test func aPageWithoutArticleOrAMissingFileIsAnErrorLineAndExitOne() async throws {
        let good = Fixtures.url("Extract/news-ja.html").path
        let none = Fixtures.url("Extract/no-article-index.html").path
        let result = await run([none, good, "/nonexistent/page.html"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(try object(lines[0])["error"] as? String == "no article found")
        #expect(try object(lines[1])["title"] as? String == "京都市、観光客向けの新しいバス路線を試験運行 混雑緩和へ")
        #expect(try object(lines[2])["source"] as? String == "/nonexistent/page.html")
        #expect(result.stderr.contains("feedd extract: \(none): no article found\n"))
        #expect(result.stderr.split(separator: "\n").count == 2)
    }

    @Test func usageErrorsExitTwoAndHelpZero() async {
        #expect(await run([]).status == 2)
        #expect(await run(["--bogus", "x.html"]).status == 2)
        #expect(await run(["--max-size", "0", "x.html"]).status == 2)
        let help = await run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("Usage: feedd extract"))
    }

    @Test func theBinaryFetchesAPageAndResolvesItsLinksAgainstWhereItCameFrom() async throws {
        try await TestHTTPServer.serving { server in
            try server.page("/2024/quitter-le-cloud/", fixture: "Extract/blog-ghost-fr.html")
            let workspace = try Workspace()
            defer { workspace.remove() }
            let page = server.origin + "/2024/quitter-le-cloud/"
            let run = try await FeeddProcess.run(["extract", page], directory: workspace.directory, timeout: 60)
            #expect(run.status == 0, "\(run.stderr)")
            let json = try object(run.stdout.split(separator: "\n")[0])
            #expect(json["source"] as? String == page)
            #expect(json["url"] as? String == "https://carnet.example.fr/quitter-le-cloud/")
            #expect(json["byline"] as? String == "Claire Dubois")
            let html = try #require(json["html"] as? String)
            #expect(html.contains(#"<img src="\#(server.origin)/content/images/2024/11/placard-serveur.jpg""#))
            #expect(json["text"] as? String == (try ArticleExtractorTests.reference("blog-ghost-fr")))
        }
    }
}
