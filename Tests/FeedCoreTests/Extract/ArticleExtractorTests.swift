import Foundation
import Testing

@testable import FeedCore

/// The article of real-looking pages in several site styles and languages, against reference texts written by hand.
@Suite struct ArticleExtractorTests {
    /// The fixture pages with a reference text (`NAME.txt` beside `NAME.html`).
    static let pages = [
        "la-news-daily-article", "news-site-de", "blog-ghost-fr", "docs-sphinx", "blog-es-windows1252", "news-ja",
        "wordpress-comments-ru",
    ]

    static func extract(_ name: String, url: URL? = nil) throws -> Result<ExtractedArticle, ExtractionError> {
        let page = try Fixtures.data("Extract/\(name).html")
        return ArticleExtractor.extract(page: page, url: url ?? Fixtures.url("Extract/\(name).html"), contentType: nil)
    }

    static func article(_ name: String) throws -> ExtractedArticle {
        try extract(name).get()
    }

    static func reference(_ name: String) throws -> String {
        String(decoding: try Fixtures.data("Extract/\(name).txt"), as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    @Test(arguments: pages) func textIsTheReferenceText(_ name: String) throws {
        #expect(try Self.article(name).text == Self.reference(name))
    }

    @Test func seedPageKeepsEveryParagraphAndNoneOfItsChrome() throws {
        let article = try Self.article("la-news-daily-article")
        let expected = String(decoding: try Fixtures.data("Extract/la-news-daily-article.expected.html"), as: UTF8.self)
        var paragraphs = 0
        for line in expected.split(separator: "\n") where line.hasPrefix("<p>") {
            let paragraph = line.dropFirst(3).dropLast(4)
            #expect(article.text.contains(paragraph), "missing: \(paragraph.prefix(60))")
            #expect(article.html.contains("<p>\(paragraph)</p>"))
            paragraphs += 1
        }
        #expect(paragraphs == 8)
        let chrome = [
            "You may also like", "About Us", "Editor' Picks", "Top Viewed", "Facebook", "Twitter", "WhatsApp",
            "Copyright", "©", "Entertainment", "Sports", "Privacy Policy", "LEAVE A REPLY", "Advertisement",
            "Stay Connected", "Latest Articles", "Newsletter", "By", "LA News Daily Contributor", "June 16, 2025",
            "cookies", "Home<", "Home\n",
        ]
        for phrase in chrome {
            #expect(!article.text.contains(phrase), "text keeps \(phrase)")
            #expect(!article.html.contains(phrase), "html keeps \(phrase)")
        }
    }

    @Test func metadataComesFromWhatThePageDeclares() throws {
        let seed = try Self.article("la-news-daily-article")
        #expect(seed.title == "Trump Orders ICE to Target Democratic Cities in Immigration Crackdown")
        #expect(seed.byline == "LA News Daily Contributor")
        #expect(seed.published == FeedDate.parse("2025-06-16T16:12:44Z"))
        #expect(
            seed.url?.absoluteString
                == "https://lanewsdaily.example/2025/06/16/trump-orders-ice-to-target-democratic-cities-in-immigration-crackdown/"
        )
        let german = try Self.article("news-site-de")
        #expect(german.title == "Bahnstreik legt Fernverkehr lahm: Was Reisende jetzt wissen müssen")
        #expect(german.byline == "Katrin Weber, Jonas Albrecht")
        let blogger = try Self.article("blog-es-windows1252")
        #expect(blogger.title == "Gazpacho andaluz como lo hacía mi abuela")
        #expect(blogger.byline == "Lucía Moreno")
        #expect(blogger.published == FeedDate.parse("2024-07-14T08:05:00Z"))
        let docs = try Self.article("docs-sphinx")
        #expect(docs.title == "Configuring retries")
        #expect(docs.byline == nil)
    }

    @Test func commentsAreNotTheArticle() throws {
        #expect(!(try Self.article("wordpress-comments-ru").text.contains("BME280 на солнце")))
        #expect(!(try Self.article("blog-ghost-fr").text.contains("Merci pour ce retour")))
        #expect(!(try Self.article("blog-es-windows1252").text.contains("Lo he hecho hoy")))
    }

    @Test(arguments: pages) func markupIsOnlyArticleMarkupWithAbsoluteURLs(_ name: String) throws {
        let html = try Self.article(name).html
        for forbidden in ["<script", "<style", "<form", "<input", "<iframe", "<nav", "<footer", "<aside", "<div",
            "<span", "class=", "style=", "onclick", "<h1"]
        {
            #expect(!html.contains(forbidden), "\(name) keeps \(forbidden)")
        }
        for attribute in ["href=\"", "src=\""] {
            for part in html.components(separatedBy: attribute).dropFirst() {
                #expect(part.hasPrefix("https://") || part.hasPrefix("http://") || part.hasPrefix("mailto:"),
                    "\(name): relative \(attribute)\(part.prefix(40))")
            }
        }
    }

    @Test func figuresKeepTheirImageAndCaptionAndLazyImagesTheirRealSource() throws {
        let page = """
            <html><body><article>
            <p>The first paragraph of the story is long enough to count, with a comma, and a full stop at the end.</p>
            <figure><img src="data:image/gif;base64,R0lGOD" data-src="/img/harbour.jpg" alt="The harbour"><figcaption>The harbour at dawn.</figcaption></figure>
            <p>The second paragraph carries on, also long enough to count, with <a href="../other/">a link</a> in it.</p>
            <img src="/pixel.gif" width="1" height="1">
            </article></body></html>
            """
        let article = try ArticleExtractor.extract(
            page: Data(page.utf8), url: URL(string: "https://news.example/2025/story/"), contentType: "text/html"
        ).get()
        #expect(article.html.contains(
            #"<figure><img src="https://news.example/img/harbour.jpg" alt="The harbour"><figcaption>The harbour at dawn.</figcaption>"#))
        #expect(article.html.contains(#"<a href="https://news.example/2025/other/">a link</a>"#))
        #expect(!article.html.contains("pixel"))
        #expect(article.text.contains("The harbour at dawn."))
    }

    @Test func theCharsetOfTheResponseComesBeforeThePage() throws {
        let body = "<html><body><article><p>" + String(repeating: "Déjà vu, à la française, très bien. ", count: 5)
            + "</p></article></body></html>"
        let latin1 = body.data(using: .isoLatin1)!
        let article = try ArticleExtractor.extract(
            page: latin1, url: nil, contentType: "text/html; charset=ISO-8859-1"
        ).get()
        #expect(article.text.hasPrefix("Déjà vu, à la française"))
    }

    @Test func aPageWithoutAnArticleIsAnError() throws {
        #expect(try Self.extract("no-article-index") == .failure(ExtractionError(description: "no article found")))
        #expect(
            ArticleExtractor.extract(page: Data(), url: nil, contentType: nil)
                == .failure(ExtractionError(description: "no article found")))
    }

    @Test func whatIsNotHTMLIsRefused() {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(
            ArticleExtractor.extract(page: png, url: nil, contentType: nil)
                == .failure(ExtractionError(description: "not an HTML page (image/png)")))
        #expect(
            ArticleExtractor.extract(page: Data("{}".utf8), url: nil, contentType: "application/json; charset=utf-8")
                == .failure(ExtractionError(description: "not an HTML page (application/json)")))
    }

    @Test func aThemeThatCallsItsArticleWrapperSidebarStillGivesTheArticle() throws {
        let paragraphs = (1...6).map {
            "<p>Paragraph \($0) of the story tells what happened, where, and to whom, in plain words for readers.</p>"
        }
        let page = "<html><body><div class=\"layout has-sidebar\"><div class=\"col\">" + paragraphs.joined()
            + "</div></div><div class=\"sidebar\"><a href=/a>A</a></div></body></html>"
        let article = try ArticleExtractor.extract(page: Data(page.utf8), url: nil, contentType: nil).get()
        #expect(article.text.components(separatedBy: "\n\n").count == 6)
    }

    @Test func aLayoutWrapperNamedForItsSidebarIsNotChromeButTheCommentsInsideItAre() throws {
        let story = (1...5).map {
            "<p>Paragraph \($0) of the story tells what happened, where, and to whom, in plain words for readers.</p>"
        }
        let comments = (1...3).map {
            "<div class=\"comment-body\"><p>Reader \($0) writes a long reply, with opinions, asides, and questions, "
                + "that runs on for a good while, longer than most paragraphs of the story itself.</p></div>"
        }
        let page = "<html><body><div class=\"wrap has-sidebar\"><div class=\"post\">" + story.joined()
            + "</div><div class=\"comments\"><h3>3 replies</h3>" + comments.joined() + "</div></div></body></html>"
        let article = try ArticleExtractor.extract(page: Data(page.utf8), url: nil, contentType: nil).get()
        #expect(article.text.components(separatedBy: "\n\n").count == 5)
        #expect(!article.text.contains("Reader"))
    }

    @Test func aLargePageIsReadWhole() throws {
        var page = "<html><body><nav>" + String(repeating: "<a href=/x>menu</a> ", count: 2000) + "</nav><article>"
        let paragraph = "<p>A paragraph of the long article, with commas, clauses, and a full stop at the end.</p>\n"
        page += String(repeating: paragraph, count: 20_000) + "</article></body></html>"
        let article = try ArticleExtractor.extract(page: Data(page.utf8), url: nil, contentType: nil).get()
        #expect(article.text.components(separatedBy: "\n\n").count == 20_000)
        #expect(!article.text.contains("menu"))
    }
}
