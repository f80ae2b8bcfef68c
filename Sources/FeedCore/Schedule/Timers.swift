import Dispatch
import Foundation

/// A timer that can be cancelled before it fires.
public protocol TimerHandle: Sendable {
    func cancel()
}

/// Tells the time and runs work later: `DispatchTimers` in production, `ManualTimers` in tests.
public protocol Timers: Sendable {
    var now: Date { get }
    /// Runs `work` once after `delay` seconds, on the queue the implementation was made for.
    @discardableResult
    func schedule(after delay: TimeInterval, _ work: @escaping @Sendable () -> Void) -> TimerHandle
}

/// Timers on a Dispatch queue: each call makes one `DispatchSourceTimer` (cheap: 10,000 cost ~7 MB and no idle
/// CPU, docs/PLATFORM.md, "Dispatch").
public struct DispatchTimers: Timers {
    private let queue: DispatchQueue
    /// How late a timer may fire; lets the kernel coalesce wake-ups of an idle daemon.
    private let leeway: DispatchTimeInterval

    public init(queue: DispatchQueue, leeway: DispatchTimeInterval = .milliseconds(100)) {
        self.queue = queue
        self.leeway = leeway
    }

    public var now: Date { Date() }

    @discardableResult
    public func schedule(after delay: TimeInterval, _ work: @escaping @Sendable () -> Void) -> TimerHandle {
        let source = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = Int(max(0, min(delay, 365 * 86400)) * 1e9)
        source.schedule(deadline: .now() + .nanoseconds(nanoseconds), leeway: leeway)
        source.setEventHandler {
            source.cancel()
            work()
        }
        source.resume()
        return DispatchTimerHandle(source: source)
    }
}

private struct DispatchTimerHandle: TimerHandle, @unchecked Sendable {
    // @unchecked: DispatchSource is thread-safe to cancel from any thread.
    let source: DispatchSourceTimer

    func cancel() {
        source.cancel()
    }
}
