extension FeedDate {
    /// Where the zone of an RFC 822 date came from.
    private enum ZoneSource {
        case none, name, number
    }

    /// Reads RFC 822 / 1123 / 2822 dates (RFC 2822 §3.3) and the looser forms around them, token by token:
    /// `Mon, 05 Jan 2024 10:00:00 +0000`, `5 January 2024`, `Jan 5, 2024 10:00 AM EST`, RFC 850 `06-Nov-94`,
    /// asctime `Mon Jan  5 10:00:00 2024`, JavaScript `Mon Jan 05 2024 10:00:00 GMT+0000 (…)`, `22.11.2022`.
    ///
    /// Day, month and year are required; the time defaults to midnight and the zone to UTC. A word that is not in
    /// the table, a field given twice or a zone before the time gives nil, so a stray token can never shift the
    /// result.
    static func parseRFC822(_ cursor: inout Cursor) -> Fields? {
        var fields = Fields()
        var hasYear = false
        var hasMonth = false
        var hasDay = false
        var hasTime = false
        var zone = ZoneSource.none
        var meridiem: Bool?
        let start = cursor.index

        while let byte = cursor.current {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
                UInt8(ascii: ","), UInt8(ascii: "."):
                cursor.advance()

            case UInt8(ascii: "("):
                // An RFC 2822 §3.2.3 comment, or JavaScript's `(Coordinated Universal Time)`.
                guard skipComment(&cursor) else { return nil }

            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if cursor.isDigit(at: 1), hasTime {
                    // A number may follow only a name meaning UTC, which it then refines: `GMT+2`, `UTC+01:00`.
                    guard zone == .none || (zone == .name && fields.offset == 0), let offset = cursor.offset()
                    else { return nil }
                    fields.offset = offset
                    zone = .number
                } else if byte == UInt8(ascii: "-") {
                    cursor.advance()  // RFC 850 `06-Nov-94`
                } else {
                    return nil
                }

            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (value, count) = cursor.digits()
                if cursor.current == UInt8(ascii: ":") {
                    guard !hasTime, count <= 2, readClock(&cursor, hour: value, into: &fields) else { return nil }
                    hasTime = true
                } else if cursor.current == UInt8(ascii: "."), cursor.isDigit(at: 1), count <= 2, !hasDay {
                    // `22.11.2022`: the dotted order is always day, month, year.
                    guard !hasMonth, !hasYear, readDottedDate(&cursor, day: value, into: &fields) else { return nil }
                    (hasDay, hasMonth, hasYear) = (true, true, true)
                } else if count <= 2, !hasDay {
                    fields.day = value
                    hasDay = true
                    skipOrdinalSuffix(&cursor)
                } else if (2...4).contains(count), !hasYear {
                    fields.year = fullYear(value, digits: count)
                    hasYear = true
                } else {
                    return nil
                }

            case _ where Cursor.isLetter(byte):
                let wordStart = cursor.index
                let name = cursor.word()
                if name.isLetter("a") || name.isLetter("p"), cursor.current == UInt8(ascii: "."),
                    cursor.byte(at: 1).map({ $0 | 0x20 == UInt8(ascii: "m") }) == true
                {
                    // `a.m.` / `p.m.`, which would otherwise read as the military zones A and P.
                    guard meridiem == nil else { return nil }
                    meridiem = name.isLetter("p")
                    cursor.advance(by: 2)
                    continue
                }
                if wordStart == start, cursor.current == UInt8(ascii: ",") {
                    continue  // a leading weekday in any language: `Seg, 24 Set 2018`, `mer, 16 nov 2022`
                }
                switch words[name] {
                case .weekday?:
                    break
                case .month(let month)?:
                    guard !hasMonth else { return nil }
                    fields.month = month
                    hasMonth = true
                case .zone(let offset)?:
                    guard hasTime else { return nil }
                    switch zone {
                    case .none:
                        fields.offset = offset
                        zone = .name
                    case .name:
                        return nil
                    case .number:
                        break  // `+0000 GMT`: the number is exact, the name only repeats it
                    }
                case .meridiem(let isPM)?:
                    guard meridiem == nil else { return nil }
                    meridiem = isPM
                case nil:
                    return nil
                }

            default:
                return nil
            }
        }

        guard hasYear, hasMonth, hasDay else { return nil }
        if let isPM = meridiem {
            guard hasTime, let hour = twentyFourHour(fields.hour, isPM: isPM) else { return nil }
            fields.hour = hour
        }
        return fields
    }

    /// Reads the rest of `h:mm`, `h:mm:ss` or `h:mm:ss.fff` after the hour, with the cursor on the first colon.
    private static func readClock(_ cursor: inout Cursor, hour: Int, into fields: inout Fields) -> Bool {
        fields.hour = hour
        cursor.advance()
        let minute = cursor.digits()
        guard minute.count == 2 else { return false }
        fields.minute = minute.value
        guard cursor.skip(":") else { return true }
        let second = cursor.digits()
        guard second.count == 2 else { return false }
        fields.second = second.value
        if cursor.current == UInt8(ascii: "."), cursor.isDigit(at: 1) {
            cursor.advance()
            fields.fraction = cursor.fraction()
        }
        return true
    }

    /// Reads the `.MM.YYYY` of a dotted day-first date; the four-digit year keeps `10.00` from passing as a date.
    private static func readDottedDate(_ cursor: inout Cursor, day: Int, into fields: inout Fields) -> Bool {
        cursor.advance()
        let month = cursor.digits()
        guard month.count <= 2, cursor.skip(".") else { return false }
        let year = cursor.digits()
        guard year.count == 4 else { return false }
        (fields.day, fields.month, fields.year) = (day, month.value, year.value)
        return true
    }

    /// Skips the `st`, `nd`, `rd` or `th` written straight after a day (`January 5th, 2024`).
    private static func skipOrdinalSuffix(_ cursor: inout Cursor) {
        guard let first = cursor.byte(at: 0), let second = cursor.byte(at: 1),
            !(cursor.byte(at: 2).map(Cursor.isLetter) ?? false)
        else { return }
        switch (first | 0x20, second | 0x20) {
        case (UInt8(ascii: "s"), UInt8(ascii: "t")), (UInt8(ascii: "n"), UInt8(ascii: "d")),
            (UInt8(ascii: "r"), UInt8(ascii: "d")), (UInt8(ascii: "t"), UInt8(ascii: "h")):
            cursor.advance(by: 2)
        default:
            break
        }
    }

    /// Skips a parenthesized comment, nested ones included; false when it is not closed.
    private static func skipComment(_ cursor: inout Cursor) -> Bool {
        var depth = 0
        while let byte = cursor.current {
            cursor.advance()
            if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return true }
            }
        }
        return false
    }

    /// A year of two, three or four digits. RFC 2822 §4.3: two-digit years 00-49 are 2000-2049 and 50-99 are
    /// 1950-1999; three digits are added to 1900.
    private static func fullYear(_ value: Int, digits: Int) -> Int {
        switch digits {
        case 2: value < 50 ? 2000 + value : 1900 + value
        case 3: 1900 + value
        default: value
        }
    }

    /// The hour of a 12-hour clock on a 24-hour one: 12 AM is 0, 12 PM is 12; 0 only with AM, as some feeds write
    /// `00:30 AM`; nil for anything past 12.
    private static func twentyFourHour(_ hour: Int, isPM: Bool) -> Int? {
        switch (hour, isPM) {
        case (0, false), (12, false): 0
        case (1...11, false): hour
        case (12, true): 12
        case (1...11, true): hour + 12
        default: nil
        }
    }
}
