import Foundation
import Testing

@testable import FeedCore

/// The rules for one feed: URL, id, headers and the per-feed settings.
@Suite struct ConfigDecoderFeedTests {
    /// The problems of a file whose feeds array is `feeds`.
    private func problems(feeds: String) -> [String] {
        ConfigDecoderTests.problems(#"{"feeds": "# + feeds + "}")
    }

    private func feeds(_ feeds: String) throws -> [FeedConfig] {
        try ConfigDecoderTests.config(#"{"feeds": "# + feeds + "}").feeds
    }

    @Test(arguments: [
        (#"[42]"#, "feeds[0]: expected a URL string or an object, found 42"),
        (#"[null]"#, "feeds[0]: expected a URL string or an object, found null"),
        (#"["ftp://x.org/f"]"#, "feeds[0]: not an http(s) or file URL"),
        (#"["localhost:8080/feed"]"#, "feeds[0]: not an http(s) or file URL"),
        (#"[{"url": "ftp://x.org/f"}]"#, "feeds[0].url: not an http(s) or file URL"),
        (
            #"["/home/me/feed.xml"]"#,
            "feeds[0]: not an http(s) or file URL (for a local file write file:///absolute/path)"
        ),
        (#"["./feed.xml"]"#, "feeds[0]: not an http(s) or file URL (for a local file write file:///absolute/path)"),
        (#"["file:feeds/x.xml"]"#, "feeds[0]: a file URL needs an absolute path (file:///absolute/path) or one relative to the config (file:dir/feed.xml)"),
        (#"["file://feeds/x.xml"]"#, "feeds[0]: a file URL needs an absolute path (file:///absolute/path) or one relative to the config (file:dir/feed.xml)"),
        (#"["example.org/feed"]"#, #"feeds[0]: not an http(s) or file URL ("https://" missing?)"#),
        (#"["https:/example.org"]"#, "feeds[0]: not an http(s) or file URL: no host"),
        (#"["http://"]"#, "feeds[0]: not an http(s) or file URL: no host"),
        (
            #"["https://exa mple.org/"]"#,
            "feeds[0]: not an http(s) or file URL (it contains a space or a control character)"
        ),
        (
            #"[" https://example.org/"]"#,
            "feeds[0]: not an http(s) or file URL (it contains a space or a control character)"
        ),
        (#"[""]"#, "feeds[0]: not an http(s) or file URL: it is empty"),
        (#"[{"title": "x"}]"#, #"feeds[0]: missing field "url""#),
        (#"[{"url": 5}]"#, "feeds[0].url: expected a string, found 5"),
        (
            #"[{"url": "https://a.org/", "intreval": "5m"}]"#,
            #"feeds[0].intreval: unknown field (did you mean "interval"?)"#
        ),
        (#"[{"url": "https://a.org/", "x y": 1}]"#, #"feeds[0]["x y"]: unknown field"#),
        (#"[{"url": "https://a.org/", "enabled": "yes"}]"#, #"feeds[0].enabled: expected true or false, found "yes""#),
        (#"[{"url": "https://a.org/", "enabled": 1}]"#, "feeds[0].enabled: expected true or false, found 1"),
        (#"[{"url": "https://a.org/", "title": ""}]"#, "feeds[0].title: must not be empty"),
        (#"[{"url": "https://a.org/", "interval": "0s"}]"#, #"feeds[0].interval: must be at least 1s, found "0s""#),
        (#"[{"url": "https://a.org/", "timeout": "-5s"}]"#, #"feeds[0].timeout: must not be negative, found "-5s""#),
        (#"[{"url": "https://a.org/", "backfill": 1.5}]"#, "feeds[0].backfill: expected a whole number, found 1.5"),
        (#"[{"url": "https://a.org/", "user_agent": 7}]"#, "feeds[0].user_agent: expected a string, found 7"),
        (
            #"[{"url": "https://a.org/", "tags": "news"}]"#,
            #"feeds[0].tags: expected an array of strings, found "news""#
        ),
        (
            #"[{"url": "https://a.org/", "id": "la daily"}]"#,
            #"feeds[0].id: "la daily" is not a valid id (1 to 64 of A-Z a-z 0-9 . _ -, not starting with ".")"#
        ),
        (
            #"[{"url": "https://a.org/", "id": ".hidden"}]"#,
            #"feeds[0].id: ".hidden" is not a valid id (1 to 64 of A-Z a-z 0-9 . _ -, not starting with ".")"#
        ),
        (#"[{"url": "https://a.org/", "id": 3}]"#, "feeds[0].id: expected a string, found 3"),
        (
            #"[{"id": "a", "url": "https://a.org/"}, {"id": "a", "url": "https://b.org/"}]"#,
            "feeds[1].id: duplicate of feeds[0]"
        ),
        (#"["https://a.org/", "https://a.org/"]"#, "feeds[1]: duplicate of feeds[0] (the same URL is listed twice)"),
        (
            #"["https://a.org/", {"url": "https://a.org/"}]"#,
            "feeds[1].url: duplicate of feeds[0] (the same URL is listed twice)"
        ),
    ])
    func feedRules(feeds: String, message: String) {
        #expect(problems(feeds: feeds) == ["feeds.json: " + message])
    }

    @Test func aGivenIdIsClaimedEvenWhenTheURLIsBad() {
        #expect(
            problems(feeds: #"[{"id": "x", "url": "bad"}, {"id": "x", "url": "https://x.org/"}]"#) == [
                #"feeds.json: feeds[0].url: not an http(s) or file URL ("https://" missing?)"#,
                "feeds.json: feeds[1].id: duplicate of feeds[0]",
            ])
    }

    @Test func aDerivedIdThatClashesWithAGivenOneSaysSo() {
        let taken = FeedID.derived(from: "https://a.org/").rawValue
        #expect(
            problems(feeds: #"[{"id": ""# + taken + #"", "url": "https://b.org/"}, "https://a.org/"]"#) == [
                #"feeds.json: feeds[1]: duplicate of feeds[0] (derived from the URL; give one of them an "id")"#
            ])
    }

    @Test func oneURLMayBeListedTwiceUnderTwoIds() throws {
        let feeds = try feeds(#"[{"id": "a", "url": "https://a.org/"}, {"id": "b", "url": "https://a.org/"}]"#)
        #expect(feeds.map(\.id) == [FeedID("a"), FeedID("b")])
    }

    @Test(arguments: [
        ("https://example.org/feed", "https://example.org/feed"),
        ("HTTP://Example.org/feed?a=1#top", "HTTP://Example.org/feed?a=1#top"),
        ("http://127.0.0.1:8080/feed", "http://127.0.0.1:8080/feed"),
        ("http://[::1]:8080/feed", "http://[::1]:8080/feed"),
        ("file:///srv/feeds/a.xml", "file:///srv/feeds/a.xml"),
        ("file:/srv/feeds/a.xml", "file:/srv/feeds/a.xml"),
        ("file://localhost/srv/feeds/a.xml", "file://localhost/srv/feeds/a.xml"),
    ])
    func acceptedURLs(text: String, absolute: String) throws {
        let feeds = try feeds("[\"\(text)\"]")
        #expect(feeds.map(\.url.absoluteString) == [absolute])
        #expect(feeds.map(\.id) == [FeedID.derived(from: text)])
    }

    @Test func fileURLsKeepTheirPath() throws {
        #expect(try feeds(#"["file:///srv/feeds/a.xml"]"#)[0].url.path == "/srv/feeds/a.xml")
    }

    @Test(arguments: [
        (
            #"{"X Bad": "1"}"#,
            #"feeds[0].headers["X Bad"]: not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"#
        ),
        (
            #"{"X-A:": "1"}"#,
            #"feeds[0].headers["X-A:"]: not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"#
        ),
        (#"{"": "1"}"#, #"feeds[0].headers[""]: not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"#),
        (#"{"Host": "x"}"#, "feeds[0].headers.Host: cannot be set: the HTTP client manages this header"),
        (
            #"{"content-length": "0"}"#,
            "feeds[0].headers.content-length: cannot be set: the HTTP client manages this header"
        ),
        (
            #"{"Connection": "close"}"#,
            "feeds[0].headers.Connection: cannot be set: the HTTP client manages this header"
        ),
        (
            #"{"If-None-Match": "x"}"#,
            "feeds[0].headers.If-None-Match: cannot be set: feedd sends it for conditional GET"
        ),
        (
            #"{"If-Modified-Since": "x"}"#,
            "feeds[0].headers.If-Modified-Since: cannot be set: feedd sends it for conditional GET"
        ),
        (#"{"User-Agent": "x"}"#, #"feeds[0].headers.User-Agent: cannot be set here: use "user_agent""#),
        (
            #"{"Accept": "a", "accept": "b"}"#,
            #"feeds[0].headers.accept: the same header as "Accept" (header names ignore case)"#
        ),
        (
            #"{"Accept": "a", "Accept": "b"}"#,
            #"feeds[0].headers: key "Accept" appears twice (line 1, columns 50 and 65)"#
        ),
        (#"{"X-A": 1}"#, "feeds[0].headers.X-A: expected a string, found 1"),
        (
            #"{"X-A": "a\r\nHost: evil"}"#,
            #"feeds[0].headers.X-A: must not contain line breaks or other control characters, found "a\r\nHost: evil""#
        ),
        ("[]", "feeds[0].headers: expected an object of header names and values, found an array"),
    ])
    func headerRules(headers: String, message: String) {
        #expect(
            problems(feeds: #"[{"url": "https://a.org/", "headers": "# + headers + "}]") == ["feeds.json: " + message])
    }

    @Test func headersKeepTheirNamesAndValues() throws {
        let feeds = try feeds(
            #"[{"url": "https://a.org/", "headers": {"Accept": "application/rss+xml", "X-Empty": ""}}]"#)
        #expect(feeds[0].headers == ["Accept": "application/rss+xml", "X-Empty": ""])
    }

    @Test func everyBadTagIsReported() {
        #expect(
            problems(feeds: #"[{"url": "https://a.org/", "tags": ["a", 1, ""]}]"#) == [
                "feeds.json: feeds[0].tags[1]: expected a string, found 1",
                "feeds.json: feeds[0].tags[2]: must not be empty",
            ])
    }

    @Test func aDisabledFeedIsStillValidated() {
        #expect(
            problems(feeds: #"[{"url": "gopher://a.org/", "enabled": false}]"#) == [
                "feeds.json: feeds[0].url: not an http(s) or file URL"
            ])
    }
}

@Suite struct RelativeFileURLTests {
    @Test func relativeFileURLResolvesAgainstTheConfigDirectory() throws {
        let data = Data(#"{"feeds": ["file:examples/la.xml", "file:///srv/feeds/a.xml"]}"#.utf8)
        let config = try ConfigDecoder.decode(data, file: "feeds.json", baseDirectory: URL(fileURLWithPath: "/etc/feedd")).get()
        #expect(config.feeds.map(\.url.path) == ["/etc/feedd/examples/la.xml", "/srv/feeds/a.xml"])
        #expect(config.feeds.allSatisfy { $0.url.isFileURL })
    }
}
