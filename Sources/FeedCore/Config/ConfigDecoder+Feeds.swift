import Foundation

/// The `feeds` array: each feed a bare URL string or an object, with the top-level settings as defaults, and ids
/// unique because each names the feed's state files.
extension ConfigDecoder {
    /// The fields a feed object may have (README.md, "feeds.json").
    static let feedFields = [
        "url", "id", "title", "enabled", "interval", "timeout", "headers", "user_agent", "backfill", "tags",
        "fulltext", "min_interval", "max_interval", "filters",
    ]

    /// Every feed that decodes; the problems of those that do not are recorded.
    mutating func feeds(_ value: JSONValue, defaults: FeedDefaults) -> [FeedConfig] {
        guard case .array(let elements) = value else {
            report(at: "feeds", "expected an array, found \(value.summary)")
            return []
        }
        var feeds: [FeedConfig] = []
        for (index, element) in elements.enumerated() {
            if let feed = feed(element, index: index, defaults: defaults) { feeds.append(feed) }
        }
        return feeds
    }

    /// One element of `feeds`: a bare URL, whose id is derived from it, or an object.
    private mutating func feed(_ value: JSONValue, index: Int, defaults: FeedDefaults) -> FeedConfig? {
        let path = Self.path("feeds", index)
        switch value {
        case .string(let text):
            guard let url = feedURL(text, at: path), claimFile(url, index: index, url: text, at: path) else {
                return nil
            }
            let id = FeedID.derived(from: text)
            claim(id, index: index, url: text, derived: true, at: path)
            let (interval, auto) = defaults.interval.feedValues
            return FeedConfig(
                id: id, url: url, interval: interval, timeout: defaults.timeout, userAgent: defaults.userAgent,
                backfill: defaults.backfill, fulltext: defaults.fulltext, auto: auto,
                filters: defaults.filter.map { [$0] } ?? [])
        case .object:
            return feedObject(value, index: index, defaults: defaults)
        default:
            report(at: path, "expected a URL string or an object, found \(value.summary)")
            return nil
        }
    }

    /// A feed object. Every field is read even when an earlier one is wrong, so that all problems show at once.
    private mutating func feedObject(_ value: JSONValue, index: Int, defaults: FeedDefaults) -> FeedConfig? {
        let path = Self.path("feeds", index)
        guard let fields = fields(of: value, at: path, known: Self.feedFields, expected: "an object") else {
            return nil
        }
        var urlText: String?
        var url: URL?
        if let value = fields["url"] {
            urlText = string(value, at: Self.path(path, "url"))
            url = urlText.flatMap { feedURL($0, at: Self.path(path, "url")) }
        } else {
            report(at: path, "missing field \"url\"")
        }
        if let resolved = url, let urlText {
            if !claimFile(resolved, index: index, url: urlText, at: Self.path(path, "url")) { url = nil }
        }
        var id: FeedID?
        var idIsValid = true
        if let value = fields["id"] {
            id = self.id(value, at: Self.path(path, "id"))
            idIsValid = id != nil
        } else if url != nil, let urlText {
            id = FeedID.derived(from: urlText)
        }
        if let id {
            let derived = fields["id"] == nil
            claim(id, index: index, url: urlText, derived: derived, at: Self.path(path, derived ? "url" : "id"))
        }

        var title: String?
        var enabled = true
        var timeout = defaults.timeout
        var headers: [String: String] = [:]
        var userAgent = defaults.userAgent
        var backfill = defaults.backfill
        var tags: [String] = []
        var fulltext = defaults.fulltext
        if let value = fields["title"] { title = string(value, at: Self.path(path, "title"), nonEmpty: true) }
        if let value = fields["enabled"] { enabled = bool(value, at: Self.path(path, "enabled")) ?? enabled }
        let (interval, auto) = intervalSetting(fields, at: path, inheriting: defaults.interval, feed: true).feedValues
        if let value = fields["timeout"] {
            timeout = duration(value, at: Self.path(path, "timeout"), bound: .positive) ?? timeout
        }
        if let value = fields["headers"] { headers = self.headers(value, at: Self.path(path, "headers")) ?? headers }
        if let value = fields["user_agent"] {
            userAgent = string(value, at: Self.path(path, "user_agent"), nonEmpty: true, header: true) ?? userAgent
        }
        if let value = fields["backfill"] {
            backfill = integer(value, at: Self.path(path, "backfill"), minimum: 0) ?? backfill
        }
        if let value = fields["tags"] { tags = strings(value, at: Self.path(path, "tags")) ?? tags }
        if let value = fields["fulltext"] { fulltext = bool(value, at: Self.path(path, "fulltext")) ?? fulltext }
        var filters = defaults.filter.map { [$0] } ?? []
        if let value = fields["filters"], let own = filter(value, at: Self.path(path, "filters")) { filters.append(own) }
        guard let id, let url, idIsValid else { return nil }
        return FeedConfig(
            id: id, url: url, title: title, enabled: enabled, interval: interval, timeout: timeout, headers: headers,
            userAgent: userAgent, backfill: backfill, tags: tags, fulltext: fulltext, auto: auto, filters: filters)
    }

    /// A given id: a string that `FeedID.isValid` accepts, since it names files.
    private mutating func id(_ value: JSONValue, at path: String) -> FeedID? {
        guard let text = string(value, at: path) else { return nil }
        guard FeedID.isValid(text) else {
            report(
                at: path, "\(value.summary) is not a valid id (1 to 64 of A-Z a-z 0-9 . _ -, not starting with \".\")")
            return nil
        }
        return FeedID(text)
    }

    /// Records that feed `index` reads the local file of `resolved`, or reports it as a duplicate at `path` and
    /// returns false: two spellings of one file (`file:x.xml` next to the config and `file:///that/dir/x.xml`)
    /// would poll it twice and log each story twice, under two ids.
    private mutating func claimFile(_ resolved: URL, index: Int, url: String, at path: String) -> Bool {
        guard resolved.isFileURL else { return true }
        let file = resolved.standardizedFileURL.path
        guard let first = firstFeedWithFile[file] else {
            firstFeedWithFile[file] = (index, url)
            return true
        }
        let other = Self.path("feeds", first.index)
        if first.url == url {
            report(at: path, "duplicate of \(other) (the same URL is listed twice)")
        } else {
            report(at: path, "duplicate of \(other) (the same file as \"\(first.url)\", spelled differently)")
        }
        return false
    }

    /// Records that feed `index` takes `id`, or reports it as taken, at `path`: the given id, or else the URL it
    /// is derived from. Two derived ids clash when the same URL is listed twice, which is what the message then says.
    private mutating func claim(_ id: FeedID, index: Int, url: String?, derived: Bool, at path: String) {
        guard let first = firstFeedWithID[id] else {
            firstFeedWithID[id] = (index, url, derived)
            return
        }
        let other = Self.path("feeds", first.index)
        if derived && first.derived && url == first.url {
            report(at: path, "duplicate of \(other) (the same URL is listed twice)")
        } else if derived {
            report(at: path, "duplicate of \(other) (derived from the URL; give one of them an \"id\")")
        } else if first.derived {
            report(at: path, "duplicate of \(other) (the id derived from its URL)")
        } else {
            report(at: path, "duplicate of \(other)")
        }
    }
}
