#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension XMLTokenizer {
    // MARK: - Start and end tags

    /// Reads the start tag at `lt`; returns the offset after it, nil when the document ends inside it.
    mutating func startTag(at lt: Int) -> Int? {
        let count = bytes.count
        let nameStart = lt + 1
        var i = nameStart
        while i < count, !Self.endsName(bytes[i]) { i += 1 }
        let nameEnd = i
        if !spans.isEmpty { spans.removeAll(keepingCapacity: true) }  // most tags have no attributes
        var selfClosing = false
        // Attributes: name, optional `= value` (quoted or not); anything odd is skipped rather than fatal.
        while true {
            while i < count, Self.isSpace(bytes[i]) { i += 1 }
            guard i < count else { return nil }
            let byte = bytes[i]
            if byte == UInt8(ascii: ">") {
                i += 1
                break
            }
            if byte == UInt8(ascii: "/") {
                if i + 1 < count && bytes[i + 1] == UInt8(ascii: ">") {
                    selfClosing = true
                    i += 2
                    break
                }
                i += 1
                continue
            }
            let attrStart = i
            while i < count, !Self.endsName(bytes[i]), bytes[i] != UInt8(ascii: "=") { i += 1 }
            let attrEnd = i
            if attrEnd == attrStart {
                i += 1  // a stray byte such as a quote: skip it
                continue
            }
            while i < count, Self.isSpace(bytes[i]) { i += 1 }
            guard i < count else { return nil }
            guard bytes[i] == UInt8(ascii: "=") else {
                spans.append(.init(nameStart: attrStart, nameEnd: attrEnd, valueStart: attrEnd, valueEnd: attrEnd))
                continue
            }
            i += 1
            while i < count, Self.isSpace(bytes[i]) { i += 1 }
            guard i < count else { return nil }
            let quote = bytes[i]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard let close = bytes.find(byte: quote, from: i + 1) else { return nil }
                spans.append(.init(nameStart: attrStart, nameEnd: attrEnd, valueStart: i + 1, valueEnd: close))
                i = close + 1
            } else {
                let valueStart = i
                while i < count, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                spans.append(.init(nameStart: attrStart, nameEnd: attrEnd, valueStart: valueStart, valueEnd: i))
            }
        }
        guard open.count < Self.maximumDepth else {
            if !tooDeep {
                report("elements nested deeper than \(Self.maximumDepth) levels ignored", at: lt)
                tooDeep = true
            }
            return i
        }
        let bindingCount = declareNamespaces()
        let name = bindings.resolve(nameStart, nameEnd, in: bytes)
        if rootOffset == nil { rootOffset = lt }
        open.append(OpenElement(qualifiedName: nameStart..<nameEnd, name: name, bindingCount: bindingCount))
        handler.startElement(name, attributes: XMLAttributes(source: bytes, spans: spans), contentStart: i)
        if selfClosing { closeInnermost(at: i) }
        return i
    }

    /// Reads the end tag at `lt`, closing the nearest open element of that name.
    mutating func endTag(at lt: Int) -> Int? {
        let nameStart = lt + 2
        var i = nameStart
        while i < bytes.count, !Self.endsName(bytes[i]) { i += 1 }
        let nameEnd = i
        guard let gt = bytes.find(byte: UInt8(ascii: ">"), from: i) else { return nil }
        let nameCount = nameEnd - nameStart
        let base = bytes.baseAddress!
        guard
            let index = open.lastIndex(where: {
                $0.qualifiedName.count == nameCount
                    && memcmp(base + $0.qualifiedName.lowerBound, base + nameStart, nameCount) == 0
            })
        else {
            report("end tag </\(bytes.string(nameStart, nameEnd))> matches no open element", at: lt)
            return gt + 1
        }
        if index < open.count - 1 {
            report("<\(open[open.count - 1].name.localName)> closed by </\(open[index].name.localName)>", at: lt)
        }
        while open.count > index { closeInnermost(at: lt) }
        return gt + 1
    }

    private mutating func closeInnermost(at offset: Int) {
        let element = open.removeLast()
        bindings.removeLast(element.bindingCount)
        handler.endElement(element.name, contentEnd: offset)
    }

    // MARK: - Comments, CDATA, DOCTYPE

    /// Reads the `<!…` construct at `lt`: a comment, a CDATA section, a DOCTYPE or another declaration.
    mutating func declaration(at lt: Int) -> Int? {
        if bytes.matches("<!--", at: lt) {
            return bytes.find("-->", from: lt + 4).map { $0 + 3 }
        }
        if bytes.matches("<![CDATA[", at: lt) {
            let start = lt + 9
            // A section that runs into another `<![CDATA[` was never closed: its `]]>` belongs to the next one.
            let close: Int?
            if let memo = cdataCloseSearch, memo.from <= start, memo.found.map({ start <= $0 }) ?? true {
                close = memo.found
            } else {
                close = bytes.find("]]>", from: start)
                cdataCloseSearch = (start, close)
            }
            if let close, !bytes.hasCDATAStart(from: start, before: close) {
                if !open.isEmpty { handler.cdata(UnsafeBufferPointer(rebasing: bytes[start..<close])) }
                return close + 3
            }
            // A CDATA section left open would swallow the rest of the feed: end it where its element ends.
            report("CDATA section not closed", at: lt)
            let end = open.last.flatMap { bytes.endTag(named: $0.qualifiedName, from: start) } ?? bytes.count
            if !open.isEmpty { handler.cdata(UnsafeBufferPointer(rebasing: bytes[start..<end])) }
            return end
        }
        if bytes.matchesIgnoringCase("<!DOCTYPE", at: lt) {
            return bytes.endOfDoctype(from: lt + 9)
        }
        return bytes.find(byte: UInt8(ascii: ">"), from: lt + 2).map { $0 + 1 }
    }
}
