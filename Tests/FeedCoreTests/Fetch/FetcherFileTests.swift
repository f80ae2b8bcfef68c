import Foundation
import Testing

@testable import FeedCore

/// `file:` feeds, read directly by the Fetcher: the file's identity and mtime act as the validator.
@Suite struct FetcherFileTests {
    /// A fresh temporary directory, removed after `body`.
    private static func inTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "feedd-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }

    /// A fetcher whose client must never be used.
    private static let fetcher = Fetcher(client: UnusedHTTPClient(), maxBodyBytes: 1_000)

    private static func fetch(_ url: URL, validators: Validators = Validators()) async -> FetchOutcome {
        await fetcher.fetch(FeedConfig(id: FeedID("local"), url: url), validators: validators)
    }

    @Test func fileIsFreshThenNotModifiedThenFreshWhenReplaced() async throws {
        try await Self.inTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("feed.xml")
            try Data(FetcherTests.rss.utf8).write(to: url)
            let first = await Self.fetch(url)
            #expect(first.text == FetcherTests.rss)
            let validators = try #require(first.validators)
            #expect(validators.etag != nil)
            #expect(validators.lastModified.flatMap(HTTPDate.parse) != nil)
            let second = await Self.fetch(url, validators: validators)
            #expect(second == .notModified(validators: validators, permanentRedirect: nil, cacheFor: nil))
            // Replaced within the same second, by rename as scripts do: still seen as changed.
            let replacement = directory.appendingPathComponent("feed.xml.tmp")
            try Data("<rss version=\"2.0\"><channel><title>U</title></channel></rss>".utf8).write(to: replacement)
            #expect(rename(replacement.path, url.path) == 0)
            let third = await Self.fetch(url, validators: validators)
            #expect(third.text?.contains("<title>U</title>") == true)
        }
    }

    @Test func changedModificationTimeIsFresh() async throws {
        try await Self.inTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("feed.xml")
            try Data(FetcherTests.rss.utf8).write(to: url)
            let validators = try #require(await Self.fetch(url).validators)
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1e9)], ofItemAtPath: url.path)
            #expect(await Self.fetch(url, validators: validators).text == FetcherTests.rss)
        }
    }

    @Test func missingFileFails() async throws {
        try await Self.inTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("absent.xml")
            let outcome = await Self.fetch(url)
            #expect(outcome == .failed(.fileMissing(path: url.path), retryAfter: nil))
        }
    }

    @Test func directoryFails() async throws {
        try await Self.inTemporaryDirectory { directory in
            #expect(
                await Self.fetch(directory) == .failed(.file("\(directory.path): not a regular file"), retryAfter: nil))
        }
    }

    @Test func emptyFileFails() async throws {
        try await Self.inTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("empty.xml")
            try Data().write(to: url)
            #expect(await Self.fetch(url) == .failed(.emptyBody, retryAfter: nil))
        }
    }

    @Test func fileOverTheCapFails() async throws {
        try await Self.inTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("big.xml")
            try Data(repeating: 0x78, count: 1_001).write(to: url)
            #expect(await Self.fetch(url) == .failed(.tooLarge(limit: 1_000), retryAfter: nil))
        }
    }
}

/// An HTTPClient that records an issue when used: `file:` feeds must not go through HTTP.
private struct UnusedHTTPClient: HTTPClient {
    func send(_ request: FetchRequest) async throws(FetchError) -> HTTPResponse {
        Issue.record("HTTP client used for \(request.url)")
        throw .cancelled
    }
}
