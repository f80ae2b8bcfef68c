/// An element as the tokenizer reports it: its namespace resolved, its local name interned when feedd reads
/// elements of that name.
struct XMLElementName: Equatable {
    var namespace: XMLNamespace
    /// The local name as a value, nil for the names feedd does not read.
    let element: FeedElement?
    /// The local name when it is not an `element`; made only then, so that known names cost no string.
    private let otherName: String

    var localName: String { element?.rawValue ?? otherName }

    init(namespace: XMLNamespace, localName: UnsafeBufferPointer<UInt8>) {
        self.namespace = namespace
        element = FeedElement(localName)
        otherName = element == nil ? String(decoding: localName, as: UTF8.self) : ""
    }
}

/// Receives what `XMLTokenizer` finds, in document order.
///
/// Offsets are byte offsets into the tokenized buffer, so that a handler can take an element's inner markup
/// exactly as the feed gives it.
protocol XMLTokenHandler {
    /// An element starts; `contentStart` is the offset just past its start tag.
    mutating func startElement(_ name: XMLElementName, attributes: XMLAttributes, contentStart: Int)
    /// An element ends, explicitly or because an enclosing one ended; `contentEnd` is where its content stops.
    mutating func endElement(_ name: XMLElementName, contentEnd: Int)
    /// Character data with its references not yet decoded (see `XMLText.appendDecoded`).
    mutating func characters(_ raw: UnsafeBufferPointer<UInt8>)
    /// The content of a CDATA section, taken literally.
    mutating func cdata(_ text: UnsafeBufferPointer<UInt8>)
    /// The document ended while elements were open; their `endElement` calls follow.
    mutating func inputEndedInsideElements()
}

extension XMLTokenHandler {
    mutating func inputEndedInsideElements() {}
}
