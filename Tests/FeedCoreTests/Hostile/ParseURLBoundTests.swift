import Foundation
import Testing

@testable import FeedCore

#if canImport(Glibc)
    import Glibc
#endif

/// `feedd parse URL` takes the daemon's bounded fetch: a body of 2 GB at loopback speed stops at the size limit,
/// within the deadline and in bounded memory, however the server frames it (before, the whole body was read into
/// memory first: 4.1 GB for 2 GB).
@Suite struct ParseURLBoundTests {
    static let memoryBound = 150 << 20

    @Test(arguments: ["length", "chunked", "close"])
    func aTwoGigabyteBodyStopsAtTheLimit(framing: String) async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let body = EndlessBody.data.prefix(2_000_000_000)
        server.route("/big.xml") { _ in
            .init(
                status: 200, headers: [("Content-Type", "application/rss+xml")], body: body,
                drip: (EndlessBody.chunk, 0), closeDelimited: framing == "close", chunked: framing == "chunked")
        }
        let workspace = try Workspace()
        defer { workspace.remove() }
        let started = Date()
        let parse = try FeeddProcess(["parse", server.url("/big.xml").absoluteString], directory: workspace.directory)
        var peak = 0
        while parse.process.isRunning && Date().timeIntervalSince(started) < TestEnvironment.scaled(60) {
            peak = max(peak, ProcessMemory.peak(of: parse.pid) ?? 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = await parse.wait(timeout: 0.1)
        let elapsed = Date().timeIntervalSince(started)
        #expect(status == 1, "\(parse.stderr.suffix(500))")
        #expect(parse.stderr.contains("limit"), "\(parse.stderr.suffix(500))")
        #expect(elapsed < TestEnvironment.scaled(30), "took \(Int(elapsed)) s")
        #expect(peak > 0 && peak <= Self.memoryBound * TestEnvironment.memoryFactor, "VmHWM \(peak >> 20) MB")
    }
}
