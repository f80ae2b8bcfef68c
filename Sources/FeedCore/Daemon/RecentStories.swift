import Foundation

/// How many stories were found when, for the last hour's count; one bucket per minute.
struct RecentStories {
    private var buckets: [(minute: Int, count: Int)] = []

    mutating func add(_ count: Int, at date: Date) {
        guard count > 0 else { return }
        let minute = Int(date.timeIntervalSince1970 / 60)
        if buckets.last?.minute == minute {
            buckets[buckets.count - 1].count += count
        } else {
            buckets.append((minute, count))
        }
        let oldest = minute - 60
        buckets.removeAll { $0.minute < oldest }
    }

    func count(since date: Date) -> Int {
        let minute = Int(date.timeIntervalSince1970 / 60)
        return buckets.filter { $0.minute >= minute }.reduce(0) { $0 + $1.count }
    }
}
