import Foundation
import Testing

@testable import FeedCore

/// The states file's own reader and writer (`FeedState+JSON`) against the Codable conformance it replaced: files
/// written before it still load, and files it writes still load in a feedd that decodes them with JSONDecoder.
struct FeedStateJSONTests {
    /// Every field set, strings that need escapes, fractional and whole seconds.
    static let full = FeedState(
        etag: #"W/"abc\"def""#, lastModified: "Mon, 16 Jun 2025 18:04:00 GMT", permanentURL: "https://a.example/new/feed",
        gone: true, goneReason: "410 Gone\n(twice)", lastAttempt: Date(timeIntervalSince1970: 1_750_000_000),
        lastSuccess: Date(timeIntervalSince1970: 1_749_999_000), lastStatus: 304, fileResult: .unchanged, lastFound: 7,
        consecutiveFailures: 3, filtered: 12, nextDue: Date(timeIntervalSince1970: 1_750_000_900),
        lastError: "timed out \u{1}after 30s", retryAfter: Date(timeIntervalSince1970: 1_750_003_600),
        configURL: "https://a.example/feed?x=1&y=é", siteURL: "https://a.example/",
        publisherHints: PublisherHints(
            ttl: 3600, updateStep: 1234.5, updateBase: Date(timeIntervalSince1970: 946_684_800), skipHours: [0, 1, 23],
            skipDays: [0, 6]),
        publicationRate: PublicationRate(
            observedGap: 7261.123456789, datedGap: 0.1 + 0.2, lastNew: Date(timeIntervalSince1970: 1_749_990_000),
            newestItem: Date(timeIntervalSince1970: 1_749_980_000), interval: 900),
        nextDueReason: "auto 42m")

    static let sparse = FeedState(configURL: "https://b.example/rss")

    /// What the store wrote with JSONEncoder before: sorted keys, slashes unescaped, dates in RFC 3339 UTC.
    static func codable(_ state: FeedState) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(FeedDate.format(date))
        }
        return Array(try encoder.encode(state))
    }

    static func written(_ state: FeedState) -> [UInt8] {
        var json = JSONWriter()
        state.write(to: &json)
        return json.bytes
    }

    @Test(arguments: [full, sparse, FeedState()])
    func aStateReadsBackAsItWasWritten(state: FeedState) throws {
        #expect(try FeedState(json: JSONValue.parse(Self.written(state))) == state)
    }

    @Test(arguments: [full, sparse, FeedState()])
    func whatJSONEncoderWroteReadsTheSame(state: FeedState) throws {
        #expect(try FeedState(json: JSONValue.parse(Self.codable(state))) == state)
    }

    @Test(arguments: [full, sparse, FeedState()])
    func whatIsWrittenDecodesWithJSONDecoderToo(state: FeedState) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            return FeedDate.parse(try container.decode(String.self))!
        }
        #expect(try decoder.decode(FeedState.self, from: Data(Self.written(state))) == state)
    }

    @Test func keysComeInJSONEncodersSortedOrder() throws {
        guard case .object(let members) = try JSONValue.parse(Self.written(Self.full)) else {
            Issue.record("not an object")
            return
        }
        let keys = members.map(\.key)
        #expect(keys == keys.sorted())
        guard case .object(let expected) = try JSONValue.parse(Self.codable(Self.full)) else { return }
        #expect(keys == expected.map(\.key))
    }

    @Test func wholeSecondsAreWrittenAsIntegersAndOthersExactly() {
        var json = JSONWriter()
        json.beginArray()
        for value in [900, 1234.5, 0.1 + 0.2, -0.0, 1e300, .infinity] { json.double(value) }
        json.endArray()
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[900,1234.5,0.30000000000000004,0,1e+300,null]")
    }

    @Test(arguments: [
        (#"{"etag": 3}"#, "etag: expected a string, found 3"),
        (#"{"last_found": "two"}"#, #"last_found: expected a number, found "two""#),
        (#"{"consecutive_failures": 1.5}"#, "consecutive_failures: expected a whole number, found 1.5"),
        (#"{"next_due": "soon"}"#, #"next_due: expected a date, found "soon""#),
        (#"{"gone": "yes"}"#, #"gone: expected true or false, found "yes""#),
        ("[]", "state: not an object"),
    ])
    func aFieldOfTheWrongTypeIsNamed(text: String, problem: String) {
        #expect(throws: FeedState.JSONProblem.self) { try FeedState(json: JSONValue.parse(Array(text.utf8))) }
        do {
            _ = try FeedState(json: JSONValue.parse(Array(text.utf8)))
        } catch {
            #expect("\(error)" == problem)
        }
    }

    @Test func nullUnknownKeysAndMalformedHintsAreTolerated() throws {
        let text = #"{"etag":null,"gone":null,"last_found":3.0,"new_field":{"x":[1]},"publisher_hints":7,"file_result":"odd"}"#
        let state = try FeedState(json: JSONValue.parse(Array(text.utf8)))
        #expect(state == FeedState(lastFound: 3))
    }

    @Test func membersArriveOneAtATimeInOrder() throws {
        var seen: [String] = []
        try JSONParser.forEachMember(ofObjectIn: Array(#" {"b": {"x": 1}, "a": [2], "b": null} "#.utf8)) { member in
            seen.append("\(member.key)=\(member.value.summary)")
        }
        #expect(seen == ["b=an object", "a=an array", "b=null"])
        var none = 0
        try JSONParser.forEachMember(ofObjectIn: Array("{}".utf8)) { _ in none += 1 }
        #expect(none == 0)
    }

    @Test(arguments: ["", "[1]", #"{"a":1,}"#, #"{"a":1} x"#, #"{"a":1"#, #"{"a" 1}"#])
    func aDocumentThatIsNotOneObjectIsASyntaxError(text: String) {
        var calls = 0
        do {
            try JSONParser.forEachMember(ofObjectIn: Array(text.utf8)) { _ in calls += 1 }
            Issue.record("accepted \(text)")
        } catch .syntax {
        } catch {
            Issue.record("\(error)")
        }
        #expect(calls <= 1)
    }

    @Test func whatTheBodyThrowsStopsTheReading() {
        struct Stop: Error {}
        var calls = 0
        do {
            try JSONParser.forEachMember(ofObjectIn: Array(#"{"a":1,"b":2,"c":3}"#.utf8)) { member throws(Stop) in
                calls += 1
                if member.key == "b" { throw Stop() }
            }
            Issue.record("no error")
        } catch .rejected {
        } catch {
            Issue.record("\(error)")
        }
        #expect(calls == 2)
    }

    @Test func theStoreWritesAndReadsManyStates() throws {
        let directory = try TemporaryDirectory()
        let store = FeedStateStore(directory: directory.url)
        var states: [FeedID: FeedState] = [:]
        for index in 0..<500 {
            var state = index.isMultiple(of: 2) ? Self.full : Self.sparse
            state.lastFound = index
            states[FeedID("feed-\(index)")] = state
        }
        try store.saveStates(states)
        #expect(try store.loadStates() == states)
        let text = try directory.read(FeedStateStore.statesFileName)
        #expect(text.hasPrefix(#"{"feed-0":{"config_url":"#) && text.hasSuffix("}}\n"))
        // JSONDecoder reads the whole file as the store used to.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            FeedDate.parse(try decoder.singleValueContainer().decode(String.self))!
        }
        let decoded = try decoder.decode([String: FeedState].self, from: Data(text.utf8))
        #expect(decoded.count == 500 && decoded["feed-4"] == states[FeedID("feed-4")])
    }

    @Test func aStatesFileWithAWrongFieldIsCorruptAndSaysWhere() throws {
        let directory = try TemporaryDirectory()
        try directory.write(#"{"a":{"etag":"x"},"b":{"next_due":12}}"#, to: FeedStateStore.statesFileName)
        let store = FeedStateStore(directory: directory.url)
        #expect {
            try store.loadStates()
        } throws: { error in
            "\(error)".contains("not a feed states file (next_due: expected a string, found 12)")
        }
    }
}
