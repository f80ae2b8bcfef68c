import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How this test run differs from a plain build on a quiet machine, for the few tests whose deadlines or memory
/// bounds are part of what they check (a good feed beside hostile ones is polled on time; memory stays bounded).
/// Everything else waits for events with generous deadlines and needs no scaling.
enum TestEnvironment {
    /// The sanitizer the test bundle (and the `feedd` built with it) runs under, if any: its runtime's entry point
    /// is in the process.
    static let sanitizer: String? = {
        let process = dlopen(nil, RTLD_NOW)
        if dlsym(process, "__tsan_init") != nil { return "thread" }
        if dlsym(process, "__asan_init") != nil { return "address" }
        return nil
    }()

    /// How many times longer things may take: `$FEEDD_TEST_SLOWDOWN` when set (at least 1), else 8 under
    /// ThreadSanitizer and 6 under AddressSanitizer, 1 otherwise. Measured beside two CPU-bound processes with the
    /// whole suite running in parallel: 4 and 2 were enough on a quiet machine, not there (a good feed's story took
    /// 10.6 s under AddressSanitizer where 5 s was allowed).
    static let slowdown: Double = {
        if let text = ProcessInfo.processInfo.environment["FEEDD_TEST_SLOWDOWN"], let value = Double(text), value >= 1 {
            return value
        }
        switch sanitizer {
        case "thread": return 8
        case "address": return 6
        default: return 1
        }
    }()

    /// How many times more memory a process may use: sanitizers keep shadow memory beside the program's own.
    static let memoryFactor = sanitizer == nil ? 1 : 3

    /// `seconds` scaled by `slowdown`.
    static func scaled(_ seconds: TimeInterval) -> TimeInterval { seconds * slowdown }
}
