import Foundation

// MARK: - Charsets whose XML declaration is not ASCII (XML 1.0 Appendix F.1): UTF-32 without a mark, EBCDIC

extension CharsetDecoder {
    /// `utf-32le` or `utf-32be` when unmarked text starts with `<?` in UTF-32 (XML 1.0 Appendix F.1,
    /// "without a byte order mark": `3C 00 00 00`, `00 00 00 3C`). A declared `utf-32`, `ucs-4`, `csucs4` or
    /// `iso-10646-ucs-4` is then true whatever its spelling, since the declaration was readable only as UTF-32.
    static func unmarkedUTF32(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count >= 8 else { return nil }
        let head = Array(bytes.prefix(8))
        if head == [0x3C, 0, 0, 0, 0x3F, 0, 0, 0] { return "utf-32le" }
        if head == [0, 0, 0, 0x3C, 0, 0, 0, 0x3F] { return "utf-32be" }
        return nil
    }

    /// True when the document starts with `<?xm` in EBCDIC (`4C 6F A7 94`): its declaration, read through a
    /// common EBCDIC code page, names which one it is.
    static func startsWithEBCDICDeclaration(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.starts(with: [0x4C, 0x6F, 0xA7, 0x94])
    }

    /// The iconv name of the EBCDIC code page an EBCDIC document declares: the declaration is read through IBM037,
    /// in which the characters of `<?xml … encoding="…"?>` are the same in every EBCDIC code page feeds use; a
    /// label that names no EBCDIC code page iconv knows (or no label) means IBM037, the common one.
    static func declaredEBCDICCharset(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let head = UnsafeBufferPointer(rebasing: bytes.prefix(1024))
        guard let decoded = decodeWithIconv(head, from: "IBM037", unitWidth: 1, offset: 0),
            let declared = decoded.bytes.withUnsafeBufferPointer({ declaredEncoding($0) })
        else { return "IBM037" }
        let label = declared.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .replacingOccurrences(of: "_", with: "-")
        return ebcdicNames[label] ?? "IBM037"
    }

    /// The labels of EBCDIC code pages (Python's, which feedparser reads, and IANA's), by iconv name.
    static let ebcdicNames: [String: String] = {
        let pages: [(name: String, labels: [String])] = [
            (
                "IBM037",
                [
                    "cp037", "037", "ibm037", "ibm039", "csibm037", "ebcdic-cp-us", "ebcdic-cp-ca", "ebcdic-cp-wt",
                    "ebcdic-cp-nl",
                ]
            ),
            ("IBM500", ["cp500", "500", "ibm500", "csibm500", "ebcdic-cp-be", "ebcdic-cp-ch"]),
            ("IBM875", ["cp875", "875", "ibm875"]),
            ("IBM1140", ["cp1140", "1140", "ibm1140", "ccsid01140", "ebcdic-us-37+euro"]),
        ]
        var names: [String: String] = [:]
        for (name, labels) in pages {
            for label in labels { names[label] = name }
        }
        return names
    }()
}

// MARK: - Labels Python knows and glibc does not

extension CharsetDecoder {
    /// The glibc iconv name of a label that Python's codecs know (feedparser reads documents with them, so
    /// feeds declaring them exist) but glibc does not, or knows only with `-` where Python allows `_`.
    static func pythonCodecName(_ label: String) -> String? {
        if let name = pythonCodecNames[label] { return name }
        let hyphenated = label.replacingOccurrences(of: "_", with: "-")
        guard hyphenated != label else { return nil }
        return iconvNames[hyphenated] ?? pythonCodecNames[hyphenated] ?? hyphenated
    }

    private static let pythonCodecNames: [String: String] = [
        "cp-is": "CP861", "csibm861": "IBM861",
        "maccentraleurope": "MAC-CENTRALEUROPE", "maclatin2": "MAC-CENTRALEUROPE",
        "maciceland": "MAC-IS", "macroman": "MACINTOSH",
    ]
}

extension CharsetDecoder {
    /// Whether `decode` reads `data` as UTF-8 or windows-1252: a UTF-8 byte order mark, a UTF-8 or Latin-1 label,
    /// or no declaration in a document that is not UTF-16, UTF-32 or EBCDIC. Only such documents have their
    /// mojibake repaired: UTF-8 written twice, and UTF-8 in a document that declares Latin-1 (feedparser repairs
    /// both; a text is repaired only when all of it is mojibake).
    static func mayHoldMojibake(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            if let (charset, _) = byteOrderMark(bytes) { return charset == "utf-8" }
            if unmarkedUTF32(bytes) != nil || unmarkedUTF16(bytes) != nil || startsWithEBCDICDeclaration(bytes) {
                return false
            }
            guard let declared = declaredEncoding(bytes) else { return true }
            let label = declared.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return utf8Labels.contains(label) || windows1252Labels.contains(label)
        }
    }
}
