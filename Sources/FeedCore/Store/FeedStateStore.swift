import Foundation
import Glibc

/// The per-feed files of the state directory: `feeds/<id>.json` (a `FeedState`) and `seen/<id>.json` (its
/// `SeenKeys`), each replaced whole by write-temp-then-rename(2) and never fsynced, because the story log is the
/// truth: after a crash, replay from the checkpoint restores whatever seen keys did not reach the disk.
///
/// Not thread-safe: the daemon calls it from its serial queue only (the temp file of a replace is named after the
/// process, so two replaces of one file at once would share it). Reading needs no lock, so `feedd status` reads
/// while the daemon runs. Nothing is created until the first save, so reading never needs write permission.
final class FeedStateStore {
    let directory: URL
    private let feedsPath: String
    private let seenPath: String
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    init(directory: URL) {
        self.directory = directory
        feedsPath = directory.path + "/feeds"
        seenPath = directory.path + "/seen"
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // RFC 3339 in UTC, the way every date in feedd's files and output is written.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(FeedDate.format(date))
        }
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = FeedDate.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date: \(text)")
            }
            return date
        }
    }

    /// Removes the temp files of replaces that a crash (`kill -9` mid-write) left behind; the files they were
    /// replacing are intact, since rename(2) never happened. Call it only while holding the log's lock.
    func removeLeftoverTempFiles() {
        for folder in [feedsPath, seenPath] {
            for name in (try? FileIO.entries(of: folder)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
                try? FileIO.remove(folder + "/" + name)
            }
        }
    }

    // MARK: - Feed state

    /// The feed's saved state; nil when there is none, or none that can be read (a state file only saves work,
    /// so starting over is safe).
    func loadState(_ id: FeedID) -> FeedState? {
        guard let bytes = try? FileIO.readFile(statePath(id)) else { return nil }
        return try? decoder.decode(FeedState.self, from: Data(bytes))
    }

    /// Replaces the feed's state file.
    func saveState(_ state: FeedState, for id: FeedID) throws(StoreError) {
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(state)) + [0x0A]
        } catch {
            // Only a non-finite number can fail to encode, and FeedState holds none.
            preconditionFailure("FeedState did not encode: \(error)")
        }
        try replace(statePath(id), in: feedsPath, with: bytes)
    }

    /// Every feed's saved state, by id: the feeds of the state directory, whether or not the config still has
    /// them. Files that cannot be read are left out.
    func allStates() -> [FeedID: FeedState] {
        let names = (try? FileIO.entries(of: feedsPath)) ?? []
        var states: [FeedID: FeedState] = [:]
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let id = FeedID(String(name.dropLast(".json".count)))
            if let state = loadState(id) { states[id] = state }
        }
        return states
    }

    // MARK: - Seen keys

    /// What a seen file holds.
    enum StoredSeenKeys: Equatable {
        /// No file: a new feed, or one whose file was never written.
        case absent
        case loaded(SeenKeys)
        /// A file that cannot be read or parsed: rebuild the keys by replaying the log for the feed.
        case corrupt(StoreError)
    }

    /// The feed's seen keys as last saved.
    func loadSeen(_ id: FeedID) -> StoredSeenKeys {
        let path = seenFilePath(id)
        do throws(StoreError) {
            return .loaded(try SeenKeys.decode(try FileIO.readFile(path), path: path))
        } catch .io(_, _, ENOENT) {
            return .absent
        } catch {
            return .corrupt(error)
        }
    }

    /// Replaces the feed's seen file.
    func saveSeen(_ keys: SeenKeys, for id: FeedID) throws(StoreError) {
        try replace(seenFilePath(id), in: seenPath, with: keys.fileBytes())
    }

    /// Deletes the feed's state and seen files.
    func removeFeed(_ id: FeedID) throws(StoreError) {
        try FileIO.remove(statePath(id))
        try FileIO.remove(seenFilePath(id))
    }

    // MARK: - Files

    private func statePath(_ id: FeedID) -> String {
        "\(feedsPath)/\(id.rawValue).json"
    }

    private func seenFilePath(_ id: FeedID) -> String {
        "\(seenPath)/\(id.rawValue).json"
    }

    /// Replaces `path` without fsync, creating its directory on first use.
    private func replace(_ path: String, in directory: String, with bytes: [UInt8]) throws(StoreError) {
        do throws(StoreError) {
            try FileIO.atomicReplace(path, with: bytes, durable: false)
        } catch .io(_, "open", ENOENT) {
            try FileIO.makeDirectories(directory)
            try FileIO.atomicReplace(path, with: bytes, durable: false)
        }
    }
}
