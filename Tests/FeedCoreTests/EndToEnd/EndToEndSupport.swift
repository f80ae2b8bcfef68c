import Foundation

@testable import FeedCore

/// A temporary working directory with a feeds.json and a state directory, for running the real `feedd`.
struct Workspace {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("feedd-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var logURL: URL { directory.appendingPathComponent("state/stories.jsonl") }

    /// Writes feeds.json the way editors do: a temporary file renamed over the old one.
    func writeConfig(_ text: String) throws {
        let temporary = directory.appendingPathComponent(".feeds.json.tmp")
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, directory.appendingPathComponent("feeds.json").path) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// A config with `urls` as feeds, polled every second.
    func writeConfig(feeds urls: [String], extra: String = "") throws {
        let list = urls.map { "\"\($0)\"" }.joined(separator: ", ")
        try writeConfig(#"{"state_dir": "state", "interval": "1s", "timeout": "5s", "concurrency": 8, "per_host_concurrency": 8"#
            + extra + #", "feeds": [\#(list)]}"#)
    }

    /// The story log's lines, each parsed; fails the caller's expectations through `problems` for a bad line.
    func loggedStories() -> (stories: [[String: Any]], problems: [String]) {
        guard let data = try? Data(contentsOf: logURL) else { return ([], []) }
        var stories: [[String: Any]] = []
        var problems: [String] = []
        let text = String(decoding: data, as: UTF8.self)
        if !text.isEmpty && !text.hasSuffix("\n") { problems.append("the log ends with a torn line") }
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                problems.append("not a JSON object: \(line.prefix(120))")
                continue
            }
            guard line.hasPrefix(#"{"feed":"#) else {
                problems.append("keys out of order: \(line.prefix(60))")
                continue
            }
            stories.append(object)
        }
        return (stories, problems)
    }

    /// The guids in the log, in order.
    func loggedGuids() -> [String] {
        loggedStories().stories.compactMap { $0["guid"] as? String }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
