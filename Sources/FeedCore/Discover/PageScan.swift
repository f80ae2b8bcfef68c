#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a web page says that matters for finding its feeds, as written (URLs not yet resolved), read in one pass
/// of `HTMLScanner` over the page decoded to UTF-8.
///
/// Only what discovery uses is kept, and the lists that grow with the page are capped, so that the work stays in
/// proportion to the page however many tags it has.
struct PageScan: Equatable {
    /// A `<link rel="alternate">` whose type is a feed's.
    struct Alternate: Equatable {
        var href: String
        /// The media type, lowercased, without parameters.
        var type: String
        var title: String?
    }

    /// An `<a href>` that may point to a feed (its URL is checked once resolved).
    struct Anchor: Equatable {
        var href: String
        /// The `type` attribute, lowercased, when it names a feed type.
        var type: String?
    }

    /// The `href` of the first `<base>` that has one: the page's URLs resolve against it (WHATWG HTML §4.2.3).
    var baseHref: String?
    var alternates: [Alternate] = []
    /// `<link rel="canonical">`.
    var canonical: String?
    /// `<meta property="og:url">`.
    var openGraphURL: String?
    /// `<meta property="og:site_name">`.
    var siteName: String?
    /// Every `<meta name="generator">`, in page order (`WordPress 6.5`, `blogger`, `Hugo 0.125.0`).
    var generators: [String] = []
    var anchors: [Anchor] = []
    /// The URLs of the page's resources (`<script src>`, `<link href>` other than feeds), in page order: where a
    /// page loads its scripts and styles from tells its platform (`wp-content`, `substackcdn.com`).
    var resources: [String] = []
    /// YouTube channel ids the page carries, the most trustworthy first: `<meta itemprop="channelId">`, then
    /// `"externalId"` (the channel's own, in the page's data), then the first `"channelId"` of its scripts.
    var channelIDs: [String] = []

    /// The most `<link rel="alternate">` feeds kept: a page that declares more is not offering feeds to a reader.
    static let maximumAlternates = 100
    /// The most anchors and resource URLs kept.
    static let maximumAnchors = 500
    static let maximumResources = 300

    /// The media types of feeds in `<link rel="alternate" type>` (RSS, RSS 1.0, Atom, JSON Feed).
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
        "application/x.atom+xml", "application/x-atom+xml", "application/x-rss+xml", "text/rss+xml",
    ]

    /// Reads `bytes`, a page decoded to UTF-8.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> PageScan {
        var scan = PageScan()
        var scanner = HTMLScanner(bytes, keeping: ["base", "link", "a", "meta", "script"])
        var metaChannelIDs: [String] = []
        var externalIDs: [String] = []
        var scriptChannelIDs: [String] = []
        while let token = scanner.next() {
            switch token {
            case .tag(let tag):
                switch tag.name {
                case "base": if scan.baseHref == nil { scan.baseHref = tag.attribute("href") }
                case "link": scan.readLink(tag)
                case "a": scan.readAnchor(tag)
                case "meta": scan.readMeta(tag, channelIDs: &metaChannelIDs)
                case "script": if let source = tag.attribute("src") { scan.addResource(source) }
                default: break
                }
            case .rawText(_, let range):
                let script = UnsafeBufferPointer(rebasing: bytes[range])
                if externalIDs.isEmpty, let id = jsonChannelID(after: "\"externalId\"", in: script) {
                    externalIDs.append(id)
                }
                if scriptChannelIDs.isEmpty, let id = jsonChannelID(after: "\"channelId\"", in: script) {
                    scriptChannelIDs.append(id)
                }
            case .text, .endTag:
                break  // reported in full mode only
            }
        }
        scan.channelIDs = metaChannelIDs + externalIDs + scriptChannelIDs
        return scan
    }

    private mutating func readLink(_ tag: HTMLTag) {
        guard let href = tag.attribute("href")?.trimmingASCIISpaces(), !href.isEmpty else { return }
        let rels = Set((tag.attribute("rel") ?? "").lowercased().split(whereSeparator: \.isWhitespace).map(String.init))
        if rels.contains("canonical") {
            if canonical == nil { canonical = href }
            return
        }
        if rels.contains("alternate"), let type = tag.attribute("type").map(Self.mediaType) {
            let title = tag.attribute("title")
            let isJSONFeed = type == "application/json" && Self.isJSONFeed(href: href, title: title)
            if Self.feedTypes.contains(type) || isJSONFeed {
                if alternates.count < Self.maximumAlternates {
                    alternates.append(Alternate(href: href, type: type, title: title))
                }
                return
            }
        }
        addResource(href)
    }

    private mutating func readAnchor(_ tag: HTMLTag) {
        guard anchors.count < Self.maximumAnchors, let href = tag.attribute("href")?.trimmingASCIISpaces(),
            !href.isEmpty
        else { return }
        let type = tag.attribute("type").map(Self.mediaType).flatMap { Self.feedTypes.contains($0) ? $0 : nil }
        let lower = href.lowercased()
        // Most anchors are plainly not feeds; keep only those whose URL could be one once resolved.
        let maybe = ["rss", "atom", "feed", ".xml", ".json"].contains { lower.contains($0) }
        guard type != nil || maybe else { return }
        anchors.append(Anchor(href: href, type: type))
    }

    private mutating func readMeta(_ tag: HTMLTag, channelIDs: inout [String]) {
        guard let content = tag.attribute("content")?.trimmingASCIISpaces() else { return }
        let name = (tag.attribute("name") ?? tag.attribute("property") ?? "").lowercased()
        switch name {
        case "generator": generators.append(content)
        case "og:site_name": if siteName == nil { siteName = content }
        case "og:url": if openGraphURL == nil { openGraphURL = content }
        default: break
        }
        // Microdata names are case-sensitive, but nothing else is called channelid.
        if tag.attribute("itemprop")?.lowercased() == "channelid", YouTubeChannel.isID(content) {
            channelIDs.append(content)
        }
    }

    private mutating func addResource(_ url: String) {
        if resources.count < Self.maximumResources { resources.append(url) }
    }

    /// `application/rss+xml` from `Application/RSS+XML; charset=utf-8`.
    static func mediaType(_ value: String) -> String {
        String(value.prefix { $0 != ";" }).trimmingASCIISpaces().lowercased()
    }

    /// Whether a `<link rel="alternate" type="application/json">` is a JSON Feed: the type JSON Feed 1.0 named,
    /// but WordPress also declares its REST API under it on every page (`/wp-json/wp/v2/posts/12`).
    static func isJSONFeed(href: String, title: String?) -> Bool {
        let lower = href.lowercased()
        guard !lower.contains("/wp-json/"), !lower.contains("oembed") else { return false }
        return lower.contains("feed") || title?.lowercased().contains("feed") == true
    }

    /// The YouTube channel id in `"key":"UC…"` JSON within `script`, for the first occurrence of `key` that has one.
    static func jsonChannelID(after key: StaticString, in script: UnsafeBufferPointer<UInt8>) -> String? {
        let needle = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        var start = 0
        while let found = firstIndex(of: needle, in: script, from: start) {
            var i = found + needle.count
            while i < script.count, script[i] == 0x20 { i += 1 }
            if i < script.count, script[i] == UInt8(ascii: ":") {
                i += 1
                while i < script.count, script[i] == 0x20 { i += 1 }
                if i < script.count, script[i] == UInt8(ascii: "\"") {
                    let idStart = i + 1
                    var idEnd = idStart
                    while idEnd < script.count, idEnd - idStart <= YouTubeChannel.idLength,
                        script[idEnd] != UInt8(ascii: "\"")
                    {
                        idEnd += 1
                    }
                    let id = String(decoding: UnsafeBufferPointer(rebasing: script[idStart..<idEnd]), as: UTF8.self)
                    if YouTubeChannel.isID(id) { return id }
                }
            }
            start = found + 1
        }
        return nil
    }

    private static func firstIndex(
        of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int
    ) -> Int? {
        // Glibc's module does not export memmem(3); memchr finds the candidates, which are few.
        guard let base = haystack.baseAddress, let first = needle.first else { return nil }
        var i = start
        while i + needle.count <= haystack.count,
            let found = memchr(base + i, Int32(first), haystack.count - needle.count + 1 - i)
        {
            let offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + offset, needle.baseAddress!, needle.count) == 0 { return offset }
            i = offset + 1
        }
        return nil
    }
}
