import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Whether a URL about to be added is a feed: fetched as the daemon will fetch it (its timeout, User-Agent and
/// headers, with the daemon's `Fetcher`, so a failure reads as it would in the log), then parsed.
enum FeedCheck {
    enum Result {
        case feed(ParsedFeed)
        /// Nothing usable came back: the reason in `FetchError`'s words (`HTTP 404`, `network error: …`).
        case failed(String)
        /// A document came back that is not a feed (maybe a page to discover feeds on).
        case notAFeed(ParseError)
    }

    static func run(_ feed: FeedConfig, maxBodyBytes: Int) async -> Result {
        let fetcher = Fetcher(client: URLSessionHTTPClient(maximumConnectionsPerHost: 1), maxBodyBytes: maxBodyBytes)
        switch await fetcher.fetch(feed, validators: Validators()) {
        case .fresh(let body, let finalURL, _, _, _):
            do throws(ParseError) {
                return .feed(try FeedParser.parse(body, url: finalURL, sizeLimit: maxBodyBytes))
            } catch {
                return .notAFeed(error)
            }
        case .notModified:
            return .failed(FetchError.http(status: 304).description)
        case .gone:
            return .failed(FetchError.http(status: 410).description)
        case .failed(let error, _):
            return .failed(error.description)
        }
    }

    /// `rss2.0, "Example News", 20 items`.
    static func summary(of feed: ParsedFeed) -> String {
        let items = feed.items.count == 1 ? "1 item" : "\(feed.items.count) items"
        let title = feed.title.map { ", \(JSONValue.quoted($0))" } ?? ", untitled"
        return "\(feed.format.rawValue)\(title), \(items)"
    }
}
