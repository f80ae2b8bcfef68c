import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rewriting the configuration file for `feedd add` and `feedd import`, so that a running daemon, or a crash,
/// never sees half of it: the new content goes to a temporary file in the same folder, which is fsynced and renamed
/// over the old one (rename(2) replaces a name atomically), and the folder is fsynced so that the rename survives a
/// power loss. The daemon reloads on the rename (inotify's MOVED_TO of the config's name).
extension ConfigFile {
    /// Why an update did not happen.
    enum UpdateFailure: Error, Equatable, CustomStringConvertible {
        /// The file could not be read, locked or replaced (a runtime failure, exit 1).
        case io(String)
        /// The edit was refused, each line a reason: the config does not load, a clash, a result that would not
        /// decode (exit 2).
        case refused([String])

        var description: String {
            switch self {
            case .io(let message): return message
            case .refused(let lines): return lines.joined(separator: "\n")
            }
        }

        /// 1 for a file that cannot be written, 2 for an edit that is refused (README.md, "Commands").
        var exitStatus: Int32 {
            switch self {
            case .io: return 1
            case .refused: return 2
            }
        }
    }

    /// What an update wrote.
    struct Written: Equatable {
        /// The file that was replaced: `path` itself, or the file a symbolic link at `path` leads to.
        var target: String
        /// Whether `path` is a symbolic link whose file is in another folder, where a daemon watching `path`'s
        /// folder does not see it change.
        var targetInAnotherFolder: Bool
    }

    /// The infix of the temporary files of an update: `.feeds.json.feedd-edit-<pid>`.
    static let temporaryInfix = ".feedd-edit-"

    /// Replaces the config file at `path` with what `edit` makes of its current bytes, atomically and durably.
    ///
    /// Updates by feedd processes take turns: each holds an exclusive `flock(2)` on the file it read from until its
    /// rename is done, and one that waited finds the name now leads to a new file and starts over on that one, so
    /// that two `feedd add` at once both land. A symbolic link is written through: the file it leads to is
    /// replaced, in that file's folder, and the link stays. The file's mode is kept, and its owner when the
    /// process may set it. Temporary files that an update killed before its rename left behind are removed.
    ///
    /// - Parameter edit: the new content for the current bytes; nil writes nothing.
    /// - Returns: what was written; nil when `edit` returned nil.
    static func update(
        path: String, _ edit: (_ current: [UInt8]) throws(UpdateFailure) -> [UInt8]?
    ) throws(UpdateFailure) -> Written? {
        // A failure names the config as given, says it was left as it was, and gives the system's reason.
        let unchanged = { (error: StoreError) in UpdateFailure.io("\(displayName(path)): not changed: \(error)") }
        for _ in 0..<100 {
            let target = try resolved(path)
            let fd: Int32
            do {
                fd = try FileIO.open(target, O_RDONLY)
            } catch {
                throw unchanged(error)
            }
            defer { FileIO.close(fd) }
            while flock(fd, LOCK_EX) == -1 {
                guard errno == EINTR else { throw unchanged(.io(path: target, operation: "flock", errno: errno)) }
            }
            let opened: stat
            do {
                opened = try FileIO.status(fd, path: target)
                // Another update renamed a new file over the name while this one waited for the lock: start over.
                guard let current = try FileIO.status(path: target), current.st_dev == opened.st_dev,
                    current.st_ino == opened.st_ino
                else { continue }
            } catch {
                throw unchanged(error)
            }
            let current: [UInt8]
            do {
                current = try FileIO.readFile(fd, path: target)
            } catch {
                throw unchanged(error)
            }
            guard let replacement = try edit(current) else { return nil }
            do {
                try replace(target, with: replacement, like: opened)
            } catch {
                throw unchanged(error)
            }
            do {
                // The rename is durable once the folder is synced: until then a power loss may undo it.
                try FileIO.syncDirectory(FileIO.parent(of: target))
            } catch {
                throw .io("\(displayName(path)): written, but a power loss may undo it: \(error)")
            }
            // The folder the daemon watches is the path's own, whatever links lead to it.
            let pathFolder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let watched = (try? resolved(pathFolder)) ?? pathFolder
            return Written(target: target, targetInAnotherFolder: FileIO.parent(of: target) != watched)
        }
        throw .io("\(path): the file kept being replaced while waiting to update it")
    }

    /// The absolute path of the file `path` leads to, every symbolic link followed.
    private static func resolved(_ path: String) throws(UpdateFailure) -> String {
        guard let resolved = realpath(path, nil) else {
            throw .io("\(displayName(path)): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes `bytes` to a temporary file beside `target`, with the mode and owner of `original`, fsyncs it and
    /// renames it over `target`.
    private static func replace(_ target: String, with bytes: [UInt8], like original: stat) throws(StoreError) {
        let folder = FileIO.parent(of: target)
        let name = String(target[target.index(after: target.lastIndex(of: "/")!)...])
        removeLeftoverTemporaryFiles(of: name, in: folder)
        let temporary = "\(folder)/.\(name)\(temporaryInfix)\(getpid())"
        try FileIO.remove(temporary)
        let fd = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do throws(StoreError) {
            // Owner first: chown(2) clears the set-id bits that the mode may then restore. Only root may give the
            // file away, and not being able to is no reason to refuse the edit.
            _ = fchown(fd, original.st_uid, original.st_gid)
            try FileIO.changeMode(fd, to: original.st_mode & 0o7777, path: temporary)
            try FileIO.write(fd, bytes, path: temporary)
            try FileIO.fsync(fd, path: temporary)
        } catch {
            FileIO.close(fd)
            try? FileIO.remove(temporary)
            throw error
        }
        FileIO.close(fd)
        do throws(StoreError) {
            try FileIO.rename(temporary, to: target)
        } catch {
            try? FileIO.remove(temporary)
            throw error
        }
    }

    /// Removes the temporary files of updates of `name` whose process is gone: an update killed between creating
    /// its file and renaming it. The config itself was never touched by them. Those of a live process stay (it
    /// may be writing), as does every other file of the folder.
    static func removeLeftoverTemporaryFiles(of name: String, in folder: String) {
        let prefix = ".\(name)\(temporaryInfix)"
        for entry in (try? FileIO.entries(of: folder)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), pid > 0 else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { try? FileIO.remove("\(folder)/\(entry)") }
        }
    }

    /// The bytes of the config file at `path`, for a `--dry-run` that reads without taking the lock.
    static func bytes(at path: String) throws(UpdateFailure) -> [UInt8] {
        do {
            return try FileIO.readFile(path)
        } catch {
            throw .io(error.description)
        }
    }
}
