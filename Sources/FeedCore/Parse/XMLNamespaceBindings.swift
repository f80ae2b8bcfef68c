#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The namespace declarations in scope where the tokenizer is (Namespaces in XML 1.0 §5), innermost last.
///
/// A prefix is kept as the place where its name stands in the document, so that resolving an element's name
/// compares bytes and makes no string.
struct XMLNamespaceBindings {
    private var bindings: [(prefix: Range<Int>, namespace: XMLNamespace)] = []

    /// How many bindings are in scope.
    var count: Int { bindings.count }

    /// Binds the prefix at `prefix` (an empty range for the default namespace) to `namespace`.
    mutating func declare(prefix: Range<Int>, as namespace: XMLNamespace) {
        bindings.append((prefix, namespace))
    }

    /// Drops the `count` innermost bindings: those of an element that ends.
    mutating func removeLast(_ count: Int) {
        bindings.removeLast(count)
    }

    /// The namespace and local name of the element name at `start..<end` in `bytes`.
    func resolve(_ start: Int, _ end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> XMLElementName {
        var colon = start
        while colon < end, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
        if colon == end {
            let namespace = self.namespace(forPrefix: start..<start, in: bytes)
            return XMLElementName(namespace: namespace, localName: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
        let namespace = self.namespace(forPrefix: start..<colon, in: bytes)
        return XMLElementName(namespace: namespace, localName: UnsafeBufferPointer(rebasing: bytes[(colon + 1)..<end]))
    }

    /// The namespace the prefix at `prefix` (an empty range for none) is bound to.
    private func namespace(forPrefix prefix: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> XMLNamespace {
        let base = bytes.baseAddress!
        for binding in bindings.reversed()
        where binding.prefix.count == prefix.count
            && memcmp(base + binding.prefix.lowerBound, base + prefix.lowerBound, prefix.count) == 0
        {
            return binding.namespace
        }
        if prefix.isEmpty { return .none }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[prefix]), as: UTF8.self)
        return XMLNamespace(conventionalPrefix: name) ?? .other
    }
}
