import Foundation

/// What `feedd add` and `feedd import` share: where the config file is, and how they word what became of a feed.
struct ConfigEditing {
    /// The path given (`--config`, `$FEEDD_CONFIG`, `./feeds.json`).
    let path: String
    /// The file as messages name it.
    let name: String
    /// The config file's folder, against which `file:relative` URLs resolve.
    let baseDirectory: URL

    init(_ arguments: Arguments, environment: [String: String]) {
        path = ConfigFile.locate(explicit: arguments.value("--config"), environment: environment)
        name = ConfigFile.displayName(path)
        baseDirectory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
    }

    /// The config file's bytes; a file that cannot be read is a configuration problem (exit 2), as for `check`,
    /// and worded as `check` words it (`feeds.json: cannot open: No such file or directory`).
    func currentBytes() throws(ConfigFile.UpdateFailure) -> [UInt8] {
        do {
            return try ConfigFile.bytes(at: path)
        } catch {
            guard case .failure(let problems) = ConfigFile.load(path: path) else { throw .refused([error.description]) }
            throw .refused(problems.map(\.description))
        }
    }

    /// Plans adding `entries` to `bytes`.
    func plan(_ entries: [FeedEntry], into bytes: [UInt8]) throws(ConfigFile.UpdateFailure) -> FeedAddition {
        try FeedAddition(entries, into: bytes, file: name, baseDirectory: baseDirectory)
    }

    /// Why a feed of `url` was not added, in one phrase: `already configured as feeds[2] (id "ladaily")`.
    static func reason(_ outcome: FeedAddition.Outcome) -> String? {
        switch outcome {
        case .added:
            return nil
        case .alreadyConfigured(let index, let id):
            return "already configured as feeds[\(index)] (id \"\(id)\")"
        case .repeated(let index):
            return "listed again in the file: added once, as feeds[\(index)], with the tags of both"
        case .idTaken(let id, let index, let url, let derived):
            let whose = derived ? "the id derived from its URL, \"\(id)\"," : "id \"\(id)\""
            return "\(whose) is already used by feeds[\(index)] (\(url.absoluteString))"
        case .invalid(let reason):
            return reason
        }
    }
}
