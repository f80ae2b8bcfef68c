import Foundation

/// Turns the bytes of feeds.json into a `Config` with every default applied (README.md, "feeds.json"), or into
/// the list of *every* problem, each with its JSON path, so that one `feedd check` shows all there is to fix.
/// Pure: no disk, no clock; `ConfigFile` reads the file.
struct ConfigDecoder {
    /// The fields the top-level object may have (README.md, "feeds.json").
    static let topLevelFields = [
        "feeds", "state_dir", "interval", "concurrency", "timeout", "user_agent", "per_host_concurrency",
        "per_host_delay", "backfill", "log_max_bytes", "max_body_bytes", "fulltext", "min_interval", "max_interval",
        "shard", "filters",
        "metrics_file",
    ]

    /// The problem of a file without `feeds`, which `feedd add` and `feedd import` give it.
    static let missingFeeds = "missing field \"feeds\" (a list of feeds; [] for none yet)"

    /// The top-level settings each feed inherits unless it sets its own.
    struct FeedDefaults {
        var interval = IntervalSetting()
        var timeout: TimeInterval = 30
        var userAgent = Config.defaultUserAgent
        var backfill: Int?
        var fulltext = false
        /// The top-level `filters`, which every feed applies before its own.
        var filter: StoryFilter?
    }

    /// The name problems give the file.
    let file: String
    /// The config file's directory, against which `file:relative/path` URLs resolve; nil refuses them.
    let baseDirectory: URL?
    private(set) var problems: [ConfigProblem] = []
    /// The first feed that took each id, so that a later one can name it.
    var firstFeedWithID: [FeedID: (index: Int, url: String?, derived: Bool)] = [:]
    /// The first feed reading each local file, by its standardized path: one document, one feed.
    var firstFeedWithFile: [String: (index: Int, url: String)] = [:]

    private init(file: String, baseDirectory: URL?) {
        self.file = file
        self.baseDirectory = baseDirectory
    }

    /// Decodes a whole configuration file.
    /// - Parameters:
    ///   - file: the name problems give the file (`feeds.json`).
    ///   - baseDirectory: the config file's directory, for relative `file:` URLs.
    /// - Returns: the config, or every problem found: a syntax error alone, since nothing after it can be read.
    static func decode(_ data: Data, file: String, baseDirectory: URL? = nil) -> Result<Config, [ConfigProblem]> {
        let root: JSONValue
        do {
            root = try JSONValue.parse(Array(data))
        } catch {
            return .failure([ConfigProblem(file: file, path: "", message: error.description)])
        }
        var decoder = ConfigDecoder(file: file, baseDirectory: baseDirectory)
        let config = decoder.config(from: root)
        return decoder.problems.isEmpty ? .success(config) : .failure(decoder.problems)
    }

    /// The top-level object: its own settings, the defaults it gives every feed, and the feeds.
    private mutating func config(from root: JSONValue) -> Config {
        var config = Config()
        let expected = "an object with a \"feeds\" array"
        guard let fields = fields(of: root, at: "", known: Self.topLevelFields, expected: expected) else {
            return config
        }
        if let value = fields["state_dir"], let text = string(value, at: "state_dir", nonEmpty: true) {
            config.stateDirectory = text
        }
        var defaults = FeedDefaults()
        defaults.interval = intervalSetting(fields, at: "", inheriting: defaults.interval, feed: false)
        if let value = fields["timeout"], let seconds = duration(value, at: "timeout", bound: .positive) {
            defaults.timeout = seconds
        }
        if let value = fields["user_agent"], let text = string(value, at: "user_agent", nonEmpty: true, header: true) {
            defaults.userAgent = text
        }
        if let value = fields["backfill"], let count = integer(value, at: "backfill", minimum: 0) {
            defaults.backfill = count
        }
        if let value = fields["fulltext"], let flag = bool(value, at: "fulltext") {
            defaults.fulltext = flag
        }
        if let value = fields["concurrency"], let count = integer(value, at: "concurrency", minimum: 1) {
            config.concurrency = count
        }
        if let value = fields["per_host_concurrency"],
            let count = integer(value, at: "per_host_concurrency", minimum: 1)
        {
            config.perHostConcurrency = count
        }
        if let value = fields["per_host_delay"],
            let seconds = duration(value, at: "per_host_delay", bound: .nonNegative)
        {
            config.perHostDelay = seconds
        }
        if let value = fields["log_max_bytes"], let size = byteSize(value, at: "log_max_bytes", minimum: 4096) {
            config.logMaxBytes = size
        }
        if let value = fields["max_body_bytes"], let size = byteSize(value, at: "max_body_bytes", minimum: 1) {
            config.maxBodyBytes = size
        }
        if let value = fields["shard"], let text = string(value, at: "shard") {
            if let shard = Shard(parsing: text) {
                config.shard = shard
            } else {
                report(at: "shard", "expected \(Shard.expected), found \(value.summary)")
            }
        }
        if let value = fields["filters"] { defaults.filter = filter(value, at: "filters") }
        if let value = fields["metrics_file"], let file = metricsFile(value, at: "metrics_file") {
            config.metricsFile = file
        }
        if let value = fields["feeds"] {
            config.feeds = feeds(value, defaults: defaults)
        } else {
            report(at: "", Self.missingFeeds)
        }
        return config
    }

    /// Records a problem at `path`.
    mutating func report(at path: String, _ message: String) {
        problems.append(ConfigProblem(file: file, path: path, message: message))
    }

    // MARK: - Objects

    /// The members of an object, first occurrence of each key, in order; each repeated key is a problem.
    /// - Returns: nil, with a problem, when `value` is not an object.
    mutating func members(of value: JSONValue, at path: String, expected: String) -> [JSONValue.Member]? {
        guard case .object(let all) = value else {
            report(at: path, "expected \(expected), found \(value.summary)")
            return nil
        }
        var first: [String: JSONValue.Member] = [:]
        var unique: [JSONValue.Member] = []
        for member in all {
            guard let earlier = first[member.key] else {
                first[member.key] = member
                unique.append(member)
                continue
            }
            let place =
                earlier.line == member.line
                ? "line \(member.line), columns \(earlier.column) and \(member.column)"
                : "lines \(earlier.line) and \(member.line)"
            report(at: path, "key \(JSONValue.quoted(member.key)) appears twice (\(place))")
        }
        return unique
    }

    /// The known fields of an object by name; each unknown one is a problem that suggests the field meant.
    mutating func fields(
        of value: JSONValue, at path: String, known: [String], expected: String
    ) -> [String: JSONValue]? {
        guard let members = members(of: value, at: path, expected: expected) else { return nil }
        var fields: [String: JSONValue] = [:]
        for member in members {
            guard known.contains(member.key) else {
                let hint = Self.suggestion(for: member.key, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
                report(at: Self.path(path, member.key), "unknown field" + hint)
                continue
            }
            fields[member.key] = member.value
        }
        return fields
    }

    // MARK: - Paths

    /// `base.key`, or `base["odd key"]` when the key is not a plain word, so that every path reads back unambiguously.
    static func path(_ base: String, _ key: String) -> String {
        let plain =
            !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
                    || byte == 0x2D
            }
        guard plain else { return base + "[" + JSONValue.quoted(key) + "]" }
        return base.isEmpty ? key : base + "." + key
    }

    /// `base[index]`.
    static func path(_ base: String, _ index: Int) -> String {
        "\(base)[\(index)]"
    }
}
