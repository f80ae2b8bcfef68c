import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import FeedCore

/// The systemd notify protocol as `feedd run` speaks it, read from a real datagram socket bound by the test.
@Suite(.serialized) struct NotifyEndToEndTests {
    @Test(arguments: [false, true])
    func readyReloadWatchdogAndStopping(abstract: Bool) async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let farm = FeedFarm(server: server, feeds: 1, items: 2)
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.writeConfig(feeds: [farm.url(0)])
        let socket = try NotifySocket(abstract: abstract, directory: workspace.directory)
        defer { socket.close() }
        let daemon = try FeeddProcess(
            ["run"], directory: workspace.directory,
            environment: ["NOTIFY_SOCKET": socket.address, "WATCHDOG_USEC": "200000"])
        defer { daemon.signal(SIGKILL) }

        #expect(await FeeddProcess.eventually { socket.messages.contains { $0.hasPrefix("READY=1") } }, "\(daemon.stderr)")
        let ready = socket.messages.first { $0.hasPrefix("READY=1") }
        #expect(ready?.contains("\nSTATUS=1 feed, ") == true, "\(ready ?? "none")")
        #expect(await FeeddProcess.eventually { socket.messages.filter { $0 == "WATCHDOG=1" }.count >= 3 })
        #expect(await FeeddProcess.eventually { socket.messages.contains { $0.contains("STATUS=1 feed, 2 new stories in the last hour, 0 failing") } })

        daemon.signal(SIGHUP)
        #expect(await FeeddProcess.eventually { socket.messages.contains { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") } })
        let reloading = socket.messages.firstIndex { $0.hasPrefix("RELOADING=1") }!
        #expect(await FeeddProcess.eventually { socket.messages[(reloading + 1)...].contains { $0.hasPrefix("READY=1") } })

        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: 10) == 0)
        #expect(socket.messages.contains("STOPPING=1"))
    }

    @Test func withoutNotifySocketNothingIsSent() {
        #expect(ServiceNotifier(environment: [:]) == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
        #expect(ServiceNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"]) == 15)
        #expect(ServiceNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]) == nil)
        #expect(ServiceNotifier.watchdogInterval(environment: [:]) == nil)
    }
}
