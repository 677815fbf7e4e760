import AcademicHub
import Benchmark
import Foundation
import HubFeeds
import LoopbackServer

// `ahub fetch` end to end over 127.0.0.1 with the politeness gap at zero, so the figure is ours (libcurl,
// parsing, checks, one transaction per page) and not the network's. The baseline in the same run imports the
// same responses from disk: the difference is what fetching costs.

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .papersPerSecond, .peakMemoryResident],
        timeUnits: .milliseconds, warmupIterations: 2, scalingFactor: .one,
        maxDuration: .seconds(60), maxIterations: 50)

    Benchmark("Fetch arXiv API harvest, 6 pages × 10 (loopback)", configuration: configuration) { benchmark, server in
        for _ in benchmark.scaledIterations {
            try Harvest.run(benchmark, server: server, expected: 60) { base in
                ["testing": SourceSpec(kind: .arxivAPI, query: "testing", baseURL: base + "/api/query", pageSize: 10, limit: 60)]
            }
        }
    } setup: { try Harvest.server() }

    Benchmark("Fetch every kind, 12 requests (loopback)", configuration: configuration) { benchmark, server in
        for _ in benchmark.scaledIterations {
            try Harvest.run(benchmark, server: server, expected: Harvest.everyKindPapers) { base in Harvest.everyKind(base) }
        }
    } setup: { try Harvest.server() }

    Benchmark("Import the same responses from disk (baseline)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let path = Harvest.scratchPath()
            defer { Harvest.remove(path) }
            let hub = try Hub(libraryPath: path)
            let started = ContinuousClock.now
            let report = try hub.importFiles(Harvest.everyKindFiles)
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            precondition(report.papers == Harvest.everyKindPapers, "imported \(report.papers)")
            benchmark.measurement(.papersPerSecond, Int(Double(report.papers) / seconds))
        }
    }
}

extension BenchmarkMetric {
    static let papersPerSecond = BenchmarkMetric.custom("papers/s", polarity: .prefersLarger, useScalingFactor: false)
}

enum Harvest {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func server() throws -> LoopbackServer {
        let routes = try FixtureRoutes(root: fixtures)
        return try LoopbackServer { routes.answer($0) }
    }

    /// One source of every kind: 6 + 3 pages of the arXiv API and OAI, one arXiv RSS, bioRxiv, medRxiv and
    /// Nature response each: 12 requests, 108 papers.
    static func everyKind(_ base: String) -> [String: SourceSpec] {
        [
            "api": SourceSpec(kind: .arxivAPI, query: "testing", baseURL: base + "/api/query", pageSize: 10, limit: 60),
            "oai": SourceSpec(kind: .arxivOAI, set: "cs", baseURL: base + "/oai"),
            "rss": SourceSpec(kind: .arxivRSS, categories: ["cs.AI", "cs.LG", "math.PR", "quant-ph"], baseURL: base + "/rss"),
            "bio": SourceSpec(kind: .biorxiv, baseURL: base),
            "med": SourceSpec(kind: .medrxiv, baseURL: base),
            "nat": SourceSpec(kind: .nature, baseURL: base),
        ]
    }

    static let everyKindPapers = 108
    static let everyKindFiles: [String] = {
        let api = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("arxiv-api").path)) ?? []
        let pages = api.filter { name in ["s0", "s10", "s20", "s30", "s40", "s50"].contains { name.hasPrefix("q_testing_\($0)_m10_") } }
        let files = pages.sorted().map { "arxiv-api/" + $0 }
            + ["arxiv-oai/seeds-page0.xml", "arxiv-oai/seeds-page1.xml", "arxiv-oai/seeds-page2.xml",
               "arxiv-rss/cs.AI+cs.LG+math.PR+quant-ph.xml", "biorxiv/details-page0.json", "medrxiv/details-page0.json",
               "nature/nature.rss"]
        return files.map { fixtures.appendingPathComponent($0).path }
    }()

    /// A new library, the sources added, one `fetch`: papers per second of the whole fetch.
    static func run(_ benchmark: Benchmark, server: LoopbackServer, expected: Int, sources: (String) -> [String: SourceSpec]) throws {
        let path = scratchPath()
        defer { remove(path) }
        let hub = try Hub(libraryPath: path)
        try hub.setSetting("http.gap.127.0.0.1", "0")
        for (name, spec) in sources(server.baseURL) { try hub.addSource(name: name, spec: spec) }
        var options = FetchOptions()
        options.concurrency = 1
        let started = ContinuousClock.now
        let reports = try hub.fetch(options)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        // Papers read and stored (the OAI and RSS fixtures hold the same 20 arXiv papers: the second is
        // an update of the first, stored all the same).
        let papers = reports.reduce(0) { $0 + $1.papers }
        precondition(papers == expected && reports.allSatisfy { $0.outcome == .complete }, "fetched \(papers): \(reports.compactMap(\.error))")
        benchmark.measurement(.papersPerSecond, Int(Double(papers) / seconds))
    }

    static func scratchPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ahub-bench-fetch-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
