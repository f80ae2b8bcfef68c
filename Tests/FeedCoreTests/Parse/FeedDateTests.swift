import Foundation
import Testing

@testable import FeedCore

@Suite struct FeedDateTests {
    /// Parses `text` and writes the instant back as RFC 3339, so that expectations read as UTC wall times.
    private static func utc(_ text: String) -> String? { FeedDate.parse(text).map(FeedDate.format) }

    // MARK: - Real feeds

    /// Dates copied from /work/shared/corpus (one per shape; the file is named where the shape is rare), with
    /// the UTC instant worked out by hand and checked against Python's email.utils and datetime.
    static let corpusDates: [(String, String)] = [
        ("Sat, 28 Jan 2023 17:00:13 +0000", "2023-01-28T17:00:13Z"),
        ("Wed, 17 Jan 2007 01:30:00 GMT", "2007-01-17T01:30:00Z"),
        ("Fri, 22 Sep 2023 16:30:15 -0000", "2023-09-22T16:30:15Z"),
        ("Wed, 26 Feb 2025 18:45:21 +0100", "2025-02-26T17:45:21Z"),
        ("Sat, 14 Jan 2006 12:00:35 -0800", "2006-01-14T20:00:35Z"),
        ("Fri, 29 Mar 2019 08:00:00 -0700", "2019-03-29T15:00:00Z"),
        ("Fri, 31 May 2019 12:17:58 -0700", "2019-05-31T19:17:58Z"),  // feed-rs JSON Feed
        ("Sun, 14 May 2017 19:31:28 +0530", "2017-05-14T14:01:28Z"),
        ("Wed, 6 Apr 2022 21:07:47 +0000", "2022-04-06T21:07:47Z"),
        ("Fri,  7 Apr 2006 09:00:00 -0700", "2006-04-07T16:00:00Z"),  // rome lr.xml
        ("Tue,  9 Mar 2021 05:09:40 +0000", "2021-03-09T05:09:40Z"),
        ("Tue 11 Jan 2011 01:30:00 GMT", "2011-01-11T01:30:00Z"),  // no comma after the weekday
        ("Fri 3 Dec 2010 04:30:00 GMT", "2010-12-03T04:30:00Z"),
        ("07 Jan 2017 18:20:03 +0300", "2017-01-07T15:20:03Z"),  // no weekday
        ("04 Mar 2006 06:00:00 +0100", "2006-03-04T05:00:00Z"),
        ("07 Nov 2015 12:00:00 EST", "2015-11-07T17:00:00Z"),
        ("Thu, 28 Dec 2017 11:18:00 EST", "2017-12-28T16:18:00Z"),
        ("Wed, 22 Aug 2012 22:24:49 EST", "2012-08-23T03:24:49Z"),
        ("Mon, 21 Jun 2021 10:00:00 PDT", "2021-06-21T17:00:00Z"),
        ("Thu, 04 Mar 2021 12:00:00 PST", "2021-03-04T20:00:00Z"),
        ("Fri, 08 Jul 2016 13:40:00 UTC", "2016-07-08T13:40:00Z"),
        ("Tue, 15 Nov 2022 20:15:04 Z", "2022-11-15T20:15:04Z"),
        ("Sat, 01 Dec 2012 12:04:10 Z", "2012-12-01T12:04:10Z"),
        ("Fri, 17 May 2019 23:21:44 BST", "2019-05-17T22:21:44Z"),  // British Summer Time, +01:00
        ("Thu, 01 Aug 2019 16:15 EDT", "2019-08-01T20:15:00Z"),  // no seconds
        ("Wed, 5 Nov 2025 13:52:10  EST", "2025-11-05T18:52:10Z"),  // double space
        (" Wed, 18 Feb 2026 07:28:13 +0530 ", "2026-02-18T01:58:13Z"),  // padded
        ("Fri, 30 June 2006 10:30:00 GMT", "2006-06-30T10:30:00Z"),  // full month names
        ("Wed, 27 July 2011 01:30:00 EST", "2011-07-27T06:30:00Z"),
        ("Sun, 12 August 2012 10:00:00 EST", "2012-08-12T15:00:00Z"),
        ("Wed, 19 jan 2026 00:00:00 GMT", "2026-01-19T00:00:00Z"),  // lowercase month; it was a Monday
        ("Mon, 21 Jan 2008 8:56 am PST", "2008-01-21T16:56:00Z"),  // rome sunnyvale.xml
        ("Sun, 20 Apr 2014 8:19 pm CEST", "2014-04-20T18:19:00Z"),  // rome yweather.xml
        ("Sat, Dec 16 2023 02:02:33 PM", "2023-12-16T14:02:33Z"),  // feed-rs rss_2.0_nbcny.xml
        ("Friday, January 29, 2021 04:42 PM", "2021-01-29T16:42:00Z"),  // prof18 hindi feed
        ("January, 29 Jan 2021 17:56:15 +0530", "2021-01-29T12:26:15Z"),  // a month where the weekday goes
        ("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T22:42:40Z"),  // Portuguese, rss-parser uolNoticias
        ("Do, 22 Dez 2016 17:36:00 +0000", "2016-12-22T17:36:00Z"),  // German, FeedReader ContentWindCom
        ("mer, 16 nov 2022 00:38:15 +0100", "2022-11-15T23:38:15Z"),  // Italian, feed-rs ilmessaggero
        ("22.11.2022 12:16:00", "2022-11-22T12:16:00Z"),  // prof18 feed-image-enclosure.xml
        ("2020/1/10 14:33:00", "2020-01-10T14:33:00Z"),  // NetNewsWire kc0011.rss
        ("2009-04-08T14:25:12Z", "2009-04-08T14:25:12Z"),
        ("2016-12-21T00:00:00+00:00", "2016-12-21T00:00:00Z"),
        ("2013-02-22T09:47:09-08:00", "2013-02-22T17:47:09Z"),
        ("2014-10-05T01:28:05.849-07:00", "2014-10-05T08:28:05Z"),
        ("2007-12-14T23:15:00.000-08:00", "2007-12-15T07:15:00Z"),
        ("2009-08-17T11:10:16.894Z", "2009-08-17T11:10:16Z"),
        ("2013-09-13T23:45:36.972031-05:00", "2013-09-14T04:45:36Z"),
        ("2026-02-17T18:37:49.755512+00:00", "2026-02-17T18:37:49Z"),
        ("2025-02-24T15:45:46.035455Z", "2025-02-24T15:45:46Z"),
        ("2026-02-16T00:00:00.000Z", "2026-02-16T00:00:00Z"),
        ("2026-02-17T17:36:36-0500", "2026-02-17T22:36:36Z"),  // offset without colon
        ("2012-11-13T14:36:22", "2012-11-13T14:36:22Z"),  // no zone
        ("2017-04-04T07:00", "2017-04-04T07:00:00Z"),  // no seconds, NetNewsWire curt.json
        ("2006-01-11 16:43:22 -0800", "2006-01-12T00:43:22Z"),  // space before the zone, rome index.rss
        ("2019-05-18 10:58:46 +0300", "2019-05-18T07:58:46Z"),
        ("2019-08-27", "2019-08-27T00:00:00Z"),
    ]

    @Test(arguments: corpusDates)
    func parsesCorpusDate(text: String, expected: String) {
        #expect(Self.utc(text) == expected)
    }

    // MARK: - Rules

    /// One or more cases for each rule of the parser.
    static let ruleDates: [(String, String)] = [
        // RFC 822 family
        ("Mon, 05 Jan 2024 10:00:00 +0000 GMT", "2024-01-05T10:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 +0100 CET", "2024-01-05T09:00:00Z"),  // the number decides
        ("Fri, 05 Jan 2024 10:00:00 -0500 (EST)", "2024-01-05T15:00:00Z"),  // RFC 2822 comment
        ("Mon Jan 05 2024 10:00:00 GMT+0000 (Coordinated Universal Time)", "2024-01-05T10:00:00Z"),
        ("Fri Jan 05 2024 11:00:00 GMT+0100 (Central European Standard Time)", "2024-01-05T10:00:00Z"),
        ("Mon Jan  5 10:00:00 2024", "2024-01-05T10:00:00Z"),  // asctime
        ("Fri Jan 5 10:00:00 UTC 2024", "2024-01-05T10:00:00Z"),  // date(1)
        ("Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"),  // RFC 850
        ("Jan 5, 2024", "2024-01-05T00:00:00Z"),
        ("5 January 2024", "2024-01-05T00:00:00Z"),
        ("January 5th, 2024", "2024-01-05T00:00:00Z"),
        ("Thursday, 05 January 2024 10:00:00 GMT", "2024-01-05T10:00:00Z"),  // wrong full weekday
        ("Fri, 05 Sept 2024 10:00:00 GMT", "2024-09-05T10:00:00Z"),
        ("Fri,, 05 Jan. 2024  10:00:00 GMT.", "2024-01-05T10:00:00Z"),
        ("Fri, 05 Jan 2024 10:00", "2024-01-05T10:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00.750 GMT", "2024-01-05T10:00:00Z"),
        // Two- and three-digit years, RFC 2822 §4.3
        ("Fri, 05 Jan 24 10:00:00 GMT", "2024-01-05T10:00:00Z"),
        ("Tue, 05 Jan 49 10:00:00 GMT", "2049-01-05T10:00:00Z"),
        ("Thu, 05 Jan 50 10:00:00 GMT", "1950-01-05T10:00:00Z"),
        ("Mon, 05 Jan 104 10:00:00 GMT", "2004-01-05T10:00:00Z"),
        // 12-hour clock
        ("Fri, 5 Jan 2024 10:00 AM EST", "2024-01-05T15:00:00Z"),
        ("Fri, 5 Jan 2024 10:00 p.m. EST", "2024-01-06T03:00:00Z"),
        ("Fri, 5 Jan 2024 12:00 AM GMT", "2024-01-05T00:00:00Z"),
        ("Fri, 5 Jan 2024 12:30 PM GMT", "2024-01-05T12:30:00Z"),
        ("Fri, 5 Jan 2024 00:30 AM GMT", "2024-01-05T00:30:00Z"),
        // Numeric zones
        ("Fri, 05 Jan 2024 10:00:00 +05:30", "2024-01-05T04:30:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 +5:30", "2024-01-05T04:30:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 +05", "2024-01-05T05:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 GMT+2", "2024-01-05T08:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 GMT-0500", "2024-01-05T15:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 UTC+01:00", "2024-01-05T09:00:00Z"),
        // Named zones
        ("Fri, 05 Jan 2024 10:00:00 UT", "2024-01-05T10:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 CDT", "2024-01-05T15:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 MST", "2024-01-05T17:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 IST", "2024-01-05T04:30:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 NST", "2024-01-05T13:30:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 ACST", "2024-01-05T00:30:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 NZDT", "2024-01-04T21:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 EEST", "2024-01-05T07:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 JST", "2024-01-05T01:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 AKDT", "2024-01-05T18:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 HST", "2024-01-05T20:00:00Z"),
        ("Fri, 05 Jan 2024 10:00:00 A", "2024-01-05T11:00:00Z"),  // RFC 822 military: A is -1
        ("Fri, 05 Jan 2024 10:00:00 Y", "2024-01-04T22:00:00Z"),  // and Y is +12
        ("Fri, 05 Jan 2024 10:00:00", "2024-01-05T10:00:00Z"),  // no zone: UTC
        // Month names in other languages
        ("Di, 05 Mär 2024 10:00:00 +0100", "2024-03-05T09:00:00Z"),
        ("5 févr. 2024 10:00", "2024-02-05T10:00:00Z"),
        ("3 déc 2023", "2023-12-03T00:00:00Z"),
        ("12 ene 2024", "2024-01-12T00:00:00Z"),
        ("24 dic 2023 18:00 -0300", "2023-12-24T21:00:00Z"),
        ("Okt 3 2023", "2023-10-03T00:00:00Z"),
        ("1 Mai 2024", "2024-05-01T00:00:00Z"),
        // RFC 3339 / ISO 8601
        ("2024-01-05t10:00:00z", "2024-01-05T10:00:00Z"),
        ("2024-01-05 10:00:00", "2024-01-05T10:00:00Z"),
        ("2024-01-05T10:00:00+0100", "2024-01-05T09:00:00Z"),
        ("2024-01-05T10:00:00+01", "2024-01-05T09:00:00Z"),
        ("2024-01-05T10:00:00.123456789123Z", "2024-01-05T10:00:00Z"),
        ("2024-01-05T10:00:00,5-02:30", "2024-01-05T12:30:00Z"),
        ("2024-01-05T10:00:00 UTC", "2024-01-05T10:00:00Z"),
        ("2024-01-05T10:00:00 GMT+2", "2024-01-05T08:00:00Z"),
        ("2024-01-05 10:00:00.123 -0700 MST", "2024-01-05T17:00:00Z"),  // Go's time.String()
        ("2024-01-05+01:00", "2024-01-04T23:00:00Z"),  // XML Schema date with zone
        ("20240105T101010Z", "2024-01-05T10:10:10Z"),
        ("20240105", "2024-01-05T00:00:00Z"),
        ("2024-01", "2024-01-01T00:00:00Z"),
        ("2024", "2024-01-01T00:00:00Z"),
        // Calendar edges
        ("2024-02-29", "2024-02-29T00:00:00Z"),
        ("2000-02-29", "2000-02-29T00:00:00Z"),
        ("2024-01-05T23:59:60Z", "2024-01-05T23:59:59Z"),  // leap second
        ("Sun, 31 Dec 2016 23:59:60 GMT", "2016-12-31T23:59:59Z"),
        ("2024-12-31T24:00:00Z", "2025-01-01T00:00:00Z"),  // end of day
        ("1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z"),
        ("Mon, 01 Jan 1900 00:00:00 GMT", "1900-01-01T00:00:00Z"),
    ]

    @Test(arguments: ruleDates)
    func parsesRule(text: String, expected: String) {
        #expect(Self.utc(text) == expected)
    }

    /// Text that names no instant, or names it out of range, gives nil rather than a guess.
    static let unparseable: [String] = [
        "", "   ", "not a date", "yesterday", "10:00:00",
        "2024-13-01", "2024-01-32", "2024-02-30", "2023-02-29", "1900-02-29",
        "2024-01-05T25:00:00Z", "2024-01-05T10:60:00Z", "2024-01-05T10:00:61Z",
        "2024-01-05T24:00:01Z", "2024-01-05T24:30:00Z",
        "2024-01-05T", "2024-01-05T10", "2024-01-05T10:00:00.Z", "2024-01-05T10:00:00+01:00 extra",
        "2024-01-05T10:00:00A", "2024T10:00", "2024-01T10:00", "202401", "2024-01-05 noon",
        "Mon, 32 Jan 2024 10:00:00 GMT", "Mon, 00 Jan 2024 10:00:00 GMT", "Mon, 05 Foo 2024 10:00:00 GMT",
        "Mon, 05 Jan 2024 25:00:00 GMT", "Mon, 05 Jan 2024 10:60:00 GMT", "Mon, 05 Jan 2024 10:00:00 XYZ",
        "Mon, 05 Jan 2024 10:00:00 ET", "Mon, 05 Jan 2024 10:00:00 +2500",
        "Mon, 05 Jan 2024 10:00:00 +0000 +0100",
        "Mon, 05 Jan 2024 10:00:00 EST PST", "Mon, 05 Jan 2024 13:00 PM EST", "Mon, 05 Jan 2024 AM",
        "Mon, GMT 05 Jan 2024 10:00:00", "Mon, 05 Jan 10:00:00 GMT", "Mon, 05 2024 10:00:00 GMT",
        "Mon, 05 Jan Feb 2024", "Mon, 05 Jan 2024 2025", "Mon, 05 Jan 2024 10:00:00 GMT (unclosed",
        "Mon, 05 Jan 2024 00:30 PM GMT", "Mon, 05 Jan 2024 10:00:00 EST+0100", "2024-01-05T10:00:00 EST+01",
        "2024-01-05T10:00:00+01:00 XYZ",
        "Mon, 05 Jan +2024", "22.11.22 12:16", "Jan, 5 2024", "Do 22 Dez 2016", "01/05/2024", "5/1/2024 10:00",
        "10.00.2024", "1 day ago",
    ]

    @Test(arguments: unparseable)
    func rejects(text: String) {
        #expect(FeedDate.parse(text) == nil)
    }

    @Test func keepsTheFraction() {
        #expect(FeedDate.parse("2024-01-05T10:00:00.25Z")?.timeIntervalSince1970 == 1_704_448_800.25)
        #expect(FeedDate.parse("Fri, 05 Jan 2024 10:00:00.5 GMT")?.timeIntervalSince1970 == 1_704_448_800.5)
    }

    @Test func acceptsSubstrings() {
        let line = "<pubDate>Fri, 05 Jan 2024 10:00:00 GMT</pubDate>"
        let text = line.dropFirst(9).dropLast(10)
        #expect(FeedDate.parse(text)?.timeIntervalSince1970 == 1_704_448_800)
    }

    // MARK: - Format

    /// Instants and their RFC 3339 text, before 1970 included; the fraction is cut toward the past.
    static let formatted: [(TimeInterval, String)] = [
        (0, "1970-01-01T00:00:00Z"),
        (0.999, "1970-01-01T00:00:00Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-14_182_940, "1969-07-20T20:17:40Z"),
        (-2_203_848_000, "1900-03-01T12:00:00Z"),
        (-11_644_473_600, "1601-01-01T00:00:00Z"),
        (-30_610_224_000, "1000-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_704_448_800, "2024-01-05T10:00:00Z"),
        (2_147_483_648, "2038-01-19T03:14:08Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        (Date.distantFuture.timeIntervalSince1970, "4001-01-01T00:00:00Z"),
        // Proleptic Gregorian, as RFC 3339 §5.6 requires; Foundation calls the same instant 0001-01-01 (Julian).
        (Date.distantPast.timeIntervalSince1970, "0000-12-30T00:00:00Z"),
    ]

    @Test(arguments: formatted)
    func formats(interval: TimeInterval, expected: String) {
        #expect(FeedDate.format(Date(timeIntervalSince1970: interval)) == expected)
    }

    @Test(arguments: formatted)
    func formatRoundTrips(interval: TimeInterval, text: String) {
        let whole = interval.rounded(.down)
        #expect(FeedDate.parse(FeedDate.format(Date(timeIntervalSince1970: whole)))?.timeIntervalSince1970 == whole)
        #expect(FeedDate.parse(text).map(FeedDate.format) == text)
    }

    @Test func formatIsUTC() {
        let date = FeedDate.parse("Fri, 05 Jan 2024 23:30:00 -0500")
        #expect(date.map(FeedDate.format) == "2024-01-06T04:30:00Z")
    }

    @Test func formatSurvivesNonFiniteDates() {
        #expect(FeedDate.format(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00Z")
        #expect(FeedDate.format(Date(timeIntervalSince1970: .infinity)).hasSuffix("Z"))
    }

    @Test func civilArithmeticRoundTrips() {
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.days(year: 1, month: 1, day: 1) == -719_162)
        for days in stride(from: -1_000_000, through: 3_000_000, by: 997) {
            let (year, month, day) = CivilDate.civil(fromDays: days)
            #expect(CivilDate.days(year: year, month: month, day: day) == days)
        }
    }

    // MARK: - Corpus sweep

    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/corpus")

    /// The text of every date element of RSS, Atom 0.3/1.0, RDF and Dublin Core, and of JSON Feed's date fields.
    private static let datePatterns = [
        #"<((?:[A-Za-z][\w.-]*:)?(?:pubDate|lastBuildDate|date|published|updated|issued|modified|created))"#
            + #"(?:\s[^>]*)?>\s*(?:<!\[CDATA\[)?([^<]*?)(?:\]\]>)?\s*</\1\s*>"#,
        #""(date_published|date_modified)"\s*:\s*"([^"]*)""#,
    ]

    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus.path)))
    func parsesCorpusSweep() throws {
        let patterns = try Self.datePatterns.map { try NSRegularExpression(pattern: $0) }
        let files = FileManager.default.enumerator(at: Self.corpus, includingPropertiesForKeys: nil)
        var total = 0
        var failures: [String] = []
        while let file = files?.nextObject() as? URL {
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for pattern in patterns {
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let range = Range(match.range(at: 2), in: text), !text[range].isEmpty else { continue }
                    total += 1
                    if FeedDate.parse(text[range]) == nil {
                        failures.append("\(file.lastPathComponent): \(text[range].debugDescription)")
                    }
                }
            }
        }
        if !failures.isEmpty {
            print("FeedDate: \(failures.count) of \(total) corpus dates did not parse:")
            for failure in failures { print("  \(failure)") }
        }
        #expect(total > 5_000)
        #expect(Double(failures.count) <= Double(total) * 0.01)
    }
}
