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
        let parse = try FeeddProcess(["parse", server.url("/big.xml").absoluteString], directory: workspace.directory)
        let (status, peak, elapsed) = await ProcessMemory.watch(parse, patience: TestEnvironment.scaled(60))
        #expect(status == 1, "\(parse.stderr.suffix(500))")
        #expect(parse.stderr.contains("limit"), "\(parse.stderr.suffix(500))")
        #expect(elapsed < TestEnvironment.scaled(30), "took \(Int(elapsed)) s")
        #expect(peak > 0 && peak <= Self.memoryBound * TestEnvironment.memoryFactor, "VmHWM \(peak >> 20) MB")
    }
}
