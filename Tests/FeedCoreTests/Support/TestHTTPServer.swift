import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests of the fetch path: one thread accepts,
/// one thread per connection serves requests with keep-alive. Each response goes out in one write(2), because
/// several small writes per response cost about 40 ms each on keep-alive connections (Nagle plus delayed ACK,
/// docs/PLATFORM.md, "Build and test"), which would time the server, not feedd. It records every request it reads.
///
/// `stop()` closes the listener and every connection and wakes every stalled response; call it when done (or use
/// `serving(_:)`), since the threads keep the server alive until then.
final class TestHTTPServer: @unchecked Sendable {
    /// One request as received: names of headers lowercased.
    struct Request: Sendable, Equatable {
        var method: String
        /// The path without the query.
        var path: String
        var query: String?
        var headers: [String: String]
        var body: Data

        /// The value of header `name`, in any case.
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// One response, and how to send it.
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)] = []
        var body = Data()
        /// Seconds to wait before sending anything: a server that stalls before its headers.
        var delay: TimeInterval = 0
        /// Send the body `bytes` at a time, `interval` seconds apart, instead of in the same write as the headers.
        var drip: (bytes: Int, interval: TimeInterval)?
        /// Send no Content-Length and end the body by closing the connection, so the client cannot know the size
        /// in advance.
        var closeDelimited = false
        /// Send the body with `Transfer-Encoding: chunked`, a chunk per drip (or one chunk), so the client cannot
        /// know the size in advance on a connection that stays open.
        var chunked = false
    }

    typealias Handler = @Sendable (Request) -> Response

    /// The port the server listens on.
    let port: Int
    private let listener: Int32
    private let lock = NSCondition()
    private var routes: [String: Handler] = [:]
    private var recorded: [Request] = []
    private var connections: Set<Int32> = []
    private var accepted = 0
    private var stopped = false

    /// Starts a server on 127.0.0.1 with a port the kernel chooses.
    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ServerError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw ServerError.socket(code)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { self.acceptConnections() }
    }

    /// Runs `body` with a new server, and stops the server afterwards whatever happens.
    static func serving<T>(_ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let server = try TestHTTPServer()
        defer { server.stop() }
        return try await body(server)
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    /// Answers requests for `path` (the query is ignored) with `handler`; unrouted paths get 404.
    func route(_ path: String, _ handler: @escaping Handler) {
        lock.withLock { routes[path] = handler }
    }

    /// Every request read so far, in order of arrival.
    var requests: [Request] {
        lock.withLock { recorded }
    }

    /// How many connections the server has accepted: fewer than requests when keep-alive works.
    var connectionsAccepted: Int {
        lock.withLock { accepted }
    }

    /// The requests read so far for `path`.
    func requests(to path: String) -> [Request] {
        requests.filter { $0.path == path }
    }

    /// Closes the listener and all connections, and wakes stalled responses so that their threads end.
    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            // shutdown(2) wakes the threads blocked in accept(2) and recv(2); each thread closes its own fd.
            shutdown(listener, Int32(SHUT_RDWR))
            for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
            lock.broadcast()
        }
    }

    /// Waits `seconds`, or less when the server stops. Returns false when it stopped.
    func pause(_ seconds: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        lock.lock()
        defer { lock.unlock() }
        while !stopped && lock.wait(until: deadline) {}
        return !stopped
    }

    /// Why the server could not start.
    enum ServerError: Error {
        case socket(Int32)
    }

    // MARK: - Connections

    /// Accepts connections until the listener is shut down, one serving thread each.
    private func acceptConnections() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR && !lock.withLock({ stopped }) { continue }
                break
            }
            let admitted = lock.withLock {
                if !stopped {
                    connections.insert(fd)
                    accepted += 1
                }
                return !stopped
            }
            guard admitted else {
                close(fd)
                break
            }
            // Glibc's module does not export accept4(2); set close-on-exec so tests that spawn feedd leak no fd.
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread.detachNewThread { self.serve(fd) }
        }
        close(listener)
    }

    /// Serves requests on one connection until the client closes it, asks to, or the server stops.
    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        while let request = readRequest(fd, &buffer) {
            let handler = lock.withLock {
                recorded.append(request)
                return routes[request.path]
            }
            let response = handler?(request) ?? Response(status: 404, body: Data("not found\n".utf8))
            let keepAlive = request.header("Connection")?.lowercased() != "close" && !response.closeDelimited
            guard send(response, on: fd, keepAlive: keepAlive), keepAlive else { break }
        }
        lock.withLock {
            connections.remove(fd)
            close(fd)
        }
    }
}
