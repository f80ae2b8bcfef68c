import Foundation

extension SeenKeys {
    /// The keys as the content of `<state>/seen/<id>.json`: the keys grouped by the time they were last listed,
    /// newest first, those of the latest listing apart, with RFC 3339 times:
    /// `{"latest":[{"at":"2026-11-29T07:00:00Z","keys":["…"]}],"earlier":[{"at":"…","keys":["…"]}]}`.
    /// Grouping writes each time once, and a fetch lists most keys at one time. Keys are sorted, so equal keys
    /// give equal files.
    func fileBytes() -> [UInt8] {
        var latestGroups: [Date: [String]] = [:]
        var earlierGroups: [Date: [String]] = [:]
        for (key, date) in lastListed {
            if latest.contains(key) {
                latestGroups[date, default: []].append(key)
            } else {
                earlierGroups[date, default: []].append(key)
            }
        }
        var json = JSONWriter(capacity: 64 + lastListed.count * 64)
        json.beginObject()
        for (name, groups) in [("latest" as StaticString, latestGroups), ("earlier", earlierGroups)] {
            json.key(name)
            json.beginArray()
            for (date, keys) in groups.sorted(by: { $0.key > $1.key }) {
                json.beginObject()
                json.key("at")
                json.date(date)
                json.key("keys")
                json.strings(keys.sorted())
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        return json.bytes + [0x0A]
    }

    /// Reads keys written by `fileBytes()`.
    /// - Throws: `StoreError.corrupt` naming `path` when the bytes are not such a file.
    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> SeenKeys {
        let file: SeenFile
        do {
            file = try JSONDecoder().decode(SeenFile.self, from: Data(bytes))
        } catch {
            throw .corrupt(path: path, reason: "not a seen-keys file")
        }
        var lastListed: [String: Date] = [:]
        var latest: Set<String> = []
        for (groups, areLatest) in [(file.latest, true), (file.earlier, false)] {
            for group in groups {
                guard let date = FeedDate.parse(group.at) else {
                    throw .corrupt(path: path, reason: "bad time \"\(group.at)\"")
                }
                for key in group.keys { lastListed[key] = date }
                if areLatest { latest.formUnion(group.keys) }
            }
        }
        return SeenKeys(lastListed: lastListed, latest: latest)
    }
}

/// The shape of a seen file, for decoding.
private struct SeenFile: Decodable {
    struct Group: Decodable {
        var at: String
        var keys: [String]
    }

    var latest: [Group]
    var earlier: [Group]
}
