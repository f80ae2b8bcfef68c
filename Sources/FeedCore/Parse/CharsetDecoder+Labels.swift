// MARK: - Charset labels (WHATWG Encoding Standard §4.2, "Names and labels")

extension CharsetDecoder {
    /// The WHATWG labels of UTF-8.
    static let utf8Labels: Set<String> = [
        "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8",
    ]

    /// The WHATWG labels of windows-1252: browsers read ISO-8859-1 and ASCII as windows-1252, so mislabelled curly
    /// quotes and euro signs come out right.
    static let windows1252Labels: Set<String> = [
        "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
        "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
        "x-cp1252",
    ]

    /// True for labels of UTF-16, UTF-32 and UCS-2/4 (WHATWG's and glibc's), which no declaration readable as
    /// ASCII can truthfully carry. UTF-8's `unicode-1-1-utf-8` and the like are matched before this.
    static func isWideLabel(_ label: String) -> Bool {
        let prefixes = [
            "utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4", "unicode", "csunicode",
            "iso-10646-ucs",
        ]
        return prefixes.contains { label.hasPrefix($0) }
    }

    /// The glibc iconv name for WHATWG labels that glibc does not know, or knows as a narrower charset than
    /// browsers decode (GB2312 as GB18030, Shift_JIS as CP932, EUC-KR as CP949, ISO-8859-9 as windows-1254).
    ///
    /// Any other label goes to iconv as written.
    static let iconvNames: [String: String] = {
        let aliases: [(name: String, labels: [String])] = [
            ("ISO-8859-6", ["csiso88596e", "csiso88596i", "iso-8859-6-e", "iso-8859-6-i"]),
            ("ISO-8859-7", ["sun_eu_greek"]),
            ("ISO-8859-8", ["csiso88598e", "csiso88598i", "iso-8859-8-e", "iso-8859-8-i", "logical", "visual"]),
            ("ISO-8859-15", ["csisolatin9", "l9"]),
            ("KOI8-R", ["koi", "koi8_r"]),
            ("MACINTOSH", ["x-mac-roman"]),
            ("MAC-CYRILLIC", ["x-mac-cyrillic"]),
            ("MAC-UK", ["x-mac-ukrainian"]),
            ("WINDOWS-874", ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620"]),
            ("WINDOWS-1250", ["x-cp1250"]),
            ("WINDOWS-1251", ["x-cp1251"]),
            ("WINDOWS-1253", ["x-cp1253"]),
            (
                "WINDOWS-1254",
                [
                    "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
                    "iso_8859-9:1989", "l5", "latin5", "x-cp1254",
                ]
            ),
            ("WINDOWS-1255", ["x-cp1255"]),
            ("WINDOWS-1256", ["x-cp1256"]),
            ("WINDOWS-1257", ["x-cp1257"]),
            ("WINDOWS-1258", ["x-cp1258"]),
            (
                "GB18030",
                [
                    "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58",
                    "x-gbk",
                ]
            ),
            ("BIG5-HKSCS", ["big5", "cn-big5", "csbig5", "x-x-big5"]),
            ("EUC-JP", ["x-euc-jp"]),
            // Glibc's SHIFT_JIS turns `~` and `\` into `‾` and `¥`, which breaks URLs; CP932 keeps them ASCII.
            ("CP932", ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"]),
            (
                "CP949",
                [
                    "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
                    "ksc5601", "ksc_5601", "windows-949",
                ]
            ),
        ]
        var names: [String: String] = [:]
        for (name, labels) in aliases {
            for label in labels { names[label] = name }
        }
        return names
    }()

    /// True when `label` is short and made of the characters labels use, so that iconv reads it as a plain name
    /// (no `//TRANSLIT` or `//IGNORE` suffix, no path).
    static func isPlausibleLabel(_ label: String) -> Bool {
        label.utf8.count <= 40 && !label.isEmpty
            && label.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                    UInt8(ascii: ":"):
                    true
                default:
                    false
                }
            }
    }
}
