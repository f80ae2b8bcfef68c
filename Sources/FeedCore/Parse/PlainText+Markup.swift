extension PlainText {
    /// Skips HTML markup the way the HTML5 tokenizer delimits it (WHATWG HTML §13.2.5), without building tags:
    /// titles and authors only need to know where markup ends and whether it separates words.
    enum Markup {
        /// The UTF-8 text being read.
        typealias Bytes = UnsafeBufferPointer<UInt8>

        /// Skips the markup that starts at the `<` at `index`, writing what it leaves behind to `output`, and
        /// returns the index just past it. Nil when this `<` starts no markup and stands for itself.
        ///
        /// Like HTML5, a `<` opens markup only before a letter, `/`, `!` or `?`, so `a < b` and `1<2` keep it.
        /// Markup without its closing `>` runs to the end of the text and is dropped.
        static func skip(in bytes: Bytes, at index: Int, into output: inout Output) -> Int? {
            guard index + 1 < bytes.count else { return nil }
            switch bytes[index + 1] {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return skipStartTag(in: bytes, nameAt: index + 1, into: &output)
            case UInt8(ascii: "/"):
                let end = tagEnd(in: bytes, from: index + 2)
                if separatesWords(tagNameIn: bytes, at: index + 2) { output.breakWord() }
                return end
            case UInt8(ascii: "!"):
                if hasPrefix("<!--", in: bytes, at: index) {
                    // Searching from the comment's own dashes makes `<!-->` and `<!--->` empty comments, as in HTML5.
                    return find("-->", in: bytes, from: index + 2).map { $0 + 3 } ?? bytes.count
                }
                if hasPrefix("<![CDATA[", in: bytes, at: index) {
                    return skipCDATA(in: bytes, at: index, into: &output)
                }
                return find(">", in: bytes, from: index + 2).map { $0 + 1 } ?? bytes.count
            case UInt8(ascii: "?"):
                return find(">", in: bytes, from: index + 2).map { $0 + 1 } ?? bytes.count
            default:
                return nil
            }
        }

        /// Skips a start tag and, for `<script>` and `<style>`, their raw text up to the matching end tag, which
        /// the caller then skips like any other tag.
        private static func skipStartTag(
            in bytes: Bytes,
            nameAt nameStart: Int,
            into output: inout Output
        ) -> Int {
            let end = tagEnd(in: bytes, from: nameStart)
            if separatesWords(tagNameIn: bytes, at: nameStart) { output.breakWord() }
            // Raw text (WHATWG HTML §13.1.2.1): no tags or references inside, only its own end tag closes it.
            let rawTextTag: StaticString
            if hasTagName("script", in: bytes, at: nameStart) {
                rawTextTag = "script"
            } else if hasTagName("style", in: bytes, at: nameStart) {
                rawTextTag = "style"
            } else {
                return end
            }
            return findEndTag(rawTextTag, in: bytes, from: end) ?? bytes.count
        }

        /// Double-escaped CDATA such as `&lt;![CDATA[Title]]&gt;` is a broken feed's way of giving the title
        /// text, so its content is kept verbatim rather than dropped as the HTML5 bogus comment it would be.
        private static func skipCDATA(
            in bytes: Bytes,
            at index: Int,
            into output: inout Output
        ) -> Int {
            let contentStart = index + 9
            let contentEnd = find("]]>", in: bytes, from: contentStart) ?? bytes.count
            output.append(UnsafeBufferPointer(rebasing: bytes[contentStart..<contentEnd]))
            return min(contentEnd + 3, bytes.count)
        }

        /// The index just past the `>` that closes the tag whose name or attributes start at `index`, skipping
        /// quoted attribute values (which may hold `>`); the end of the text when there is none.
        private static func tagEnd(in bytes: Bytes, from index: Int) -> Int {
            var position = index
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: ">"):
                    return position + 1
                case UInt8(ascii: "="):
                    position += 1
                    while position < bytes.count, PlainText.isWhitespace(bytes[position]) { position += 1 }
                    guard position < bytes.count else { return bytes.count }
                    let quote = bytes[position]
                    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                        guard let close = bytes[(position + 1)...].firstIndex(of: quote) else { return bytes.count }
                        position = close + 1
                    }
                default:
                    position += 1
                }
            }
            return bytes.count
        }

        /// True when the tag named at `index` is a line break or block element, which browsers render apart
        /// from its neighbours, so `One<br>Two` reads `One Two` and not `OneTwo`; inline tags such as `<b>` do not.
        private static func separatesWords(tagNameIn bytes: Bytes, at index: Int) -> Bool {
            var end = index
            while end < bytes.count, end - index <= longestBlockName, !bytes[end].endsTagName { end += 1 }
            guard end > index, end - index <= longestBlockName else { return false }
            let name = String(unsafeUninitializedCapacity: end - index) { buffer in
                for offset in 0..<(end - index) { buffer[offset] = bytes[index + offset].asciiLowercased }
                return end - index
            }
            return blockNames.contains(name)
        }

        /// Elements that HTML renders as their own line or block (WHATWG HTML §15.3.3, plus `br`, `td`, `th`, `li`).
        private static let blockNames: Set<String> = [
            "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "dialog",
            "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
            "h6", "header", "hgroup", "hr", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
            "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        ]

        /// The length of the longest name in `blockNames` (`blockquote`, `figcaption`).
        private static let longestBlockName = 10

        /// The index of the `<` of the first `</name` that is followed by whitespace, `/` or `>`, ignoring case.
        private static func findEndTag(_ name: StaticString, in bytes: Bytes, from index: Int) -> Int? {
            var position = index
            while let open = find("</", in: bytes, from: position) {
                if hasTagName(name, in: bytes, at: open + 2) { return open }
                position = open + 2
            }
            return nil
        }

        /// True when the bytes at `index` spell `name` (lowercase ASCII) in any case, followed by the end of the
        /// tag name.
        private static func hasTagName(_ name: StaticString, in bytes: Bytes, at index: Int) -> Bool {
            var position = index
            for offset in 0..<name.utf8CodeUnitCount {
                guard position < bytes.count, bytes[position].asciiLowercased == name.utf8Start[offset] else {
                    return false
                }
                position += 1
            }
            return position == bytes.count || bytes[position].endsTagName
        }

        /// True when `prefix` (ASCII) occurs in `bytes` at `index`, with the same case.
        private static func hasPrefix(_ prefix: StaticString, in bytes: Bytes, at index: Int) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            return (0..<count).allSatisfy { bytes[index + $0] == prefix.utf8Start[$0] }
        }

        /// The index where `needle` (ASCII) next occurs in `bytes` at or after `index`.
        private static func find(_ needle: StaticString, in bytes: Bytes, from index: Int) -> Int? {
            let first = needle.utf8Start[0]
            var position = index
            while position < bytes.count, let candidate = bytes[position...].firstIndex(of: first) {
                if hasPrefix(needle, in: bytes, at: candidate) { return candidate }
                position = candidate + 1
            }
            return nil
        }
    }
}

extension UInt8 {
    /// True for the bytes that end a tag name in the HTML5 tokenizer: whitespace, `/` and `>`.
    fileprivate var endsTagName: Bool {
        PlainText.isWhitespace(self) || self == UInt8(ascii: "/") || self == UInt8(ascii: ">")
    }

    /// The byte with `A-Z` mapped to `a-z`.
    fileprivate var asciiLowercased: UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) ? self | 0x20 : self
    }
}
