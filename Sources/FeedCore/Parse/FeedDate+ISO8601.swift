extension FeedDate {
    /// Reads RFC 3339 and the ISO 8601 / W3C-DTF forms feeds use: `2024-01-05T10:00:00.123+01:00` with or without
    /// fraction, seconds or zone; `Z`, `+01:00`, `+0100`, `+01` or a zone name after optional spaces; a space or a
    /// lowercase `t` for `T` (RFC 3339 §5.6 NOTE); date only, year-month and year only (W3C-DTF); compact
    /// `20240105T101010Z`; and `2020/1/10 14:33:00`, whose year first leaves no doubt about the order.
    static func parseISO8601(_ cursor: inout Cursor) -> Fields? {
        var fields = Fields()
        guard let hasDay = readDate(&cursor, into: &fields) else { return nil }
        if cursor.isAtEnd { return fields }
        guard hasDay else { return nil }

        if cursor.current.map({ $0 | 0x20 == UInt8(ascii: "t") }) == true {
            cursor.advance()
            guard readTime(&cursor, into: &fields) else { return nil }
        } else if cursor.current == UInt8(ascii: " ") {
            cursor.skipSpaces()
            guard readTime(&cursor, into: &fields) else { return nil }
        }
        // A zone may also follow a bare date, as in XML Schema's `2024-01-05Z` or `2024-01-05+01:00`.
        guard readZone(&cursor, into: &fields), cursor.isAtEnd else { return nil }
        return fields
    }

    /// Reads `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYYMMDD` or `YYYY/M/D`; whether the day was there (a reduced date
    /// must end the text), or nil when the digits do not fit.
    private static func readDate(_ cursor: inout Cursor, into fields: inout Fields) -> Bool? {
        let (value, count) = cursor.digits()
        if count == 8 {
            fields.year = value / 10_000
            fields.month = value / 100 % 100
            fields.day = value % 100
            return true
        }
        guard count == 4 else { return nil }
        fields.year = value
        guard let separator = cursor.current, separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/")
        else { return false }
        cursor.advance()
        let month = cursor.digits()
        guard (1...2).contains(month.count) else { return nil }
        fields.month = month.value
        guard cursor.current == separator else { return false }
        cursor.advance()
        let day = cursor.digits()
        guard (1...2).contains(day.count) else { return nil }
        fields.day = day.value
        return true
    }

    /// Reads `hh:mm`, `hh:mm:ss`, `hhmm` or `hhmmss`, then an optional fraction after `.` or `,` (ISO 8601 allows
    /// both decimal marks).
    private static func readTime(_ cursor: inout Cursor, into fields: inout Fields) -> Bool {
        let (value, count) = cursor.digits()
        switch count {
        case 1, 2:
            fields.hour = value
            guard cursor.skip(":") else { return false }
            let minute = cursor.digits()
            guard minute.count == 2 else { return false }
            fields.minute = minute.value
            if cursor.skip(":") {
                let second = cursor.digits()
                guard second.count == 2 else { return false }
                fields.second = second.value
            }
        case 4:
            fields.hour = value / 100
            fields.minute = value % 100
        case 6:
            fields.hour = value / 10_000
            fields.minute = value / 100 % 100
            fields.second = value % 100
        default:
            return false
        }
        if cursor.current == UInt8(ascii: ".") || cursor.current == UInt8(ascii: ",") {
            cursor.advance()
            guard cursor.isDigit(at: 0) else { return false }
            fields.fraction = cursor.fraction()
        }
        return true
    }

    /// Reads an optional zone: `Z`, a numeric offset, or a name from the zone table (`UTC`, `EST`), which may
    /// carry an offset of its own (`UTC+01:00`). No zone means UTC.
    private static func readZone(_ cursor: inout Cursor, into fields: inout Fields) -> Bool {
        cursor.skipSpaces()
        guard let byte = cursor.current else { return true }
        if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
            guard let offset = cursor.offset() else { return false }
            fields.offset = offset
            // Go's `time.String()` repeats the zone by name (`2024-01-05 10:00:00 -0700 MST`); the number decides.
            cursor.skipSpaces()
            return cursor.isAtEnd || zoneName(&cursor) != nil
        }
        guard let offset = zoneName(&cursor) else { return false }
        fields.offset = offset
        if cursor.current == UInt8(ascii: "+") || cursor.current == UInt8(ascii: "-") {
            guard offset == 0, let offset = cursor.offset() else { return false }
            fields.offset = offset
        }
        return true
    }

    /// Reads a zone name from the table as seconds east of UTC. One letter other than Z would be an RFC 822
    /// military zone, which has no place in ISO 8601.
    private static func zoneName(_ cursor: inout Cursor) -> Int? {
        let name = cursor.word()
        guard name.length > 1 || name.isLetter("z"), case .zone(let offset) = words[name] else { return nil }
        return offset
    }
}
