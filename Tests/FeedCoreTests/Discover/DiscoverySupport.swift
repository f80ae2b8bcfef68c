import Foundation

@testable import FeedCore

/// Small feeds of each format, for the candidates a discovery test serves.
enum SampleFeeds {
    static func rss(_ title: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>\(title)</title><link>https://site.example/</link>
        <item><title>First story</title><link>https://site.example/1</link><guid>1</guid></item></channel></rss>
        """
    }

    static func atom(_ title: String) -> String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>\(title)</title><id>urn:x:1</id>
        <updated>2026-11-28T10:00:00Z</updated><entry><title>First</title><id>urn:x:1:1</id>
        <updated>2026-11-28T10:00:00Z</updated><link href="https://site.example/1"/></entry></feed>
        """
    }

    static func json(_ title: String) -> String {
        #"{"version":"https://jsonfeed.org/version/1.1","title":"\#(title)","items":[{"id":"1","content_text":"x"}]}"#
    }
}

extension TestHTTPServer {
    /// `http://127.0.0.1:PORT`, what the fixtures' own origins are replaced with.
    var origin: String { "http://127.0.0.1:\(port)" }

    /// Serves fixture `name` at `path` as an HTML page, with each of `origins` in it made the server's own, so that
    /// a page written for `https://blog.example` links to feeds this server serves.
    func page(_ path: String, fixture name: String, replacing origins: [String] = []) throws {
        var html = String(decoding: try Fixtures.data(name), as: UTF8.self)
        for replaced in origins { html = html.replacingOccurrences(of: replaced, with: origin) }
        route(path, Self.document(html, contentType: "text/html; charset=utf-8"))
    }

    /// Serves `body` at `path` with the media type of its format.
    func feed(_ path: String, _ body: String) {
        let type = body.hasPrefix("{") ? "application/feed+json" : body.contains("<rss") ? "application/rss+xml"
            : "application/atom+xml"
        route(path, Self.document(body, contentType: type))
    }

    /// A fetch for discovery that sends what it would send to `hosts` to this server instead: the platform rules
    /// name real hosts (www.youtube.com), and tests must not reach them.
    func fetch(mapping hosts: Set<String>) -> CandidateFetch {
        let fetch = FeedConfirmation.fetcher(maxBodyBytes: 1 << 20)
        let port = self.port
        return { url in
            guard let host = url.host, hosts.contains(host),
                var components = URLComponents(url: url, resolvingAgainstBaseURL: true)
            else { return await fetch(url) }
            components.scheme = "http"
            components.host = "127.0.0.1"
            components.port = port
            return await fetch(components.url!)
        }
    }
}
