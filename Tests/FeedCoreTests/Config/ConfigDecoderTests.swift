import Foundation
import Testing

@testable import FeedCore

@Suite struct ConfigDecoderTests {
    /// The problems `json` has as feeds.json, each as `feedd check` prints it; empty when it decodes.
    static func problems(_ json: String) -> [String] {
        switch ConfigDecoder.decode(Data(json.utf8), file: "feeds.json") {
        case .success: return []
        case .failure(let problems): return problems.map(\.description)
        }
    }

    static func config(_ json: String) throws -> Config {
        try ConfigDecoder.decode(Data(json.utf8), file: "feeds.json").get()
    }

    @Test func realisticFileDecodesToTheExactConfig() throws {
        let json = """
            {
              "state_dir": "/var/lib/feedd",
              "interval": "30m",
              "concurrency": 8,
              "timeout": "20s",
              "user_agent": "feedd-test/1.0",
              "per_host_concurrency": 1,
              "per_host_delay": "500ms",
              "backfill": 20,
              "log_max_bytes": "64MB",
              "max_body_bytes": 8388608,
              "feeds": [
                { "id": "ladaily", "url": "https://www.dailynews.com/feed/", "title": "LA Daily News",
                  "interval": "1h30m", "tags": ["news", "la"] },
                "https://example.org/atom.xml",
                { "url": "file:///srv/feeds/sample.xml", "enabled": false, "backfill": 0 },
                { "id": "podcast", "url": "http://127.0.0.1:8080/podcast.rss", "timeout": 5,
                  "headers": { "Authorization": "Bearer abc", "X-Client": "feedd" }, "user_agent": "Podcatcher/2" }
              ]
            }
            """
        var expected = Config(feeds: [
            FeedConfig(
                id: FeedID("ladaily"), url: URL(string: "https://www.dailynews.com/feed/")!, title: "LA Daily News",
                interval: 5400, timeout: 20, userAgent: "feedd-test/1.0", backfill: 20, tags: ["news", "la"]),
            FeedConfig(
                id: FeedID.derived(from: "https://example.org/atom.xml"),
                url: URL(string: "https://example.org/atom.xml")!,
                interval: 1800, timeout: 20, userAgent: "feedd-test/1.0", backfill: 20),
            FeedConfig(
                id: FeedID.derived(from: "file:///srv/feeds/sample.xml"),
                url: URL(fileURLWithPath: "/srv/feeds/sample.xml"),
                enabled: false, interval: 1800, timeout: 20, userAgent: "feedd-test/1.0", backfill: 0),
            FeedConfig(
                id: FeedID("podcast"), url: URL(string: "http://127.0.0.1:8080/podcast.rss")!, interval: 1800,
                timeout: 5,
                headers: ["Authorization": "Bearer abc", "X-Client": "feedd"], userAgent: "Podcatcher/2", backfill: 20),
        ])
        expected.stateDirectory = "/var/lib/feedd"
        expected.concurrency = 8
        expected.perHostConcurrency = 1
        expected.perHostDelay = 0.5
        expected.logMaxBytes = 64 << 20
        expected.maxBodyBytes = 8 << 20
        #expect(try Self.config(json) == expected)
        #expect(FeedID.derived(from: "https://example.org/atom.xml").rawValue.hasPrefix("example.org-atom.xml-"))
    }

    @Test func everythingButFeedsIsOptional() throws {
        let config = try Self.config(#"{"feeds": ["https://example.org/feed"]}"#)
        let url = URL(string: "https://example.org/feed")!
        #expect(config == Config(feeds: [FeedConfig(id: FeedID.derived(from: url.absoluteString), url: url)]))
        #expect(config.feeds[0].interval == 900)
        #expect(config.feeds[0].timeout == 30)
        #expect(config.feeds[0].userAgent == Config.defaultUserAgent)
        #expect(config.feeds[0].backfill == nil)
        #expect(config.concurrency == 16)
        #expect(config.perHostConcurrency == 2)
        #expect(config.perHostDelay == 0)
        #expect(config.logMaxBytes == 256 << 20)
        #expect(config.maxBodyBytes == 16 << 20)
        #expect(config.stateDirectory == nil)
    }

    @Test func anEmptyFeedListIsValid() throws {
        #expect(try Self.config(#"{"feeds": []}"#) == Config())
    }

    @Test func feedSettingsOverrideTheTopLevelOnes() throws {
        let config = try Self.config(
            """
            {"interval": "1h", "timeout": "10s", "user_agent": "top/1", "backfill": 5, "feeds": [
              {"url": "https://a.org/", "interval": 120, "timeout": "500ms", "user_agent": "mine/2", "backfill": 0},
              {"url": "https://b.org/"}
            ]}
            """)
        #expect(config.feeds.map(\.interval) == [120, 3600])
        #expect(config.feeds.map(\.timeout) == [0.5, 10])
        #expect(config.feeds.map(\.userAgent) == ["mine/2", "top/1"])
        #expect(config.feeds.map(\.backfill) == [0, 5])
    }

    @Test(arguments: [
        ("[]", #"feeds.json: expected an object with a "feeds" array, found an array"#),
        ("{}", #"feeds.json: missing field "feeds" (a list of feeds; [] for none yet)"#),
        (#"{"feeds": {}}"#, "feeds.json: feeds: expected an array, found an object"),
        (#"{"feeds": [], "intervall": "5m"}"#, #"feeds.json: intervall: unknown field (did you mean "interval"?)"#),
        (#"{"feeds": [], "Interval": "5m"}"#, #"feeds.json: Interval: unknown field (did you mean "interval"?)"#),
        (#"{"feeds": [], "userAgent": "x"}"#, #"feeds.json: userAgent: unknown field (did you mean "user_agent"?)"#),
        (#"{"feeds": [], "colour": 1}"#, "feeds.json: colour: unknown field"),
        (#"{"feeds": [], "x": 1}"#, "feeds.json: x: unknown field"),
        (#"{"feeds": [], "log max": 1}"#, #"feeds.json: ["log max"]: unknown field"#),
        (#"{"feeds": [], "feeds": []}"#, #"feeds.json: key "feeds" appears twice (line 1, columns 2 and 15)"#),
        ("{\n\"feeds\": [],\n\"feeds\": []}", #"feeds.json: key "feeds" appears twice (lines 2 and 3)"#),
        (#"{"feeds": [], "state_dir": ""}"#, "feeds.json: state_dir: must not be empty"),
        (#"{"feeds": [], "state_dir": 5}"#, "feeds.json: state_dir: expected a string, found 5"),
        (#"{"feeds": [], "interval": "0.5s"}"#, #"feeds.json: interval: must be at least 1s, found "0.5s""#),
        (
            #"{"feeds": [], "interval": "soon"}"#,
            #"feeds.json: interval: expected a duration like "90s", "15m", "2h", "1d", "1h30m" "#
                + #"or a number of seconds, found "soon""#
        ),
        (#"{"feeds": [], "timeout": 0}"#, "feeds.json: timeout: must be more than 0, found 0"),
        (#"{"feeds": [], "per_host_delay": "-1s"}"#, #"feeds.json: per_host_delay: must not be negative, found "-1s""#),
        (#"{"feeds": [], "concurrency": 0}"#, "feeds.json: concurrency: must be at least 1, found 0"),
        (#"{"feeds": [], "concurrency": "16"}"#, #"feeds.json: concurrency: expected a whole number, found "16""#),
        (#"{"feeds": [], "concurrency": 2.5}"#, "feeds.json: concurrency: expected a whole number, found 2.5"),
        (#"{"feeds": [], "concurrency": 1e12}"#, "feeds.json: concurrency: must be at most 1000000000, found 1e12"),
        (#"{"feeds": [], "per_host_concurrency": 0}"#, "feeds.json: per_host_concurrency: must be at least 1, found 0"),
        (#"{"feeds": [], "backfill": -1}"#, "feeds.json: backfill: must be at least 0, found -1"),
        (#"{"feeds": [], "log_max_bytes": 100}"#, "feeds.json: log_max_bytes: must be at least 4096 bytes, found 100"),
        (
            #"{"feeds": [], "log_max_bytes": "lots"}"#,
            #"feeds.json: log_max_bytes: expected a size like 262144 (bytes), "512k", "256MB" or "1GiB", found "lots""#
        ),
        (#"{"feeds": [], "max_body_bytes": "2TB"}"#, #"feeds.json: max_body_bytes: must be at most 1TiB, found "2TB""#),
        (#"{"feeds": [], "max_body_bytes": 0}"#, "feeds.json: max_body_bytes: must be at least 1 byte, found 0"),
        (#"{"feeds": [], "user_agent": ""}"#, "feeds.json: user_agent: must not be empty"),
        (
            #"{"feeds": [], "user_agent": "a\nb"}"#,
            #"feeds.json: user_agent: must not contain line breaks or other control characters, found "a\nb""#
        ),
        (
            "{\"feeds\": [\n  \"https://a.org/\"\n  \"https://b.org/\"\n]}",
            "feeds.json: line 3, column 3: expected ',' or ']'"
        ),
    ])
    func topLevelRules(json: String, message: String) {
        #expect(Self.problems(json) == [message])
    }

    @Test func aMisspeltFeedsKeyIsUnknownAndFeedsMissing() {
        #expect(
            Self.problems(#"{"feed": []}"#) == [
                #"feeds.json: feed: unknown field (did you mean "feeds"?)"#,
                #"feeds.json: missing field "feeds" (a list of feeds; [] for none yet)"#,
            ])
    }

    @Test func zeroIsAValidPerHostDelay() throws {
        #expect(try Self.config(#"{"feeds": [], "per_host_delay": 0}"#).perHostDelay == 0)
    }

    @Test func everyProblemOfAFileIsReportedAtOnce() {
        let json = """
            {
              "interval": "15 minutes",
              "concurency": 4,
              "feeds": [
                {"url": "https://a.org/feed", "intreval": "5m", "enabled": "yes"},
                "ftp://files.example.org/feed.xml",
                {"id": "a b", "url": "https://b.org/", "url": "https://c.org/"},
                {"id": "news", "url": "/home/me/feed.xml", "headers": {"Host": "x", "X Y": "z"}},
                {"id": "news", "url": "https://d.org/", "tags": ["ok", 7], "timeout": "0s"},
                42
              ]
            }
            """
        #expect(
            Self.problems(json) == [
                #"feeds.json: concurency: unknown field (did you mean "concurrency"?)"#,
                #"feeds.json: interval: expected a duration like "90s", "15m", "2h", "1d", "1h30m" "#
                    + #"or a number of seconds, found "15 minutes""#,
                #"feeds.json: feeds[0].intreval: unknown field (did you mean "interval"?)"#,
                #"feeds.json: feeds[0].enabled: expected true or false, found "yes""#,
                "feeds.json: feeds[1]: not an http(s) or file URL",
                #"feeds.json: feeds[2]: key "url" appears twice (line 7, columns 19 and 44)"#,
                #"feeds.json: feeds[2].id: "a b" is not a valid id "#
                    + #"(1 to 64 of A-Z a-z 0-9 . _ -, not starting with ".")"#,
                "feeds.json: feeds[3].url: not an http(s) or file URL (for a local file write file:///absolute/path)",
                "feeds.json: feeds[3].headers.Host: cannot be set: the HTTP client manages this header",
                #"feeds.json: feeds[3].headers["X Y"]: not a valid header name "#
                    + #"(letters, digits and !#$%&'*+-.^_`|~ only)"#,
                "feeds.json: feeds[4].id: duplicate of feeds[3]",
                #"feeds.json: feeds[4].timeout: must be more than 0, found "0s""#,
                "feeds.json: feeds[4].tags[1]: expected a string, found 7",
                "feeds.json: feeds[5]: expected a URL string or an object, found 42",
            ])
    }

    @Test func problemsNameTheFileAsGiven() {
        let result = ConfigDecoder.decode(Data("{}".utf8), file: "/etc/feedd/feeds.json")
        #expect(
            result
                == .failure([
                    ConfigProblem(
                        file: "/etc/feedd/feeds.json", path: "",
                        message: #"missing field "feeds" (a list of feeds; [] for none yet)"#)
                ]))
    }

    @Test func problemDescriptionOmitsAnEmptyPath() {
        #expect(
            ConfigProblem(file: "feeds.json", path: "feeds[3].intreval", message: "unknown field").description
                == "feeds.json: feeds[3].intreval: unknown field")
        #expect(
            ConfigProblem(file: "feeds.json", path: "", message: "line 1, column 1: x").description
                == "feeds.json: line 1, column 1: x")
    }

    @Test func suggestionsNeedACloseMatch() {
        #expect(ConfigDecoder.editDistance("intreval", "interval") == 1)
        #expect(ConfigDecoder.editDistance("kitten", "sitting") == 3)
        #expect(ConfigDecoder.suggestion(for: "tag", among: ConfigDecoder.feedFields) == "tags")
        #expect(ConfigDecoder.suggestion(for: "ur", among: ConfigDecoder.feedFields) == "url")
        #expect(ConfigDecoder.suggestion(for: "ttl", among: ConfigDecoder.feedFields) == nil)
        #expect(ConfigDecoder.suggestion(for: "titel", among: ConfigDecoder.feedFields) == "title")
        #expect(
            ConfigDecoder.suggestion(for: String(repeating: "u", count: 100_000), among: ConfigDecoder.feedFields)
                == nil)
    }

    /// 500 seeded single-byte edits of a valid file: each decodes or gives problems, never crashes, and every
    /// problem is one non-empty line.
    @Test func randomEditsNeverCrash() {
        let valid = Array(
            """
            {"interval": "15m", "timeout": 30, "log_max_bytes": "256MB", "per_host_delay": "1s",
             "feeds": [{"id": "a", "url": "https://a.org/feed", "headers": {"X-A": "1"}, "tags": ["x"],
                        "enabled": true, "backfill": 3, "title": "A \\u00e9"}, "file:///srv/b.xml"]}
            """.utf8)
        var random = SplitMix64(seed: 0x5EED)
        var decoded = 0
        for _ in 0..<500 {
            var bytes = valid
            let position = Int(random.next() % UInt64(bytes.count))
            let symbols = Array(#"{}[]":,.-0123456789 \aeflnrstux"#.utf8)
            let byte =
                random.next() % 2 == 0
                ? symbols[Int(random.next() % UInt64(symbols.count))] : UInt8(truncatingIfNeeded: random.next())
            switch random.next() % 3 {
            case 0: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            default: bytes.remove(at: position)
            }
            switch ConfigDecoder.decode(Data(bytes), file: "feeds.json") {
            case .success:
                decoded += 1
            case .failure(let problems):
                #expect(!problems.isEmpty)
                for problem in problems {
                    #expect(!problem.message.isEmpty)
                    #expect(!problem.description.contains("\n"))
                }
            }
        }
        #expect(decoded > 0 && decoded < 500)
    }
}

/// A seeded random number generator (SplitMix64), so that a failing edit can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
