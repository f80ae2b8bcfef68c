import Foundation

/// The final response of one fetch, after the client followed any redirects.
struct HTTPResponse: Sendable, Equatable {
    /// One redirect the client followed: its status and the absolute URL it led to.
    struct Redirect: Sendable, Equatable {
        var status: Int
        var location: URL
    }

    var status: Int
    var headers: HTTPHeaders
    /// The decoded body (the client undoes `Content-Encoding`).
    var body: Data
    /// The URL that gave this response: the request's URL, or the last redirect's.
    var finalURL: URL
    /// Every redirect followed, in order; empty when the first response was final.
    var redirects: [Redirect] = []
}
