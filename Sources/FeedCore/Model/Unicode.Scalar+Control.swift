extension Unicode.Scalar {
    /// C0 and C1 control characters and DEL: what a terminal may act on, so text a feed server sent must not
    /// reach a log line, an error message or the status table with them.
    var isControlCharacter: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value)
    }
}
