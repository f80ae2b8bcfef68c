import Foundation

/// Whether SIGTERM or SIGINT asked the follower to stop: set from the signal queue, read by the follower's loop
/// and by a handler waiting for its command.
final class StopRequest: @unchecked Sendable {
    // @unchecked: `lock` guards `requested`.
    private let lock = NSLock()
    private var requested = false

    var isRequested: Bool { lock.withLock { requested } }

    func request() { lock.withLock { requested = true } }
}
