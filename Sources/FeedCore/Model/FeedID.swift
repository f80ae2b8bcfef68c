import Foundation

/// A feed's identifier: given in the config, or derived from its URL. Short, stable and filesystem-safe, because
/// it names the feed's state files and appears on every story line.
public struct FeedID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: FeedID, rhs: FeedID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether `text` may be an id: 1 to 64 of `A-Z a-z 0-9 . _ -`, not starting with a dot.
    public static func isValid(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count), text.first != "." else { return false }
        return text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2E
                || byte == 0x5F || byte == 0x2D
        }
    }

    /// The id of a feed the config names by URL only: the host and the path's words, then 6 hex digits of a hash
    /// of the whole URL so that two feeds of one site differ (`example.org-atom.xml-3fa2b1`). A `file:` URL is
    /// first put in its canonical spelling (`canonicalFileURL`), and its path keeps a `www` folder, which for a
    /// host is only a prefix.
    ///
    /// Never change what an http(s) URL derives: the id names the feed on every line of the log and its state,
    /// so a new id would log every story of the feed again.
    public static func derived(from url: String) -> FeedID {
        let isFile = url.lowercased().hasPrefix("file:")
        let url = isFile ? canonicalFileURL(url) : url
        var words: [String] = []
        let trimmed = url.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
            .replacingOccurrences(of: "file://", with: "")
        var word = ""
        for character in trimmed.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber || character == ".") {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        var stem = words.filter { isFile || ($0 != "www" && $0 != "www.") }.joined(separator: "-")
        stem = String(stem.trimmingCharacters(in: CharacterSet(charactersIn: ".-")).prefix(48))
        let hash = String(StableHash.fnv1a64(url) & 0xFFFFFF, radix: 16)
        let suffix = String(repeating: "0", count: 6 - hash.count) + hash
        return FeedID(stem.isEmpty ? "feed-\(suffix)" : "\(stem)-\(suffix)")
    }
}

/// A hash that is the same in every process and on every machine (Swift's `Hasher` is seeded per process).
public enum StableHash {
    /// 64-bit FNV-1a of the UTF-8 bytes.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
