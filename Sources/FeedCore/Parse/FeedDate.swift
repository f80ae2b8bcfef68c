import Foundation

/// Dates as feeds write them, parsed by hand.
///
/// Hand-written on the UTF-8 bytes rather than DateFormatter, which is ~30x slower and silently wrong on two-digit
/// years (docs/PLATFORM.md, "Dates"). Instants come from days-from-civil arithmetic, so no Calendar or TimeZone is
/// involved and the result never depends on the machine's locale or zone.
enum FeedDate {
    /// Parses a date in any form real feeds use; nil when it cannot be parsed (never a wrong date).
    ///
    /// Two grammars: RFC 3339 / ISO 8601 (W3C-DTF, Atom, JSON Feed, `dc:date`) when the text starts with a
    /// four-digit year, and RFC 822 / 2822 with its looser relatives (asctime, JavaScript, `Jan 5, 2024`) otherwise.
    static func parse(_ text: some StringProtocol) -> Date? {
        if let date = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) {
            return date
        }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// RFC 3339 in UTC without fraction, e.g. `2026-11-28T10:00:00Z`.
    ///
    /// The fraction is cut off (rounded toward the past), so a date and its formatted text name the same second.
    static func format(_ date: Date) -> String {
        withFormatted(date) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 of `format(date)`, made on the stack, so that the JSON writer copies it straight
    /// into its output without a string in between.
    static func withFormatted<Result>(_ date: Date, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Bounded so that Int(_:) cannot trap on an infinite or absurd Date; ±1e14 s is ±3 million years.
        let interval = date.timeIntervalSince1970
        let seconds = interval.isFinite ? Int(min(max(interval.rounded(.down), -1e14), 1e14)) : 0
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.civil(fromDays: days)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var count = 0
            func put(_ value: Int, width: Int) {
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                while divisor * 10 <= value { divisor *= 10 }
                while divisor > 0 {
                    buffer[count] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    count += 1
                    divisor /= 10
                }
            }
            func put(_ byte: Unicode.Scalar) {
                buffer[count] = UInt8(ascii: byte)
                count += 1
            }
            if year < 0 { put("-") }
            put(abs(year), width: 4)
            put("-")
            put(month, width: 2)
            put("-")
            put(day, width: 2)
            put("T")
            put(secondOfDay / 3600, width: 2)
            put(":")
            put(secondOfDay / 60 % 60, width: 2)
            put(":")
            put(secondOfDay % 60, width: 2)
            put("Z")
            return body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Parses a date from its UTF-8 bytes, as `parse(_:)` does: the reader hands captured dates over this way, so
    /// that they need no string.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var cursor = Cursor(trimming: bytes)
        let fields = opensWithISOYear(cursor) ? parseISO8601(&cursor) : parseRFC822(&cursor)
        return fields?.date()
    }

    /// Whether the text opens like ISO 8601: four digits, then a date separator, more digits (the compact
    /// `20240105`) or nothing (a bare W3C-DTF year). `2024 Jan 5` or `07 Jan 2017` go to the RFC 822 reader.
    private static func opensWithISOYear(_ cursor: Cursor) -> Bool {
        guard (0..<4).allSatisfy({ cursor.isDigit(at: $0) }) else { return false }
        guard let next = cursor.byte(at: 4) else { return true }
        return Cursor.isDigit(next) || next == UInt8(ascii: "-") || next == UInt8(ascii: "/")
    }
}
