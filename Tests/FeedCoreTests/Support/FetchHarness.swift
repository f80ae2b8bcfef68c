import Foundation

@testable import FeedCore

/// A `TestHTTPServer`, the real `URLSessionHTTPClient` and a `Fetcher` with a fixed clock, for one test.
struct FetchHarness {
    /// The instant the fetcher's clock always gives: 2026-11-29T07:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_795_935_600)

    let server: TestHTTPServer
    let fetcher: Fetcher

    /// A harness on `server`, with a fresh client (its own URLSession).
    init(server: TestHTTPServer, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.server = server
        fetcher = Fetcher(
            client: URLSessionHTTPClient(maximumConnectionsPerHost: 2), maxBodyBytes: maxBodyBytes,
            clock: { FetchHarness.now })
    }

    /// Runs `body` with a new server and harness; stops the server afterwards.
    static func run<T>(maxBodyBytes: Int = 16 * 1024 * 1024, _ body: (FetchHarness) async throws -> T) async throws -> T
    {
        try await TestHTTPServer.serving { server in
            try await body(FetchHarness(server: server, maxBodyBytes: maxBodyBytes))
        }
    }

    /// A feed at `path` on the server.
    func feed(
        _ path: String, timeout: TimeInterval = 10, headers: [String: String] = [:],
        userAgent: String = Config.defaultUserAgent
    ) -> FeedConfig {
        FeedConfig(
            id: FeedID("test"), url: server.url(path), timeout: timeout, headers: headers, userAgent: userAgent)
    }

    /// Fetches the feed at `path`.
    func fetch(_ path: String, validators: Validators = Validators(), timeout: TimeInterval = 10) async -> FetchOutcome
    {
        await fetcher.fetch(feed(path, timeout: timeout), validators: validators)
    }
}

extension FetchOutcome {
    /// The body of a `.fresh` outcome as text, else nil.
    var text: String? {
        guard case .fresh(let body, _, _, _, _) = self else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// The validators of a `.fresh` or `.notModified` outcome, else nil.
    var validators: Validators? {
        switch self {
        case .fresh(_, _, let validators, _, _), .notModified(let validators, _, _): return validators
        case .gone, .failed: return nil
        }
    }

    /// The permanent redirect of a `.fresh` or `.notModified` outcome, else nil.
    var permanentRedirect: URL? {
        switch self {
        case .fresh(_, _, _, let url, _), .notModified(_, let url, _): return url
        case .gone, .failed: return nil
        }
    }

    /// The freshness lifetime of a `.fresh` or `.notModified` outcome, else nil.
    var cacheFor: TimeInterval? {
        switch self {
        case .fresh(_, _, _, _, let seconds), .notModified(_, _, let seconds): return seconds
        case .gone, .failed: return nil
        }
    }

    /// The error of a `.failed` outcome, else nil.
    var error: FetchError? {
        guard case .failed(let error, _) = self else { return nil }
        return error
    }
}
