import Foundation
import Testing

@testable import FeedCore

/// The platform rules as pure functions, with the URLs of real platforms: what each page's platform is known to
/// serve.
@Suite struct PlatformRulesTests {
    private func feeds(_ page: String, _ signals: PageSignals = PageSignals()) -> [String] {
        PlatformRules.feeds(for: URL(string: page)!, signals: signals).map(\.url.absoluteString)
    }

    private func platforms(_ page: String, _ signals: PageSignals = PageSignals()) -> [String] {
        PlatformRules.feeds(for: URL(string: page)!, signals: signals).map(\.platform)
    }

    @Test func gitHubRepositoryGivesReleasesAndCommits() {
        let expected = [
            "https://github.com/swiftlang/swift/releases.atom", "https://github.com/swiftlang/swift/commits.atom",
        ]
        #expect(feeds("https://github.com/swiftlang/swift") == expected)
        #expect(feeds("https://github.com/swiftlang/swift/tree/main/docs") == expected)
        #expect(feeds("https://www.github.com/swiftlang/swift.git") == expected)
        #expect(platforms("https://github.com/swiftlang/swift") == ["GitHub releases", "GitHub commits"])
    }

    @Test func gitHubUserGivesTheirActivityAndReservedPathsNothing() {
        #expect(feeds("https://github.com/torvalds") == ["https://github.com/torvalds.atom"])
        #expect(feeds("https://github.com/settings/profile").isEmpty)
        #expect(feeds("https://github.com/topics/rss").isEmpty)
        #expect(feeds("https://github.com/").isEmpty)
    }

    @Test func gitHubEnterpriseIsToldByItsSiteName() {
        let signals = PageSignals(siteName: "GitHub")
        #expect(feeds("https://git.corp.example/infra/deploy", signals) == [
            "https://git.corp.example/infra/deploy/releases.atom", "https://git.corp.example/infra/deploy/commits.atom",
        ])
        #expect(feeds("https://git.corp.example/infra/deploy").isEmpty)
    }

    @Test func youTubeChannelFromTheURLOrFromThePage() {
        let feed = "https://www.youtube.com/feeds/videos.xml?channel_id=UCq7kbYnfJ0Xv3ZzTe2aNt8w"
        #expect(feeds("https://www.youtube.com/channel/UCq7kbYnfJ0Xv3ZzTe2aNt8w") == [feed])
        #expect(feeds("https://www.youtube.com/channel/UCq7kbYnfJ0Xv3ZzTe2aNt8w/videos") == [feed])
        // A handle's page carries its channel id only in the page.
        #expect(feeds("https://www.youtube.com/@harbortownmakers").isEmpty)
        let signals = PageSignals(channelID: "UCq7kbYnfJ0Xv3ZzTe2aNt8w")
        #expect(feeds("https://www.youtube.com/@harbortownmakers", signals) == [feed])
        #expect(feeds("https://m.youtube.com/watch?v=dQw4w9WgXcQ", signals) == [feed])
        #expect(platforms("https://www.youtube.com/@harbortownmakers", signals) == ["YouTube channel"])
        // The same id on a page that is not YouTube's means nothing.
        #expect(feeds("https://blog.example/post", signals).isEmpty)
    }

    @Test func youTubePageIsToldByItsSignalsOnAnyHost() {
        let canonical = URL(string: "https://www.youtube.com/channel/UCq7kbYnfJ0Xv3ZzTe2aNt8w")
        #expect(feeds("http://127.0.0.1:8080/@harbortownmakers", PageSignals(canonical: canonical)) == [
            "https://www.youtube.com/feeds/videos.xml?channel_id=UCq7kbYnfJ0Xv3ZzTe2aNt8w"
        ])
        let signals = PageSignals(siteName: "YouTube", channelID: "UCabcdefghijklmnopqrstuv")
        #expect(feeds("http://127.0.0.1:8080/@x", signals) == [
            "https://www.youtube.com/feeds/videos.xml?channel_id=UCabcdefghijklmnopqrstuv"
        ])
    }

    @Test func youTubePlaylist() {
        #expect(feeds("https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI") == [
            "https://www.youtube.com/feeds/videos.xml?playlist_id=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI"
        ])
    }

    @Test func redditSubredditsAndUsers() {
        #expect(feeds("https://www.reddit.com/r/swift/") == ["https://www.reddit.com/r/swift/.rss"])
        #expect(feeds("https://old.reddit.com/r/swift/comments/abc123/some_post/") == [
            "https://www.reddit.com/r/swift/.rss"
        ])
        #expect(feeds("https://www.reddit.com/user/spez") == ["https://www.reddit.com/user/spez/.rss"])
        #expect(feeds("https://www.reddit.com/u/spez") == ["https://www.reddit.com/user/spez/.rss"])
        #expect(feeds("https://www.reddit.com/").isEmpty)
    }

    @Test func mediumUsersPublicationsTagsAndSubdomains() {
        #expect(feeds("https://medium.com/@ana.reyes") == ["https://medium.com/feed/@ana.reyes"])
        #expect(feeds("https://medium.com/@ana.reyes/the-last-ferry-1a2b3c") == [
            "https://medium.com/feed/@ana.reyes"
        ])
        #expect(feeds("https://medium.com/better-programming/some-story-9f8e") == [
            "https://medium.com/feed/better-programming"
        ])
        #expect(feeds("https://medium.com/tag/swift") == ["https://medium.com/feed/tag/swift"])
        #expect(feeds("https://anareyes.medium.com/") == ["https://anareyes.medium.com/feed"])
        #expect(feeds("https://medium.com/search?q=swift").isEmpty)
        #expect(feeds("https://miro.medium.com/v2/resize:fit:1400/image.png").isEmpty)
    }

    @Test func substackTumblrBloggerAndWordPressHosts() {
        #expect(feeds("https://lowtide.substack.com/p/the-last-ferry") == ["https://lowtide.substack.com/feed"])
        #expect(feeds("https://tidepools.tumblr.com/post/123/x") == ["https://tidepools.tumblr.com/rss"])
        #expect(feeds("https://www.tumblr.com/tidepools") == ["https://tidepools.tumblr.com/rss"])
        #expect(feeds("https://www.tumblr.com/explore/trending").isEmpty)
        #expect(feeds("https://tidepools.blogspot.com/2026/11/anemones.html") == [
            "https://tidepools.blogspot.com/feeds/posts/default"
        ])
        #expect(feeds("https://tidepools.blogspot.co.uk/") == ["https://tidepools.blogspot.co.uk/feeds/posts/default"])
        #expect(feeds("https://harbortown.wordpress.com/2026/11/28/ferry/") == [
            "https://harbortown.wordpress.com/feed/"
        ])
    }

    @Test func mastodonProfiles() {
        #expect(feeds("https://mastodon.social/@Gargron") == ["https://mastodon.social/@Gargron.rss"])
        #expect(platforms("https://fosstodon.org/@ana") == ["Mastodon profile"])
        #expect(feeds("https://mastodon.social/@Gargron/111111111111111111").isEmpty)
        #expect(feeds("https://www.tiktok.com/@someone").isEmpty)
        #expect(feeds("https://medium.com/@ana.reyes") == ["https://medium.com/feed/@ana.reyes"])
    }

    @Test func pageSignalsOnAnyDomain() {
        #expect(feeds("https://chronicle.example/news/", PageSignals(generators: ["WordPress 6.5.3"])) == [
            "https://chronicle.example/feed/"
        ])
        let root = URL(string: "https://chronicle.example/blog/")
        #expect(feeds("https://chronicle.example/blog/news/", PageSignals(wordPressRoot: root)) == [
            "https://chronicle.example/blog/feed/"
        ])
        #expect(feeds("https://tidepools.example/2026/", PageSignals(generators: ["blogger"])) == [
            "https://tidepools.example/feeds/posts/default"
        ])
        #expect(feeds("https://notes.example/p/x", PageSignals(generators: ["Ghost 5.82"])) == [
            "https://notes.example/rss/"
        ])
        #expect(feeds("https://notes.example/", PageSignals(generators: ["Hugo 0.125.4"])) == [
            "https://notes.example/index.xml"
        ])
        #expect(feeds("https://notes.example/", PageSignals(generators: ["Jekyll v4.3.3"])) == [
            "https://notes.example/feed.xml"
        ])
        #expect(feeds("https://lowtide.example/p/x", PageSignals(resourceHosts: ["substackcdn.com"])) == [
            "https://lowtide.example/feed"
        ])
        #expect(feeds("https://story.example/", PageSignals(resourceHosts: ["cdn-client.medium.com"])) == [
            "https://story.example/feed"
        ])
        #expect(feeds("https://photos.example/", PageSignals(resourceHosts: ["assets.tumblr.com"])) == [
            "https://photos.example/rss"
        ])
        #expect(feeds("http://127.0.0.1:8080/x/", PageSignals(generators: ["WordPress 6.5"])) == [
            "http://127.0.0.1:8080/feed/"
        ])
    }

    @Test func nothingForPagesOfNoKnownPlatformOrNotOnTheWeb() {
        #expect(feeds("https://hardware.example/hours.html").isEmpty)
        #expect(feeds("file:///srv/site/index.html", PageSignals(generators: ["WordPress 6.5"])).isEmpty)
    }
}
