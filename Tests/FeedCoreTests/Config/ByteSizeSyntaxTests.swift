import Testing

@testable import FeedCore

@Suite struct ByteSizeSyntaxTests {
    @Test(arguments: [
        ("4096", 4096.0), ("512k", 524_288), ("512K", 524_288), ("512KB", 524_288), ("512KiB", 524_288),
        ("256MB", 268_435_456), ("256m", 268_435_456), ("1GiB", 1_073_741_824), ("1.5G", 1_610_612_736),
        ("100b", 100), ("1tb", 1_099_511_627_776), ("0.5k", 512),
    ])
    func parsesSizeStrings(text: String, bytes: Double) {
        #expect(ByteSizeSyntax.parse(text) == bytes)
    }

    @Test(arguments: ["", "MB", "256 MB", "-1k", "1.k", ".5k", "1PB", "12bytes", "1e3", "0x10"])
    func rejectsWhatIsNotASize(text: String) {
        #expect(ByteSizeSyntax.parse(text) == nil)
    }

    @Test func readsNumbersAndStringsWithinTheirBounds() {
        #expect(ByteSizeSyntax.bytes(in: .number("4096"), minimum: 4096) == .success(4096))
        #expect(ByteSizeSyntax.bytes(in: .string("256MB"), minimum: 4096) == .success(256 << 20))
        #expect(ByteSizeSyntax.bytes(in: .string("1TiB"), minimum: 1) == .success(1 << 40))
    }

    @Test(arguments: [
        (JSONValue.number("100"), 4096, "must be at least 4096 bytes, found 100"),
        (.string("1k"), 4096, #"must be at least 4096 bytes, found "1k""#),
        (.number("0"), 1, "must be at least 1 byte, found 0"),
        (.number("-5"), 1, "must be at least 1 byte, found -5"),
        (.string("2TB"), 1, #"must be at most 1TiB, found "2TB""#),
        (.number("1e300"), 1, "must be at most 1TiB, found 1e300"),
        (.number("4096.5"), 1, #"expected a size like 262144 (bytes), "512k", "256MB" or "1GiB", found 4096.5"#),
        (.string("lots"), 1, #"expected a size like 262144 (bytes), "512k", "256MB" or "1GiB", found "lots""#),
        (.bool(false), 1, #"expected a size like 262144 (bytes), "512k", "256MB" or "1GiB", found false"#),
    ])
    func rejectsValuesSayingWhatIsExpected(value: JSONValue, minimum: Int, message: String) {
        #expect(ByteSizeSyntax.bytes(in: value, minimum: minimum) == .failure(ByteSizeSyntax.Problem(message: message)))
    }
}
