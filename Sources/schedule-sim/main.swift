import FeedCore
import Foundation

// A week of publication, replayed through feedd's schedule (README.md, "Polling: publisher hints and automatic
// intervals"): fetches per day and how late stories are found, for "interval": "auto" against a fixed 15 minutes.
// Usage: schedule-sim [CORPUS_DIR] [FEEDS]

let arguments = Array(CommandLine.arguments.dropFirst())
let corpus = URL(fileURLWithPath: arguments.first ?? "../shared/corpus")
let count = arguments.count > 1 ? Int(arguments[1]) ?? 3000 : 3000

guard FileManager.default.fileExists(atPath: corpus.path),
    let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: [.isRegularFileKey])
else {
    print("schedule-sim: no corpus at \(corpus.path); skipped")
    exit(0)
}
var patterns: [[Date]] = []
var documents = 0
for case let file as URL in walker {
    guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
        let data = try? Data(contentsOf: file), let feed = try? FeedParser.parse(data, url: file)
    else { continue }
    documents += 1
    let dates = feed.items.compactMap { $0.published ?? $0.updated }
    if Set(dates).count >= 3 { patterns.append(dates) }
}
guard !patterns.isEmpty else {
    print("schedule-sim: no document with three dated items under \(corpus.path); skipped")
    exit(0)
}
print("corpus: \(documents) feed documents, \(patterns.count) with three dated items or more; \(count) feeds drawn from them, 7 days")

let replay = ScheduleReplay(patterns: patterns, count: count)
let reports = [ScheduleReplay.Policy.fixed(900), .auto(datesVisible: true), .auto(datesVisible: false)].map(replay.run)

func percentile(_ values: [TimeInterval], _ fraction: Double) -> TimeInterval {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
}

func minutes(_ seconds: TimeInterval) -> String { String(format: "%.1f", seconds / 60) }

let reference = reports[0]
func row(_ label: String, _ report: ScheduleReplay.Report, frequent: Bool) -> String {
    let perDay = frequent ? report.frequentFetchesPerDay : report.fetchesPerDay
    let base = frequent ? reference.frequentFetchesPerDay : reference.fetchesPerDay
    let delays = frequent ? report.frequentDelays : report.delays
    let feeds = frequent ? report.frequentFeeds : report.feeds
    let change = String(format: "%+.0f%%", (perDay / base - 1) * 100)
    return [
        label.padding(toLength: 20, withPad: " ", startingAt: 0),
        report.policy.description.padding(toLength: 20, withPad: " ", startingAt: 0),
        String(feeds).leftPadded(6), String(format: "%.0f", perDay).leftPadded(10),
        String(format: "%.1f", perDay / Double(max(feeds, 1))).leftPadded(9), change.leftPadded(7),
        String(delays.count).leftPadded(8), minutes(percentile(delays, 0.5)).leftPadded(8),
        minutes(percentile(delays, 0.95)).leftPadded(8),
        minutes(percentile(frequent ? report.frequentFeedMedians : report.feedMedians, 0.5)).leftPadded(8),
    ].joined(separator: " ")
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

print("")
print("feeds                policy                feeds  fetches/d  per feed     vs  stories  med min  p95 min  feed-med")
for report in reports { print(row("all", report, frequent: false)) }
for report in reports { print(row("publishing daily+", report, frequent: true)) }
