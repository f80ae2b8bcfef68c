import Foundation
import Testing

@testable import FeedCore

/// Every document here is built byte by byte, so the test says exactly what the decoder receives.
@Suite struct CharsetDecoderTests {
    /// Decodes `bytes` as a feed document.
    private func decode(_ bytes: [UInt8]) -> DecodedDocument {
        CharsetDecoder.decode(Data(bytes))
    }

    /// An XML declaration naming `label`, followed by `<p>`, `body` and `</p>`.
    private func declared(_ label: String, _ body: [UInt8]) -> [UInt8] {
        Array("<?xml version=\"1.0\" encoding=\"\(label)\"?><p>".utf8) + body + Array("</p>".utf8)
    }

    /// The text `declared(label, …)` decodes to when the body decodes to `body`.
    private func declaredText(_ label: String, _ body: String) -> String {
        "<?xml version=\"1.0\" encoding=\"\(label)\"?><p>\(body)</p>"
    }

    // MARK: - UTF-8

    @Test func utf8WithoutMarkIsReturnedUnchanged() {
        let bytes = Array("<?xml version=\"1.0\"?><p>café 日本 𝄞 \u{1}</p>".utf8)
        #expect(decode(bytes) == DecodedDocument(bytes: bytes, charset: "utf-8", problems: []))
    }

    @Test func utf8MarkIsStripped() {
        let text = Array("<rss>é</rss>".utf8)
        #expect(decode([0xEF, 0xBB, 0xBF] + text) == DecodedDocument(bytes: text, charset: "utf-8", problems: []))
    }

    @Test func utf8MarkOverridesTheDeclaration() {
        let text = Array(declaredText("iso-8859-1", "é").utf8)
        #expect(decode([0xEF, 0xBB, 0xBF] + text) == DecodedDocument(bytes: text, charset: "utf-8", problems: []))
    }

    @Test(arguments: ["<rss><title>Ελληνικά</title></rss>", ""])
    func missingDeclarationMeansUTF8(text: String) {
        let bytes = Array(text.utf8)
        #expect(decode(bytes) == DecodedDocument(bytes: bytes, charset: "utf-8", problems: []))
    }

    @Test(arguments: [
        "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{FFFF}", "\u{10000}",
        "\u{10FFFF}",
    ])
    func boundaryScalarsAreValid(_ scalar: String) {
        // Each scalar at every position relative to the 16-byte ASCII blocks.
        for padding in 0..<17 {
            let bytes = Array((String(repeating: "a", count: padding) + scalar + "abcdefghijklmnopq").utf8)
            #expect(decode(bytes).problems == [])
        }
    }

    @Test(
        arguments: [
            ("lone continuation", [0x80], "€"),
            ("overlong slash", [0xC0, 0xAF], "À¯"),
            ("overlong three-byte", [0xE0, 0x80, 0xAF], "à€¯"),
            ("overlong four-byte", [0xF0, 0x8F, 0xBF, 0xBF], "ð\u{8F}¿¿"),
            ("truncated at end", [0xE2, 0x82], "â‚"),
            ("surrogate", [0xED, 0xA0, 0x80], "í\u{A0}€"),
            ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80], "ô\u{90}€€"),
            ("lead F5", [0xF5, 0x80], "õ€"),
            ("lead interrupted", [0xE2, 0x41, 0x82, 0xAC], "âA‚¬"),
        ] as [(String, [UInt8], String)])
    func invalidUTF8IsReadAsWindows1252(kind: String, invalid: [UInt8], expected: String) {
        let doc = decode(Array("<p>ok ".utf8) + invalid)
        #expect(doc.bytes == Array("<p>ok \(expected)".utf8), "\(kind)")
        #expect(doc.charset == "utf-8")
        let count = invalid.filter { $0 >= 0x80 }.count
        let plural = count == 1 ? "" : "s"
        #expect(doc.problems == ["invalid UTF-8 at byte 6 decoded as windows-1252 (\(count) byte\(plural))"])
    }

    @Test func undeclaredLatin1InUTF8IsRepairedWithOneProblem() {
        // A UTF-8 document with one Latin-1 paragraph pasted in: "café" in UTF-8, then "naïve élève" in Latin-1.
        let bytes =
            Array("<p>café ".utf8) + [0x6E, 0x61, 0xEF, 0x76, 0x65, 0x20, 0xE9, 0x6C, 0xE8, 0x76, 0x65]
            + Array(" 日本</p>".utf8)
        let doc = decode(bytes)
        #expect(doc.bytes == Array("<p>café naïve élève 日本</p>".utf8))
        #expect(doc.problems == ["invalid UTF-8 at byte 11 decoded as windows-1252 (3 bytes)"])
    }

    @Test func validationAgreesWithTheStandardLibrary() {
        // Random mixes of ASCII runs and high bytes, from a fixed seed, checked against Swift's own validator;
        // each starts with `<p>`, so that no random start reads as a byte order mark.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5000 {
            var bytes = Array("<p>".utf8)
            while bytes.count < 40 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let byte = UInt8(truncatingIfNeeded: state >> 56)
                bytes += byte < 0x60 ? Array(repeating: UInt8(ascii: "a"), count: Int(byte % 19)) : [byte]
            }
            let doc = decode(bytes)
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect(doc.problems.isEmpty == valid)
            #expect(valid ? doc.bytes == bytes : String(validating: doc.bytes, as: UTF8.self) != nil)
        }
    }

    @Test func invalidOffsetCountsTheByteOrderMark() {
        let doc = decode([0xEF, 0xBB, 0xBF, 0x61, 0xFF])
        #expect(doc.bytes == Array("aÿ".utf8))
        #expect(doc.problems == ["invalid UTF-8 at byte 4 decoded as windows-1252 (1 byte)"])
    }

    // MARK: - UTF-16 and UTF-32

    @Test(
        arguments: [
            ("utf-16le", [0xFF, 0xFE], .utf16LittleEndian, true),
            ("utf-16be", [0xFE, 0xFF], .utf16BigEndian, true),
            ("utf-32le", [0xFF, 0xFE, 0x00, 0x00], .utf32LittleEndian, true),
            ("utf-32be", [0x00, 0x00, 0xFE, 0xFF], .utf32BigEndian, true),
            ("utf-16le", [0xFF, 0xFE], .utf16LittleEndian, false),
            ("utf-16be", [0xFE, 0xFF], .utf16BigEndian, false),
        ] as [(String, [UInt8], String.Encoding, Bool)])
    func byteOrderMarkDecides(charset: String, mark: [UInt8], encoding: String.Encoding, withDeclaration: Bool) throws {
        // The declaration says windows-1251 on purpose: the mark wins, and the declaration is left as written.
        let text = (withDeclaration ? "<?xml version=\"1.0\" encoding=\"windows-1251\"?>" : "") + "<p>Жé𝄞</p>"
        let body = try #require(text.data(using: encoding))
        let doc = decode(mark + Array(body))
        #expect(doc == DecodedDocument(bytes: Array(text.utf8), charset: charset, problems: []))
    }

    @Test(arguments: [("utf-16le", String.Encoding.utf16LittleEndian), ("utf-16be", .utf16BigEndian)])
    func unmarkedUTF16IsRecognised(charset: String, encoding: String.Encoding) throws {
        let text = " \n<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><p>Ж</p>"
        let bytes = Array(try #require(text.data(using: encoding)))
        #expect(decode(bytes) == DecodedDocument(bytes: Array(text.utf8), charset: charset, problems: []))
    }

    @Test func invalidUTF16IsReplacedOneCodeUnitAtATime() {
        // "a", a lone high surrogate, "b", then an odd trailing byte.
        let doc = decode([0xFF, 0xFE, 0x61, 0x00, 0x00, 0xD8, 0x62, 0x00, 0x63])
        #expect(doc.bytes == Array("a\u{FFFD}b\u{FFFD}".utf8))
        #expect(doc.problems == ["invalid utf-16le at byte 4 replaced with U+FFFD (2 sequences)"])
    }

    @Test(arguments: ["UTF-16", "utf-16le", "UCS-2LE", "unicode", "utf-32"])
    func wideLabelInSingleByteTextIsReadAsUTF8(label: String) {
        let doc = decode(declared(label, Array("é".utf8)))
        #expect(doc.bytes == Array(declaredText(label, "é").utf8))
        #expect(doc.charset == "utf-8")
        #expect(doc.problems == ["charset \"\(label)\" declared in 8-bit text, read as UTF-8"])
    }

    // MARK: - windows-1252

    @Test func declaredLatin1IsDecoded() {
        let doc = decode(declared("ISO-8859-1", [0x63, 0x61, 0x66, 0xE9]))
        let text = declaredText("ISO-8859-1", "café")
        #expect(doc == DecodedDocument(bytes: Array(text.utf8), charset: "windows-1252", problems: []))
    }

    @Test func latin1LabelIsReadAsWindows1252() {
        // Curly quotes and the euro sign from a Windows editor, in a feed that says ISO-8859-1.
        let doc = decode(declared("iso-8859-1", [0x93, 0x48, 0x69, 0x94, 0x20, 0x80, 0x35]))
        #expect(doc.bytes == Array(declaredText("iso-8859-1", "“Hi” €5").utf8))
    }

    @Test func windows1252MapsEveryByte() {
        let high: [UInt8] = Array(0x80...0x9F)
        let doc = decode(declared("windows-1252", high + [0xA0, 0xFF, 0x01]))
        // Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined in windows-1252; they stay the C1 controls.
        let expected = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ\u{A0}ÿ\u{1}"
        #expect(doc.bytes == Array(declaredText("windows-1252", expected).utf8))
        #expect(doc.problems == [])
    }

    @Test(arguments: [
        "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
        "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
        "x-cp1252", " LATIN1 ",
    ])
    func windows1252LabelsAreRecognised(label: String) {
        let doc = decode(declared(label, [0x93]))
        #expect(doc.bytes == Array(declaredText(label, "“").utf8))
        #expect(doc.charset == "windows-1252")
    }

    // MARK: - Other charsets through iconv

    @Test(
        arguments: [
            ("koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], "Привет", "koi8-r"),
            ("windows-1251", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], "Привет", "windows-1251"),
            ("x-cp1251", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], "Привет", "windows-1251"),
            ("iso-8859-7", [0xCA, 0xE1, 0xEB, 0xE7, 0xEC, 0xDD, 0xF1, 0xE1], "Καλημέρα", "iso-8859-7"),
            // GB2312 is read as its superset GB18030: `€` is GBK, `𠀀` needs GB18030's four-byte form.
            ("gb2312", [0xD6, 0xD0, 0xCE, 0xC4, 0xA2, 0xE3, 0x95, 0x32, 0x82, 0x36], "中文€𠀀", "gb18030"),
            ("x-gbk", [0xD6, 0xD0, 0xCE, 0xC4], "中文", "gb18030"),
            // Shift_JIS is read as CP932: `~` and `\` stay ASCII, and NEC's `①` is known.
            ("Shift_JIS", [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x7E, 0x5C, 0x87, 0x40], "日本語~\\①", "cp932"),
            ("x-sjis", [0x93, 0xFA, 0x96, 0x7B], "日本", "cp932"),
            ("ks_c_5601-1987", [0xC7, 0xD1, 0xB1, 0xB9, 0xBE, 0xEE], "한국어", "cp949"),
            ("big5", [0xA4, 0xA4, 0xA4, 0xE5], "中文", "big5-hkscs"),
            ("euc-jp", [0xC6, 0xFC, 0xCB, 0xDC], "日本", "euc-jp"),
            ("iso-8859-9", [0xF0, 0x80], "ğ€", "windows-1254"),
        ] as [(String, [UInt8], String, String)])
    func otherCharsetsAreDecodedWithIconv(label: String, body: [UInt8], expected: String, charset: String) {
        let doc = decode(declared(label, body))
        let text = declaredText(label, expected)
        #expect(doc == DecodedDocument(bytes: Array(text.utf8), charset: charset, problems: []))
    }

    @Test func outputLongerThanIconvsBufferIsKeptWhole() {
        // 100,000 Cyrillic letters become 200,000 bytes of UTF-8, several times iconv's output buffer.
        let body = [UInt8](repeating: 0xF0, count: 100_000)
        let doc = decode(declared("koi8-r", body))
        #expect(doc.bytes == Array(declaredText("koi8-r", String(repeating: "П", count: 100_000)).utf8))
    }

    @Test func invalidInputIsReplacedAndDecodingGoesOn() {
        // 0xAA is unassigned in windows-1253; 0xE1 is alpha.
        let doc = decode(declared("windows-1253", [0xE1, 0xAA, 0xE1, 0xAA]))
        #expect(doc.bytes == Array(declaredText("windows-1253", "α\u{FFFD}α\u{FFFD}").utf8))
        let offset = declared("windows-1253", []).count - 4 + 1
        #expect(doc.problems == ["invalid windows-1253 at byte \(offset) replaced with U+FFFD (2 sequences)"])
    }

    @Test func sequenceCutOffAtTheEndIsOneReplacement() {
        let doc = decode(Array("<?xml version='1.0' encoding='gb18030'?>".utf8) + [0x95, 0x32, 0x82])
        #expect(doc.bytes == Array("<?xml version='1.0' encoding='gb18030'?>\u{FFFD}".utf8))
        #expect(doc.problems == ["invalid gb18030 at byte 40 replaced with U+FFFD (1 sequence)"])
    }

    @Test(arguments: ["x-no-such-charset", "utf-8//IGNORE", "../../etc/passwd", ""])
    func unknownLabelIsReadAsUTF8(label: String) {
        let doc = decode(declared(label, Array("é".utf8) + [0xE9]))
        #expect(doc.bytes == Array(declaredText(label, "éé").utf8))
        #expect(doc.charset == "utf-8")
        let offset = declared(label, []).count - 4 + 2
        #expect(
            doc.problems == [
                "unknown charset \"\(label)\", read as UTF-8",
                "invalid UTF-8 at byte \(offset) decoded as windows-1252 (1 byte)",
            ])
    }

    // MARK: - Finding the declaration

    @Test(arguments: [
        "junk\u{0}\u{1}\n  <?xml version=\"1.0\" encoding=\"koi8-r\"?>",
        "<?xml version='1.0' encoding='koi8-r'?>",
        "<?XML VERSION=\"1.0\" ENCODING = 'KOI8-R' ?>",
        "<?xml\tversion=\"1.0\"\nencoding\n=\n\"koi8-r\"\tstandalone=\"yes\"?>",
    ])
    func declarationIsFoundLeniently(declaration: String) {
        let doc = decode(Array(declaration.utf8) + [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4])
        #expect(doc.bytes == Array((declaration + "Привет").utf8))
        #expect(doc.charset == "koi8-r")
    }

    @Test(arguments: [
        "<?xml-stylesheet encoding=\"koi8-r\"?>",
        "<?xml version=\"1.0\"?><p encoding=\"koi8-r\">",
        "<?xml version=\"1.0\" xencoding=\"koi8-r\"?>",
        String(repeating: " ", count: 1024) + "<?xml version=\"1.0\" encoding=\"koi8-r\"?>",
    ])
    func noDeclarationOrOneBeyondTheFirstKilobyteMeansUTF8(text: String) {
        #expect(decode(Array(text.utf8)).charset == "utf-8")
    }

    // MARK: - Real feeds from the shared corpus

    /// The shared corpus of real feeds, next to the repository; the tests below skip when it is absent.
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")

    @Test(
        .enabled(if: FileManager.default.fileExists(atPath: corpus.path)),
        arguments: [
            ("miniflux-v2/encoding_WINDOWS-1251.xml", "windows-1251", "Новый цитатник Рунета"),
            ("prof18-RSS-Parser/feed-test-greek.xml", "iso-8859-7", "Ενημέρωση με άποψη για την οικονομία"),
            ("NetNewsWire/kc0011.rss", "gb18030", "投资资讯网交易在线--流通纪念币"),
            ("feed-rs/rss_1.0_iso8859.xml", "windows-1252", "Neue Glasfaserförderung mit Schnellkasse"),
            ("miniflux-v2/encoding_ISO-8859-1.xml", "windows-1252", "Von KI erstelltes Porträt für 432.500"),
            ("fastfeedparser/9e0834333e854116", "utf-8", "Corporación"),
        ]
    )
    func corpusFeedIsDecoded(file: String, charset: String, word: String) throws {
        let doc = CharsetDecoder.decode(try Data(contentsOf: Self.corpus.appendingPathComponent(file)))
        #expect(doc.charset == charset)
        #expect(String(decoding: doc.bytes, as: UTF8.self).contains(word))
        // That file says UTF-16 but is UTF-8; the others are clean.
        #expect(doc.problems.count == (file.hasPrefix("fastfeedparser") ? 1 : 0))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus.path)))
    func corpusFeedWithoutDeclarationInLatin1IsRepaired() throws {
        let file = Self.corpus.appendingPathComponent("miniflux-v2/no_encoding_ISO-8859-1.xml")
        let doc = CharsetDecoder.decode(try Data(contentsOf: file))
        #expect(doc.charset == "utf-8")
        #expect(String(decoding: doc.bytes, as: UTF8.self).contains("L'oisiveté est mère de tous les vices"))
        // 82 of its 88 non-ASCII bytes: twice `é`, no-break space, `»` (E9 A0 BB) happens to be valid UTF-8 (U+983B).
        #expect(doc.problems == ["invalid UTF-8 at byte 711 decoded as windows-1252 (82 bytes)"])
    }
}
