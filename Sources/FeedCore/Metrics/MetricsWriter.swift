import Foundation

/// Writes `metrics.prom` so that node_exporter never reads half a file: the whole text to a temp file in the same
/// directory, then `rename(2)` over the old one (`FileIO.atomicReplace`). Not fsynced: the file is rewritten every
/// few seconds, and one lost to a power cut is rewritten at the next start.
struct MetricsWriter {
    /// The file's name in the state directory when `metrics_file` does not name another.
    static let defaultName = "metrics.prom"

    let path: String

    /// The file `setting` names: relative paths are relative to the state directory; nil for none.
    init?(_ setting: Config.MetricsFile, stateDirectory: URL) {
        switch setting {
        case .none: return nil
        case .inStateDirectory: path = stateDirectory.appendingPathComponent(Self.defaultName).path
        case .path(let given):
            path = given.hasPrefix("/") ? given : stateDirectory.appendingPathComponent(given).standardizedFileURL.path
        }
    }

    func write(_ snapshot: MetricsSnapshot) throws(StoreError) {
        try FileIO.atomicReplace(path, with: MetricsRenderer.renderBytes(snapshot), durable: false)
    }
}
