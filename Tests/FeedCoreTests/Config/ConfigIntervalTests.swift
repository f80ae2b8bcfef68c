import Foundation
import Testing

@testable import FeedCore

/// `"interval": "auto"` with `min_interval` and `max_interval`, at both levels.
@Suite struct ConfigIntervalTests {
    @Test func autoAtTheTopLevelAppliesToEveryFeedThatSetsNoInterval() throws {
        let config = try ConfigDecoderTests.config(
            """
            {"interval": "auto", "max_interval": "6h", "feeds": [
              "https://a.example/feed", {"url": "https://b.example/feed", "interval": "30m"},
              {"url": "https://c.example/feed", "min_interval": "10m"}]}
            """)
        #expect(config.feeds[0].auto == AutoInterval(minimum: 300, maximum: 6 * 3600))
        #expect(config.feeds[0].interval == 300)
        #expect(config.feeds[1].auto == nil)
        #expect(config.feeds[1].interval == 1800)
        #expect(config.feeds[2].auto == AutoInterval(minimum: 600, maximum: 6 * 3600))
    }

    @Test func autoInOneFeedTakesTheDefaultBounds() throws {
        let config = try ConfigDecoderTests.config(
            #"{"interval": "10m", "feeds": [{"url": "https://a.example/feed", "interval": "auto"}, "https://b.example/f"]}"#)
        #expect(config.feeds[0].auto == AutoInterval(minimum: 300, maximum: 86400))
        #expect(config.feeds[1].auto == nil && config.feeds[1].interval == 600)
    }

    @Test func badBoundsAreProblemsWithTheirPaths() {
        #expect(
            ConfigDecoderTests.problems(
                #"{"feeds": [{"url": "https://a.example/feed", "interval": "auto", "min_interval": "2h", "max_interval": "1h"}]}"#)
                == ["feeds.json: feeds[0].max_interval: min_interval (2h) must not exceed max_interval (1h)"])
        #expect(
            ConfigDecoderTests.problems(#"{"feeds": [{"url": "https://a.example/feed", "min_interval": "1h"}]}"#)
                == ["feeds.json: feeds[0].min_interval: applies only with \"interval\": \"auto\""])
        #expect(ConfigDecoderTests.problems(#"{"interval": "automatic", "feeds": []}"#).count == 1)
        #expect(ConfigDecoderTests.problems(#"{"max_interval": 0, "feeds": []}"#).count == 1)
    }
}
