#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One start tag as `HTMLScanner` read it: the name and attribute names in lowercase, the values with their
/// character references decoded.
struct HTMLTag: Equatable {
    struct Attribute: Equatable {
        var name: String
        var value: String
    }

    var name: String
    var attributes: [Attribute]
    /// Written `<name/>`: HTML ignores it except on foreign elements (`<svg/>`), which it closes.
    var selfClosing = false

    /// The value of attribute `name` (lowercase); the first one wins when the tag repeats it, as in HTML.
    func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }
}

/// A forgiving reader of the tags of an HTML page, for feed discovery.
///
/// Real pages are not XML, so this does not tokenize them as XML: it follows the HTML tokenizer (WHATWG HTML §13.2.5)
/// only as far as finding tags needs. Attributes come in any order, with double, single or no quotes, in any case;
/// a `>` inside a quoted value does not end the tag. Comments, `<![CDATA[…]]>`, doctypes and processing
/// instructions are skipped, and so is the content of the raw-text elements (`<script>`, `<style>`, `<title>`,
/// `<textarea>`…), where a `<link>` is text, not a tag. One pass, no tree: the page is at most the size cap, and
/// only the tags the caller keeps are turned into strings.
///
/// `HTMLScanner(everything:)` reports the whole page instead (every start and end tag, and the text between),
/// for `HTMLTreeBuilder`: one reader of tags for discovery and for article extraction.
struct HTMLScanner {
    enum Token: Equatable {
        /// A start tag whose name the caller keeps.
        case tag(HTMLTag)
        /// The content of a raw-text element whose name the caller keeps (`script`), as a range of the bytes.
        case rawText(element: String, range: Range<Int>)
        /// Text between tags, as a range of the bytes, character references not yet decoded (full mode only).
        case text(Range<Int>)
        /// An end tag (full mode only).
        case endTag(String)
    }

    /// Elements whose content is text up to their end tag, never markup (WHATWG HTML §13.1.2, raw text and
    /// escapable raw text, and the legacy ones the tokenizer treats alike).
    static let rawTextElements: Set<String> = [
        "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
    ]

    private let bytes: UnsafeBufferPointer<UInt8>
    private let keeping: Set<String>
    /// Full mode: every tag is kept, and text and end tags are reported too.
    private let everything: Bool
    private var index = 0
    /// Where the text not reported yet starts (full mode).
    private var textStart = 0
    /// The raw text of the last tag kept, reported by the next call.
    private var pendingRawText: Token?

    /// A scanner of `bytes` (UTF-8) that reports the start tags named in `names` (lowercase) and the content of
    /// the raw-text elements among them.
    init(_ bytes: UnsafeBufferPointer<UInt8>, keeping names: Set<String>) {
        self.bytes = bytes
        keeping = names
        everything = false
    }

    /// A scanner of `bytes` (UTF-8) that reports every start tag, end tag, raw text and run of text, in page order.
    init(everything bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        keeping = []
        everything = true
    }

    /// The next kept tag or raw text, in page order; nil at the end of the page.
    mutating func next() -> Token? {
        if let pending = pendingRawText {
            pendingRawText = nil
            return pending
        }
        while let open = nextByte(UInt8(ascii: "<"), from: index) {
            index = open + 1
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if everything {
                let markup = byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "/")
                    || byte.isASCIILetter
                guard markup else { continue }  // the `<` is text
                if textStart < open {
                    let text = textStart..<open
                    textStart = open
                    index = open
                    return .text(text)
                }
            }
            defer { textStart = index }
            if everything, byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1].isASCIILetter {
                let nameStart = index + 1
                var nameEnd = nameStart
                while nameEnd < bytes.count, !isTagNameEnd(bytes[nameEnd]) { nameEnd += 1 }
                index = after(UInt8(ascii: ">"), from: nameEnd)
                return .endTag(lowercased(nameStart..<nameEnd))
            }
            if byte == UInt8(ascii: "!") {
                index = endOfDeclaration(after: open)
            } else if byte == UInt8(ascii: "?") {
                index = after(UInt8(ascii: ">"), from: index)
            } else if byte == UInt8(ascii: "/") {
                // An end tag, or a bogus comment: either way nothing up to the next `>` matters.
                index = after(UInt8(ascii: ">"), from: index)
            } else if byte.isASCIILetter {
                if let token = startTag() { return token }
            }
            // Anything else: the `<` was text.
        }
        index = bytes.count
        if everything, textStart < bytes.count {
            let text = textStart..<bytes.count
            textStart = bytes.count
            return .text(text)
        }
        return nil
    }

    // MARK: - Tags

    /// Reads the start tag whose name starts at `index`; returns it when kept, and moves past any raw text.
    private mutating func startTag() -> Token? {
        let nameStart = index
        while index < bytes.count, !isTagNameEnd(bytes[index]) { index += 1 }
        let name = lowercased(nameStart..<index)
        let keep = everything || keeping.contains(name)
        var attributes: [HTMLTag.Attribute] = []
        var selfClosing = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isHTMLSpace || byte == UInt8(ascii: "/") {
                selfClosing = byte == UInt8(ascii: "/")
                index += 1
                continue
            }
            if byte == UInt8(ascii: ">") {
                index += 1
                break
            }
            selfClosing = false
            let attribute = readAttribute()
            if keep, !attributes.contains(where: { $0.name == attribute.name }) {
                attributes.append(HTMLTag.Attribute(name: attribute.name, value: value(attribute.value)))
            }
        }
        if Self.rawTextElements.contains(name) {
            let contentStart = min(index, bytes.count)
            let contentEnd = endOfRawText(named: name, from: contentStart)
            if keep { pendingRawText = .rawText(element: name, range: contentStart..<contentEnd) }
            index = after(UInt8(ascii: ">"), from: contentEnd)
        }
        return keep ? .tag(HTMLTag(name: name, attributes: attributes, selfClosing: selfClosing)) : nil
    }

    /// Reads one attribute at `index`: its name in lowercase and the range of its raw value (empty when it has none).
    private mutating func readAttribute() -> (name: String, value: Range<Int>) {
        let nameStart = index
        // A first `=` belongs to the name (§13.2.5.32), so that `<a =x>` does not loop.
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isHTMLSpace || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=") {
                break
            }
            index += 1
        }
        let name = lowercased(nameStart..<index)
        var probe = index
        while probe < bytes.count, bytes[probe].isHTMLSpace { probe += 1 }
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: "=") else { return (name, index..<index) }
        index = probe + 1
        while index < bytes.count, bytes[index].isHTMLSpace { index += 1 }
        guard index < bytes.count else { return (name, index..<index) }
        let quote = bytes[index]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            let start = index + 1
            let end = nextByte(quote, from: start) ?? bytes.count
            index = min(end + 1, bytes.count)
            return (name, start..<end)
        }
        let start = index
        while index < bytes.count, !bytes[index].isHTMLSpace, bytes[index] != UInt8(ascii: ">") { index += 1 }
        return (name, start..<index)
    }

    /// The attribute value in `range` with its character references decoded as in an attribute.
    private func value(_ range: Range<Int>) -> String {
        HTMLEntities.decode(UnsafeBufferPointer(rebasing: bytes[range]), inAttribute: true)
    }

    // MARK: - Skipping

    /// The index after a `<!…` construct that starts at `open`: a comment, CDATA, a doctype or a bogus comment.
    private func endOfDeclaration(after open: Int) -> Int {
        if hasPrefix("<!--", at: open) {
            let start = open + 4
            // `<!-->` and `<!--->` are whole (empty) comments (§13.2.5.43-44).
            if hasPrefix(">", at: start) { return start + 1 }
            if hasPrefix("->", at: start) { return start + 2 }
            return find("-->", from: start).map { $0 + 3 } ?? bytes.count
        }
        if hasPrefix("<![CDATA[", at: open) {
            return find("]]>", from: open + 9).map { $0 + 3 } ?? bytes.count
        }
        return after(UInt8(ascii: ">"), from: open + 2)
    }

    /// The start of the end tag that closes raw-text element `name` (`</script` then a space, `/` or `>`), or the
    /// end of the page when it is not closed.
    private func endOfRawText(named name: String, from start: Int) -> Int {
        let length = name.utf8.count
        var i = start
        while let open = nextByte(UInt8(ascii: "<"), from: i) {
            let nameStart = open + 2
            if nameStart + length <= bytes.count, bytes[open + 1] == UInt8(ascii: "/"),
                lowercased(nameStart..<nameStart + length) == name,
                nameStart + length == bytes.count || isTagNameEnd(bytes[nameStart + length])
            {
                return open
            }
            i = open + 1
        }
        return bytes.count
    }

    // MARK: - Bytes

    private func nextByte(_ byte: UInt8, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index just past the next `byte` from `start`, or the end of the page.
    private func after(_ byte: UInt8, from start: Int) -> Int {
        nextByte(byte, from: start).map { $0 + 1 } ?? bytes.count
    }

    private func find(_ needle: StaticString, from start: Int) -> Int? {
        var i = start
        let first = needle.utf8Start.pointee
        while let candidate = nextByte(first, from: i) {
            if hasPrefix(needle, at: candidate) { return candidate }
            i = candidate + 1
        }
        return nil
    }

    /// True when `prefix` (ASCII, uppercase letters matched in any case) is at `offset`.
    private func hasPrefix(_ prefix: StaticString, at offset: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        for k in 0..<count {
            let expected = prefix.utf8Start[k]
            let byte = bytes[offset + k]
            guard byte == expected || (expected.isASCIILetter && byte | 0x20 == expected | 0x20) else { return false }
        }
        return true
    }

    private func lowercased(_ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard slice.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return String(decoding: slice, as: UTF8.self)
        }
        return String(decoding: slice.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 },
            as: UTF8.self)
    }

    private func isTagNameEnd(_ byte: UInt8) -> Bool {
        byte.isHTMLSpace || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
    }
}

extension UInt8 {
    /// ASCII whitespace as HTML reads it between attributes: tab, LF, FF, CR, space.
    fileprivate var isHTMLSpace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0C || self == 0x0D
    }

    fileprivate var isASCIILetter: Bool {
        self | 0x20 >= UInt8(ascii: "a") && self | 0x20 <= UInt8(ascii: "z")
    }
}
