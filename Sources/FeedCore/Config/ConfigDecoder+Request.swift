import Foundation

/// What a feed asks the network or the disk for: its URL and its extra request headers.
extension ConfigDecoder {
    static let notAFeedURL = "not an http(s) or file URL"

    /// Headers a feed may not set, each with the reason: hop-by-hop and framing headers belong to the HTTP client
    /// (RFC 9110 §7.6.1), the validators to feedd's conditional GET, and the User-Agent has its own field.
    static let reservedHeaders: [String: String] = {
        var reserved: [String: String] = [:]
        for name in [
            "host", "content-length", "connection", "transfer-encoding", "keep-alive", "upgrade", "te", "trailer",
            "proxy-connection",
        ] {
            reserved[name] = "cannot be set: the HTTP client manages this header"
        }
        reserved["if-none-match"] = "cannot be set: feedd sends it for conditional GET"
        reserved["if-modified-since"] = "cannot be set: feedd sends it for conditional GET"
        reserved["user-agent"] = "cannot be set here: use \"user_agent\""
        return reserved
    }()

    /// A feed's URL: http or https with a host, or file with an absolute path and no host but `localhost`, or
    /// `file:relative/path` resolved against the config file's directory.
    mutating func feedURL(_ text: String, at path: String) -> URL? {
        if text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
            || (!text.utf8.allSatisfy { $0 < 0x80 } && text.unicodeScalars.contains { $0.properties.isWhitespace })
        {
            report(at: path, "\(Self.notAFeedURL) (it contains a space or a control character)")
            return nil
        }
        guard let colon = text.firstIndex(of: ":"), Self.isScheme(text[..<colon]) else {
            if text.hasPrefix("/") || text.hasPrefix(".") || text.hasPrefix("~") {
                report(at: path, "\(Self.notAFeedURL) (for a local file write file:///absolute/path)")
            } else if text.isEmpty {
                report(at: path, "\(Self.notAFeedURL): it is empty")
            } else {
                report(at: path, "\(Self.notAFeedURL) (\"https://\" missing?)")
            }
            return nil
        }
        let url = URL(string: text)
        switch text[..<colon].lowercased() {
        case "http", "https":
            guard let url, let host = url.host, !host.isEmpty else {
                report(at: path, "\(Self.notAFeedURL): no host")
                return nil
            }
            return url
        case "file":
            let rest = text[text.index(after: colon)...]
            if let baseDirectory, !rest.isEmpty, !rest.hasPrefix("/"), let relative = rest.removingPercentEncoding {
                // `file:examples/feed.xml`: relative to the config file's directory, so that a checked-out example
                // config works wherever the clone is.
                return baseDirectory.appendingPathComponent(relative).standardizedFileURL
            }
            guard let url, url.host == nil || url.host == "localhost" || url.host == "", url.path.hasPrefix("/") else {
                report(at: path, "a file URL needs an absolute path (file:///absolute/path) or one relative to the config (file:dir/feed.xml)")
                return nil
            }
            return url
        default:
            report(at: path, Self.notAFeedURL)
            return nil
        }
    }

    /// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` (RFC 3986 §3.1).
    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, first | 0x20 >= 0x61, first | 0x20 <= 0x7A else { return false }
        return text.utf8.allSatisfy { byte in
            (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2B
                || byte == 0x2D || byte == 0x2E
        }
    }

    /// Extra request headers: names are tokens (RFC 9110 §5.1), each at most once ignoring case, none reserved;
    /// values are strings without control characters.
    mutating func headers(_ value: JSONValue, at path: String) -> [String: String]? {
        guard let members = members(of: value, at: path, expected: "an object of header names and values") else {
            return nil
        }
        var headers: [String: String] = [:]
        var nameAsWritten: [String: String] = [:]
        var valid = true
        for member in members {
            let headerPath = Self.path(path, member.key)
            let lowered = member.key.lowercased()
            if !Self.isToken(member.key) {
                report(at: headerPath, "not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)")
            } else if let reason = Self.reservedHeaders[lowered] {
                report(at: headerPath, reason)
            } else if let earlier = nameAsWritten[lowered] {
                report(at: headerPath, "the same header as \(JSONValue.quoted(earlier)) (header names ignore case)")
            } else {
                nameAsWritten[lowered] = member.key
                if let text = string(member.value, at: headerPath, header: true) {
                    headers[member.key] = text
                    continue
                }
            }
            valid = false
        }
        return valid ? headers : nil
    }

    /// `token = 1*tchar` (RFC 9110 §5.6.2).
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || tokenSymbols.contains(byte)
            }
    }

    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)
}
