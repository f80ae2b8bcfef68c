// TEMPORARY STUB (lead)
enum PlainText {
    static func from(_ text: String) -> String { text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ") }
    static func decodingEntities(_ text: String) -> String { text }
}
