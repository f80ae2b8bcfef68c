/// One feed that `feedd add` or `feedd import` appends to `feeds`: only the fields given are written, so that the
/// entry says what the user chose and every default stays the config's.
struct FeedEntry: Equatable, Sendable {
    var url: String
    var id: String?
    var title: String?
    var tags: [String] = []
    /// As given: a duration string (`"30m"`) or a number of seconds, already checked by `DurationSyntax`.
    var interval: JSONValue?

    /// The order members are written in when the neighbouring entries give none (README.md, "feeds.json").
    static let defaultKeyOrder = ["url", "id", "title", "tags", "interval"]

    /// The members to write, in `defaultKeyOrder`.
    var members: [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = [("url", .string(url))]
        if let id { members.append(("id", .string(id))) }
        if let title { members.append(("title", .string(title))) }
        if !tags.isEmpty { members.append(("tags", .array(tags.map(JSONValue.string)))) }
        if let interval { members.append(("interval", interval)) }
        return members
    }

    /// `tags` without repeats, compared without case; the first spelling stays.
    static func uniqueTags(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return tags.filter { seen.insert($0.lowercased()).inserted }
    }

    /// The entry on one line, as `feedd add` prints it: `{"url": "https://…", "title": "…"}`.
    var line: String {
        let style = ConfigEditor.ObjectStyle.inline(colon: Array(": ".utf8))
        return String(decoding: style.render(self, keyOrder: Self.defaultKeyOrder), as: UTF8.self)
    }
}
