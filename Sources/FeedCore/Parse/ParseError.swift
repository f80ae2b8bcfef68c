/// Why a document could not be read as a feed. Each `description` is one line saying what the document looks like.
public enum ParseError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    /// The document is something other than a feed; the text says what it looks like.
    case notAFeed(String)
    /// A JSON document that is not a valid JSON Feed; the text says which part is wrong.
    case invalidJSONFeed(String)

    public var description: String {
        switch self {
        case .empty:
            return "empty document"
        case .tooLarge(let bytes, let limit):
            return "document is \(bytes) bytes, over the limit of \(limit) bytes"
        case .notAFeed(let what):
            return "not a feed: \(what)"
        case .invalidJSONFeed(let why):
            return "not a valid JSON Feed: \(why)"
        }
    }
}
