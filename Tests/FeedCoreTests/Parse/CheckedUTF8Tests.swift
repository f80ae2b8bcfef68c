import Foundation
import Testing

@testable import FeedCore

/// `String(checkedUTF8:)` hands bytes that passed feedd's own UTF-8 check to the standard library unchecked: a
/// sequence that check let through wrongly would make a malformed string. Every string here must come out exactly as
/// `String(decoding:as:)` makes it, byte for byte.
@Suite struct CheckedUTF8Tests {
    private func checked(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { String(checkedUTF8: $0) }
    }

    private func expectSameAsDecoding(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let made = checked(bytes)
        let reference = String(decoding: bytes, as: UTF8.self)
        #expect(Array(made.utf8) == Array(reference.utf8), "\(bytes)", sourceLocation: sourceLocation)
        #expect(made == reference, sourceLocation: sourceLocation)
        #expect(made.unicodeScalars.count == reference.unicodeScalars.count, sourceLocation: sourceLocation)
    }

    @Test func wellFormedTextIsCopiedAsItIs() {
        for text in ["", "a", "plain ASCII longer than sixteen bytes, and more", "café naïve Zürich", "東京 日本語",
                     "🙂 𝄞 \u{10FFFF}", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}", String(repeating: "é", count: 100)] {
            expectSameAsDecoding(Array(text.utf8))
            #expect(checked(Array(text.utf8)) == text)
        }
    }

    /// Unicode §3.9, table 3-7: everything outside it is ill-formed, at the edges of every range.
    @Test func illFormedSequencesAreRepairedAsTheStandardLibraryRepairsThem() {
        let cases: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC2], [0xC2, 0x41], [0xDF, 0xC0],
            [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0], [0xE1, 0x80, 0x41],
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xEF, 0xBF],
            [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0x41], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF],
        ]
        for bad in cases {
            // Alone, after ASCII long enough for the sixteen-byte steps, and between well-formed characters.
            expectSameAsDecoding(bad)
            expectSameAsDecoding(Array("0123456789abcdefghij".utf8) + bad)
            expectSameAsDecoding(Array("é".utf8) + bad + Array("東".utf8))
        }
    }

    @Test func textTrimmedOfASCIISpacesKeepsItsCharacters() {
        let bytes = Array("\n\t  café 🙂 \r\n".utf8)
        #expect(bytes.withUnsafeBufferPointer { String(trimmingASCIISpacesOf: $0) } == "café 🙂")
    }
}
