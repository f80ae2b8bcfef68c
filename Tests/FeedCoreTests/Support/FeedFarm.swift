import Foundation

@testable import FeedCore

/// Feeds that grow on demand, served by a `TestHTTPServer` at `/feeds/<n>.xml` with ETags, so that end-to-end
/// tests can say exactly which stories were served.
final class FeedFarm: @unchecked Sendable {
    // @unchecked: `counts` and `served` are guarded by `lock`.
    private let lock = NSLock()
    private var counts: [Int]
    /// Every (feed, guid) the server has sent in a 200.
    private var served = Set<String>()
    let server: TestHTTPServer

    init(server: TestHTTPServer, feeds: Int, items: Int) {
        self.server = server
        counts = Array(repeating: items, count: feeds)
        for index in 0..<feeds { route(index) }
    }

    func url(_ index: Int) -> String { server.url("/feeds/\(index).xml").absoluteString }

    func guid(_ feed: Int, _ item: Int) -> String { "tag:farm.example,2026:feed-\(feed)-item-\(item)" }

    /// Adds `count` new items to feed `index` (and makes it serve them on the next request).
    func grow(_ index: Int, by count: Int = 1) {
        lock.withLock { counts[index] += count }
    }

    /// Adds a feed; returns its index.
    func addFeed(items: Int) -> Int {
        let index = lock.withLock {
            counts.append(items)
            return counts.count - 1
        }
        route(index)
        return index
    }

    /// Every guid the feed lists now.
    func guids(_ index: Int) -> Set<String> {
        let count = lock.withLock { counts[index] }
        return Set((0..<count).map { guid(index, $0) })
    }

    var servedGuids: Set<String> { lock.withLock { served } }

    private func route(_ index: Int) {
        server.route("/feeds/\(index).xml") { [self] request in
            let count = lock.withLock { counts[index] }
            let etag = "\"\(index)-\(count)\""
            if request.header("If-None-Match") == etag { return .init(status: 304, headers: [("ETag", etag)]) }
            let items = (0..<count).reversed().map { item in
                """
                <item><title>Story \(item) of feed \(index) &amp; co</title><link>https://farm.example/\(index)/\(item)</link>
                <guid isPermaLink="false">\(guid(index, item))</guid><pubDate>\(pubDate(item))</pubDate>
                <description>&lt;p&gt;Body \(item)&lt;/p&gt;</description></item>
                """
            }
            let body = """
                <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Farm feed \(index)</title>
                <link>https://farm.example/\(index)/</link>\(items.joined())</channel></rss>
                """
            lock.withLock { for item in 0..<count { served.insert(guid(index, item)) } }
            return .init(status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", etag)], body: Data(body.utf8))
        }
    }

    private func pubDate(_ item: Int) -> String {
        HTTPDate.format(Date(timeIntervalSince1970: 1_700_000_000 + Double(item) * 60))
    }
}
