/// Sends one HTTP request. `URLSessionHTTPClient` in production; tests use it against a real local server.
protocol HTTPClient: Sendable {
    /// Sends `request`, follows redirects, and returns the final response whatever its status.
    /// - Throws: `FetchError` for everything that is not an HTTP response: timeout, network, TLS, too large, too
    ///   many redirects, cancelled.
    func send(_ request: FetchRequest) async throws(FetchError) -> HTTPResponse

    /// Lets requests sent from now on open up to `count` connections to one host (config `per_host_concurrency`,
    /// which a reload may change); requests in flight keep theirs.
    func setMaximumConnectionsPerHost(_ count: Int)
}

extension HTTPClient {
    /// A client without a connection limit of its own has nothing to change.
    func setMaximumConnectionsPerHost(_ count: Int) {}
}
