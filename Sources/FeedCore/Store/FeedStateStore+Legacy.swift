import Foundation
import Glibc

/// The states file under its old name, `<state>/feeds.json`, with its changes files `feeds.changes-<inode>.jsonl`.
///
/// The old name is also the name of the configuration, and a state directory beside the config is a layout people
/// choose (`"state_dir": "."`, `--state .`), so a `feeds.json` in the state directory may be either. Which one is
/// decided by content, never by name: a configuration is an object with a `feeds` array, a states file an object
/// whose every value is a feed's state (an object), so no file is both. Only a states file is adopted; any other
/// `feeds.json`, a config or something that does not parse, is never renamed, rewritten or set aside.
extension FeedStateStore {
    static let legacyStatesFileName = "feeds.json"
    static let legacyChangesPrefix = "feeds.changes-"

    /// Renames a states file under the old name to `feed-states.json`, and the old changes files to the new
    /// prefix, when there is no `feed-states.json` yet: the daemon then carries on with the validators and backoff
    /// it had. rename(2) keeps the inode, so the changes files still name the states file they apply to; they are
    /// renamed first, so that a crash in between leaves the states file to be adopted at the next start. Call it
    /// only while holding the log's lock, before `removeLeftoverTempFiles` (which removes changes files that do not
    /// belong to the current states file).
    /// - Returns: whether a states file was adopted.
    @discardableResult
    func adoptLegacyStates() throws(StoreError) -> Bool {
        guard try FileIO.status(path: statesPath) == nil else { return false }
        let legacyPath = directory.path + "/" + Self.legacyStatesFileName
        let isStates = (try? FileIO.readFile(legacyPath)).flatMap(legacyContent) != nil
        for name in try FileIO.entries(of: directory.path) where name.hasPrefix(Self.legacyChangesPrefix) {
            let suffix = name.dropFirst(Self.legacyChangesPrefix.count)
            try FileIO.rename(directory.path + "/" + name, to: directory.path + "/" + Self.changesPrefix + suffix)
        }
        guard isStates else { return false }
        try FileIO.rename(legacyPath, to: statesPath)
        return true
    }

    /// The states of a states file under the old name, with its changes applied; nil when there is no such file
    /// or `feeds.json` is not one (a configuration). For readers, which never rename: `feedd status` shows what an
    /// older feedd left until the daemon adopts it.
    func legacyStates() -> [FeedID: FeedState]? {
        let path = directory.path + "/" + Self.legacyStatesFileName
        guard let fd = try? FileIO.open(path, O_RDONLY) else { return nil }
        defer { FileIO.close(fd) }
        guard let info = try? FileIO.status(fd, path: path), let bytes = try? FileIO.readFile(fd, path: path),
            var states = legacyContent(bytes)
        else { return nil }
        applyChanges(of: UInt64(info.st_ino), prefix: Self.legacyChangesPrefix, to: &states)
        return states
    }

    /// The states `bytes` hold when they are a states file; nil for a configuration (an object with a `feeds`
    /// array, whatever else it holds) and for anything that does not decode as feed states.
    func legacyContent(_ bytes: [UInt8]) -> [FeedID: FeedState]? {
        if case .object(let members)? = try? JSONValue.parse(bytes) {
            let isConfig = members.contains { member in
                guard member.key == "feeds", case .array = member.value else { return false }
                return true
            }
            if isConfig { return nil }
        }
        return try? decodeStates(bytes, path: directory.path + "/" + Self.legacyStatesFileName)
    }
}
