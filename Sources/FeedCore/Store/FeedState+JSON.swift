import Foundation

/// `FeedState` in the states files, read and written by hand rather than by JSONDecoder and JSONEncoder.
///
/// With 100,000 feeds the states file is about 33 MB. JSONDecoder held all of it as a tree before the first state
/// came out (half of a 5 s start-up, and most of its peak memory), and JSONEncoder cost an encoder's set-up per
/// state at every rewrite. Here a state is read from one member's small tree (`JSONParser.forEachMember`) and
/// written straight into the file's bytes. The format is the one the Codable conformance reads and writes: keys in
/// sorted order, absent values left out, dates in RFC 3339 UTC.
extension FeedState {
    /// Why a state could not be read: the member's key and what was wrong.
    struct JSONProblem: Error, CustomStringConvertible {
        var field: String
        var reason: String
        var description: String { "\(field): \(reason)" }
    }

    /// Reads a state from its object; unknown keys are ignored, as a newer feedd may have written them.
    /// - Throws: `JSONProblem` when a known field has a value of the wrong type. A malformed `file_result`,
    ///   `publisher_hints` or `publication_rate` is dropped instead: each is only a hint.
    init(json value: JSONValue) throws(JSONProblem) {
        guard case .object(let members) = value else { throw JSONProblem(field: "state", reason: "not an object") }
        var state = Fields()
        for member in members {
            let field = JSONField(member)
            switch member.key {
            case "etag": state.etag = try field.string()
            case "last_modified": state.lastModified = try field.string()
            case "permanent_url": state.permanentURL = try field.string()
            case "gone": state.gone = try field.bool() ?? false
            case "gone_reason": state.goneReason = try field.string()
            case "last_attempt": state.lastAttempt = try field.date()
            case "last_success": state.lastSuccess = try field.date()
            case "last_status": state.lastStatus = try field.integer()
            case "file_result": state.fileResult = (try? field.string()).flatMap { $0.flatMap(FileResult.init(rawValue:)) }
            case "last_found": state.lastFound = try field.integer() ?? 0
            case "consecutive_failures": state.consecutiveFailures = try field.integer() ?? 0
            case "filtered": state.filtered = try field.integer() ?? 0
            case "next_due": state.nextDue = try field.date()
            case "last_error": state.lastError = try field.string()
            case "retry_after": state.retryAfter = try field.date()
            case "config_url": state.configURL = try field.string()
            case "site_url": state.siteURL = try field.string()
            case "publisher_hints": state.publisherHints = try? PublisherHints(json: member.value)
            case "publication_rate": state.publicationRate = try? PublicationRate(json: member.value)
            case "next_due_reason": state.nextDueReason = try field.string()
            default: continue
            }
        }
        self.init(fields: state)
    }

    /// Writes the state as an object, its keys sorted as JSONEncoder's `.sortedKeys` would write them.
    func write(to json: inout JSONWriter) {
        let state = fields
        json.beginObject()
        if let configURL = state.configURL { json.key("config_url"); json.string(configURL) }
        json.key("consecutive_failures"); json.number(state.consecutiveFailures)
        if let etag = state.etag { json.key("etag"); json.string(etag) }
        if let fileResult = state.fileResult { json.key("file_result"); json.string(fileResult.rawValue) }
        json.key("filtered"); json.number(state.filtered)
        json.key("gone"); json.bool(state.gone)
        if let goneReason = state.goneReason { json.key("gone_reason"); json.string(goneReason) }
        if let lastAttempt = state.lastAttempt { json.key("last_attempt"); json.date(lastAttempt) }
        if let lastError = state.lastError { json.key("last_error"); json.string(lastError) }
        json.key("last_found"); json.number(state.lastFound)
        if let lastModified = state.lastModified { json.key("last_modified"); json.string(lastModified) }
        if let lastStatus = state.lastStatus { json.key("last_status"); json.number(lastStatus) }
        if let lastSuccess = state.lastSuccess { json.key("last_success"); json.date(lastSuccess) }
        if let nextDue = state.nextDue { json.key("next_due"); json.date(nextDue) }
        if let nextDueReason = state.nextDueReason { json.key("next_due_reason"); json.string(nextDueReason) }
        if let permanentURL = state.permanentURL { json.key("permanent_url"); json.string(permanentURL) }
        if let publicationRate = state.publicationRate { json.key("publication_rate"); publicationRate.write(to: &json) }
        if let publisherHints = state.publisherHints { json.key("publisher_hints"); publisherHints.write(to: &json) }
        if let retryAfter = state.retryAfter { json.key("retry_after"); json.date(retryAfter) }
        if let siteURL = state.siteURL { json.key("site_url"); json.string(siteURL) }
        json.endObject()
    }
}

extension PublisherHints {
    init(json value: JSONValue) throws(FeedState.JSONProblem) {
        guard case .object(let members) = value else {
            throw FeedState.JSONProblem(field: "publisher_hints", reason: "not an object")
        }
        self.init()
        for member in members {
            let field = JSONField(member)
            switch member.key {
            case "ttl": ttl = try field.double()
            case "update_step": updateStep = try field.double()
            case "update_base": updateBase = try field.date()
            case "skip_hours": skipHours = try field.integers()
            case "skip_days": skipDays = try field.integers()
            default: continue
            }
        }
    }

    func write(to json: inout JSONWriter) {
        json.beginObject()
        if !skipDays.isEmpty { json.key("skip_days"); json.numbers(skipDays) }
        if !skipHours.isEmpty { json.key("skip_hours"); json.numbers(skipHours) }
        if let ttl { json.key("ttl"); json.double(ttl) }
        if let updateBase { json.key("update_base"); json.date(updateBase) }
        if let updateStep { json.key("update_step"); json.double(updateStep) }
        json.endObject()
    }
}

extension PublicationRate {
    init(json value: JSONValue) throws(FeedState.JSONProblem) {
        guard case .object(let members) = value else {
            throw FeedState.JSONProblem(field: "publication_rate", reason: "not an object")
        }
        self.init()
        for member in members {
            let field = JSONField(member)
            switch member.key {
            case "observed_gap": observedGap = try field.double()
            case "dated_gap": datedGap = try field.double()
            case "last_new": lastNew = try field.date()
            case "newest_item": newestItem = try field.date()
            case "interval": interval = try field.double()
            default: continue
            }
        }
    }

    func write(to json: inout JSONWriter) {
        json.beginObject()
        if let datedGap { json.key("dated_gap"); json.double(datedGap) }
        if let interval { json.key("interval"); json.double(interval) }
        if let lastNew { json.key("last_new"); json.date(lastNew) }
        if let newestItem { json.key("newest_item"); json.date(newestItem) }
        if let observedGap { json.key("observed_gap"); json.double(observedGap) }
        json.endObject()
    }
}

/// One member's value read as the type a field wants; `null` reads as absent, as `decodeIfPresent` has it.
private struct JSONField {
    let key: String
    let value: JSONValue

    init(_ member: JSONValue.Member) {
        self.init(key: member.key, value: member.value)
    }

    init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }

    func string() throws(FeedState.JSONProblem) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        default: throw wrong("a string")
        }
    }

    func bool() throws(FeedState.JSONProblem) -> Bool? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag
        default: throw wrong("true or false")
        }
    }

    func double() throws(FeedState.JSONProblem) -> Double? {
        switch value {
        case .null: return nil
        case .number(let literal):
            guard let number = Double(literal), number.isFinite else { throw wrong("a number") }
            return number
        default: throw wrong("a number")
        }
    }

    /// A whole number; `3.0` reads as 3, as JSONDecoder reads it.
    func integer() throws(FeedState.JSONProblem) -> Int? {
        guard let number = try double() else { return nil }
        if case .number(let literal) = value, let exact = Int(literal) { return exact }
        guard let whole = Int(exactly: number) else { throw wrong("a whole number") }
        return whole
    }

    func integers() throws(FeedState.JSONProblem) -> [Int] {
        switch value {
        case .null: return []
        case .array(let elements):
            var numbers: [Int] = []
            for element in elements {
                guard let number = try JSONField(key: key, value: element).integer() else {
                    throw wrong("an array of whole numbers")
                }
                numbers.append(number)
            }
            return numbers
        default: throw wrong("an array of whole numbers")
        }
    }

    func date() throws(FeedState.JSONProblem) -> Date? {
        guard let text = try string() else { return nil }
        guard let date = FeedDate.parse(text) else { throw wrong("a date") }
        return date
    }

    private func wrong(_ expected: String) -> FeedState.JSONProblem {
        FeedState.JSONProblem(field: key, reason: "expected \(expected), found \(value.summary)")
    }
}
