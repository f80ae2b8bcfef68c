import Foundation
import Testing

@testable import FeedCore

/// One local document, one feed: every spelling of a file's URL derives one id, and a second spelling of a
/// listed file is a duplicate, as a second listing of a URL is.
@Suite struct FileFeedIdentityTests {
    private func problems(_ feeds: String) -> [String] {
        let json = #"{"feeds": "# + feeds + "}"
        switch ConfigDecoder.decode(Data(json.utf8), file: "feeds.json", baseDirectory: URL(fileURLWithPath: "/srv/cfg")) {
        case .success: return []
        case .failure(let problems): return problems.map(\.description)
        }
    }

    @Test func everySpellingOfOneFileDerivesOneId() {
        let spellings = [
            "file:///tmp/x.xml", "file:/tmp/x.xml", "file://localhost/tmp/x.xml", "file:///tmp/./x.xml",
            "file:///tmp/a/../x.xml", "file:////tmp//x.xml",
        ]
        let ids = Set(spellings.map { FeedID.derived(from: $0) })
        #expect(ids.count == 1, "\(ids)")
        #expect(ids.first?.rawValue.hasPrefix("tmp-x.xml-") == true)
        #expect(FeedID.derived(from: "file:./www/../f0.xml") == FeedID.derived(from: "file:f0.xml"))
    }

    @Test func aFilePathKeepsItsWWWFolder() {
        #expect(FeedID.derived(from: "file:www/f0.xml").rawValue.hasPrefix("file-www-f0.xml-"))
        #expect(FeedID.derived(from: "file:///srv/www/f0.xml").rawValue.hasPrefix("srv-www-f0.xml-"))
    }

    /// The id names a feed on every line of the log and its state: a change would log its stories again.
    @Test func idsDerivedFromHTTPURLsAndCanonicalFileSpellingsDoNotChange() {
        #expect(FeedID.derived(from: "https://example.org/atom.xml").rawValue == "example.org-atom.xml-533697")
        #expect(FeedID.derived(from: "https://www.example.com/feed/").rawValue == "www.example.com-feed-4808b8")
        #expect(FeedID.derived(from: "file:///tmp/fhx/examples/la-news-daily.xml").rawValue
            == "tmp-fhx-examples-la-news-daily.xml-9d4b45")
        #expect(FeedID.derived(from: "file:examples/la-news-daily.xml").rawValue == "file-examples-la-news-daily.xml-02f7b1")
    }

    @Test func aSecondSpellingOfAListedFileIsADuplicate() {
        #expect(problems(#"["file:x.xml", "file:///srv/cfg/x.xml"]"#) == [
            #"feeds.json: feeds[1]: duplicate of feeds[0] (the same file as "file:x.xml", spelled differently)"#
        ])
        #expect(problems(#"["file:///tmp/x.xml", {"id": "b", "url": "file:/tmp/../tmp/x.xml"}]"#) == [
            #"feeds.json: feeds[1].url: duplicate of feeds[0] (the same file as "file:///tmp/x.xml", spelled differently)"#
        ])
        #expect(problems(#"[{"id": "a", "url": "file:x.xml"}, {"id": "b", "url": "file:x.xml"}]"#) == [
            "feeds.json: feeds[1].url: duplicate of feeds[0] (the same URL is listed twice)"
        ])
        #expect(problems(#"["file:x.xml", "file:y.xml", "file:///srv/other/x.xml"]"#).isEmpty)
    }
}
