/// What `ConfigEditor` copies from the file it edits: line breaks, indentation, spacing, and the shape of an
/// object entry.
extension ConfigEditor {
    /// The conventions of one file, read from the bytes around its values.
    struct Layout {
        let bytes: [UInt8]
        /// `\r\n` when the file's first line ends so, else `\n`.
        let newline: [UInt8]
        /// What follows a key, as the top-level object's first member writes it: `: `, `:`, ` : `.
        let colon: [UInt8]
        /// A space after commas within a line when the file puts one after colons, none in a minified file.
        let space: [UInt8]
        /// One level of indentation: the top-level object's first key's, beyond its brace's; else a tab when
        /// the file indents with tabs, else two spaces.
        let unit: [UInt8]
        /// Whether the top-level object spans several lines.
        let isMultiline: Bool

        init(bytes: [UInt8], root: JSONSpan) {
            self.bytes = bytes
            let firstBreak = bytes.firstIndex(of: 0x0A)
            newline = firstBreak.map { $0 > 0 && bytes[$0 - 1] == 0x0D } == true ? [0x0D, 0x0A] : [0x0A]
            let first = root.children.first
            if let first, let key = first.keyRange {
                colon = Array(bytes[key.upperBound..<first.range.lowerBound])
            } else {
                colon = Array(": ".utf8)
            }
            space = colon.last == 0x20 ? [0x20] : []
            isMultiline = bytes[root.range].contains(0x0A)
            let tabbed = zip(bytes, bytes.dropFirst()).contains { $0 == (0x0A, 0x09) }
            var unit: [UInt8] = tabbed ? [0x09] : [0x20, 0x20]
            if let key = first?.keyRange, Self.startsLine(bytes, at: key.lowerBound) {
                let keyIndent = Self.indentOfLine(bytes, at: key.lowerBound)
                let braceIndent = Self.indentOfLine(bytes, at: root.range.lowerBound)
                if keyIndent.count > braceIndent.count, keyIndent.starts(with: braceIndent) {
                    unit = Array(keyIndent[braceIndent.count...])
                }
            }
            self.unit = unit
        }

        /// Whether a line break is among `range`'s bytes.
        func hasLineBreak(in range: Range<Int>) -> Bool {
            bytes[range].contains(0x0A)
        }

        /// What follows the last line break in `range` (the indentation of a closing bracket); nil without one.
        func indentAfterLastLineBreak(in range: Range<Int>) -> [UInt8]? {
            Self.afterLastLineBreak(Array(bytes[range]))
        }

        /// The spaces and tabs that start the line holding `offset`.
        func indentOfLine(at offset: Int) -> [UInt8] {
            Self.indentOfLine(bytes, at: offset)
        }

        /// A JSON array of `elements`: on one line, or one element per line one level deeper than
        /// `closingIndent`, the closing bracket's.
        func list(_ elements: [[UInt8]], multiline: Bool, closingIndent: [UInt8]) -> [UInt8] {
            guard multiline else {
                return [UInt8(ascii: "[")] + Array(elements.joined(separator: [UInt8(ascii: ",")] + space))
                    + [UInt8(ascii: "]")]
            }
            let indent = closingIndent + unit
            let separator = [UInt8(ascii: ",")] + newline + indent
            return [UInt8(ascii: "[")] + newline + indent + Array(elements.joined(separator: separator)) + newline
                + closingIndent + [UInt8(ascii: "]")]
        }

        /// What follows the last line feed in `text`; nil without one.
        static func afterLastLineBreak(_ text: [UInt8]) -> [UInt8]? {
            text.lastIndex(of: 0x0A).map { Array(text[($0 + 1)...]) }
        }

        /// The spaces and tabs that start the line holding `offset`.
        static func indentOfLine(_ bytes: [UInt8], at offset: Int) -> [UInt8] {
            var start = offset
            while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
            var end = start
            while end < offset, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
            return Array(bytes[start..<end])
        }

        /// Whether only spaces and tabs stand between the start of `offset`'s line and `offset`.
        static func startsLine(_ bytes: [UInt8], at offset: Int) -> Bool {
            var index = offset
            while index > 0 {
                let byte = bytes[index - 1]
                if byte == 0x0A { return true }
                if byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
                index -= 1
            }
            return false
        }
    }

    /// How an object entry is written: what follows its `{`, what separates and what ends its members, and the
    /// colon after each key. Taken from the nearest object entry, so that a new entry looks like its neighbours.
    struct ObjectStyle {
        var open: [UInt8]
        var separator: [UInt8]
        var colon: [UInt8]
        var close: [UInt8]
        /// Between the elements of `tags`.
        var listSeparator: [UInt8]

        /// `{"url": "…", "tags": ["a", "b"]}` with `colon` after each key, and a space after each comma when the
        /// colon ends with one.
        static func inline(colon: [UInt8]) -> ObjectStyle {
            let space: [UInt8] = colon.last == 0x20 ? [0x20] : []
            return ObjectStyle(
                open: [], separator: [UInt8(ascii: ",")] + space, colon: colon, close: [],
                listSeparator: [UInt8(ascii: ",")] + space)
        }

        /// The style of the last object entry with a member among `neighbours`; `inline` when there is none.
        static func of(neighbours: [JSONSpan], layout: Layout) -> ObjectStyle {
            let bytes = layout.bytes
            guard
                let object = neighbours.last(where: { span in
                    guard case .object = span.value else { return false }
                    return !span.children.isEmpty
                }),
                let first = object.children.first, let firstKey = first.keyRange, let last = object.children.last
            else {
                return inline(colon: layout.colon)
            }
            let open = Array(bytes[(object.range.lowerBound + 1)..<firstKey.lowerBound])
            let colon = Array(bytes[firstKey.upperBound..<first.range.lowerBound])
            let spaced = colon.last == 0x20
            var separator = [UInt8(ascii: ",")] + (open.contains(0x0A) ? open : spaced ? [0x20] : [])
            if object.children.count >= 2, let secondKey = object.children[1].keyRange {
                separator = Array(bytes[first.range.upperBound..<secondKey.lowerBound])
            }
            let close = Array(bytes[last.range.upperBound..<(object.range.upperBound - 1)])
            return ObjectStyle(
                open: open, separator: separator, colon: colon, close: close,
                listSeparator: [UInt8(ascii: ",")] + (spaced ? [0x20] : []))
        }

        /// `entry` as an object, its members in `keyOrder` (keys it does not name last, in their own order).
        func render(_ entry: FeedEntry, keyOrder: [String]) -> [UInt8] {
            let members = entry.members.enumerated().sorted { a, b in
                let left = keyOrder.firstIndex(of: a.element.key) ?? keyOrder.count + a.offset
                let right = keyOrder.firstIndex(of: b.element.key) ?? keyOrder.count + b.offset
                return left < right
            }.map(\.element)
            let written = members.map { member in
                Array(JSONValue.quoted(member.key).utf8) + colon + render(member.value)
            }
            return [UInt8(ascii: "{")] + open + Array(written.joined(separator: separator)) + close
                + [UInt8(ascii: "}")]
        }

        /// A value of an entry: strings quoted and escaped, numbers as given, arrays on one line.
        private func render(_ value: JSONValue) -> [UInt8] {
            switch value {
            case .string(let text): return Array(JSONValue.quoted(text).utf8)
            case .number(let literal): return Array(literal.utf8)
            case .bool(let flag): return Array((flag ? "true" : "false").utf8)
            case .null: return Array("null".utf8)
            case .array(let elements):
                return [UInt8(ascii: "[")] + Array(elements.map(render).joined(separator: listSeparator))
                    + [UInt8(ascii: "]")]
            case .object(let members):
                let written = members.map { Array(JSONValue.quoted($0.key).utf8) + colon + render($0.value) }
                return [UInt8(ascii: "{")] + Array(written.joined(separator: listSeparator)) + [UInt8(ascii: "}")]
            }
        }
    }
}
