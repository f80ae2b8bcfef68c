import Foundation

/// Writes one line per event for journald and for people: `<4>fetch failed feed=ladaily error="HTTP 503"`.
///
/// The `<N>` prefix is sd-daemon(3)'s priority, which journald turns into PRIORITY=; messages are constant
/// phrases and the data go in `key=value` pairs, quoted when needed, newlines escaped.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case critical = 2
        case error = 3
        case warning = 4
        case notice = 5
        case info = 6
        case debug = 7

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue > rhs.rawValue }

        /// The names `$FEEDD_LOG_LEVEL` takes, most verbose first.
        public static let names: KeyValuePairs<String, Level> = [
            "debug": .debug, "info": .info, "notice": .notice, "warning": .warning, "error": .error,
            "critical": .critical,
        ]

        /// The level named `name` (any case); nil for an unknown name.
        public init?(name: String) {
            guard let level = Self.names.first(where: { $0.key == name.lowercased() })?.value else { return nil }
            self = level
        }
    }

    let sink: LogSink
    let threshold: Level
    /// Whether lines start with an RFC 3339 time; journald stamps lines itself.
    let timestamps: Bool
    let clock: @Sendable () -> Date

    public init(sink: LogSink, threshold: Level = .info, timestamps: Bool, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.sink = sink
        self.threshold = threshold
        self.timestamps = timestamps
        self.clock = clock
    }

    /// A logger for standard error: timestamps unless journald reads the stream (`$JOURNAL_STREAM` set).
    public static func standardError(environment: [String: String], threshold: Level = .info) -> Logger {
        Logger(sink: OutputLogSink(output: .standardError), threshold: threshold,
               timestamps: environment["JOURNAL_STREAM"] == nil)
    }

    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, CustomStringConvertible?> = [:]) {
        guard level >= threshold else { return }
        var line = "<\(level.rawValue)>"
        if timestamps { line += FeedDate.format(clock()) + " " }
        line += message
        for (key, value) in fields {
            guard let value else { continue }
            line += " \(key)=\(Self.quoted(value.description))"
        }
        sink.write(line)
    }

    public func info(_ message: String, _ fields: KeyValuePairs<String, CustomStringConvertible?> = [:]) {
        log(.info, message, fields)
    }

    public func warning(_ message: String, _ fields: KeyValuePairs<String, CustomStringConvertible?> = [:]) {
        log(.warning, message, fields)
    }

    public func error(_ message: String, _ fields: KeyValuePairs<String, CustomStringConvertible?> = [:]) {
        log(.error, message, fields)
    }

    /// `value`, in double quotes when it is empty or holds a space, a quote, `=` or a control character; newlines
    /// and every other control character escaped, so that text from a feed server can neither forge a log line
    /// nor send escape sequences to a terminal.
    static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.isControlCharacter
        }
        guard needsQuotes else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.isControlCharacter: escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

}

/// Where log lines go.
public protocol LogSink: Sendable {
    func write(_ line: String)
}

/// Log lines to an `Output` (standard error in production).
public struct OutputLogSink: LogSink {
    let output: Output

    public init(output: Output) {
        self.output = output
    }

    public func write(_ line: String) {
        output.line(line)
    }
}
