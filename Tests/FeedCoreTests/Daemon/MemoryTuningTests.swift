import Testing

@testable import FeedCore

/// The malloc settings are made through a function looked up at run time: a lookup that failed would leave the
/// daemon on glibc's defaults without a word, and its memory at 100,000 feeds near twice the goal.
struct MemoryTuningTests {
    @Test func mallocIsTunedInThisProcess() {
        #expect(MemoryTuning.apply(environment: [:]))
    }
}
