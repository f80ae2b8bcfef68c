import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Handlers for `TestHTTPServer.route(_:_:)` that misbehave the way hostile or broken feed servers do: bodies cut
/// off or lied about, garbage where a feed should be, sizes no client should buffer, headers with nonsense in them.
extension TestHTTPServer {
    /// Answers with `hostile` until `recovered` is set, then with `good`: a server that turns good again.
    static func hostile(_ hostile: @escaping Handler, until recovered: Flag, then good: @escaping Handler) -> Handler {
        { request in recovered.value ? good(request) : hostile(request) }
    }

    /// Announces `announced` bytes in `Content-Length`, sends `body` (whatever its size), then closes the
    /// connection. Announcing more than is sent is a connection that breaks mid-body, which a client can tell;
    /// announcing less makes the client read a cut-off document as if it were whole.
    static func contentLength(_ announced: Int, body: String, contentType: String = "application/rss+xml") -> Handler {
        let data = Data(body.utf8)
        return { _ in
            Response(
                status: 200, headers: [("Content-Type", contentType), ("Content-Length", String(announced))],
                body: data, closeDelimited: true)
        }
    }

    /// Announces all of `body`, sends its first `sent` bytes, then closes the connection.
    static func closeMidBody(_ body: String, after sent: Int) -> Handler {
        let data = Data(body.utf8)
        return { _ in
            Response(
                status: 200,
                headers: [("Content-Type", "application/rss+xml"), ("Content-Length", String(data.count))],
                body: data.prefix(sent), closeDelimited: true)
        }
    }

    /// `Content-Encoding: gzip` over bytes that are not a valid gzip stream: the gzip magic, then junk.
    static func gzipGarbage() -> Handler {
        let body = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]) + randomBytes(4096, seed: 7)
        return { _ in
            Response(
                status: 200, headers: [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")],
                body: body)
        }
    }

    /// A 200 whose body never ends: an RSS document that opens and then lists items for as long as the client
    /// reads, without Content-Length; the server stops only when the client goes away. It sends 1 MiB every
    /// `interval` seconds: 0.01 is about what a remote server can push through a 1 Gbit/s link, 0 is loopback speed.
    static func endless(every interval: TimeInterval) -> Handler {
        { _ in
            Response(
                status: 200, headers: [("Content-Type", "application/rss+xml")], body: EndlessBody.data,
                drip: (EndlessBody.chunk, interval), closeDelimited: true)
        }
    }

    /// A redirect to a port of 127.0.0.1 on which nothing listens.
    static func redirectToClosedPort(_ status: Int = 302) -> Handler {
        redirect(status, to: "http://127.0.0.1:\(closedPort())/feed.xml")
    }

    /// A port of 127.0.0.1 that refuses connections: bound by the kernel's choice, then closed without listening.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// An RSS feed with `count` items (guids `many-<n>`), with an ETag.
    static func manyItems(_ count: Int) -> Handler {
        let items = (0..<count).reversed().map {
            "<item><title>Item \($0)</title><link>https://many.example/\($0)</link><guid>many-\($0)</guid></item>\n"
        }
        return document(rss(title: "Many", items: items.joined()), etag: "\"many-\(count)\"")
    }

    /// An RSS feed whose one item's description is a single text node of `bytes` bytes, sent 1 MiB every `interval`
    /// seconds (see `endless(every:)`); `closeDelimited` sends it without Content-Length, so the client finds the
    /// size only by counting.
    static func hugeTextNode(_ bytes: Int, every interval: TimeInterval, closeDelimited: Bool = false) -> Handler {
        let opening =
            #"<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>"#
            + "<item><guid>huge</guid><description>"
        let body =
            Data(opening.utf8) + Data(repeating: UInt8(ascii: "a"), count: bytes)
            + Data("</description></item></channel></rss>".utf8)
        return { _ in
            Response(
                status: 200, headers: [("Content-Type", "application/rss+xml")], body: body, drip: (1 << 20, interval),
                closeDelimited: closeDelimited)
        }
    }

    /// A feed behind a DOCTYPE that defines nine levels of entities, each ten of the one below (a billion `lol`s
    /// when expanded), used in its title and its item.
    static func entityBomb() -> Handler {
        var entities = #"<!ENTITY lol0 "lol">"#
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) \"\(String(repeating: "&lol\(level - 1);", count: 10))\">"
        }
        let body =
            #"<?xml version="1.0"?><!DOCTYPE rss [\#(entities)]>"#
            + rss(title: "&lol9;", items: "<item><title>&lol9;</title><guid>bomb-1</guid></item>", prolog: false)
        return document(body)
    }

    /// A feed whose titles and descriptions are mostly `&nbsp;` (an HTML entity XML does not define): 50 items,
    /// each with 2,000 of them.
    static func nbspFeed() -> Handler {
        let items = (0..<50).map {
            "<item><title>\(String(repeating: "&nbsp;", count: 100))Nbsp \($0)</title><guid>nbsp-\($0)</guid>"
                + "<description>\(String(repeating: "&nbsp;", count: 2_000))</description></item>"
        }
        return document(rss(title: "Nbsp&nbsp;feed", items: items.joined()))
    }

    /// A 200 whose body is `count` pseudo-random bytes, the same for the same `seed`.
    static func randomBody(_ count: Int, seed: UInt64) -> Handler {
        let body = randomBytes(count, seed: seed)
        return { _ in Response(status: 200, headers: [("Content-Type", "application/rss+xml")], body: body) }
    }

    /// A good RSS 2.0 document with one item per guid.
    static func rss(guids: [String], title: String = "Good again") -> String {
        rss(title: title, items: guids.map { "<item><title>Story \($0)</title><guid>\($0)</guid></item>" }.joined())
    }

    /// An RSS 2.0 document around `items` (raw XML).
    static func rss(title: String, items: String, prolog: Bool = true) -> String {
        (prolog ? #"<?xml version="1.0" encoding="UTF-8"?>"# : "") + #"<rss version="2.0"><channel>"#
            + #"<title>\#(title)</title><link>https://hostile.example/</link>\#(items)</channel></rss>"#
    }

    /// `count` bytes from SplitMix64 seeded with `seed`: random-looking, and the same on every run.
    static func randomBytes(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            withUnsafeBytes(of: z ^ (z >> 31)) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes.prefix(count))
    }
}

/// The body of `TestHTTPServer.endless(every:)`: 16 GiB of address space that repeat one 1 MiB piece of RSS items,
/// mapped again and again from one unlinked file, so that it costs 1 MiB of memory however much of it is sent.
/// Far more than any client may read within a fetch's deadline: to a client it never ends.
enum EndlessBody {
    /// The size of the repeated piece, and of each write the server makes.
    static let chunk = 1 << 20
    /// How many times the piece is mapped: 16 GiB in all.
    static let copies = 16_384

    /// The body, made once per process and never unmapped.
    static let data: Data = {
        var piece = [UInt8](repeating: UInt8(ascii: " "), count: chunk)
        let item = Array("<item><title>More</title><description>and more, and more</description></item>\n".utf8)
        var offset = 512
        while offset + item.count <= chunk {
            piece.replaceSubrange(offset..<offset + item.count, with: item)
            offset += item.count
        }
        var template = Array((NSTemporaryDirectory() + "/feedd-endless-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        precondition(fd >= 0, "mkstemp: \(errno)")
        unlink(template)
        defer { close(fd) }
        precondition(piece.withUnsafeBytes { pwrite(fd, $0.baseAddress, chunk, 0) } == chunk)
        let total = chunk * copies
        // Reserve the range, then map the piece over it once per MiB.
        guard let base = mmap(nil, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            base != MAP_FAILED
        else { preconditionFailure("mmap: \(errno)") }
        for copy in 0..<copies {
            let flags = copy == 0 ? MAP_PRIVATE | MAP_FIXED : MAP_SHARED | MAP_FIXED
            let protection = copy == 0 ? PROT_READ | PROT_WRITE : PROT_READ
            let mapped = mmap(base + copy * chunk, chunk, protection, flags, fd, 0)
            precondition(mapped == base + copy * chunk, "mmap: \(errno)")
        }
        // The first copy is private: the document's opening goes there, over the padding, and nowhere else.
        let opening = Array(#"<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>"#.utf8)
        opening.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: opening.count) }
        return Data(bytesNoCopy: base, count: total, deallocator: .none)
    }()
}
