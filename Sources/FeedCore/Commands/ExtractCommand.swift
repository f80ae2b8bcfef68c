import Foundation

/// `feedd extract FILE_OR_URL... [--text]`: the main article of each web page, one JSON line each
/// (README.md, "feedd extract").
enum ExtractCommand {
    static let help = """
        Usage: feedd extract [options] FILE_OR_URL...

        Print the main article of each web page, without its menus, ads, share buttons, related stories, comments
        or footer: one JSON line per page, {"source","url","title","byline","published","html","text"}. html keeps
        only article markup (paragraphs, headings, lists, quotes, code, tables, figures, links) with absolute URLs;
        text is the plain text, paragraphs separated by blank lines. A file, a file: URL, an http(s) URL (fetched
        with a plain GET) or - for standard input. A page with no article prints {"source":…,"error":"…"} and the
        exit status becomes 1.

        Options:
          --text             print only each article's text (pages separated by a blank line; errors on stderr)
          --max-size BYTES   refuse pages larger than this (default 16777216)
          --config PATH, --state DIR   accepted, as by every command; extract does not use them
          -h, --help         show this help

        """

    static func run(_ words: [String], stdout: Output, stderr: Output) async throws(UsageError) -> Int32 {
        let arguments = try Arguments(
            words, command: "extract", valued: ["--max-size", "--config", "--state"],
            flags: ["--help", "-h", "--text"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        let sizeLimit = try arguments.maxSize(command: "extract")
        guard !arguments.operands.isEmpty else {
            throw UsageError(message: "extract needs at least one FILE_OR_URL", command: "extract")
        }
        let textOnly = arguments.has("--text")
        var status: Int32 = 0
        var printedText = false
        let loader = DocumentLoader(sizeLimit: sizeLimit)
        for source in arguments.operands {
            var output = JSONWriter(capacity: 1 << 16)
            let result: Result<ExtractedArticle, ExtractionError>
            do throws(DocumentLoader.Failure) {
                let loaded = try await loader.load(source)
                result = ArticleExtractor.extract(page: loaded.data, url: loaded.url, contentType: nil)
            } catch {
                result = .failure(ExtractionError(description: error.description))
            }
            switch result {
            case .success(let article) where textOnly:
                stdout.write((printedText ? "\n" : "") + article.text + "\n")
                printedText = true
            case .success(let article):
                write(article, source: source, to: &output)
            case .failure(let error):
                stderr.line("feedd extract: \(source): \(error)")
                status = 1
                if !textOnly { ParsedFeed.writeError(source: source, error: error.description, to: &output) }
            }
            if !output.bytes.isEmpty {
                output.endLine()
                stdout.write(output.bytes)
            }
        }
        return status
    }

    /// The JSON line of one article, keys in the order of the contract.
    static func write(_ article: ExtractedArticle, source: String, to output: inout JSONWriter) {
        output.beginObject()
        output.key("source")
        output.string(source)
        output.key("url")
        output.string(article.url?.absoluteString)
        output.key("title")
        output.string(article.title)
        output.key("byline")
        output.string(article.byline)
        output.key("published")
        output.date(article.published)
        output.key("html")
        output.string(article.html)
        output.key("text")
        output.string(article.text)
        output.endObject()
    }
}
