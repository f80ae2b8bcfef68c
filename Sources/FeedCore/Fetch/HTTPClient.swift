/// Sends one HTTP request. `URLSessionHTTPClient` in production; tests use it against a real local server.
protocol HTTPClient: Sendable {
    /// Sends `request`, follows redirects, and returns the final response whatever its status.
    /// - Throws: `FetchError` for everything that is not an HTTP response: timeout, network, TLS, too large, too
    ///   many redirects, cancelled.
    func send(_ request: FetchRequest) async throws(FetchError) -> HTTPResponse
}
