import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Delivers SIGHUP, SIGTERM and SIGINT on a queue as events (signals coalesce: never count them).
///
/// On Linux, libdispatch reads signal sources from a signalfd. When a source for a signal is first registered (on
/// its manager thread, a moment after `resume()`), it replaces the disposition with a handler of its own that
/// forwards a signal caught by any thread to that signalfd. Until then the disposition set here catches it: not
/// `SIG_IGN`, which would drop it, but a handler that writes the signal's number to a pipe read on the same queue.
/// A signal reaches the handlers by either road, never lost and never twice (the kernel delivers each one once).
final class SignalSource: @unchecked Sendable {
    // @unchecked: the sources are created once and only cancelled afterwards.
    private var sources: [DispatchSourceProtocol] = []

    /// The pipe the disposition writes to: one per process, made by the first `SignalSource`.
    nonisolated(unsafe) private static var pipeEnds: (read: Int32, write: Int32) = (-1, -1)

    init(queue: DispatchQueue, handlers: [Int32: @Sendable () -> Void]) {
        if Self.pipeEnds.write < 0 {
            var ends: [Int32] = [0, 0]
            if pipe(&ends) == 0 {
                for end in ends {
                    _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                    _ = fcntl(end, F_SETFL, O_NONBLOCK)
                }
                Self.pipeEnds = (ends[0], ends[1])
            }
        }
        for (number, handler) in handlers {
            // The disposition first: a signal arriving before the source resumes would otherwise kill the process.
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalSource.pipeEnds.write, &byte, 1)  // async-signal-safe; a full pipe drops a repeat
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
        let readEnd = Self.pipeEnds.read
        guard readEnd >= 0 else { return }
        let reader = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: queue)
        reader.setEventHandler {
            var bytes = [UInt8](repeating: 0, count: 64)
            let count = read(readEnd, &bytes, bytes.count)
            guard count > 0 else { return }
            for number in Set(bytes[..<count]) { handlers[Int32(number)]?() }
        }
        reader.resume()
        sources.append(reader)
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
