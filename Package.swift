// swift-tools-version:6.0
import PackageDescription

// feedd uses the toolchain only: Foundation, FoundationNetworking, FoundationXML, Dispatch, Glibc.
let package = Package(
    name: "feedd",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "feedd", targets: ["feedd"])
    ],
    targets: [
        .target(name: "FeedCore"),
        .executableTarget(name: "feedd", dependencies: ["FeedCore"]),
        // Replays a week of publication through the schedule; bench/schedule-sim.sh runs it.
        .executableTarget(name: "schedule-sim", dependencies: ["FeedCore"]),
        .testTarget(name: "FeedCoreTests", dependencies: ["FeedCore", "feedd"], exclude: ["Fixtures", "Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
