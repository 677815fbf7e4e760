import AcademicHub
import Benchmark
import Foundation

// A radar over 10,366 candidate papers (SciFact's 5,183 abstracts twice, the second time under other ids,
// all embedded): its feed, one feedback event (log write + refit), and the extractive briefing of 100 of
// them (a search's top 100). The library is built once in the
// temporary folder (embedding takes minutes the first time) and reused.

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 2,
        scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 200)

    Benchmark("Radar feed, 10 of 10,366 candidates", configuration: configuration) { benchmark, hub in
        for _ in benchmark.scaledIterations {
            blackHole(try hub.radarFeed(Library10k.radar, window: .all, limit: 10, record: false))
        }
    } setup: { try Library10k.hub() }

    // The same feed once 500 papers were shown on earlier days: their copies that came since are looked for
    // among the feed's best candidates (as SciFact's second copies here are).
    Benchmark("Radar feed, 10 of 10,366 candidates, 500 shown before", configuration: configuration) { (benchmark: Benchmark, hub: Hub) in
        for _ in benchmark.scaledIterations {
            blackHole(try hub.radarFeed(Library10k.radar, window: .all, limit: 10, record: false))
        }
    } setup: {
        let hub = try Library10k.hub()
        let radar = try hub.store.radar(named: Library10k.radar)!
        try hub.store.markShown(radarID: radar.id, try hub.store.recentIDs(limit: 500), at: "2026-01-01")
        return hub
    }

    Benchmark("Briefing, 100 papers (extractive)", configuration: configuration) { (benchmark: Benchmark, input: BriefingInput) in
        for _ in benchmark.scaledIterations {
            blackHole(try input.hub.extractiveBriefing(input.keys, input: "benchmark", language: BriefLanguage.en))
        }
    } setup: {
        let hub = try Library10k.hub()
        let keys = try hub.search("cancer cells", mode: .keyword, limit: 100).hits.map(\.paper.key.rawValue)
        precondition(keys.count == 100)
        return BriefingInput(hub: hub, keys: keys)
    }

    Benchmark("Radar feedback, one event (log + refit)", configuration: configuration) { benchmark, hub in
        var like = true
        for _ in benchmark.scaledIterations {
            blackHole(try hub.radarFeedback(Library10k.radar, keys: [Library10k.keys[0]], signal: like ? .like : .dislike))
            like.toggle()
        }
    } setup: { try Library10k.hub() }

    // A rating given (not measured), then taken back (measured): the same refit, on a log one event shorter.
    Benchmark("Radar undo, one event (log + refit)", configuration: configuration) { benchmark, hub in
        try hub.radarFeedback(Library10k.radar, keys: [Library10k.keys[1]], signal: .save)
        benchmark.startMeasurement()
        blackHole(try hub.radarUndo(Library10k.radar, keys: [Library10k.keys[1]]))
        benchmark.stopMeasurement()
    } setup: { try Library10k.hub() }
}

struct BriefingInput {
    var hub: Hub
    var keys: [String]
}

enum Library10k {
    static let radar = "bench"
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    nonisolated(unsafe) static var keys: [String] = []

    static func hub() throws -> Hub {
        let temporary = FileManager.default.temporaryDirectory
        let path = temporary.appendingPathComponent("ahub-bench-radar-10k.sqlite").path
        let hub = try Hub(libraryPath: path)
        if try hub.store.count() < 10_366 || hub.papersWithoutVectors() > 0 {
            let corpus = root.appendingPathComponent("Fixtures/eval/scifact/corpus.jsonl")
            let text = try String(contentsOf: corpus, encoding: .utf8)
            let copy = temporary.appendingPathComponent("ahub-bench-scifact-b.jsonl")
            try text.replacingOccurrences(of: "{\"_id\": \"", with: "{\"_id\": \"b").write(to: copy, atomically: true, encoding: .utf8)
            _ = try hub.importFiles([corpus.path, copy.path])
            _ = try hub.embedMissing()
        }
        if try hub.radarSummaries().contains(where: { $0.name == radar }) { try hub.deleteRadar(radar) }
        try hub.createRadar(RadarSpec(name: radar, description: "0-dimensional biomaterials show inductive properties"))
        // A learned model, not the cold start: five likes and five dislikes from its first feed.
        let first = try hub.radarFeed(radar, window: .all, limit: 10, record: false).items.map(\.key)
        try hub.radarFeedback(radar, keys: Array(first.prefix(5)), signal: .like)
        try hub.radarFeedback(radar, keys: Array(first.suffix(5)), signal: .dislike)
        keys = first
        return hub
    }
}
