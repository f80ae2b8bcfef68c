import Foundation

/// `feedd parse FILE_OR_URL...`: each document normalized, one JSON line each (README.md, "feedd parse output").
enum ParseCommand {
    static let help = """
        Usage: feedd parse [options] FILE_OR_URL...

        Parse feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.x; the format is told from the content)
        and print each as one line of normalized JSON. A file, a file: URL, an http(s) URL (fetched with a plain
        GET) or - for standard input. A document that cannot be parsed prints {"source":…,"error":"…"} and the
        exit status becomes 1. What had to be repaired in a document that could be read is reported on stderr.

        Options:
          --max-size BYTES   refuse documents larger than this (default 16777216)
          --config PATH, --state DIR   accepted, as by every command; parse does not use them
          -h, --help         show this help

        """

    static func run(_ words: [String], stdout: Output, stderr: Output) async throws(UsageError) -> Int32 {
        let arguments = try Arguments(
            words, command: "parse", valued: ["--max-size", "--config", "--state"], flags: ["--help", "-h"])
        if arguments.has("--help") || arguments.has("-h") {
            stdout.write(help)
            return 0
        }
        let sizeLimit = try arguments.maxSize(command: "parse")
        guard !arguments.operands.isEmpty else {
            throw UsageError(message: "parse needs at least one FILE_OR_URL", command: "parse")
        }
        var status: Int32 = 0
        // Each document is written straight into this buffer, which goes out in large pieces: one write(2) per
        // document costs more than the parse of a small one. It holds the largest document's line without growing,
        // and growing costs more than copying: every page of new memory is a page fault.
        var output = JSONWriter(capacity: 1 << 20)
        let loader = DocumentLoader(sizeLimit: sizeLimit)
        for source in arguments.operands {
            do throws(DocumentLoader.Failure) {
                let loaded = try await loader.load(source)
                do throws(ParseError) {
                    let feed = try FeedParser.parse(loaded.data, url: loaded.url, sizeLimit: sizeLimit)
                    for problem in feed.problems { stderr.line("feedd parse: \(source): \(problem)") }
                    feed.writeJSON(source: source, to: &output)
                } catch {
                    stderr.line("feedd parse: \(source): \(error)")
                    ParsedFeed.writeError(source: source, error: error.description, to: &output)
                    status = 1
                }
            } catch {
                stderr.line("feedd parse: \(source): \(error)")
                ParsedFeed.writeError(source: source, error: error.description, to: &output)
                status = 1
            }
            output.endLine()
            if output.bytes.count >= 1 << 16 {
                stdout.write(output.bytes)
                output.removeAll()
            }
        }
        if !output.bytes.isEmpty { stdout.write(output.bytes) }
        return status
    }
}
