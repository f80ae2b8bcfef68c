import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Delivers SIGHUP, SIGTERM and SIGINT on a queue as events (signals coalesce: never count them).
final class SignalSource: @unchecked Sendable {
    // @unchecked: the sources are created once and only cancelled afterwards.
    private var sources: [DispatchSourceSignal] = []

    init(queue: DispatchQueue, handlers: [Int32: @Sendable () -> Void]) {
        for (number, handler) in handlers {
            // Ignore the default action first: a signal arriving before the source resumes would kill the process.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
