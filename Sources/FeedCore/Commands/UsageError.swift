/// A command line that cannot be run as written; exit status 2.
struct UsageError: Error, Equatable, CustomStringConvertible {
    var message: String
    /// The command whose `--help` the message points to.
    var command: String?

    var description: String {
        let help = command.map { "feedd \($0) --help" } ?? "feedd --help"
        return "\(message) (see '\(help)')"
    }
}
