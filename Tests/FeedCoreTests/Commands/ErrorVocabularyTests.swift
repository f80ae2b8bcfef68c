import Foundation
import Testing

@testable import FeedCore

/// `feedd parse` and the daemon say the same thing about the same failure, in the words of `FetchError`.
@Suite(.serialized) struct ErrorVocabularyTests {
    /// The error `feedd parse SOURCE` prints in its JSON line.
    private func parseError(_ source: String) async throws -> String? {
        let stdout = Output.memory()
        let status = await Feedd.main(arguments: ["feedd", "parse", source], environment: [:], stdout: stdout, stderr: .memory())
        #expect(status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(stdout.text.utf8)) as? [String: Any]
        return object?["error"] as? String
    }

    /// What the daemon's fetch of `url` fails with.
    private func daemonError(_ url: URL) async -> String? {
        let fetcher = Fetcher(client: URLSessionHTTPClient(maximumConnectionsPerHost: 1), maxBodyBytes: 1 << 20)
        guard case .failed(let error, _) = await fetcher.fetch(FeedConfig(id: FeedID("f"), url: url), validators: Validators())
        else { return nil }
        return error.description
    }

    @Test func anHTTPErrorStatus() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/missing.xml", TestHTTPServer.status(404))
        let url = server.url("/missing.xml")
        #expect(try await parseError(url.absoluteString) == "HTTP 404")
        #expect(await daemonError(url) == "HTTP 404")
    }

    @Test func aRefusedConnection() async throws {
        let server = try TestHTTPServer()
        let url = server.url("/feed.xml")
        server.stop()
        let daemon = await daemonError(url)
        #expect(daemon == "network error: connection refused")
        #expect(try await parseError(url.absoluteString) == daemon)
    }

    @Test func aMissingFile() async throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("gone.xml")
        #expect(await daemonError(url) == "no such file: \(url.path)")
        #expect(try await parseError(url.absoluteString) == "no such file: \(url.path)")
        #expect(try await parseError(url.path) == "no such file: \(url.path)")
    }
}
