import Foundation

extension FeedDate {
    /// The parts of a date as written, before range checks turn them into an instant.
    struct Fields {
        var year = 0
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        /// Seconds east of UTC; a date without a zone is taken as UTC.
        var offset = 0

        /// The instant these fields name, or nil when one is out of range (month 13, February 30, minute 60…).
        ///
        /// Second 60 (a leap second, RFC 3339 §5.6) becomes 59 because `Date` has no room for it; hour 24 is only
        /// valid as `24:00:00`, the end of the day (ISO 8601 §4.2.3), which is the next day's midnight.
        func date() -> Date? {
            guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
                minute < 60, second <= 60,
                hour < 24 || (hour == 24 && minute == 0 && second == 0 && fraction == 0)
            else { return nil }
            let days = CivilDate.days(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
            return Date(timeIntervalSince1970: Double(seconds) + fraction)
        }
    }
}
