import Foundation
import Testing

@testable import FeedCore

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct XMLTokenizerTests {
    typealias Event = RecordingHandler.Event

    @Test func elementsAttributesAndText() {
        let (events, problems) = RecordingHandler.tokenize(#"<a x="1" y='two &amp; three'>hi <b/>there</a>"#)
        #expect(events == [.start("a", ["x": "1", "y": "two & three"]), .text("hi "), .start("b", [:]), .end("b"), .text("there"), .end("a")])
        #expect(problems.isEmpty)
    }

    @Test func cdataCommentsAndProcessingInstructions() {
        let (events, _) = RecordingHandler.tokenize("<?xml version=\"1.0\"?><a><!-- c <b> --><![CDATA[<p>&amp;</p>]]><?pi x?>z</a>")
        #expect(events == [.start("a", [:]), .text("<p>&amp;</p>z"), .end("a")])
    }

    @Test func aLessThanThatStartsNoMarkupIsText() {
        let (events, _) = RecordingHandler.tokenize("<a>1 < 2 <= 3 <3</a>")
        #expect(events == [.start("a", [:]), .text("1 < 2 <= 3 <3"), .end("a")])
    }

    @Test func endTagClosesTheNearestOpenElementOfItsName() {
        let (events, problems) = RecordingHandler.tokenize("<a><b><c>x</b><d/></a>")
        #expect(events == [.start("a", [:]), .start("b", [:]), .start("c", [:]), .text("x"), .end("c"), .end("b"), .start("d", [:]), .end("d"), .end("a")])
        #expect(problems.map(\.message) == ["<c> closed by </b>"])
    }

    @Test func strayEndTagIsIgnoredAndUnclosedElementsCloseAtTheEnd() {
        let (events, problems) = RecordingHandler.tokenize("<a></x><b>text")
        #expect(events == [.start("a", [:]), .start("b", [:]), .text("text"), .end("b"), .end("a")])
        #expect(problems.map(\.message) == ["end tag </x> matches no open element", "<b> and 1 enclosing elements not closed at the end"])
    }

    @Test func doctypeWithInternalSubsetIsSkippedWhole() {
        let (events, _) = RecordingHandler.tokenize("<!DOCTYPE a [<!ENTITY e \"<b>\"> <!-- ] > --> ]><a>&e;</a>")
        #expect(events == [.start("a", [:]), .text("&e;"), .end("a")])
    }

    @Test func unquotedAndValuelessAttributesAreForgiven() {
        let (events, _) = RecordingHandler.tokenize("<a href=x.html checked title = \"t\">.</a>")
        #expect(events.first == .start("a", ["href": "x.html", "checked": "", "title": "t"]))
    }

    @Test func truncatedInsideATag() {
        let (events, problems) = RecordingHandler.tokenize("<a><b attr=\"unterminated")
        #expect(events == [.start("a", [:]), .end("a")])
        #expect(problems.first?.message == "document ends inside markup (truncated?)")
    }

    @Test func namespacesResolveThroughDeclarationsAndConventionalPrefixes() {
        let text = #"<r xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://search.yahoo.com/mrss/"><m:content/><dc:creator/><x:y/></r>"#
        let bytes = Array(text.utf8)
        struct Names: XMLTokenHandler {
            var names: [XMLElementName] = []
            mutating func startElement(_ name: XMLElementName, attributes: XMLAttributes, contentStart: Int) { names.append(name) }
            mutating func endElement(_ name: XMLElementName, contentEnd: Int) {}
            mutating func characters(_ raw: UnsafeBufferPointer<UInt8>) {}
            mutating func cdata(_ text: UnsafeBufferPointer<UInt8>) {}
        }
        let names = bytes.withUnsafeBufferPointer { XMLTokenizer.tokenize($0, into: Names()).0.names }
        #expect(names.map(\.namespace) == [.atom, .media, .dc, .other])
        #expect(names.map(\.localName) == ["r", "content", "creator", "y"])
    }

    /// Differential test against libxml2 (through XMLParser): on every well-formed corpus document the tokenizer
    /// must see the same elements in the same order and the same amount of text. Line ends are not counted:
    /// XMLParser leaves carriage returns in CDATA, which XML 1.0 §2.11 (and feedd) turns into line feeds.
    @Test func agreesWithLibxml2OnWellFormedCorpusDocuments() throws {
        guard let corpus = Fixtures.corpus else { return }
        let index = try String(contentsOf: corpus.appendingPathComponent("INDEX.tsv"), encoding: .utf8)
        var compared = 0
        for line in index.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count > 4, fields[3] == "yes", fields[4].lowercased().contains("utf-8") else { continue }
            let data = try Data(contentsOf: corpus.appendingPathComponent(String(fields[0])))
            let reference = LibXML2Events(data)
            guard reference.ok else { continue }
            let ours = [UInt8](data).withUnsafeBufferPointer { XMLTokenizer.tokenize($0, into: RecordingHandler()).0 }
            let names = ours.events.compactMap { event -> String? in
                if case .start(let name, _) = event { return name }
                return nil
            }
            #expect(names == reference.names, "\(fields[0]): element sequence differs")
            #expect(ours.textBytes == reference.textBytes, "\(fields[0]): text differs")
            compared += 1
        }
        #expect(compared > 100)
    }
}

/// Element names and text length as XMLParser (libxml2) reports them.
private final class LibXML2Events: NSObject, XMLParserDelegate {
    var names: [String] = []
    var textBytes = 0
    var ok = false

    init(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = self
        ok = parser.parse()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        names.append(elementName)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        textBytes += string.utf8.count { $0 != 0x0A && $0 != 0x0D }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        textBytes += CDATABlock.count { $0 != 0x0A && $0 != 0x0D }
    }
}
