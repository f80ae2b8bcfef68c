/// What a conditional GET sends back to the server (RFC 9110 §13.1): the last response's `ETag` and
/// `Last-Modified`, stored as received. For a `file:` feed, the file's identity and modification time.
struct Validators: Sendable, Equatable {
    var etag: String?
    var lastModified: String?

    /// Validators as received; nil where the response had none.
    init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }
}
