import Foundation
import Glibc

/// The feeds' files of the state directory: `feed-states.json` (every feed's `FeedState`) and `seen/<id>.json`
/// (each feed's `SeenKeys`), each replaced whole by write-temp-then-rename(2) and never fsynced, because the story
/// log is the truth: after a crash, replay from the checkpoint restores whatever seen keys did not reach the disk.
/// Between two writes of `feed-states.json`, the states that changed are appended to a changes file that readers
/// apply on top (see `appendChanges`), so that `feedd status` is seconds behind the daemon, not 30.
///
/// Not thread-safe: the daemon calls it from its serial queue only (the temp file of a replace is named after the
/// process, so two replaces of one file at once would share it). Reading needs no lock, so `feedd status` reads
/// while the daemon runs. Nothing is created until the first save, so reading never needs write permission.
final class FeedStateStore {
    /// The states file's name. Never a name a configuration is given: it was `feeds.json` once, and a state
    /// directory beside the config (`"state_dir": "."`) had the daemon write its states over the configuration.
    static let statesFileName = "feed-states.json"

    let directory: URL
    let statesPath: String
    private let seenPath: String
    /// The size of `feed-states.json` as last read or written here, and the bytes of changes appended to it since:
    /// what `compactionDue` weighs.
    private(set) var statesBytes = 0
    var changesBytes = 0
    /// Below this size the states file is rewritten at every save, as cheap as appending (about 3,000 feeds).
    static let smallStatesBytes = 1 << 20

    init(directory: URL) {
        self.directory = directory
        statesPath = directory.path + "/" + Self.statesFileName
        seenPath = directory.path + "/seen"
    }

    /// Removes the temp files of replaces that a crash (`kill -9` mid-write) left behind; the files they were
    /// replacing are intact, since rename(2) never happened. Only the temp files of feedd's own files go: the state
    /// directory may be the configuration's folder. Call it only while holding the log's lock.
    func removeLeftoverTempFiles() {
        for name in (try? FileIO.entries(of: directory.path)) ?? [] where StateDirectoryFiles.isTemporary(name) {
            try? FileIO.remove(directory.path + "/" + name)
        }
        for name in (try? FileIO.entries(of: seenPath)) ?? [] where StateDirectoryFiles.isSeenTemporary(name) {
            try? FileIO.remove(seenPath + "/" + name)
        }
        removeChanges(keepingCurrent: true)
    }

    // MARK: - Feed state

    /// The saved state of one feed; nil when there is none.
    func loadState(_ id: FeedID) -> FeedState? {
        allStates()[id]
    }

    /// Saves one feed's state beside the others (reads and rewrites them all: for tools and tests; the daemon
    /// saves all states at once with `saveStates`).
    /// - Throws: `StoreError.corrupt` rather than replace a states file that does not parse.
    func saveState(_ state: FeedState, for id: FeedID) throws(StoreError) {
        var states = try loadStates()
        states[id] = state
        try saveStates(states)
    }

    /// Replaces `feed-states.json`, which holds every feed's state, keyed by id.
    ///
    /// One file for all feeds, written in one go every few seconds: a file per feed cost a create, a write and a
    /// rename per fetch, which on ext4 took ~0.5-1 ms each and made a pass over 10,000 unchanged feeds (all 304)
    /// wait for the disk 10,000 times. The states only save work (validators, backoff, status): the story log
    /// and the seen keys carry what must survive a crash, so a state a crash loses costs a refetch, not a story.
    func saveStates(_ states: [FeedID: FeedState]) throws(StoreError) {
        // Written straight into one buffer the size of the last file, one state at a time, in the order of the ids.
        var json = JSONWriter(capacity: statesBytes + statesBytes / 8 + 64)
        json.beginObject()
        for id in states.keys.sorted() {
            json.key(id.rawValue)
            states[id]!.write(to: &json)
        }
        json.endObject()
        json.endLine()
        try replace(statesPath, in: directory.path, with: json.bytes)
        // The new file holds every change: the changes file of the old one is done with.
        removeChanges(keepingCurrent: false)
        statesBytes = json.bytes.count
        changesBytes = 0
    }

    /// Whether rewriting `feed-states.json` is worth it: always while it is small, else once the changes appended
    /// since reach half its size. Rewriting 100,000 states (33 MB) every 30 s took a third of the daemon's CPU
    /// (bench/scale_bench.py); this way each byte of state is written at most three times per change, and a reader
    /// (`feedd status`, a start) applies at most half the file again in changes.
    var compactionDue: Bool {
        statesBytes < Self.smallStatesBytes || changesBytes * 2 >= statesBytes
    }

    /// The states a states file (or a line of changes) holds, by id: one object with a member per feed.
    /// - Throws: `StoreError.corrupt` naming the file and what is wrong, when `bytes` are not that.
    func decodeStates(_ bytes: [UInt8], path: String) throws(StoreError) -> [FeedID: FeedState] {
        var states: [FeedID: FeedState] = [:]
        do throws(JSONParser.MemberReadError<FeedState.JSONProblem>) {
            try JSONParser.forEachMember(ofObjectIn: bytes) { member throws(FeedState.JSONProblem) in
                states[FeedID(member.key)] = try FeedState(json: member.value)
            }
        } catch {
            switch error {
            case .syntax(let syntax): throw .corrupt(path: path, reason: "not a feed states file (\(syntax))")
            case .rejected(let problem): throw .corrupt(path: path, reason: "not a feed states file (\(problem))")
            }
        }
        return states
    }

    /// Every feed's saved state, by id, whether or not the config still has the feed; empty when there is no
    /// state file or one that cannot be read (for showing; the daemon uses `loadStates`, which says so).
    func allStates() -> [FeedID: FeedState] {
        (try? loadStates()) ?? [:]
    }

    /// Every feed's saved state, by id, with the changes appended since the states file was written applied;
    /// empty when there is no states file. Without one, a states file under the old name (`feeds.json`) is read
    /// in its place, until the daemon adopts it (`adoptLegacyStates`).
    /// - Throws: `StoreError.corrupt` naming the file when it does not parse, `.io` when it cannot be read.
    func loadStates() throws(StoreError) -> [FeedID: FeedState] {
        var states: [FeedID: FeedState] = [:]
        let fd: Int32
        do throws(StoreError) {
            fd = try FileIO.open(statesPath, O_RDONLY)
        } catch .io(_, _, ENOENT) {
            if let legacy = legacyStates() { return legacy }
            // Changes appended before the first states file are read on their own.
            applyChanges(of: 0, prefix: Self.legacyChangesPrefix, to: &states)
            applyChanges(of: 0, to: &states)
            return states
        }
        defer { FileIO.close(fd) }
        let inode = (try? FileIO.status(fd, path: statesPath)).map { UInt64($0.st_ino) } ?? 0
        let bytes = try FileIO.readFile(fd, path: statesPath)
        statesBytes = bytes.count
        changesBytes = 0
        states = try decodeStates(bytes, path: statesPath)
        applyChanges(of: inode, to: &states)
        return states
    }

    /// Whether the states file exists (it may hold no feed).
    var hasStatesFile: Bool {
        (try? FileIO.status(path: statesPath)) != nil
    }

    /// Renames the states file that does not parse to `feed-states.json.corrupt-YYYYMMDDTHHMMSSZ`, so that the next
    /// save does not destroy what a person may want to look at; returns the new path.
    func setStatesAside(now: Date) throws(StoreError) -> String {
        try Self.setAside(statesPath, now: now)
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

    /// Renames the feed's seen file that does not parse to `<id>.json.corrupt-YYYYMMDDTHHMMSSZ`; returns the new
    /// path.
    func setSeenAside(_ id: FeedID, now: Date) throws(StoreError) -> String {
        try Self.setAside(seenFilePath(id), now: now)
    }

    /// Renames the seen file of feed `old` to be that of `new`, durably: the state that says `new` has fetched
    /// before is written afterwards, and must not find the file missing after a crash. Nothing happens when `old`
    /// has no seen file.
    func moveSeen(from old: FeedID, to new: FeedID) throws(StoreError) {
        do throws(StoreError) {
            try FileIO.rename(seenFilePath(old), to: seenFilePath(new))
        } catch .io(_, _, ENOENT) {
            return
        }
        try FileIO.syncDirectory(seenPath)
    }

    /// The feeds that have a seen file, each with the file's modification time.
    func seenFiles() throws(StoreError) -> [FeedID: Date] {
        var files: [FeedID: Date] = [:]
        for name in try FileIO.entries(of: seenPath) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let info = try FileIO.status(path: "\(seenPath)/\(name)") else { continue }
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            files[FeedID(String(name.dropLast(".json".count)))] = Date(timeIntervalSince1970: modified)
        }
        return files
    }

    /// Sets the modification time of the feed's seen file to `date`; nothing happens when it has none.
    func touchSeen(_ id: FeedID, at date: Date) throws(StoreError) {
        do throws(StoreError) {
            try FileIO.setTimes(seenFilePath(id), to: date.timeIntervalSince1970)
        } catch .io(_, _, ENOENT) {
            return
        }
    }

    /// Removes the feed's seen file; nothing happens when it has none.
    func removeSeen(_ id: FeedID) throws(StoreError) {
        try FileIO.remove(seenFilePath(id))
    }

    /// Forgets the feed: its state and its seen file.
    func removeFeed(_ id: FeedID) throws(StoreError) {
        var states = try loadStates()
        if states.removeValue(forKey: id) != nil { try saveStates(states) }
        try FileIO.remove(seenFilePath(id))
    }

    // MARK: - Files

    private static func setAside(_ path: String, now: Date) throws(StoreError) -> String {
        let stamp = FeedDate.format(now).filter { $0 != "-" && $0 != ":" }
        var aside = "\(path).corrupt-\(stamp)"
        var counter = 0
        while try FileIO.status(path: aside) != nil {
            counter += 1
            aside = "\(path).corrupt-\(stamp)-\(counter)"
        }
        try FileIO.rename(path, to: aside)
        return aside
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
