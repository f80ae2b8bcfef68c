import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The configuration file on disk: where it is, and reading it. The only part of Config that touches the disk.
enum ConfigFile {
    static let defaultPath = "./feeds.json"

    /// Refuse larger files: feeds.json for 10,000 feeds is about 1 MB, and `--config /dev/zero` must not eat memory.
    static let maximumSize = 64 << 20

    /// The path to read (README.md, "Commands"): `--config PATH`, else `$FEEDD_CONFIG`, else `./feeds.json`.
    static func locate(explicit: String?, environment: [String: String]) -> String {
        if let explicit { return explicit }
        if let variable = environment["FEEDD_CONFIG"], !variable.isEmpty { return variable }
        return defaultPath
    }

    /// How problems name the file at `path`: as the user wrote it, without a leading `./`.
    static func displayName(_ path: String) -> String {
        path.hasPrefix("./") && path.count > 2 ? String(path.dropFirst(2)) : path
    }

    /// Reads and decodes the file at `path`.
    /// - Returns: the config, or every problem; a file that cannot be read is one problem naming the path and
    ///   the system's reason (`feeds.json: cannot read: No such file or directory`).
    static func load(path: String) -> Result<Config, [ConfigProblem]> {
        let name = displayName(path)
        switch contents(of: path) {
        case .success(let data):
            let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
            return ConfigDecoder.decode(data, file: name, baseDirectory: directory)
        case .failure(let reason):
            return .failure([ConfigProblem(file: name, path: "", message: reason.message)])
        }
    }

    private struct ReadFailure: Error {
        var message: String
    }

    /// The whole file, read with open(2)/read(2) so that a failure keeps its errno.
    private static func contents(of path: String) -> Result<Data, ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadFailure(message: "cannot open: \(errorText())")) }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(message: "cannot read: \(errorText())"))
            }
            if count == 0 { return .success(data) }
            data.append(contentsOf: chunk[..<count])
            if data.count > maximumSize {
                return .failure(ReadFailure(message: "larger than \(maximumSize >> 20) MiB: not a configuration file"))
            }
        }
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
