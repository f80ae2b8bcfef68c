extension FeedDate {
    /// What a word in a date means.
    enum Word {
        /// A day of the week, ignored: the date decides, and feeds often get the weekday wrong.
        case weekday
        /// A month, 1 to 12.
        case month(Int)
        /// A zone name, as seconds east of UTC.
        case zone(Int)
        /// `AM` or `PM` of a 12-hour clock.
        case meridiem(isPM: Bool)
    }

    /// Up to 16 bytes of a lowercase word packed into two integers: a dictionary key that costs no allocation.
    struct WordKey: Hashable {
        private var low: UInt64 = 0
        private var high: UInt64 = 0
        /// The whole length, also past 16 bytes, so a longer word never equals a table entry.
        private(set) var length = 0

        /// The key of the empty word, to be filled with `append(_:)`.
        init() {}

        /// The key of a lowercase table entry.
        init(_ text: String) {
            for byte in text.utf8 { append(byte) }
        }

        /// Adds the next byte of the word.
        mutating func append(_ byte: UInt8) {
            if length < 8 {
                low |= UInt64(byte) << (8 * length)
            } else if length < 16 {
                high |= UInt64(byte) << (8 * (length - 8))
            }
            length += 1
        }

        /// Whether this is the one-letter word `letter`.
        func isLetter(_ letter: Unicode.Scalar) -> Bool { length == 1 && low == UInt64(UInt8(ascii: letter)) }
    }

    /// Every word a date may contain, lowercase.
    static let words: [WordKey: Word] = {
        var table: [WordKey: Word] = [:]
        for (index, names) in monthNames.enumerated() {
            for name in names { table[WordKey(name)] = .month(index + 1) }
        }
        for name in weekdayNames { table[WordKey(name)] = .weekday }
        for (name, minutes) in zoneNames { table[WordKey(name)] = .zone(minutes * 60) }
        table[WordKey("am")] = .meridiem(isPM: false)
        table[WordKey("pm")] = .meridiem(isPM: true)
        return table
    }()

    /// Month names by month: English short and full (and `Sept`), then the short and full German, French, Spanish,
    /// Italian and Portuguese names that appear in feeds. No name stands for two different months.
    private static let monthNames: [[String]] = [
        ["jan", "january", "januar", "janv", "janvier", "ene", "enero", "gen", "gennaio", "janeiro"],
        [
            "feb", "february", "februar", "févr", "fevr", "février", "fevrier", "febrero", "febbraio", "fev",
            "fevereiro",
        ],
        ["mar", "march", "mär", "mrz", "märz", "maerz", "mars", "marzo", "março"],
        ["apr", "april", "avr", "avril", "abr", "abril", "aprile"],
        ["may", "mai", "mayo", "mag", "maggio", "maio"],
        ["jun", "june", "juni", "juin", "junio", "giu", "giugno", "junho"],
        ["jul", "july", "juli", "juil", "juillet", "julio", "lug", "luglio", "julho"],
        ["aug", "august", "août", "aout", "ago", "agosto"],
        ["sep", "sept", "september", "septembre", "set", "septiembre", "setiembre", "settembre", "setembro"],
        ["oct", "october", "okt", "oktober", "octobre", "octubre", "ott", "ottobre", "out", "outubro"],
        ["nov", "november", "novembre", "noviembre", "novembro"],
        [
            "dec", "december", "dez", "dezember", "déc", "décembre", "decembre", "dic", "diciembre", "dicembre",
            "dezembro",
        ],
    ]

    /// English weekday names and their common short forms. A weekday in another language is skipped only as the
    /// first word followed by a comma (`Do, 22 Dez 2016`), where nothing else can stand.
    private static let weekdayNames = [
        "mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday", "thu", "thur", "thurs", "thursday",
        "fri", "friday", "sat", "saturday", "sun", "sunday",
    ]

    /// Zone names with their offsets in minutes east of UTC. RFC 822 §5.1 defines UT, GMT, Z, the North American
    /// zones and the military letters; the rest are the fixed standard or daylight offsets the abbreviations stand
    /// for where feeds use them (IST is India, BST is British Summer Time, AST is Atlantic). Names that stand for
    /// a region rather than one offset (`ET`, `PT`) are left out so that they give nil rather than a guess.
    private static let zoneNames: [(String, Int)] =
        [
            ("ut", 0), ("utc", 0), ("gmt", 0), ("z", 0), ("wet", 0), ("west", 60), ("bst", 60), ("cet", 60),
            ("cest", 120), ("met", 60), ("mest", 120), ("eet", 120), ("eest", 180), ("msk", 180), ("sast", 120),
            ("ist", 330), ("pkt", 300), ("ict", 420), ("wib", 420), ("hkt", 480), ("sgt", 480), ("awst", 480),
            ("jst", 540), ("kst", 540), ("acst", 570), ("acdt", 630), ("aest", 600), ("aedt", 660), ("nzst", 720),
            ("nzdt", 780), ("est", -300), ("edt", -240), ("cst", -360), ("cdt", -300), ("mst", -420),
            ("mdt", -360), ("pst", -480), ("pdt", -420), ("akst", -540), ("akdt", -480), ("hst", -600),
            ("ast", -240), ("adt", -180), ("nst", -210), ("ndt", -150), ("brt", -180),
        ] + militaryZones

    /// RFC 822 §5.1 military zones as that table gives them: A to M (no J) are -1 to -12 hours, N to Y are +1 to
    /// +12. RFC 1123 §5.2.14 notes these signs are the reverse of military use; the RFC's table is kept, and
    /// feeds in practice use only Z.
    private static let militaryZones: [(String, Int)] = {
        let west = Array("abcdefghiklm").enumerated().map { (String($1), -60 * ($0 + 1)) }
        let east = Array("nopqrstuvwxy").enumerated().map { (String($1), 60 * ($0 + 1)) }
        return west + east
    }()
}
