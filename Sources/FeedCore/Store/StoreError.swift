import Glibc

/// A failure of the state directory: a system call that failed, or a file whose content cannot be read back.
enum StoreError: Error, Equatable, CustomStringConvertible {
    /// `operation` (`write`, `rename`, …) on `path` failed with `errno`.
    case io(path: String, operation: String, errno: Int32)
    /// Another feedd has the state directory at `path` open for writing.
    case busy(path: String)
    /// The file at `path` exists but does not hold what feedd writes there.
    case corrupt(path: String, reason: String)

    /// One line naming the file and what went wrong, e.g.
    /// `/var/lib/feedd/stories.jsonl: write failed: No space left on device`.
    var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .busy(let path):
            return "\(path): in use by another feedd process"
        case .corrupt(let path, let reason):
            return "\(path): unreadable: \(reason)"
        }
    }
}
