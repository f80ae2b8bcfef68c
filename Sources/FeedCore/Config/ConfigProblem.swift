/// One thing wrong with the configuration, named by the file and the JSON path of the field at fault
/// (README.md, "feeds.json"): `feeds.json: feeds[3].intreval: unknown field`.
struct ConfigProblem: Error, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    var file: String
    /// `feeds[3].intreval`, `interval`, or empty when the problem is the whole file's.
    var path: String
    var message: String

    var description: String {
        path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
    }
}

/// Every problem of a file, as the failure of `Result<Config, [ConfigProblem]>`: the list is the error, so callers
/// print each element rather than one wrapped value. Retroactive, but safe here: only arrays of our own type are
/// affected, and the package has no dependencies that could declare the same conformance.
// swift-format-ignore: AvoidRetroactiveConformances
extension Array: @retroactive Error where Element == ConfigProblem {}
