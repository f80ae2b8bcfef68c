import Testing

@testable import FeedCore

@Suite struct HTTPHeadersTests {
    @Test func lookupIgnoresCase() {
        let headers: HTTPHeaders = ["Etag": "\"a\""]
        #expect(headers["ETag"] == "\"a\"")
        #expect(headers["etag"] == "\"a\"")
        #expect(headers["Last-Modified"] == nil)
    }

    @Test func settingReplacesEveryFieldOfTheNameInPlace() {
        var headers: HTTPHeaders = ["Accept": "a", "User-Agent": "u", "X": "x"]
        headers["user-agent"] = "mine"
        #expect(
            headers.fields == [
                .init(name: "Accept", value: "a"), .init(name: "user-agent", value: "mine"),
                .init(name: "X", value: "x"),
            ])
        headers["ACCEPT"] = nil
        #expect(headers.fields.map(\.name) == ["user-agent", "X"])
    }

    @Test func dictionaryFieldsComeInNameOrder() {
        #expect(HTTPHeaders(["b": "2", "a": "1", "C": "3"]).fields.map(\.name) == ["C", "a", "b"])
    }
}
