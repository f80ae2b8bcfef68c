import Testing

@testable import FeedCore

@Suite struct FetchErrorTests {
    @Test(arguments: [
        (FetchError.http(status: 503), "HTTP 503"),
        (.timeout(after: 30), "timed out after 30s"),
        (.timeout(after: 1.5), "timed out after 1.5s"),
        (.tooLarge(limit: 16_777_216), "body over the 16777216-byte limit"),
        (.network("connection refused"), "network error: connection refused"),
        (.tls("certificate not trusted"), "TLS error: certificate not trusted"),
        (.emptyBody, "empty body"),
        (.tooManyRedirects, "too many redirects"),
        (
            .file("/srv/feed.xml: No such file or directory"),
            "cannot read file: /srv/feed.xml: No such file or directory"
        ),
        (.cancelled, "cancelled"),
    ])
    func descriptions(error: FetchError, text: String) {
        #expect(error.description == text)
    }
}
