import Foundation

/// The table `feedd status` prints: one row per feed, in columns that fit a terminal.
///
/// It fits `width` columns by shortening the two cells that can be long: an id (derived ids run to 55
/// characters) keeps its start and its end, where a derived id's hash tells two feeds of one site apart, with an
/// ellipsis between; the last error is cut at the end. `--wide` (width nil) shows both whole.
struct StatusTable {
    /// The width the table fits by default: a terminal of 100 columns.
    static let width = 100
    /// The narrowest the id column gets when the table must shrink: enough for the hash of a derived id and its
    /// site's name.
    static let narrowestID = 20
    /// The narrowest the error column gets before the id column gives up room for it.
    static let narrowestError = 16

    static let header = ["FEED", "ATTEMPT", "SUCCESS", "STATUS", "NEW", "FILTERED", "FAILS", "NEXT DUE", "LAST ERROR"]

    let rows: [StatusCommand.Row]
    let now: Date

    /// The table as text, one line per row after the header; fitted to `width` columns unless nil.
    func text(width: Int?) -> String {
        var cells = [Self.header] + rows.map(cells(of:))
        if let width { fit(&cells, width: width) }
        let widths = (0..<Self.header.count - 1).map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { line in
            var text = ""
            for (column, cell) in line.enumerated() {
                let last = column == widths.count
                text += last ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }
            return text.trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// Shortens the id and error cells so that every line is at most `width` characters: the error first, down
    /// to `narrowestError`, then the id, down to `narrowestID`, then the error again.
    private func fit(_ cells: inout [[String]], width: Int) {
        let last = Self.header.count - 1
        let fixed = (1..<last).map { column in cells.map { $0[column].count }.max() ?? 0 }.reduce(0) { $0 + $1 + 2 }
        var idWidth = cells.map { $0[0].count }.max() ?? 0
        let errorWidth = cells.map { $0[last].count }.max() ?? 0
        var room = width - fixed - idWidth - 2
        if room < min(errorWidth, Self.narrowestError) {
            idWidth = max(Self.narrowestID, idWidth - (min(errorWidth, Self.narrowestError) - room))
            room = width - fixed - idWidth - 2
        }
        for index in cells.indices {
            cells[index][0] = Self.shortened(cells[index][0], to: idWidth, keepingEnd: true)
            cells[index][last] = Self.shortened(cells[index][last], to: max(room, 1), keepingEnd: false)
        }
    }

    /// `text` in at most `width` characters: with an ellipsis in the middle (keeping the end) or at the end.
    static func shortened(_ text: String, to width: Int, keepingEnd: Bool) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return "…" }
        guard keepingEnd else { return text.prefix(width - 1) + "…" }
        let tail = (width - 1) / 2
        return text.prefix(width - 1 - tail) + "…" + text.suffix(tail)
    }

    private func cells(of row: StatusCommand.Row) -> [String] {
        let state = row.state
        let next: String
        if !row.enabled {
            next = "disabled"
        } else if state?.gone == true {
            next = "gone"
        } else {
            next = state?.nextDue.map { Self.relative($0, now: now) + Self.reason(state?.nextDueReason) } ?? "soon"
        }
        let status = state?.fileResult?.rawValue ?? state?.lastStatus.map(String.init) ?? "-"
        return [
            row.id.rawValue, state?.lastAttempt.map { Self.relative($0, now: now) } ?? "never",
            state?.lastSuccess.map { Self.relative($0, now: now) } ?? "never", status,
            state.map { String($0.lastFound) } ?? "-", String(state?.filtered ?? 0), String(state?.consecutiveFailures ?? 0),
            next,
            Self.printable(state?.lastError ?? ""),
        ]
    }

    /// ` (skipHours)`: why the next poll is not simply an interval after the last; nothing for a plain interval.
    static func reason(_ reason: String?) -> String {
        guard let reason, reason != "interval" else { return "" }
        return " (\(reason))"
    }

    /// `text` with control characters shown as U+FFFD: an error message may quote what a server sent.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isControlCharacter ? "\u{FFFD}" : $0 }))
    }

    /// `3m ago`, `in 12m`, `2d ago`: what a person reads at a glance.
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now).rounded())
        let magnitude = abs(seconds)
        let text: String
        switch magnitude {
        case ..<60: text = "\(magnitude)s"
        case ..<3600: text = "\(magnitude / 60)m"
        case ..<86400: text = "\(magnitude / 3600)h\(magnitude % 3600 / 60 > 0 ? "\(magnitude % 3600 / 60)m" : "")"
        default: text = "\(magnitude / 86400)d"
        }
        if magnitude < 1 { return "now" }
        return seconds < 0 ? "\(text) ago" : "in \(text)"
    }
}
