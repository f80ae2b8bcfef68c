/// Tells what a document that is not a feed looks like, and where the XML of a feed with junk in front starts.
enum FormatSniffer {
    /// The offset of the XML declaration or feed root element within the first 4 KB, for documents that start
    /// with junk (a PHP warning, a stray byte); nil when there is none.
    static func startOfMarkup(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let window = bytes.prefix(4096)
        for marker in ["<?xml", "<rss", "<feed", "<rdf:RDF", "<RDF"] {
            let needle = Array(marker.utf8)
            if let index = firstIndex(of: needle, in: window) { return index }
        }
        return nil
    }

    /// A phrase for a document whose first non-blank byte is not `<`.
    static func describeNonXML(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> String {
        let head = bytes[start..<min(bytes.count, start + 512)]
        if head.contains(0) || head.filter({ $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) }).count > head.count / 10 {
            return "binary data"
        }
        if head.first == UInt8(ascii: "[") { return "a JSON array, not a JSON Feed object" }
        return "text that is not XML, starting \"\(snippet(bytes, from: start))\""
    }

    /// A phrase for an XML document whose root is not that of a feed.
    static func describe(root: XMLElementName?, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let root else { return "no XML element found" }
        if root.localName.lowercased() == "html" {
            if let title = htmlTitle(in: bytes) { return "an HTML page (title \"\(title)\")" }
            return "an HTML page"
        }
        return "the root element is <\(root.localName)>, not rss, RDF or feed"
    }

    /// The 1-based line of `offset`.
    static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
        return line
    }

    private static func htmlTitle(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let lowered = bytes.prefix(65536).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        guard let open = firstIndex(of: Array("<title".utf8), in: lowered[...]),
            let gt = lowered[open...].firstIndex(of: UInt8(ascii: ">")),
            let close = firstIndex(of: Array("</title".utf8), in: lowered[gt...])
        else { return nil }
        var text: [UInt8] = []
        XMLText.appendDecoded(UnsafeBufferPointer(rebasing: bytes[(gt + 1)..<close]), to: &text)
        let title = PlainText.from(String(decoding: text, as: UTF8.self))
        return title.isEmpty ? nil : String(title.prefix(80))
    }

    /// The first characters of a document for an error message: newlines as spaces, and every other control
    /// character (which could drive a terminal that shows the message) as U+FFFD.
    private static func snippet(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> String {
        let text = String(decoding: bytes[start..<min(bytes.count, start + 40)], as: UTF8.self)
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                cleaned.append(" ")
            } else if scalar.isControlCharacter {
                cleaned.append("\u{FFFD}")
            } else {
                cleaned.append(scalar)
            }
        }
        return String(cleaned)
    }

    private static func firstIndex<C: Collection>(of needle: [UInt8], in haystack: C) -> Int?
    where C.Element == UInt8, C.Index == Int {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
