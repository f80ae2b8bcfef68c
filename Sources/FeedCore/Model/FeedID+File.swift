/// One spelling per local document, so that one file gets one derived id however the config writes its URL.
extension FeedID {
    /// The canonical spelling of a `file:` URL as written in the config: `file:///absolute/path` for the absolute
    /// spellings (`file:/a`, `file:///a`, `file://localhost/a`), `file:relative/path` for those relative to the
    /// config; `.` and empty segments dropped and `..` applied in both. Case and percent escapes are kept: they
    /// can name other files.
    ///
    /// `file:///…` and already tidy relative spellings are their own canonical form, so the ids derived from
    /// them did not change when the other spellings were made to agree with them.
    static func canonicalFileURL(_ text: String) -> String {
        var rest = Substring(text.dropFirst("file:".count))
        if rest.hasPrefix("//") {
            // An authority: only none or `localhost` names this machine (RFC 8089 §2); others are kept as given.
            let afterSlashes = rest.dropFirst(2)
            let host = afterSlashes.prefix { $0 != "/" }
            guard host.isEmpty || host.lowercased() == "localhost" else { return text }
            rest = afterSlashes.dropFirst(host.count)
        }
        let absolute = rest.hasPrefix("/")
        var segments: [Substring] = []
        for segment in rest.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                if let last = segments.last, last != ".." {
                    segments.removeLast()
                } else if !absolute {
                    segments.append(segment)
                }
            default: segments.append(segment)
            }
        }
        let path = segments.joined(separator: "/")
        return absolute ? "file:///" + path : "file:" + path
    }
}
