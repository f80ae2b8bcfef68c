/// Why `feedd discover` could not read the page itself, in the words `feedd parse` and the daemon use for the same
/// failure (`HTTP 404`, `network error: cannot resolve host`, `no such file: /srv/x.html`).
struct DiscoveryError: Error, Equatable, CustomStringConvertible {
    let description: String
}
