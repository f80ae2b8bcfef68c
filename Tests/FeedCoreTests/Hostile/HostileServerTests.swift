import Foundation
import Testing

@testable import FeedCore

/// `feedd run` against servers that misbehave on purpose, beside good feeds: feedd keeps running, the good feeds'
/// stories arrive on time, memory stays bounded, each failing feed says why in `feedd status`, and once the server
/// turns good the next good response is taken normally.
///
/// One daemon serves every behaviour at once (each on its own feed), which keeps the run short and is the harder
/// test: the behaviours share the daemon's queue, its threads and its memory. The good feeds are on another host
/// name (`localhost`), so that per-host limits and pauses do not tie them to the hostile ones.
@Suite(.serialized) struct HostileServerTests {
    /// One hostile feed: how its server misbehaves, and what feedd must make of it.
    struct Behaviour {
        var name: String
        var handler: TestHTTPServer.Handler
        /// What `last_error` may contain while the server misbehaves (any one of them); empty when the fetch
        /// must succeed.
        var errors: [String] = []
        /// The guids the feed serves whole while hostile: each must be logged (except where a cut-off document
        /// may yield only some), and nothing else.
        var guids: Set<String> = []
        /// The good server answers with `Last-Modified` (dated when it turned good; else with an ETag), to see
        /// conditional GET recover.
        var goodLastModified = false
    }

    /// 1 MiB per 10 ms: about as fast as a remote server can send through a 1 Gbit/s link.
    static let wanPace: TimeInterval = 0.01
    static let timedOut = "timed out after \(HostileRun.timeout)s"
    static let tooLarge = "body over the 16777216-byte limit"
    static let memoryBound = 200 << 20

    /// A feed of `count` items with guids `<prefix>-<n>`, a few hundred bytes each.
    static func sample(_ prefix: String, _ count: Int) -> (body: String, guids: Set<String>) {
        let guids = (0..<count).map { "\(prefix)-\($0)" }
        let items = guids.map {
            "<item><title>Story \($0)</title><link>https://hostile.example/\($0)</link><guid>\($0)</guid>"
                + "<description>\(String(repeating: "Some text. ", count: 20))</description></item>"
        }
        return (TestHTTPServer.rss(title: "Sample", items: items.joined()), Set(guids))
    }

    /// Every misbehaviour but the big bodies, each on its own feed.
    static func behaviours() -> [Behaviour] {
        typealias Server = TestHTTPServer
        let cut = sample("cut", 6)
        let short = sample("short", 6)
        let shortCut = Array(short.body.utf8).firstRange(of: Array("short-3</link>".utf8))!.lowerBound
        let future = sample("future", 2)
        let etagged = { (name: String, etag: String) -> Behaviour in
            let feed = sample(name, 2)
            return Behaviour(name: name, handler: Server.document(feed.body, etag: etag), guids: feed.guids)
        }
        let retryAfter = { (name: String, value: String) -> Behaviour in
            Behaviour(name: name, handler: Server.status(503, headers: [("Retry-After", value)]), errors: ["HTTP 503"])
        }
        return [
            Behaviour(name: "stall", handler: Server.stall(30), errors: [timedOut]),
            Behaviour(name: "drip", handler: Server.drip(sample("drip", 3).body, every: 1), errors: [timedOut]),
            Behaviour(
                name: "close-mid-body", handler: Server.closeMidBody(cut.body, after: cut.body.utf8.count / 2),
                errors: ["network error: transfer closed with"]),
            Behaviour(
                name: "length-too-large", handler: Server.contentLength(2 * cut.body.utf8.count, body: cut.body),
                errors: ["network error: transfer closed with"]),
            // Announcing less than is sent cuts the document where the client stops reading: here inside the link
            // of an item without a guid yet. Only the items before the cut may be logged, never the cut one.
            Behaviour(
                name: "length-too-small", handler: Server.contentLength(shortCut, body: short.body),
                guids: short.guids),
            Behaviour(name: "gzip-garbage", handler: Server.gzipGarbage(), errors: ["network error: "]),
            Behaviour(
                name: "redirect-loop", handler: Server.redirect(302, to: "/hostile/redirect-loop.xml"),
                errors: ["too many redirects"]),
            Behaviour(
                name: "redirect-closed-port", handler: Server.redirectToClosedPort(),
                errors: ["network error: connection refused"]),
            Behaviour(
                name: "many-items", handler: Server.manyItems(20_000), guids: Set((0..<20_000).map { "many-\($0)" })),
            Behaviour(name: "entity-bomb", handler: Server.entityBomb(), guids: ["bomb-1"]),
            Behaviour(name: "nbsp", handler: Server.nbspFeed(), guids: Set((0..<50).map { "nbsp-\($0)" })),
            Behaviour(
                name: "random-bytes", handler: Server.randomBody(100_000, seed: 42), errors: ["not a feed: binary data"]
            ),
            // Text that is no feed and opens with terminal escape sequences (clear the screen, set the window title):
            // a reason that quotes it must not carry them to the terminal of whoever reads the status or the log.
            Behaviour(
                name: "terminal-escapes",
                handler: Server.status(
                    200,
                    body: "\u{1B}[2J\u{1B}]0;pwned\u{07}" + String(repeating: "plain words, no markup. ", count: 20)),
                errors: ["not a feed: text that is not XML"]),
            Behaviour(name: "empty-200", handler: Server.status(200), errors: ["empty body"]),
            Behaviour(
                name: "html-200",
                handler: Server.document(
                    "<!DOCTYPE html><html><head><title>Welcome</title></head><body>Hi</body></html>",
                    contentType: "text/html"),
                errors: [#"not a feed: an HTML page (title "Welcome")"#]),
            // Invalid values are ignored, so they must not pause the host, which every hostile feed here shares.
            retryAfter("retry-after-garbage", "soon, maybe"),
            retryAfter("retry-after-negative", "-120"),
            etagged("etag-garbage", #"garbage "with" quotes; and=stuff"#),
            etagged("etag-huge-number", "99999999999999999999999999999999999999"),
            etagged("etag-negative", "-1"),
            etagged("etag-8k", "\"" + String(repeating: "e", count: 8192) + "\""),
            // The good server then dates its new version when it turns good: years before the date feedd was given.
            Behaviour(
                name: "last-modified-future",
                handler: Server.document(future.body, lastModified: "Fri, 01 Jan 2100 00:00:00 GMT"),
                guids: future.guids, goodLastModified: true),
        ]
    }

    /// Bodies over the 16 MB cap, 1 MiB every `pace` seconds: an endless one, and a 50 MB single text node with and
    /// without Content-Length. A body whose end the client cannot see fails by the cap, or by the deadline when it
    /// arrives slowly.
    static func bigBodies(every pace: TimeInterval) -> [Behaviour] {
        [
            Behaviour(name: "endless", handler: TestHTTPServer.endless(every: pace), errors: [tooLarge, timedOut]),
            Behaviour(
                name: "huge-text-node", handler: TestHTTPServer.hugeTextNode(50 << 20, every: pace),
                errors: [tooLarge]),
            Behaviour(
                name: "huge-text-node-unannounced",
                handler: TestHTTPServer.hugeTextNode(50 << 20, every: pace, closeDelimited: true),
                errors: [tooLarge, timedOut]),
        ]
    }

    /// Every behaviour but the big bodies at once, for 8 s at least; then the servers turn good.
    @Test func hostileServersDoNotHurtTheDaemonOrTheGoodFeeds() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let behaviours = Self.behaviours()
        let run = try HostileRun(server: server, behaviours: behaviours)
        defer { run.close() }
        let lags = await run.watchGoodFeeds(atLeast: 8) { behaviours.allSatisfy(run.attempted) }
        let status = try await run.checkWhileHostile(behaviours, lags: lags, memoryBound: Self.memoryBound)
        for name in ["retry-after-garbage", "retry-after-negative"] {
            let due = (status[name]?["next_due"] as? String).flatMap(FeedDate.parse)
            #expect(
                due.map { $0.timeIntervalSinceNow < 90 } == true,
                "\(name): ordinary backoff, not \(due.map(FeedDate.format) ?? "nil")")
        }
        // Validators that are nonsense are still sent back as they came.
        for name in ["etag-garbage", "etag-huge-number", "etag-negative", "etag-8k"] {
            let sent = server.requests(to: "/hostile/\(name).xml").dropFirst().compactMap { $0.header("If-None-Match") }
            #expect(!sent.isEmpty && Set(sent).count == 1, "\(name): If-None-Match \(sent.map { $0.prefix(40) })")
        }
        try await run.stopRecoverAndCheck(behaviours)
    }

    /// Big bodies as fast as a remote server can send them through a 1 Gbit/s link: refused, in bounded memory.
    @Test func bodiesOverTheCapAreRefusedInBoundedMemory() async throws {
        try await Self.checkBigBodies(every: Self.wanPace)
    }

    /// Big bodies at loopback speed: FoundationNetworking hands what libcurl reads to the delegate with no
    /// backpressure, so memory followed the peer's speed (VmHWM 160 MB to 1.3 GB) until the delegate ran on libcurl's
    /// own thread (`DirectDelegateQueue`), which cannot read faster than the delegate consumes.
    @Test
    func bodiesOverTheCapAtLoopbackSpeedStayBounded() async throws {
        try await Self.checkBigBodies(every: 0)
    }

    /// One daemon over `bigBodies(every: pace)` for 4 s at least; then the servers turn good.
    static func checkBigBodies(every pace: TimeInterval) async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let behaviours = bigBodies(every: pace)
        let run = try HostileRun(server: server, behaviours: behaviours)
        defer { run.close() }
        let lags = await run.watchGoodFeeds(atLeast: 4) { behaviours.allSatisfy(run.attempted) }
        _ = try await run.checkWhileHostile(behaviours, lags: lags, memoryBound: memoryBound)
        try await run.stopRecoverAndCheck(behaviours)
    }

    /// A Retry-After that is valid but absurd (a number past any Int, a date in the year 9999) pauses the host for
    /// a day at most, not for ever; the good feeds on another host go on; and the next good response is taken.
    @Test func absurdRetryAfterPausesTheHostForADayAtMost() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        // Both on one host: the replies come late enough that both fetches start before either pauses the host.
        let behaviours = [
            ("retry-after-huge-number", "99999999999999999999999999999"),
            ("retry-after-huge-date", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ].map { name, value in
            Behaviour(
                name: name, handler: { _ in .init(status: 503, headers: [("Retry-After", value)], delay: 0.5) },
                errors: ["HTTP 503"])
        }
        let run = try HostileRun(server: server, behaviours: behaviours)
        defer { run.close() }
        let lags = await run.watchGoodFeeds(atLeast: 3) { behaviours.allSatisfy(run.attempted) }
        let status = try await run.checkWhileHostile(behaviours, lags: lags, memoryBound: Self.memoryBound)
        for behaviour in behaviours {
            let due = (status[behaviour.name]?["next_due"] as? String).flatMap(FeedDate.parse)
            #expect(
                due.map { $0.timeIntervalSinceNow > 86_000 && $0.timeIntervalSinceNow < 86_400 * 1.01 } == true,
                "\(behaviour.name): next_due \(due.map(FeedDate.format) ?? "nil")")
            #expect(server.requests(to: "/hostile/\(behaviour.name).xml").count == 1, "the host stays paused")
        }
        try await run.stopRecoverAndCheck(behaviours)
    }
}
