import Foundation
import Testing

@testable import FeedCore

/// The metrics text as node_exporter's textfile collector reads it, checked by a strict parser of the format.
@Suite struct MetricsRendererTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func snapshot() -> MetricsSnapshot {
        let counters = MetricsCounters()
        counters.recordFetch(result: "200", seconds: 0.03, bytes: 1000, filtered: 2)
        counters.recordFetch(result: "200", seconds: 0.7, bytes: 500, filtered: 0)
        counters.recordFetch(result: "304", seconds: 0.08, bytes: 0, filtered: 0)
        counters.recordFetch(result: "http_503", seconds: 120, bytes: 0, filtered: 0)
        counters.recordLogged(7)
        counters.recordLogged(3)
        return MetricsSnapshot(
            counters: counters.current,
            feeds: [
                .init(id: FeedID("b"), condition: .failing, lastSuccess: now - 86400, consecutiveFailures: 3),
                .init(id: FeedID("a"), condition: .ok, lastSuccess: now, consecutiveFailures: 0),
                .init(id: FeedID("c"), condition: .gone, lastSuccess: nil, consecutiveFailures: 0),
                .init(id: FeedID("d"), condition: .paused, lastSuccess: nil, consecutiveFailures: 0),
                .init(id: FeedID("e"), condition: .ok, lastSuccess: nil, consecutiveFailures: 0),
            ],
            logBytes: 4096, lastPass: now + 0.25, started: now - 3600)
    }

    @Test func everyMetricParsesWithItsValue() throws {
        let text = MetricsRenderer.render(snapshot())
        let metrics = try ExpositionParser.parse(text)
        #expect(metrics.families.keys.allSatisfy { $0.hasPrefix("feedd_") })
        #expect(metrics.value("feedd_feeds", ["state": "ok"]) == 2)
        #expect(metrics.value("feedd_feeds", ["state": "failing"]) == 1)
        #expect(metrics.value("feedd_feeds", ["state": "gone"]) == 1)
        #expect(metrics.value("feedd_feeds", ["state": "paused"]) == 1)
        #expect(metrics.value("feedd_fetches_total", ["result": "200"]) == 2)
        #expect(metrics.value("feedd_fetches_total", ["result": "304"]) == 1)
        #expect(metrics.value("feedd_fetches_total", ["result": "http_503"]) == 1)
        #expect(metrics.value("feedd_stories_logged_total") == 10)
        #expect(metrics.value("feedd_stories_filtered_total") == 2)
        #expect(metrics.value("feedd_fetched_bytes_total") == 1500)
        #expect(metrics.value("feedd_log_bytes") == 4096)
        #expect(metrics.value("feedd_last_pass_timestamp_seconds") == 1_800_000_000.25)
        #expect(metrics.value("feedd_start_time_seconds") == 1_799_996_400)
        #expect(metrics.value("feedd_feed_last_success_timestamp_seconds", ["feed": "b"]) == 1_799_913_600)
        #expect(metrics.value("feedd_feed_last_success_timestamp_seconds", ["feed": "c"]) == nil)
        #expect(metrics.value("feedd_feed_consecutive_failures", ["feed": "b"]) == 3)
        #expect(metrics.value("feedd_feed_consecutive_failures", ["feed": "e"]) == 0)
        #expect(metrics.families["feedd_fetches_total"]?.type == "counter")
    }

    @Test func durationHistogramIsCumulative() throws {
        let metrics = try ExpositionParser.parse(MetricsRenderer.render(snapshot()))
        #expect(metrics.families["feedd_fetch_duration_seconds"]?.type == "histogram")
        #expect(metrics.value("feedd_fetch_duration_seconds_bucket", ["le": "0.05"]) == 1)
        #expect(metrics.value("feedd_fetch_duration_seconds_bucket", ["le": "0.1"]) == 2)
        #expect(metrics.value("feedd_fetch_duration_seconds_bucket", ["le": "1"]) == 3)
        #expect(metrics.value("feedd_fetch_duration_seconds_bucket", ["le": "60"]) == 3)
        #expect(metrics.value("feedd_fetch_duration_seconds_bucket", ["le": "+Inf"]) == 4)
        #expect(metrics.value("feedd_fetch_duration_seconds_count") == 4)
        let sum = try #require(metrics.value("feedd_fetch_duration_seconds_sum"))
        #expect(abs(sum - 120.81) < 1e-9)
    }

    /// Before the first pass there is no time to give: the family is announced, without a sample.
    @Test func nothingYetIsAnEmptyButValidFile() throws {
        let metrics = try ExpositionParser.parse(MetricsRenderer.render(MetricsSnapshot(started: now)))
        #expect(metrics.value("feedd_last_pass_timestamp_seconds") == nil)
        #expect(metrics.value("feedd_fetch_duration_seconds_bucket", ["le": "+Inf"]) == 0)
        #expect(metrics.value("feedd_stories_logged_total") == 0)
    }

    @Test func labelValuesAndHelpAreEscaped() throws {
        #expect(MetricsRenderer.escaped(#"a"b\c"# + "\nd", quote: true) == #"a\"b\\c\nd"#)
        #expect(MetricsRenderer.escaped(#"a"b"#, quote: false) == #"a"b"#)
        let counters = MetricsCounters()
        counters.recordFetch(result: "odd \"kind\"\\\n", seconds: 1, bytes: 0, filtered: 0)
        let metrics = try ExpositionParser.parse(MetricsRenderer.render(MetricsSnapshot(counters: counters.current, started: now)))
        #expect(metrics.value("feedd_fetches_total", ["result": "odd \"kind\"\\\n"]) == 1)
    }

    /// The parser is strict: these are the mistakes a renderer could make.
    @Test(arguments: [
        "# TYPE feedd_x counter\nfeedd_x 1\n",
        "# HELP feedd_x X.\n# TYPE feedd_x counter\nfeedd_y 1\n",
        "# HELP feedd_x X.\n# TYPE feedd_x counter\nfeedd_x 1 1700000000\n",
        "# HELP feedd_x X.\n# TYPE feedd_x counter\nfeedd_x{a=\"b} 1\n",
        "# HELP feedd_x X.\n# TYPE feedd_x counter\nfeedd_x one\n",
        "# HELP feedd_x X.\n# TYPE feedd_x counter\nfeedd_x 1",
        "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
    ])
    func parserRefusesBrokenText(text: String) {
        #expect(throws: ExpositionParser.Failure.self) { try ExpositionParser.parse(text) }
    }

    @Test func fileNamesResolveAgainstTheStateDirectory() {
        let state = URL(fileURLWithPath: "/var/lib/feedd")
        #expect(MetricsWriter(.inStateDirectory, stateDirectory: state)?.path == "/var/lib/feedd/metrics.prom")
        #expect(MetricsWriter(.path("/srv/node/feedd.prom"), stateDirectory: state)?.path == "/srv/node/feedd.prom")
        #expect(MetricsWriter(.path("../node/feedd.prom"), stateDirectory: state)?.path == "/var/lib/node/feedd.prom")
        #expect(MetricsWriter(.none, stateDirectory: state) == nil)
    }
}
