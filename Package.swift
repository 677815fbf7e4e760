// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "AcademicHub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ahub", targets: ["ahub"]),
        .library(name: "AcademicHub", targets: ["AcademicHub"]),
        // The stages on their own, for Benchmarks/ and for embedding.
        .library(name: "HubCore", targets: ["HubCore"]),
        .library(name: "HubFeeds", targets: ["HubFeeds"]),
        .library(name: "HubStore", targets: ["HubStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // ICU through a C shim: the system ICU headers clash with the ICU module
        // Foundation carries on Linux, so Swift never sees them.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        .target(name: "HubCore", dependencies: ["CICU"]),
        .target(name: "HubFeeds", dependencies: ["HubCore"]),
        .target(
            name: "HubStore",
            dependencies: ["HubCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: [.define("SQLITE_ENABLE_FTS5")]
        ),
        .target(name: "AcademicHub", dependencies: ["HubCore", "HubFeeds", "HubStore"]),
        .executableTarget(
            name: "ahub",
            dependencies: ["AcademicHub", "HubCore", "HubStore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "HubCoreTests", dependencies: ["HubCore"]),
        .testTarget(name: "HubFeedsTests", dependencies: ["HubFeeds"]),
        .testTarget(name: "HubStoreTests", dependencies: ["HubStore"]),
        .testTarget(name: "AcademicHubTests", dependencies: ["AcademicHub"]),
    ]
)
