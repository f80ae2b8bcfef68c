// MARK: - The charset of an HTML page (WHATWG HTML §13.2.3.2, "prescan a byte stream")

extension CharsetDecoder {
    /// How far into a page its `<meta>` charset counts, as browsers look for it.
    static let htmlPrescanLength = 1024

    /// The charset an HTML page declares in its first kilobyte, as written: `<meta charset="…">`, or
    /// `<meta http-equiv="Content-Type" content="text/html; charset=…">`. Nil when it declares none.
    ///
    /// Pages seldom need it (most are UTF-8, and a byte that is not is read as windows-1252 anyway), but a page in
    /// KOI8-R or Shift_JIS declares its charset here and nowhere else feedd can see.
    static func htmlMetaCharset(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var scanner = HTMLScanner(UnsafeBufferPointer(rebasing: bytes.prefix(htmlPrescanLength)), keeping: ["meta"])
        while let token = scanner.next() {
            guard case .tag(let meta) = token else { continue }
            if let charset = meta.attribute("charset"), !charset.isEmpty { return charset }
            if meta.attribute("http-equiv")?.lowercased() == "content-type", let content = meta.attribute("content"),
                let charset = charset(inContentType: content)
            {
                return charset
            }
        }
        return nil
    }

    /// The `charset` parameter of a Content-Type value (WHATWG HTML §2.5.5, "extracting character encodings from
    /// meta elements"): after `charset`, optional spaces, `=`, then a quoted or bare label.
    static func charset(inContentType content: String) -> String? {
        let lower = content.lowercased()
        guard let name = lower.range(of: "charset") else { return nil }
        var rest = content[name.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else { return charset(inContentType: String(content[name.upperBound...])) }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        if let quote = rest.first, quote == "\"" || quote == "'" {
            let inner = rest.dropFirst()
            guard let end = inner.firstIndex(of: quote) else { return nil }
            return inner[..<end].isEmpty ? nil : String(inner[..<end])
        }
        let label = rest.prefix { $0 != ";" && $0 != " " && $0 != "\t" }
        return label.isEmpty ? nil : String(label)
    }
}
