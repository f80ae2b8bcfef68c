import Foundation

/// `interval`, `min_interval` and `max_interval`, at the top level and in each feed: a duration, or `"auto"` for
/// an interval learned from the feed's pace within `min_interval` (default 5m) and `max_interval` (default 1d).
extension ConfigDecoder {
    /// The interval settings of one level, with those of the level above applied.
    struct IntervalSetting {
        var interval: TimeInterval = 15 * 60
        var auto = false
        var minimum = AutoInterval.defaultMinimum
        var maximum = AutoInterval.defaultMaximum

        /// What a feed with this setting polls at: `FeedConfig.interval` and `FeedConfig.auto`.
        var feedValues: (interval: TimeInterval, auto: AutoInterval?) {
            auto ? (minimum, AutoInterval(minimum: minimum, maximum: maximum)) : (interval, nil)
        }
    }

    /// The interval settings of the object whose fields are `fields` at `path` ("" for the top level).
    /// - Parameter feed: whether the object is a feed, where bounds without `"auto"` would mean nothing.
    mutating func intervalSetting(
        _ fields: [String: JSONValue], at path: String, inheriting parent: IntervalSetting, feed: Bool
    ) -> IntervalSetting {
        var setting = parent
        if let value = fields["interval"] {
            if case .string(let text) = value, text == "auto" {
                setting.auto = true
            } else if let seconds = duration(value, at: Self.path(path, "interval"), bound: .atLeast(1)) {
                setting.auto = false
                setting.interval = seconds
            }
        }
        var boundsValid = true
        for key in ["min_interval", "max_interval"] {
            guard let value = fields[key] else { continue }
            guard let seconds = duration(value, at: Self.path(path, key), bound: .atLeast(1)) else {
                boundsValid = false
                continue
            }
            if key == "min_interval" { setting.minimum = seconds } else { setting.maximum = seconds }
            if feed && !setting.auto {
                report(at: Self.path(path, key), "applies only with \"interval\": \"auto\"")
            }
        }
        if boundsValid, setting.minimum > setting.maximum, fields["min_interval"] != nil || fields["max_interval"] != nil {
            let key = fields["max_interval"] != nil ? "max_interval" : "min_interval"
            report(
                at: Self.path(path, key),
                "min_interval (\(DurationSyntax.format(setting.minimum))) must not exceed max_interval "
                    + "(\(DurationSyntax.format(setting.maximum)))")
        }
        return setting
    }
}
