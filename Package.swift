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
        .library(name: "HubEmbed", targets: ["HubEmbed"]),
        .library(name: "HubVectors", targets: ["HubVectors"]),
        // Test support: an HTTP server on 127.0.0.1 that serves Fixtures/ as the real sources answer.
        .library(name: "LoopbackServer", targets: ["LoopbackServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already under Hummingbird: named for the client address (NIOCore), the server's log level and the
        // refresher's lifecycle.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Also under Hummingbird: the HTTP/1 parser's error and the request parts it hands on, so a request it
        // cannot read is answered with a message (HubServer's UnreadableRequests).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // ICU through a C shim: the system ICU headers clash with the ICU module
        // Foundation carries on Linux, so Swift never sees them.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        // libcurl through a C shim: its options are set by a variadic function Swift cannot call.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        // OpenBLAS's sgemm for the embedding model's matrix products, and our kernels for the rest of it.
        .target(name: "CBLAS", linkerSettings: [.linkedLibrary("openblas")]),
        // SIMD kernels for exact vector scans, picked at run time (AVX-512 VNNI, AVX-512, AVX2, portable).
        .target(name: "CVectorKernels"),
        // Dense vector store: float32 and int8, exact top-k on all cores. No third-party code.
        .target(name: "HubVectors", dependencies: ["CVectorKernels"]),
        .target(name: "HubCore", dependencies: ["CICU"]),
        // Sentence embeddings: native all-MiniLM-L6-v2 (WordPiece + BERT forward pass).
        .target(name: "HubEmbed", dependencies: ["CBLAS"]),
        .target(name: "HubFeeds", dependencies: ["HubCore", "CCurl"]),
        .target(
            name: "HubStore",
            dependencies: ["HubCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: [.define("SQLITE_ENABLE_FTS5")]
        ),
        .target(name: "AcademicHub", dependencies: ["HubCore", "HubFeeds", "HubStore", "HubEmbed", "HubVectors", "CBLAS"]),
        // The HTTP JSON API and the web page over the Hub façade: no rule lives in a route.
        // The page's files and the OpenAPI document are resources in Web/, served from memory.
        .target(
            name: "HubServer",
            dependencies: [
                "AcademicHub", "HubCore", "HubFeeds", "HubStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Web")]
        ),
        .executableTarget(
            name: "ahub",
            dependencies: ["AcademicHub", "HubCore", "HubFeeds", "HubStore", "HubServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "LoopbackServer"),
        .testTarget(name: "HubCoreTests", dependencies: ["HubCore"]),
        .testTarget(name: "HubFeedsTests", dependencies: ["HubFeeds", "LoopbackServer"]),
        .testTarget(name: "HubStoreTests", dependencies: ["HubStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "HubEmbedTests", dependencies: ["HubEmbed", "CBLAS"]),
        .testTarget(name: "HubVectorsTests", dependencies: ["HubVectors"]),
        .testTarget(name: "AcademicHubTests", dependencies: ["AcademicHub", "LoopbackServer", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "HubServerTests",
            dependencies: [
                "HubServer", "AcademicHub", "LoopbackServer", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
