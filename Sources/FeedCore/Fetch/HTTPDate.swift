import Foundation

/// Reads and writes HTTP-dates (RFC 9110 §5.6.7), as `Retry-After`, `Expires`, `Date` and `Last-Modified` carry
/// them. A hand parser: no ICU, no locale, and the same answer on every machine.
enum HTTPDate {
    /// The instant an HTTP-date names, or nil when `text` is none of the three forms RFC 9110 §5.6.7 says a
    /// recipient must accept: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
    static func parse(_ text: String) -> Date? {
        let words = text.split(whereSeparator: { " ,-:\t".contains($0) }).map { $0.lowercased() }
        guard words.count >= 7, dayNames.contains(words[0]) else { return nil }
        let day: String
        let month: String
        let year: String
        let clock: ArraySlice<String>
        if monthNames.contains(words[1]) {
            // asctime: weekday month day hh mm ss year, always in GMT.
            guard words.count == 7 else { return nil }
            (month, day, clock, year) = (words[1], words[2], words[3...5], words[6])
        } else {
            guard words.count == 8, words[7] == "gmt" || words[7] == "utc" else { return nil }
            (day, month, year, clock) = (words[1], words[2], words[3], words[4...6])
        }
        guard let monthIndex = monthNames.firstIndex(of: month), year.utf8.count != 3,
            var yearNumber = number(year, digits: 2...4),
            let dayNumber = number(day, digits: 1...2), (1...31).contains(dayNumber),
            let hour = number(clock[clock.startIndex], digits: 2...2), hour < 24,
            let minute = number(clock[clock.startIndex + 1], digits: 2...2), minute < 60,
            let second = number(clock[clock.startIndex + 2], digits: 2...2), second <= 60
        else { return nil }
        if year.count == 2 {
            // RFC 850 years (RFC 9110 §5.6.7). A fixed pivot stands in for the "50 years ahead" rule: only very old
            // servers send this form, and none of them send dates after 2069.
            yearNumber += yearNumber < 70 ? 2000 : 1900
        }
        let days = CivilDate.days(year: yearNumber, month: monthIndex + 1, day: dayNumber)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// `date` as an IMF-fixdate (RFC 9110 §5.6.7), the form a sender must generate; fractions are dropped.
    static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let clock = seconds - days * 86_400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (index 4).
        /// Two digits, zero-padded.
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdayLabels[weekday]), \(two(day)) \(monthLabels[month - 1]) \(year) "
            + "\(two(clock / 3_600)):\(two(clock / 60 % 60)):\(two(clock % 60)) GMT"
    }

    // MARK: - Calendar arithmetic

    /// Short and long weekday names; the weekday is required but not checked against the date.
    private static let dayNames: Set = [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday",
    ]
    private static let monthNames = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    private static let weekdayLabels = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthLabels = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// The value of an all-digit word of the given length, else nil.
    private static func number(_ word: String, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(word.utf8.count), word.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(word)
    }
}
