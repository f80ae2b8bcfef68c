import Foundation

/// A new, empty directory under the system's temporary directory, removed with its content when the value goes
/// away: tests of the store use real files.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/feedd-test-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        url = URL(fileURLWithPath: String(cString: created))
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var path: String { url.path }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `text` to `name`, replacing it.
    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    /// The content of `name` as text.
    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(name)), as: UTF8.self)
    }

    /// The names in the directory, sorted, hidden ones included.
    func names(in subdirectory: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.isEmpty ? path : path(subdirectory)).sorted()
    }
}
