// TEMPORARY STUB (lead) — replaced by helper delivery
enum HTMLEntities {
    static func characters(named name: some StringProtocol) -> String? {
        switch String(name) { case "nbsp": return "\u{A0}"; case "amp": return "&"; case "lt": return "<"; case "gt": return ">"; case "quot": return "\""; case "apos": return "'"; case "mdash": return "—"; case "hellip": return "…"; case "rsquo": return "’"; case "eacute": return "é"; default: return nil }
    }
    static func allowsMissingSemicolon(_ name: some StringProtocol) -> Bool { ["amp", "lt", "gt", "nbsp", "quot", "copy"].contains(String(name)) }
    static func character(forCodePoint value: UInt32) -> Character {
        if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return "\u{FFFD}" }
        return Character(Unicode.Scalar(value)!)
    }
}
