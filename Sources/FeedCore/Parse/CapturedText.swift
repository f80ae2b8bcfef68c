/// The content of the element whose text the reader captures, kept as the pieces the tokenizer gives (character data
/// and CDATA sections) until the element ends, and then decoded at once.
///
/// Most captured elements hold one piece that decoding leaves as it is, such as a CDATA section of HTML or a plain
/// title, perhaps between line breaks: its string is then made straight from the document, with no copy in between.
/// The pieces point into the tokenized document, so they are valid only while it is being tokenized.
struct CapturedText {
    private struct Piece {
        var bytes: UnsafeBufferPointer<UInt8>
        var isCDATA: Bool
    }

    private var pieces: [Piece] = []
    /// Memory that pieces which need decoding are decoded into; it only grows, and serves every capture.
    private var scratch: [UInt8] = []

    /// Starts over for the next captured element.
    mutating func removeAll() {
        pieces.removeAll(keepingCapacity: true)
    }

    /// Adds character data, its references not yet decoded.
    mutating func append(characters raw: UnsafeBufferPointer<UInt8>) {
        pieces.append(Piece(bytes: raw, isCDATA: false))
    }

    /// Adds the content of a CDATA section.
    mutating func append(cdata raw: UnsafeBufferPointer<UInt8>) {
        pieces.append(Piece(bytes: raw, isCDATA: true))
    }

    /// The text: every piece decoded once, in order, without leading and trailing ASCII white space.
    mutating func text() -> String {
        withDecodedBytes { String(trimmingASCIISpacesOf: $0) }
    }

    /// Calls `body` with the UTF-8 of every piece decoded once, in order; leading and trailing ASCII white space may
    /// be left in.
    mutating func withDecodedBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Blank pieces at either end decode to white space only, which trimming would remove anyway.
        var first = 0
        var end = pieces.count
        while first < end, Self.isBlank(pieces[first].bytes) { first += 1 }
        while end > first, Self.isBlank(pieces[end - 1].bytes) { end -= 1 }
        if end - first == 1 {
            let piece = pieces[first]
            if piece.isCDATA ? XMLText.isPlainCDATA(piece.bytes) : XMLText.isPlain(piece.bytes) {
                return body(piece.bytes)
            }
        }
        // Decoding makes text a fifth longer at most (see `XMLText.appendDecoded`).
        let bound = pieces[first..<end].reduce(0) { $0 + $1.bytes.count + $1.bytes.count / 5 }
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: max(bound, 2 * scratch.count)) }
        return scratch.withUnsafeMutableBufferPointer { memory in
            var decoded = ByteBuffer(memory)
            for piece in pieces[first..<end] {
                if piece.isCDATA {
                    XMLText.appendCDATA(piece.bytes, to: &decoded)
                } else {
                    XMLText.appendDecoded(piece.bytes, to: &decoded)
                }
            }
            return body(decoded.written)
        }
    }

    /// True when `bytes` are all ASCII white space (the bytes `trimmingASCIISpaces` removes), or none.
    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
    }
}
