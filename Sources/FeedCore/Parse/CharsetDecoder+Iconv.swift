import Glibc

// MARK: - Other charsets, through glibc iconv(3)

extension CharsetDecoder {
    /// Decodes `bytes` from `charset` with glibc `iconv`; each invalid sequence becomes U+FFFD and decoding goes on
    /// `unitWidth` bytes later (1 for byte-oriented charsets, 2 or 4 to keep UTF-16 and UTF-32 aligned).
    ///
    /// - Parameter offset: where `bytes` start in the document, for the problem's byte position.
    /// - Returns: UTF-8 and at most one problem, or nil when iconv does not know `charset`.
    static func decodeWithIconv(
        _ bytes: UnsafeBufferPointer<UInt8>, from charset: String, unitWidth: Int, offset: Int
    ) -> (bytes: [UInt8], problems: [String])? {
        let converter = iconv_open("UTF-8", charset)
        guard let converter, Int(bitPattern: converter) != -1 else { return nil }
        defer { iconv_close(converter) }
        guard let base = bytes.baseAddress else { return ([], []) }

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var firstInvalid: Int?
        var invalidCount = 0
        // iconv's signature wants a mutable pointer to the input; it only reads through it.
        var input: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base)
            .assumingMemoryBound(to: CChar.self)
        var inputLeft = bytes.count
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64 * 1024) { buffer in
            while inputLeft > 0 {
                var output: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(buffer.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var outputLeft = buffer.count
                let failed = iconv(converter, &input, &inputLeft, &output, &outputLeft) == -1
                let error = failed ? errno : 0
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<(buffer.count - outputLeft)]))
                switch error {
                case 0, E2BIG:
                    continue  // done, or the output buffer was full and has been emptied
                case EILSEQ, EINVAL:
                    firstInvalid = firstInvalid ?? bytes.count - inputLeft
                    invalidCount += 1
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    // EINVAL is a sequence cut off by the end of the input: one U+FFFD for all of it.
                    let skip = error == EINVAL ? inputLeft : min(unitWidth, inputLeft)
                    input = input.map { $0 + skip }
                    inputLeft -= skip
                default:
                    preconditionFailure("iconv failed with errno \(error)")
                }
            }
        }
        guard let firstInvalid else { return (out, []) }
        let name = charset.lowercased()
        let plural = invalidCount == 1 ? "" : "s"
        let problem =
            "invalid \(name) at byte \(offset + firstInvalid) replaced with U+FFFD (\(invalidCount) sequence\(plural))"
        return (out, [problem])
    }
}
