// swift-tools-version:6.1
// Benchmarks live in their own package so that ordo-one/benchmark stays out of the product's build.
// Run from this folder: `swift package --allow-writing-to-package-directory benchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "AcademicHubBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "AcademicHub", path: "../"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // What several benchmarks share: running a Python comparison.
        .target(name: "BenchmarkSupport", path: "Benchmarks/Support"),
        .executableTarget(
            name: "Search",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AcademicHub", package: "AcademicHub"),
                .product(name: "HubCore", package: "AcademicHub"),
                .product(name: "HubFeeds", package: "AcademicHub"),
                .product(name: "HubStore", package: "AcademicHub"),
            ],
            path: "Benchmarks/Search",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Vectors",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "HubVectors", package: "AcademicHub"),
                "BenchmarkSupport",
            ],
            path: "Benchmarks/Vectors",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Fetch",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AcademicHub", package: "AcademicHub"),
                .product(name: "HubFeeds", package: "AcademicHub"),
                .product(name: "LoopbackServer", package: "AcademicHub"),
            ],
            path: "Benchmarks/Fetch",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Embed",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AcademicHub", package: "AcademicHub"),
                .product(name: "HubEmbed", package: "AcademicHub"),
                "BenchmarkSupport",
            ],
            path: "Benchmarks/Embed",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // Its own process, so that its peak resident size is the loaded store's alone.
        .executableTarget(
            name: "VectorLoad",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AcademicHub", package: "AcademicHub"),
                .product(name: "HubStore", package: "AcademicHub"),
                .product(name: "HubVectors", package: "AcademicHub"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/VectorLoad",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Radar",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AcademicHub", package: "AcademicHub"),
            ],
            path: "Benchmarks/Radar",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
