import Foundation

@testable import FeedCore

/// Ready-made handlers for `TestHTTPServer.route(_:_:)`: what real feed servers do.
extension TestHTTPServer {
    /// A document with validators: 304 when `If-None-Match` lists `etag` (or `*`), or, without `If-None-Match`,
    /// when `If-Modified-Since` is not before `lastModified` (RFC 9110 §13.2.2: the ETag check takes
    /// precedence). `headers` go on both the 200 and the 304 (Cache-Control, Expires, …).
    static func document(
        _ body: String, contentType: String = "application/rss+xml", etag: String? = nil,
        lastModified: String? = nil, headers: [(name: String, value: String)] = []
    ) -> Handler {
        var common = headers
        if let etag { common.append(("ETag", etag)) }
        if let lastModified { common.append(("Last-Modified", lastModified)) }
        let validators = common
        return { request in
            let unchanged: Bool
            if let match = request.header("If-None-Match") {
                let tags = match.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                unchanged = etag.map { tags.contains($0) } ?? false || tags.contains("*")
            } else if let since = request.header("If-Modified-Since").flatMap(HTTPDate.parse),
                let modified = lastModified.flatMap(HTTPDate.parse)
            {
                unchanged = modified <= since
            } else {
                unchanged = false
            }
            if unchanged { return Response(status: 304, headers: validators) }
            return Response(
                status: 200, headers: [("Content-Type", contentType)] + validators, body: Data(body.utf8))
        }
    }

    /// `body` gzip-encoded, with `Content-Encoding: gzip`.
    static func gzip(_ body: String, contentType: String = "application/rss+xml") -> Handler {
        let encoded = StoredGzip.encode(Data(body.utf8))
        return { _ in
            Response(
                status: 200, headers: [("Content-Type", contentType), ("Content-Encoding", "gzip")], body: encoded)
        }
    }

    /// A redirect with `status` to `location` (sent as given, so it may be relative). Routed to its own target,
    /// it is a redirect loop.
    static func redirect(_ status: Int, to location: String) -> Handler {
        { _ in Response(status: status, headers: [("Location", location)], body: Data("moved\n".utf8)) }
    }

    /// A fixed status, body and headers (`Retry-After`, …).
    static func status(
        _ status: Int, body: String = "", headers: [(name: String, value: String)] = []
    ) -> Handler {
        { _ in Response(status: status, headers: headers, body: Data(body.utf8)) }
    }

    /// Waits `seconds` before sending anything, then a 200 with `body`.
    static func stall(_ seconds: TimeInterval, body: String = "late\n") -> Handler {
        { _ in Response(status: 200, body: Data(body.utf8), delay: seconds) }
    }

    /// Sends the headers at once, then `body` one `bytes`-sized piece every `interval` seconds.
    static func drip(_ body: String, bytes: Int = 1, every interval: TimeInterval) -> Handler {
        { _ in Response(status: 200, body: Data(body.utf8), drip: (bytes, interval)) }
    }

    /// A 200 with a body of `count` bytes of `x`; `closeDelimited` sends it without Content-Length.
    static func bytes(_ count: Int, closeDelimited: Bool = false) -> Handler {
        let body = Data(repeating: UInt8(ascii: "x"), count: count)
        return { _ in Response(status: 200, body: body, closeDelimited: closeDelimited) }
    }
}
