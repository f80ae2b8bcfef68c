extension PlainText {
    /// The UTF-8 result under construction, in a scratch buffer that becomes one `String` at the end; when
    /// collapsing, it turns each run of ASCII whitespace into one space and drops it at both ends.
    struct Output {
        private let buffer: UnsafeMutableBufferPointer<UInt8>
        private let collapsingWhitespace: Bool
        private var count = 0
        /// A space is owed before the next visible byte; it is written only then, which trims the end.
        private var spacePending = false

        /// The text that `write` produces from `input`.
        ///
        /// The scratch buffer is a temporary allocation (on the stack when small) rather than an `[UInt8]`,
        /// whose allocation costs a generic metadata lookup on every call. It never needs to grow: the output
        /// outgrows `input` by at most a fifth, because the longest reference for its length is `&nGt;`
        /// (5 bytes for 6) and every other rewrite shrinks or keeps its bytes.
        static func string(
            from input: UnsafeBufferPointer<UInt8>,
            collapsingWhitespace: Bool,
            write: (inout Output) -> Void
        ) -> String {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: input.count + input.count / 5) { buffer in
                var output = Output(buffer: buffer, collapsingWhitespace: collapsingWhitespace)
                write(&output)
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<output.count]), as: UTF8.self)
            }
        }

        private init(buffer: UnsafeMutableBufferPointer<UInt8>, collapsingWhitespace: Bool) {
            self.buffer = buffer
            self.collapsingWhitespace = collapsingWhitespace
        }

        /// Separates the text before from the text after, as whitespace, a line break or a block element does.
        mutating func breakWord() {
            spacePending = true
        }

        /// Writes one byte of UTF-8.
        mutating func append(_ byte: UInt8) {
            if collapsingWhitespace && PlainText.isWhitespace(byte) {
                spacePending = true
                return
            }
            writePendingSpace()
            reserve(1)
            buffer[count] = byte
            count += 1
        }

        /// Writes what a reference stands for; a decoded tab or line feed collapses like a typed one.
        mutating func append(_ replacement: HTMLEntities.Replacement) {
            switch replacement {
            case .scalar(let scalar): for byte in scalar.utf8 { append(byte) }
            case .characters(let characters): for byte in characters.utf8 { append(byte) }
            }
        }

        /// Writes a run of UTF-8 bytes as they are, but for collapsing whitespace.
        mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
            for byte in run { append(byte) }
        }

        /// Copies a run that needs no collapsing: either collapsing is off, or the run holds no ASCII whitespace
        /// but single spaces between other bytes.
        mutating func appendVerbatim(_ run: UnsafeBufferPointer<UInt8>) {
            guard let source = run.baseAddress, !run.isEmpty else { return }
            writePendingSpace()
            reserve(run.count)
            (buffer.baseAddress! + count).initialize(from: source, count: run.count)
            count += run.count
        }

        /// Writes the space that whitespace before asked for, unless nothing precedes it (which trims the start).
        private mutating func writePendingSpace() {
            guard spacePending else { return }
            spacePending = false
            guard count > 0 else { return }
            reserve(1)
            buffer[count] = 0x20
            count += 1
        }

        /// Checks that `byteCount` more bytes fit. The bound in `string(from:…)` makes this hold; the check keeps a
        /// mistake there from writing past the end of the buffer.
        private func reserve(_ byteCount: Int) {
            precondition(count + byteCount <= buffer.count, "PlainText output outgrew its bound")
        }
    }
}
