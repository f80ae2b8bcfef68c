import Testing

@testable import FeedCore

@Suite struct JSONValueTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    /// The description of the syntax error `text` gives, or nil when it parses.
    private func syntaxError(_ bytes: [UInt8]) -> String? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func everyKindOfValue() throws {
        let value = try parse(
            #"{"s": "a\"b\\c\/d\n", "n": -12.5e+3, "t": true, "f": false, "z": null, "a": [1, [], {}]}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(members.map(\.key) == ["s", "n", "t", "f", "z", "a"])
        #expect(
            members.map(\.value) == [
                .string("a\"b\\c/d\n"), .number("-12.5e+3"), .bool(true), .bool(false), .null,
                .array([.number("1"), .array([]), .object([])]),
            ])
    }

    @Test func numbersKeepTheirLiteralText() throws {
        #expect(
            try parse("[16, 16.0, 1.6e1, 0, -0]") == .array(["16", "16.0", "1.6e1", "0", "-0"].map(JSONValue.number)))
    }

    @Test func membersKeepOrderDuplicatesAndPositions() throws {
        let text = "{\n  \"b\": 1,\r\n  \"a\": 2,\r  \"é\": 3, \"b\": 4\n}"
        guard case .object(let members) = try parse(text) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "é", "b"])
        #expect(members.map(\.line) == [2, 3, 4, 4])
        // Columns count characters: "é" is one column although it is two bytes.
        #expect(members.map(\.column) == [3, 3, 3, 11])
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""\u00e9\u20AC\ud83d\ude00""#) == .string("é€😀"))
        #expect(try parse("\"é😀\"") == .string("é😀"))
    }

    @Test func byteOrderMarkIsSkipped() {
        #expect(throws: Never.self) { try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) }
        #expect(
            syntaxError([0xEF, 0xBB, 0xBF] + Array("{,}".utf8)) == "line 1, column 2: expected a key in double quotes")
    }

    @Test(arguments: [
        (#"{"a": 1 "b": 2}"#, "line 1, column 9: expected ',' or '}'"),
        ("{\n  \"a\": 1,\n}", "line 3, column 1: expected a key in double quotes (no comma after the last member)"),
        ("[1, 2,]", "line 1, column 7: expected a value (no comma after the last element)"),
        ("[1 2]", "line 1, column 4: expected ',' or ']'"),
        (
            #"{"a": yes}"#,
            "line 1, column 7: expected a value (text needs double quotes; literals are true, false and null)"
        ),
        (
            #"{"a": True}"#,
            "line 1, column 7: expected a value (text needs double quotes; literals are true, false and null)"
        ),
        (
            #"{"a": nul}"#,
            "line 1, column 7: expected a value (text needs double quotes; literals are true, false and null)"
        ),
        ("{'a': 1}", "line 1, column 2: expected a key in double quotes (strings take double quotes)"),
        (#"{"a": 'x'}"#, "line 1, column 7: expected a value (strings take double quotes)"),
        ("// settings\n{}", "line 1, column 1: expected a value (JSON has no comments)"),
        ("{\"a\": 1, // note\n}", "line 1, column 10: expected a key in double quotes (JSON has no comments)"),
        (#"{"a": 1} {}"#, "line 1, column 10: unexpected text after the end of the JSON value"),
        ("", "line 1, column 1: the file is empty; expected a JSON value"),
        ("  \n ", "line 2, column 2: the file is empty; expected a JSON value"),
        (#"{"a": 1"#, "line 1, column 8: expected ',' or '}', found the end of the file"),
        (#"{"a":"#, "line 1, column 6: expected a value, found the end of the file"),
        (#"{"a" 1}"#, "line 1, column 6: expected ':' after the key"),
        (#"{"a": "x"#, "line 1, column 9: a string is not closed at the end of the file"),
        ("{\"a\": \"x\n\"}", "line 1, column 9: a string must end on its line (a '\"' missing?)"),
        ("{\"a\": \"x\ty\"}", "line 1, column 9: a control character in a string must be escaped, like \\t"),
        (#"{"a": "\x"}"#, #"line 1, column 9: unknown escape; use \", \\, \/, \b, \f, \n, \r, \t or \uXXXX"#),
        (#"{"a": "\u12"}"#, #"line 1, column 12: \u needs 4 hexadecimal digits"#),
        (#"["\ud83d"]"#, #"line 1, column 3: \u escape of a lone surrogate"#),
        (#"["\ude00"]"#, #"line 1, column 3: \u escape of a lone surrogate"#),
        (#"["\ud83d\u0041"]"#, #"line 1, column 3: \u escape of a lone surrogate"#),
        (#"{"a": 01}"#, "line 1, column 8: a number must not start with 0"),
        (#"{"a": -}"#, "line 1, column 8: expected a digit after '-'"),
        (#"{"a": 1.}"#, "line 1, column 9: expected a digit after '.'"),
        (#"{"a": 1e}"#, "line 1, column 9: expected a digit after the exponent"),
        (#"{"a": .5}"#, "line 1, column 7: expected a value"),
        (#"{"a": +1}"#, "line 1, column 7: expected a value"),
        ("{\"é\": 1 \"b\": 2}", "line 1, column 9: expected ',' or '}'"),
        ("{\r\n\"a\": 1\r\n\"b\": 2}", "line 3, column 1: expected ',' or '}'"),
    ])
    func syntaxErrorsNameLineAndColumn(text: String, message: String) {
        #expect(syntaxError(Array(text.utf8)) == message)
    }

    @Test func invalidUTF8IsReportedWhereItStarts() {
        #expect(
            syntaxError(Array("{\n \"a\": \"".utf8) + [0xFF] + Array("\"}".utf8))
                == "line 2, column 8: not valid UTF-8 (JSON text must be UTF-8)")
        // A UTF-16 encoded surrogate (ED A0 80) is not UTF-8 either.
        #expect(
            syntaxError(Array("[\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"]".utf8))
                == "line 1, column 3: not valid UTF-8 (JSON text must be UTF-8)")
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "[", count: 10_000)
        #expect(syntaxError(Array(deep.utf8)) == "line 1, column 129: nested more than 128 levels deep")
        let fine = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(syntaxError(Array(fine.utf8)) == nil)
    }

    @Test func summaryShowsWhatWasFound() {
        #expect(JSONValue.string("yes").summary == #""yes""#)
        #expect(JSONValue.string("a\nb\"c").summary == #""a\nb\"c""#)
        #expect(
            JSONValue.string(String(repeating: "x", count: 100)).summary == "\"" + String(repeating: "x", count: 60)
                + "…\"")
        #expect(JSONValue.number("1.50").summary == "1.50")
        #expect(JSONValue.bool(false).summary == "false")
        #expect(JSONValue.null.summary == "null")
        #expect(JSONValue.array([]).summary == "an array")
        #expect(JSONValue.object([]).summary == "an object")
    }

    @Test func quotedEscapesControlCharacters() {
        #expect(JSONValue.quoted("tab\there \u{1} \u{7F} \\ é") == #""tab\there \u0001 \u007f \\ é""#)
    }
}
