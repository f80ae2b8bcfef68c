import Foundation
import Testing

@testable import FeedCore

@Suite struct ReloadScopeTests {
    /// A new top-level field must say what a reload does with it: applied, or logged as waiting for a restart.
    @Test func everyTopLevelFieldIsEitherAppliedByAReloadOrWaitsForARestart() {
        #expect(ReloadScope.live.union(ReloadScope.restartOnly) == Set(ConfigDecoder.topLevelFields))
        #expect(ReloadScope.live.isDisjoint(with: ReloadScope.restartOnly))
    }

    @Test func theStateDirectoryIsComparedAsResolved() {
        let running = URL(fileURLWithPath: "/srv/feedd/state")
        #expect(ReloadScope.pending(
            runningStateDirectory: running, configuredStateDirectory: URL(fileURLWithPath: "/srv/feedd/./state/")
        ).isEmpty)
        #expect(ReloadScope.pending(
            runningStateDirectory: running, configuredStateDirectory: URL(fileURLWithPath: "/srv/other")
        ) == [.init(field: "state_dir", running: "/srv/feedd/state", configured: "/srv/other")])
    }
}
