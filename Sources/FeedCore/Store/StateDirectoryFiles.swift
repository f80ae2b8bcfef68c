import Foundation
import Glibc

/// Which names of the state directory feedd writes, replaces, renames or removes (docs/FORMATS.md), and the check
/// that the configuration in use is none of them: the daemon would otherwise write over it, or read it as a log.
///
/// There is no lock file: the writer's lock is an flock(2) on the directory itself.
enum StateDirectoryFiles {
    /// What feedd keeps at `name` in the state directory, in words for a message; nil for a name it never writes.
    /// `feeds.json` is not among them: a states file of that old name is adopted only by content
    /// (`FeedStateStore.adoptLegacyStates`), and a configuration there is left alone.
    static func role(of name: String) -> String? {
        if name == FeedStateStore.statesFileName { return "the feed states file" }
        if name.hasPrefix(FeedStateStore.changesPrefix) || name.hasPrefix(FeedStateStore.legacyChangesPrefix) {
            return "a changes file of the feed states"
        }
        if name == LogFiles.current { return "the story log" }
        if name.hasPrefix("stories-") && name.hasSuffix(".jsonl") { return "a rotated story log" }
        if name == Checkpoint.fileName { return "the checkpoint" }
        if name == MetricsWriter.defaultName { return "the metrics file" }
        if isTemporary(name) { return "a temporary file, removed at start" }
        return nil
    }

    /// What feedd keeps at `name` in the state directory's `seen` folder; nil for a name it never writes.
    static func seenRole(of name: String) -> String? {
        if isSeenFile(name) { return "a seen-keys file" }
        return isSeenTemporary(name) ? "a temporary file, removed at start" : nil
    }

    /// Whether `name` is the temp file of a replace of the states file, the checkpoint or the metrics file, which a
    /// crash left behind.
    ///
    /// Only feedd's own: the state directory may be the configuration's folder, where an editor or a script may
    /// keep its own `.feeds.json.tmp-123` while it writes the config.
    static func isTemporary(_ name: String) -> Bool {
        guard let replaced = replacedName(ofTemporary: name) else { return false }
        return replaced == FeedStateStore.statesFileName || replaced == Checkpoint.fileName
            || replaced == MetricsWriter.defaultName
    }

    /// Whether `name` is the temp file of a replace of a seen file.
    static func isSeenTemporary(_ name: String) -> Bool {
        replacedName(ofTemporary: name).map(isSeenFile) ?? false
    }

    /// Whether `name` is a feed's seen file, `<id>.json`.
    private static func isSeenFile(_ name: String) -> Bool {
        name.hasSuffix(".json") && FeedID.isValid(String(name.dropLast(".json".count)))
    }

    /// The file that `name` is a temp file of: `x` for `.x.tmp-<pid>` (`FileIO.atomicReplace`), else nil.
    private static func replacedName(ofTemporary name: String) -> String? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let pid = name[marker.upperBound...]
        guard !pid.isEmpty, pid.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(name[name.index(after: name.startIndex)..<marker.lowerBound])
    }

    /// The configuration in use is a file the state directory's writer owns.
    struct ConfigCollision: Error, Equatable, CustomStringConvertible {
        /// The configuration as the user named it (`ConfigFile.displayName`).
        var config: String
        /// The state directory's file it is, under the state directory as the user named it.
        var file: String
        /// What feedd keeps in that file (`role(of:)`).
        var role: String

        var description: String {
            "the configuration \(config) is \(file), \(role) feedd writes in the state directory; "
                + "use another state directory (--state or state_dir) or move the configuration"
        }
    }

    /// The file of `directory` that the configuration at `configPath` is, if any: by resolved path (symlinks, `.`,
    /// relative paths), then by device and inode (a hard link, or a symlink in the state directory that leads to
    /// the configuration). Nothing is created; a state directory that does not exist yet holds no configuration.
    ///
    /// The inode check covers the top level only: the log and the changes files there are written in place, while
    /// the seen folder's files are only ever replaced by rename(2), which never writes through a link. Checking the
    /// seen folder by inode would also cost a stat(2) per feed at every start.
    static func collision(config configPath: String, stateDirectory directory: URL) -> ConfigCollision? {
        guard let config = realPath(configPath), let configInfo = try? FileIO.status(path: config) else { return nil }
        let state = directory.path
        let found = { (file: String, role: String) in
            ConfigCollision(config: ConfigFile.displayName(configPath), file: state + "/" + file, role: role)
        }
        let folder = FileIO.parent(of: config)
        let name = String(config[config.index(after: config.lastIndex(of: "/")!)...])
        if let real = realPath(state) {
            if folder == real, let role = role(of: name) { return found(name, role) }
            if let seen = realPath(state + "/seen"), folder == seen, let role = seenRole(of: name) {
                return found("seen/" + name, role)
            }
        }
        for entry in (try? FileIO.entries(of: state)) ?? [] {
            guard let role = role(of: entry), let info = try? FileIO.status(path: state + "/" + entry) else { continue }
            if info.st_dev == configInfo.st_dev && info.st_ino == configInfo.st_ino { return found(entry, role) }
        }
        return nil
    }

    /// `realpath(3)`: the absolute path of `path` with every symlink, `.` and `..` resolved; nil when it does not
    /// exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
