/// The attributes of one start tag, read lazily from the document's bytes.
///
/// Valid only during the `startElement` call that receives it: it points into the tokenizer's buffer.
struct XMLAttributes {
    struct Span {
        var nameStart: Int
        var nameEnd: Int
        var valueStart: Int
        var valueEnd: Int
    }

    let source: UnsafeBufferPointer<UInt8>
    let spans: [Span]

    /// The decoded value of the attribute whose qualified name is `name` (`href`, `xml:base`, `rdf:about`).
    func value(_ name: StaticString) -> String? {
        let wanted = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for span in spans where span.nameEnd - span.nameStart == wanted.count {
            if memcmp(source.baseAddress! + span.nameStart, wanted.baseAddress!, wanted.count) == 0 {
                return decodedValue(span)
            }
        }
        return nil
    }

    /// Every attribute as (qualified name, decoded value), in document order.
    var all: [(name: String, value: String)] {
        spans.map { span in
            let name = String(decoding: UnsafeBufferPointer(rebasing: source[span.nameStart..<span.nameEnd]), as: UTF8.self)
            return (name, decodedValue(span))
        }
    }

    private func decodedValue(_ span: Span) -> String {
        let raw = UnsafeBufferPointer(rebasing: source[span.valueStart..<span.valueEnd])
        if XMLText.isPlain(raw) { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        XMLText.appendDecoded(raw, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
