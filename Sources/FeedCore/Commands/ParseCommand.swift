import Foundation

/// `feedd parse FILE_OR_URL...`: each document normalized, one JSON line each (CONTRACT.md, "Normalized feed").
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
        var sizeLimit = FeedParser.defaultSizeLimit
        if let text = arguments.value("--max-size") {
            guard let value = Int(text), value > 0 else {
                throw UsageError(message: "--max-size: '\(text)' is not a positive number of bytes", command: "parse")
            }
            sizeLimit = value
        }
        guard !arguments.operands.isEmpty else {
            throw UsageError(message: "parse needs at least one FILE_OR_URL", command: "parse")
        }
        var status: Int32 = 0
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 16)
        for source in arguments.operands {
            let line: [UInt8]
            do throws(DocumentLoader.Failure) {
                let loaded = try await DocumentLoader.load(source, sizeLimit: sizeLimit)
                do throws(ParseError) {
                    let feed = try FeedParser.parse(loaded.data, url: loaded.url, sizeLimit: sizeLimit)
                    for problem in feed.problems { stderr.line("feedd parse: \(source): \(problem)") }
                    line = feed.jsonLine(source: source)
                } catch {
                    stderr.line("feedd parse: \(source): \(error)")
                    line = ParsedFeed.errorLine(source: source, error: error.description)
                    status = 1
                }
            } catch {
                stderr.line("feedd parse: \(source): \(error)")
                line = ParsedFeed.errorLine(source: source, error: error.description)
                status = 1
            }
            pending.append(contentsOf: line)
            pending.append(0x0A)
            // Write in large pieces: one write(2) per document costs more than the parse of a small one.
            if pending.count >= 1 << 16 {
                stdout.write(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { stdout.write(pending) }
        return status
    }
}
