import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for `run` and `once`, set before the state is loaded.
///
/// At 100,000 feeds the daemon's live heap stays near 230 MB (heaptrack), but with glibc's defaults its resident
/// memory grew past 480 MB in the first minutes of `run`: every thread that allocates gets an arena of its own (up
/// to 8 per core), and after the first large buffer is freed (the 37 MB states file, the 12 MB metrics text)
/// glibc raises its mmap threshold, so later buffers of that size are carved from whichever thread's arena the
/// daemon's queue happens to run on, and stay there once freed. With two arenas and a fixed 256 KiB threshold
/// (large buffers are mapped and unmapped whole), the same run stayed at 235 MB (docs/PLATFORM.md, "Memory").
/// `GLIBC_TUNABLES` set by the user (glibc.malloc.arena_max, glibc.malloc.mmap_threshold) come first.
enum MemoryTuning {
    static let arenas: Int32 = 2
    static let mmapThreshold: Int32 = 256 * 1024
    /// `M_ARENA_MAX` and `M_MMAP_THRESHOLD` of glibc's malloc.h, which the Glibc module does not import.
    private static let arenaMaxOption: Int32 = -8
    private static let mmapThresholdOption: Int32 = -3

    /// - Returns: whether glibc's mallopt was found (and so the settings not given by the user were made).
    @discardableResult
    static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        #if canImport(Glibc)
        // mallopt(3) is looked up rather than called: malloc.h is not part of the Glibc module.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let tunables = environment["GLIBC_TUNABLES"] ?? ""
        if !tunables.contains("glibc.malloc.arena_max") { _ = mallopt(arenaMaxOption, arenas) }
        if !tunables.contains("glibc.malloc.mmap_threshold") { _ = mallopt(mmapThresholdOption, mmapThreshold) }
        return true
        #else
        return false
        #endif
    }
}
