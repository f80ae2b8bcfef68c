import Foundation

/// Adding feeds to a configuration's bytes, for `feedd add` and `feedd import`: each new entry is read the way the
/// decoder reads it (its URL resolved, its id derived), checked against the feeds already there and those added
/// before it, and the ones that stand are appended by `ConfigEditor`. The result is decoded before anyone writes
/// it: an edit that would leave a configuration the daemon cannot load is refused whole.
struct FeedAddition {
    /// What became of one entry.
    enum Outcome: Equatable {
        /// Appended as `feeds[index]`, under `id`.
        case added(index: Int, id: FeedID)
        /// Its URL is that of `feeds[index]`, which was there before.
        case alreadyConfigured(index: Int, id: FeedID)
        /// Its URL is that of an entry added before it by this same edit, as `feeds[index]`; its tags were added to
        /// that entry's.
        case repeated(index: Int)
        /// Its id, given or derived, is that of `feeds[index]`, which has another URL.
        case idTaken(FeedID, index: Int, url: URL, derived: Bool)
        /// The entry is not a feed the config accepts; the reason in the decoder's words.
        case invalid(String)
    }

    /// The new file's bytes: the old ones when nothing was added.
    var bytes: [UInt8]
    /// The entries as they are written (a repeated URL's tags merged into its first entry), in the order given.
    var entries: [FeedEntry]
    var outcomes: [Outcome]

    var addedCount: Int {
        outcomes.count { if case .added = $0 { true } else { false } }
    }

    /// Plans the addition of `entries` to the config `bytes`.
    /// - Parameters:
    ///   - file: the name problems give the config file.
    ///   - baseDirectory: the config file's folder, for `file:relative` URLs.
    /// - Throws: `.refused` with every problem when the config does not load now, or would not after the edit.
    init(_ entries: [FeedEntry], into bytes: [UInt8], file: String, baseDirectory: URL?)
        throws(ConfigFile.UpdateFailure)
    {
        let existing = try Self.feeds(of: bytes, file: file, baseDirectory: baseDirectory)
        var known = ConfiguredFeeds(existing)
        var written = entries
        var outcomes: [Outcome] = []
        // Where in `entries` each feed this edit adds was given, by its index in `feeds`.
        var positionOfAdded: [Int: Int] = [:]
        var keptPositions: [Int] = []
        for (position, entry) in entries.enumerated() {
            let resolved: FeedConfig
            switch entry.resolved(baseDirectory: baseDirectory) {
            case .success(let feed): resolved = feed
            case .failure(let invalid):
                outcomes.append(.invalid(invalid.reason))
                continue
            }
            if let match = known.feed(withURL: resolved.url) {
                if let first = positionOfAdded[match.index] {
                    written[first].tags = FeedEntry.uniqueTags(written[first].tags + entry.tags)
                    outcomes.append(.repeated(index: match.index))
                } else {
                    outcomes.append(.alreadyConfigured(index: match.index, id: match.feed.id))
                }
            } else if let match = known.feed(withID: resolved.id) {
                let derived = entry.id == nil
                outcomes.append(.idTaken(resolved.id, index: match.index, url: match.feed.url, derived: derived))
            } else {
                positionOfAdded[known.count] = position
                keptPositions.append(position)
                outcomes.append(.added(index: known.count, id: resolved.id))
                known.add(resolved)
            }
        }
        let kept = keptPositions.map { written[$0] }
        self.entries = written
        self.outcomes = outcomes
        do {
            self.bytes = try ConfigEditor.appending(kept, to: bytes)
        } catch {
            throw .refused(["\(file): \(error)"])
        }
        guard !kept.isEmpty else { return }
        switch ConfigDecoder.decode(Data(self.bytes), file: file, baseDirectory: baseDirectory) {
        case .success(let config) where config.feeds.count == existing.count + kept.count:
            break
        case .success:
            throw .refused(["\(file): not changed: the edited file would not list the new feeds"])
        case .failure(let problems):
            throw .refused(problems.map(\.description) + ["\(file): not changed: the edit would make it invalid"])
        }
    }

    /// The feeds the config `bytes` lists: none for a file without `feeds` yet, which the edit gives one.
    /// - Throws: `.refused` with every problem of a config that does not load: an edit would not make it load.
    private static func feeds(of bytes: [UInt8], file: String, baseDirectory: URL?)
        throws(ConfigFile.UpdateFailure) -> [FeedConfig]
    {
        switch ConfigDecoder.decode(Data(bytes), file: file, baseDirectory: baseDirectory) {
        case .success(let config):
            return config.feeds
        case .failure(let problems):
            if problems.allSatisfy({ $0.path.isEmpty && $0.message == ConfigDecoder.missingFeeds }) { return [] }
            throw .refused(
                problems.map(\.description) + ["\(file): not changed: fix the problems above first ('feedd check')"])
        }
    }
}

extension FeedEntry {
    /// Why an entry is not a feed the config accepts.
    struct Invalid: Error, Equatable {
        var reason: String
    }

    /// The feed this entry stands for, as the config decoder reads it in the config file's folder: its URL
    /// resolved and its id given or derived. Fails with the decoder's reason, such as
    /// `url: not an http(s) or file URL ("https://" missing?)`.
    func resolved(baseDirectory: URL?) -> Result<FeedConfig, Invalid> {
        let empty = Array(#"{"feeds": []}"#.utf8)
        guard let document = try? ConfigEditor.appending([self], to: empty) else {
            return .failure(Invalid(reason: "cannot be written as JSON"))
        }
        switch ConfigDecoder.decode(Data(document), file: "", baseDirectory: baseDirectory) {
        case .success(let config):
            guard let feed = config.feeds.first else { return .failure(Invalid(reason: "not read back")) }
            return .success(feed)
        case .failure(let problems):
            let reasons = problems.map { problem in
                let field = problem.path.replacingOccurrences(of: "feeds[0].", with: "")
                    .replacingOccurrences(of: "feeds[0]", with: "")
                return field.isEmpty ? problem.message : "\(field): \(problem.message)"
            }
            return .failure(Invalid(reason: reasons.joined(separator: "; ")))
        }
    }
}
