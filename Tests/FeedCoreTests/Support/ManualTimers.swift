import Dispatch
import Foundation

@testable import FeedCore

/// Timers whose clock moves only when a test moves it: `advance(by:)` runs every piece of work that has come due,
/// in order of due time, each on the daemon's queue. Lets a test skip a day of the daemon's life in a moment,
/// while fetches, parses and writes stay real.
final class ManualTimers: Timers, @unchecked Sendable {
    // @unchecked: `current`, `pending` and `counter` are guarded by `lock`.
    private let lock = NSLock()
    private let queue: DispatchQueue
    private var current: Date
    private var pending: [(id: Int, at: Date, work: @Sendable () -> Void)] = []
    private var counter = 0

    init(queue: DispatchQueue, now: Date = Date()) {
        self.queue = queue
        current = now
    }

    var now: Date { lock.withLock { current } }

    @discardableResult
    func schedule(after delay: TimeInterval, _ work: @escaping @Sendable () -> Void) -> TimerHandle {
        let id = lock.withLock {
            counter += 1
            pending.append((counter, current + max(0, delay), work))
            return counter
        }
        return Handle { [weak self] in self?.cancel(id) }
    }

    /// Lets the queue finish what it was given so far (a `start` or `reload` arms its timers there), moves the
    /// clock `seconds` on, then runs what has come due, earliest first, each on the queue and waiting for it: work
    /// that schedules more for no later than the new time runs too.
    func advance(by seconds: TimeInterval) {
        queue.sync {}
        lock.withLock { current += seconds }
        while let work = nextDue() { queue.sync { work() } }
    }

    private func nextDue() -> (@Sendable () -> Void)? {
        lock.withLock {
            let due = pending.enumerated().filter { $0.element.at <= current }
            guard let first = due.min(by: { ($0.element.at, $0.element.id) < ($1.element.at, $1.element.id) }) else {
                return nil
            }
            return pending.remove(at: first.offset).work
        }
    }

    private func cancel(_ id: Int) {
        lock.withLock { pending.removeAll { $0.id == id } }
    }

    private struct Handle: TimerHandle {
        let cancelling: @Sendable () -> Void

        func cancel() { cancelling() }
    }
}
