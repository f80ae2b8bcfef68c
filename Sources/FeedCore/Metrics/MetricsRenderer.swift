import Foundation

/// `MetricsSnapshot` in the Prometheus text exposition format (version 0.0.4), as node_exporter's textfile
/// collector reads it: `# HELP` and `# TYPE` before each family's samples, no timestamps (the collector refuses
/// them), label values escaped. Pure.
enum MetricsRenderer {
    static func render(_ snapshot: MetricsSnapshot) -> String {
        String(decoding: renderBytes(snapshot), as: UTF8.self)
    }

    /// The text as UTF-8, written straight into one buffer: the daemon writes it every 10 s, two samples per feed.
    static func renderBytes(_ snapshot: MetricsSnapshot) -> [UInt8] {
        var text: [UInt8] = []
        // Two samples of about 60 bytes per feed: grown by doubling, the text of 100,000 feeds was copied whole
        // four times over, and its last two buffers lived at once.
        text.reserveCapacity(4096 + snapshot.feeds.count * 128)
        let counters = snapshot.counters

        family(&text, "feedd_feeds", .gauge, "Configured feeds by state: ok, failing (last poll failed), gone (410), paused (disabled).")
        var byCondition: [MetricsSnapshot.FeedCondition: Int] = [:]
        for feed in snapshot.feeds { byCondition[feed.condition, default: 0] += 1 }
        for condition in MetricsSnapshot.FeedCondition.allCases {
            sample(&text, "feedd_feeds", [("state", condition.rawValue)], Double(byCondition[condition] ?? 0))
        }

        family(&text, "feedd_fetches_total", .counter, "Fetches by result: 200, 304, 410 or the kind of error.")
        for (result, count) in counters.fetches.sorted(by: { $0.key < $1.key }) {
            sample(&text, "feedd_fetches_total", [("result", result)], Double(count))
        }

        family(&text, "feedd_stories_logged_total", .counter, "Stories appended to the story log.")
        sample(&text, "feedd_stories_logged_total", [], Double(counters.storiesLogged))
        family(&text, "feedd_stories_filtered_total", .counter, "New stories that filters dropped (seen, never logged).")
        sample(&text, "feedd_stories_filtered_total", [], Double(counters.storiesFiltered))

        family(&text, "feedd_fetch_duration_seconds", .histogram, "How long fetches took, parse included.")
        var cumulative = 0
        for (index, bound) in MetricsCounters.durationBounds.enumerated() {
            cumulative += counters.durationBuckets[index]
            sample(&text, "feedd_fetch_duration_seconds_bucket", [("le", number(bound))], Double(cumulative))
        }
        cumulative += counters.durationBuckets[MetricsCounters.durationBounds.count]
        sample(&text, "feedd_fetch_duration_seconds_bucket", [("le", "+Inf")], Double(cumulative))
        sample(&text, "feedd_fetch_duration_seconds_sum", [], counters.durationSum)
        sample(&text, "feedd_fetch_duration_seconds_count", [], Double(cumulative))

        family(&text, "feedd_fetched_bytes_total", .counter, "Bytes of feed documents fetched (decoded bodies).")
        sample(&text, "feedd_fetched_bytes_total", [], Double(counters.bytesFetched))
        family(&text, "feedd_log_bytes", .gauge, "Size of the current story log, stories.jsonl.")
        sample(&text, "feedd_log_bytes", [], Double(snapshot.logBytes))

        family(&text, "feedd_start_time_seconds", .gauge, "When the daemon started, in seconds since the epoch.")
        sample(&text, "feedd_start_time_seconds", [], snapshot.started.timeIntervalSince1970)
        family(&text, "feedd_last_pass_timestamp_seconds", .gauge, "When the last pass over the due feeds completed.")
        if let lastPass = snapshot.lastPass {
            sample(&text, "feedd_last_pass_timestamp_seconds", [], lastPass.timeIntervalSince1970)
        }

        // The daemon hands the feeds over in this order already, which the sort then only checks.
        let feeds = snapshot.feeds.sorted { $0.id < $1.id }
        family(&text, "feedd_feed_last_success_timestamp_seconds", .gauge, "When each feed was last fetched successfully.")
        for feed in feeds {
            guard let success = feed.lastSuccess else { continue }
            sample(&text, "feedd_feed_last_success_timestamp_seconds", feed: feed.id, success.timeIntervalSince1970)
        }
        family(&text, "feedd_feed_consecutive_failures", .gauge, "Failed polls of each feed since its last success.")
        for feed in feeds {
            sample(&text, "feedd_feed_consecutive_failures", feed: feed.id, Double(feed.consecutiveFailures))
        }
        return text
    }

    private enum Kind: String {
        case counter, gauge, histogram
    }

    private static func family(_ text: inout [UInt8], _ name: String, _ kind: Kind, _ help: String) {
        text.append(contentsOf: "# HELP \(name) \(escaped(help, quote: false))\n# TYPE \(name) \(kind.rawValue)\n".utf8)
    }

    private static func sample(_ text: inout [UInt8], _ name: String, _ labels: [(String, String)], _ value: Double) {
        text.append(contentsOf: name.utf8)
        for (index, (label, value)) in labels.enumerated() {
            text.append(index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            text.append(contentsOf: label.utf8)
            text.append(contentsOf: "=\"".utf8)
            text.append(contentsOf: escaped(value, quote: true).utf8)
            text.append(UInt8(ascii: "\""))
        }
        if !labels.isEmpty { text.append(UInt8(ascii: "}")) }
        text.append(UInt8(ascii: " "))
        text.append(contentsOf: number(value).utf8)
        text.append(0x0A)
    }

    /// A sample of one feed: `name{feed="ID"} value`, without an array of labels for each of 200,000 lines.
    private static func sample(_ text: inout [UInt8], _ name: String, feed: FeedID, _ value: Double) {
        text.append(contentsOf: name.utf8)
        text.append(contentsOf: "{feed=\"".utf8)
        text.append(contentsOf: escaped(feed.rawValue, quote: true).utf8)
        text.append(contentsOf: "\"} ".utf8)
        text.append(contentsOf: number(value).utf8)
        text.append(0x0A)
    }

    /// Whole numbers without a fraction (`12`, not `12.0`), others as Swift prints them (`0.25`, `1e-05`), both
    /// of which Prometheus parses; timestamps keep their milliseconds.
    static func number(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// The exposition format's escapes: backslash and line feed everywhere, and the double quote in label values.
    /// Most values need none (feed ids cannot hold any of the three), and the daemon renders two samples per feed
    /// every 10 seconds: those come back as they are, told from their UTF-8 alone.
    static func escaped(_ text: String, quote: Bool) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || (quote && $0 == 0x22) }) else { return text }
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\"" where quote: result += "\\\""
            default: result.append(character)
            }
        }
        return result
    }
}
