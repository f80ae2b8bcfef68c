/// Plain text as the story log and `feedd parse` give titles and authors (README.md, "feedd parse output":
/// entities decoded, markup removed, whitespace collapsed).
enum PlainText {
    /// Plain text from a field that may hold HTML: tags and comments removed (the content of `<script>` and
    /// `<style>` dropped), character references decoded once, runs of ASCII whitespace collapsed to one space,
    /// trimmed.
    static func from(_ text: String) -> String {
        var text = text
        text.makeContiguousUTF8()
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard !isPlain(bytes) else { return nil }
            return Output.string(from: bytes, collapsingWhitespace: true) { output in
                var index = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "<"), let end = Markup.skip(in: bytes, at: index, into: &output) {
                        index = end
                    } else if byte == UInt8(ascii: "&"), let reference = HTMLEntities.reference(in: bytes, at: index) {
                        output.append(reference.replacement)
                        index = reference.end
                    } else if isWhitespace(byte) {
                        output.breakWord()
                        index += 1
                    } else {
                        // This byte (maybe a literal `<` or `&`) and the words after it go over in one copy.
                        let end = verbatimRunEnd(in: bytes, after: index)
                        output.appendVerbatim(UnsafeBufferPointer(rebasing: bytes[index..<end]))
                        index = end
                    }
                }
            }
        }
        return (plain ?? nil) ?? text
    }

    /// Decodes HTML character references (named, `&#123;`, `&#x1F600;`) in `text`, leaving everything else as is;
    /// an `&` that starts no known reference stays literally.
    static func decodingEntities(_ text: String) -> String {
        var text = text
        text.makeContiguousUTF8()
        let decoded = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard var ampersand = bytes.firstIndex(of: UInt8(ascii: "&")) else { return nil }
            return Output.string(from: bytes, collapsingWhitespace: false) { output in
                var index = 0
                while true {
                    output.appendVerbatim(UnsafeBufferPointer(rebasing: bytes[index..<ampersand]))
                    if let reference = HTMLEntities.reference(in: bytes, at: ampersand) {
                        output.append(reference.replacement)
                        index = reference.end
                    } else {
                        output.appendVerbatim(UnsafeBufferPointer(rebasing: bytes[ampersand...ampersand]))
                        index = ampersand + 1
                    }
                    guard let next = bytes[index...].firstIndex(of: UInt8(ascii: "&")) else { break }
                    ampersand = next
                }
                output.appendVerbatim(UnsafeBufferPointer(rebasing: bytes[index...]))
            }
        }
        return (decoded ?? nil) ?? text
    }

    /// True when `from` would give `bytes` back as they are: no markup, no reference, no whitespace but single
    /// spaces between words. Most titles are like that, and then they come back without a copy.
    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        return isVerbatim(first) && verbatimRunEnd(in: bytes, after: 0) == bytes.count
    }

    /// True for ASCII whitespace (WHATWG Infra): tab, LF, FF, CR and space. U+00A0 is not one of them.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    /// True for the bytes that plain text keeps as they are: all but `<`, `&` and ASCII whitespace.
    private static func isVerbatim(_ byte: UInt8) -> Bool {
        // Letters and most punctuation sort above all three: one comparison for them.
        byte > UInt8(ascii: "<") || (byte != UInt8(ascii: "<") && byte != UInt8(ascii: "&") && !isWhitespace(byte))
    }

    /// The end of the text that follows the verbatim byte at `index` and needs no rewriting: verbatim bytes, with
    /// single spaces between them.
    private static func verbatimRunEnd(in bytes: UnsafeBufferPointer<UInt8>, after index: Int) -> Int {
        var end = index + 1
        while end < bytes.count {
            if isVerbatim(bytes[end]) {
                end += 1
            } else if bytes[end] == UInt8(ascii: " "), end + 1 < bytes.count, isVerbatim(bytes[end + 1]) {
                // The byte before is verbatim too, so this space is a single one between words.
                end += 2
            } else {
                break
            }
        }
        return end
    }
}
