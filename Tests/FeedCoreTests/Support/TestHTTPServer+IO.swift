import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension TestHTTPServer {
    // MARK: - Reading

    /// Reads one request (head and Content-Length body) from `fd`, keeping any bytes past it in `buffer` for the
    /// next one. Returns nil when the connection ends or the request cannot be read.
    func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> Request? {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let end = Self.find(terminator, in: buffer) {
                headEnd = end
                break
            }
            guard receive(fd, into: &buffer) else { return nil }
            if buffer.first == 0x16 {
                // A TLS ClientHello (record type 22): answer in plain text, as an HTTP-only port does, so that an
                // https:// URL to this server fails its handshake at once.
                _ = write(Data("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8), to: fd)
                return nil
            }
        }
        guard let headEnd, var request = Self.parseHead(Array(buffer[..<headEnd])) else { return nil }
        buffer.removeFirst(headEnd + terminator.count)
        let length = Int(request.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length {
            guard receive(fd, into: &buffer) else { return nil }
        }
        request.body = Data(buffer[..<length])
        buffer.removeFirst(length)
        return request
    }

    /// Appends what one recv(2) gives; false at end of stream or on error.
    private func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
    }

    /// The method, target and headers of a request head (without its final blank line).
    private static func parseHead(_ head: [UInt8]) -> Request? {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3 else { return nil }
        let target = parts[1].split(separator: "?", maxSplits: 1)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            // Repeated fields combine as a comma-separated list (RFC 9110 §5.3).
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        return Request(
            method: String(parts[0]), path: String(target[0]), query: target.count > 1 ? String(target[1]) : nil,
            headers: headers, body: Data())
    }

    /// The offset of the first occurrence of `needle` in `haystack`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }

    // MARK: - Writing

    /// Sends `response`: head and body in one write unless it drips. Returns false when the connection broke.
    func send(_ response: Response, on fd: Int32, keepAlive: Bool) -> Bool {
        if response.delay > 0 && !pause(response.delay) { return false }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for field in response.headers { head += "\(field.name): \(field.value)\r\n" }
        if response.chunked {
            head += "Transfer-Encoding: chunked\r\n"
        } else if !response.closeDelimited {
            head += "Content-Length: \(response.body.count)\r\n"
        }
        head += keepAlive ? "\r\n" : "Connection: close\r\n\r\n"
        guard let drip = response.drip else {
            guard response.chunked else { return write(Data(head.utf8) + response.body, to: fd) }
            return write(Data(head.utf8), to: fd) && writeChunk(response.body, to: fd) && writeChunk(Data(), to: fd)
        }
        guard write(Data(head.utf8), to: fd) else { return false }
        var offset = 0
        while offset < response.body.count {
            guard pause(drip.interval) else { return false }
            let end = min(offset + max(1, drip.bytes), response.body.count)
            let piece = response.body[offset..<end]
            guard response.chunked ? writeChunk(piece, to: fd) : write(piece, to: fd) else { return false }
            offset = end
        }
        return !response.chunked || writeChunk(Data(), to: fd)
    }

    /// Writes `data` as one chunk of a chunked body; an empty one ends the body.
    private func writeChunk(_ data: Data, to fd: Int32) -> Bool {
        write(Data((String(data.count, radix: 16) + "\r\n").utf8), to: fd) && (data.isEmpty || write(data, to: fd))
            && write(Data("\r\n".utf8), to: fd)
    }

    /// Writes all of `data`; MSG_NOSIGNAL so that a client that hung up gives EPIPE, not SIGPIPE.
    private func write(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
    }

    // MARK: - Helpers

    /// The reason phrase for `status` (clients ignore it; it makes captures readable).
    private static func reason(_ status: Int) -> String {
        let reasons = [
            200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 307: "Temporary Redirect",
            308: "Permanent Redirect", 404: "Not Found", 410: "Gone", 429: "Too Many Requests",
            500: "Internal Server Error", 503: "Service Unavailable",
        ]
        return reasons[status] ?? "Status"
    }
}
