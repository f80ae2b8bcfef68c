import Foundation

/// The delegate "queue" of feedd's URLSession: it runs each delegate call at once, on the thread that hands it over,
/// which is libcurl's own thread (the session's work queue). Nothing waits between libcurl and the delegate, so
/// nothing can pile up there.
///
/// Why: FoundationNetworking hands every piece of a body that libcurl reads (up to 512 KiB each) to the delegate
/// queue and returns to libcurl at once, with no backpressure. With an ordinary OperationQueue, a server that sends
/// at loopback speed, or a CPU too busy to run the queue's thread, lets pieces pile up without bound (measured: 7.8
/// GB in 90 s with 8 endless bodies and two CPU-bound processes beside feedd), and the answers of every other feed
/// wait behind them until their deadlines pass. Making libcurl's thread wait for a bounded queue instead bounds the
/// memory but starves everything else that needs that thread: creating, resuming and cancelling tasks all `sync`
/// onto the session's work queue, and a libcurl that reads more slowly than servers send never lets go of it (seen:
/// `dataTask(with:)` waiting 10 s; docs/PLATFORM.md). Run in place, the delegate costs libcurl a lock and an array
/// append per piece, libcurl keeps up with the network, and the memory is what the transfers keep: at most
/// `max_body_bytes` each, since a transfer is decided (and drops what comes after) the moment it passes the cap.
///
/// The rule this puts on the delegate: it runs on the session's work queue, so it must never wait for that queue.
/// `URLSessionTask.cancel()`, `resume()` and `URLSession.dataTask(with:)` do (they run `sync` on it: a crash when
/// called from it), so the delegate never calls them; `URLSessionHTTPClient` calls them on a queue of its own. The
/// completion handlers the delegate calls only `async` onto the work queue, which is safe.
final class DirectDelegateQueue: OperationQueue, @unchecked Sendable {
    // @unchecked: nothing is stored; every call runs in place.

    override init() {
        super.init()
        name = "feedd.fetch.delegate"
        maxConcurrentOperationCount = 1
    }

    /// Runs `block` now, on the calling thread: FoundationNetworking calls this from its work queue, one call at a
    /// time and in the order of events, so the delegate sees them in that order.
    override func addOperation(_ block: @escaping @Sendable () -> Void) {
        block()
    }

    /// Runs `operation` now, like a block.
    override func addOperation(_ operation: Operation) {
        operation.start()
    }
}
