@testable import FeedCore

/// Records what the tokenizer reports, as values: start and end names, and all text decoded.
struct RecordingHandler: XMLTokenHandler {
    enum Event: Equatable {
        case start(String, [String: String])
        case end(String)
        case text(String)
    }

    var events: [Event] = []
    var textBytes = 0

    mutating func startElement(_ name: XMLElementName, attributes: XMLAttributes, contentStart: Int) {
        var values: [String: String] = [:]
        for (key, value) in attributes.all where !key.hasPrefix("xmlns") { values[key] = value }
        events.append(.start(name.localName, values))
    }

    mutating func endElement(_ name: XMLElementName, contentEnd: Int) {
        events.append(.end(name.localName))
    }

    mutating func characters(_ raw: UnsafeBufferPointer<UInt8>) {
        var out: [UInt8] = []
        XMLText.appendDecoded(raw, to: &out)
        appendText(String(decoding: out, as: UTF8.self))
    }

    mutating func cdata(_ text: UnsafeBufferPointer<UInt8>) {
        var out: [UInt8] = []
        XMLText.appendCDATA(text, to: &out)
        appendText(String(decoding: out, as: UTF8.self))
    }

    private mutating func appendText(_ text: String) {
        textBytes += text.utf8.count { $0 != 0x0A && $0 != 0x0D }
        if case .text(let previous) = events.last {
            events[events.count - 1] = .text(previous + text)
        } else {
            events.append(.text(text))
        }
    }

    /// Tokenizes `text` and returns the events and problems.
    static func tokenize(_ text: String) -> ([Event], [XMLProblem]) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            let (handler, problems) = XMLTokenizer.tokenize(buffer, into: RecordingHandler())
            return (handler.events, problems)
        }
    }
}
