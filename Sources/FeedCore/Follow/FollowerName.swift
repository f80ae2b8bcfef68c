/// The name of a durable reader of the story log (`feedd follow NAME`): it names the reader's files in
/// `<state>/followers/`, so it must be a plain file name on every file system and in a systemd instance name.
struct FollowerName: Equatable, Sendable, CustomStringConvertible {
    let rawValue: String

    /// Letters, digits, `.`, `_` and `-`, 1 to 64 of them, not starting with `.` or `-`: no path separator, no
    /// hidden file, nothing a shell or an option parser would read otherwise.
    /// - Throws: a one-line reason naming what is wrong with `text`.
    init(_ text: String) throws(FollowerNameError) {
        guard !text.isEmpty, text.utf8.count <= 64 else {
            throw FollowerNameError(name: text, reason: "must be 1 to 64 characters long")
        }
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed else {
            throw FollowerNameError(name: text, reason: "may hold only letters, digits, '.', '_' and '-'")
        }
        guard let first = text.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-") else {
            throw FollowerNameError(name: text, reason: "must not start with '.' or '-'")
        }
        rawValue = text
    }

    var description: String { rawValue }
}

/// Why a follower name was refused.
struct FollowerNameError: Error, Equatable {
    let name: String
    let reason: String
}
