import Foundation
import Testing

@testable import FeedCore

struct DueQueueTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)

    @Test func keysComeOutEarliestFirstAndOnlyWhenDue() {
        var queue = DueQueue<String>()
        for (key, offset) in [("c", 30.0), ("a", 10), ("d", 40), ("b", 20)] { queue.arm(key, at: start + offset) }
        #expect(queue.earliest() == start + 10)
        #expect(queue.next(dueBy: start + 5) == nil)
        var order: [String] = []
        while let (key, _) = queue.next(dueBy: start + 30) { order.append(key) }
        #expect(order == ["a", "b", "c"])
        #expect(queue.count == 1 && queue.earliest() == start + 40)
    }

    @Test func armingAgainReplacesAndNilDisarms() {
        var queue = DueQueue<Int>()
        queue.arm(1, at: start + 10)
        queue.arm(2, at: start + 20)
        queue.arm(1, at: start + 30)  // later: its entry at +10 is stale
        queue.arm(2, at: nil)
        queue.arm(3, at: start + 5)
        queue.arm(3, at: start + 5)  // the same date twice comes out once
        #expect(queue.earliest() == start + 5)
        #expect(queue.next()?.key == 3)
        #expect(queue.earliest() == start + 30)
        #expect(queue.next().map { [$0.key] } == [1])
        #expect(queue.next() == nil && queue.earliest() == nil && queue.count == 0)
    }

    @Test func manyRandomArmsComeOutInOrderOncePerKey() {
        var generator = SplitMix64(seed: 7)
        var queue = DueQueue<Int>()
        var expected: [Int: Date] = [:]
        for _ in 0..<5000 {
            let key = Int.random(in: 0..<500, using: &generator)
            let at: Date? = Int.random(in: 0..<10, using: &generator) == 0
                ? nil : start + Double.random(in: 0..<1000, using: &generator)
            queue.arm(key, at: at)
            expected[key] = at
        }
        var out: [(Int, Date)] = []
        while let next = queue.next() { out.append(next) }
        #expect(out.map(\.1) == out.map(\.1).sorted())
        #expect(Dictionary(uniqueKeysWithValues: out) == expected)
    }
}
