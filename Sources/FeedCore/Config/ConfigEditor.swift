/// Appends feeds to the `feeds` array of a configuration file's bytes and keeps every other byte as it was.
///
/// A person's feeds.json has its own layout (indentation, key order, one entry per line or spread over several,
/// CRLF, a minified line), and `feedd add` must not turn it into ours: re-serializing the document would reorder,
/// reindent and rewrite numbers. So the file is parsed with `JSONSpan`, which knows where every value stands, and
/// the new text goes in at one place: after the last element of `feeds`, or inside an empty `feeds`, or, when the
/// file has no `feeds` yet, after the last member of the top-level object. Whatever separates the entries already
/// there (the comma, the line break, the indentation) is copied for the new ones, and a new entry takes the shape
/// of the nearest object entry: on one line or several, with its spacing and its key order.
///
/// Pure: bytes in, bytes out. Whether the result is a valid configuration is for `ConfigDecoder` to say, and the
/// caller checks it before writing.
enum ConfigEditor {
    /// Why the bytes could not be edited: the document is not a JSON object, or its `feeds` is not an array.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// `bytes` with `entries` appended to `feeds`, in order; `bytes` itself when there are none.
    /// - Throws: `Failure` when the document is not JSON, not an object, or has a `feeds` that is not an array.
    static func appending(_ entries: [FeedEntry], to bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard !entries.isEmpty else { return bytes }
        let root: JSONSpan
        do {
            root = try JSONSpan.parse(bytes)
        } catch {
            throw Failure(description: error.description)
        }
        guard case .object = root.value else {
            throw Failure(description: "expected an object with a \"feeds\" array, found \(root.value.summary)")
        }
        let layout = Layout(bytes: bytes, root: root)
        guard let feeds = root.member("feeds") else {
            return addingFeedsMember(entries, to: root, layout: layout)
        }
        guard case .array = feeds.value else {
            throw Failure(description: "feeds: expected an array, found \(feeds.value.summary)")
        }
        return appending(entries, to: feeds, layout: layout)
    }

    /// Appends to the existing array `feeds`.
    private static func appending(_ entries: [FeedEntry], to feeds: JSONSpan, layout: Layout) -> [UInt8] {
        let bytes = layout.bytes
        let style = ObjectStyle.of(neighbours: feeds.children, layout: layout)
        let keyOrder = Self.keyOrder(of: feeds.children)
        let rendered = entries.map { style.render($0, keyOrder: keyOrder) }
        guard let last = feeds.children.last else {
            // `[]`, `[ ]`, `[\n  ]`: nothing to copy the layout from but the brackets and the file. The entries go
            // one per line, one level deeper than the line of the closing bracket, unless the file is one line.
            let inner = (feeds.range.lowerBound + 1)..<(feeds.range.upperBound - 1)
            let closingIndent =
                layout.indentAfterLastLineBreak(in: inner) ?? layout.indentOfLine(at: feeds.range.lowerBound)
            let multiline = layout.hasLineBreak(in: inner) || layout.isMultiline
            let text = layout.list(rendered, multiline: multiline, closingIndent: closingIndent)
            return Array(bytes[..<feeds.range.lowerBound]) + text + Array(bytes[feeds.range.upperBound...])
        }
        let separator: [UInt8]
        if feeds.children.count >= 2 {
            // What stands between the last two entries, comma and all: `,\n    `, `, `, `,`.
            let previous = feeds.children[feeds.children.count - 2]
            separator = Array(bytes[previous.range.upperBound..<last.range.lowerBound])
        } else {
            let leading = Array(bytes[(feeds.range.lowerBound + 1)..<last.range.lowerBound])
            separator = [UInt8(ascii: ",")] + (leading.isEmpty ? layout.space : leading)
        }
        var inserted: [UInt8] = []
        for entry in rendered { inserted += separator + entry }
        let end = last.range.upperBound
        return Array(bytes[..<end]) + inserted + Array(bytes[end...])
    }

    /// Adds `"feeds": [...]` as the last member of the top-level object, which has none.
    private static func addingFeedsMember(_ entries: [FeedEntry], to root: JSONSpan, layout: Layout) -> [UInt8] {
        let bytes = layout.bytes
        let style = ObjectStyle.inline(colon: layout.colon)
        let rendered = entries.map { style.render($0, keyOrder: FeedEntry.defaultKeyOrder) }
        let key = Array(#""feeds""#.utf8) + layout.colon
        guard let last = root.children.last else {
            // `{}` or `{\n}`: the member goes on a line of its own when the braces are on two.
            let inner = (root.range.lowerBound + 1)..<(root.range.upperBound - 1)
            guard let closingIndent = layout.indentAfterLastLineBreak(in: inner) else {
                let member = key + layout.list(rendered, multiline: false, closingIndent: [])
                return Array(bytes[..<inner.lowerBound]) + member + Array(bytes[inner.upperBound...])
            }
            let indent = closingIndent + layout.unit
            let member = key + layout.list(rendered, multiline: true, closingIndent: indent)
            return Array(bytes[..<inner.lowerBound]) + layout.newline + indent + member + layout.newline
                + closingIndent + Array(bytes[inner.upperBound...])
        }
        let separator: [UInt8]
        if root.children.count >= 2, let lastKey = last.keyRange {
            separator = Array(bytes[root.children[root.children.count - 2].range.upperBound..<lastKey.lowerBound])
        } else {
            let firstKey = last.keyRange?.lowerBound ?? last.range.lowerBound
            let leading = Array(bytes[(root.range.lowerBound + 1)..<firstKey])
            separator = [UInt8(ascii: ",")] + (leading.isEmpty ? layout.space : leading)
        }
        let indent = Layout.afterLastLineBreak(separator)
        let member = key + layout.list(rendered, multiline: indent != nil, closingIndent: indent ?? [])
        let end = last.range.upperBound
        return Array(bytes[..<end]) + separator + member + Array(bytes[end...])
    }

    /// The order of the keys the object entries use, first seen first, with the keys of `defaultKeyOrder` they
    /// lack each placed after the one it follows there.
    static func keyOrder(of entries: [JSONSpan]) -> [String] {
        var order: [String] = []
        for entry in entries {
            for member in entry.children {
                if let key = member.key, !order.contains(key) { order.append(key) }
            }
        }
        var previous: String?
        for key in FeedEntry.defaultKeyOrder {
            if !order.contains(key) {
                let position = previous.flatMap { order.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
                order.insert(key, at: position)
            }
            previous = key
        }
        return order
    }
}
