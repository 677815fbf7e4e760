import AcademicHub
import Benchmark
import Foundation
import HubEmbed
import BenchmarkSupport

// Embedding throughput: the first 200 SciFact abstracts (title + abstract as `ahub embed` reads them, cut at
// 256 tokens) through the native all-MiniLM-L6-v2 on all cores, and the same token ids through a plain numpy
// forward pass of the same weights (Benchmarks/scripts/minilm_numpy.py) in the same run.

let benchmarks: @Sendable () -> Void = {
    Benchmark("Embed 200 SciFact abstracts, native MiniLM, all cores", configuration: .init(
        metrics: [.wallClock, .papersPerSecond, .peakMemoryResident], timeUnits: .milliseconds,
        warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(120), maxIterations: 5)
    ) { benchmark, model in
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            blackHole(try model.embed(SciFact.texts))
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            benchmark.measurement(.papersPerSecond, Int(Double(SciFact.texts.count) / seconds * 100))
        }
    } setup: { try MiniLM(directory: MiniLM.defaultDirectory()) }

    Benchmark("Embed 20 of them, plain numpy forward pass, same token ids", configuration: .init(
        metrics: [.papersPerSecond], timeUnits: .milliseconds, warmupIterations: 0, scalingFactor: .one,
        maxDuration: .seconds(120), maxIterations: 1)
    ) { benchmark in
        for _ in benchmark.scaledIterations { benchmark.measurement(.papersPerSecond, Int(try SciFact.numpy(first: 20) * 100)) }
    }
}

extension BenchmarkMetric {
    /// Hundredths, so that fractions of a paper survive the integer metric.
    static let papersPerSecond = BenchmarkMetric.custom("papers/s ×100", polarity: .prefersLarger, useScalingFactor: false)
}

enum SciFact {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let texts: [String] = {
        let corpus = try! String(contentsOf: root.appendingPathComponent("Fixtures/eval/scifact/corpus.jsonl"), encoding: .utf8)
        return corpus.split(separator: "\n").prefix(200).map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Hub.embeddingText(title: object["title"] as? String ?? "", abstract: object["text"] as? String ?? "")
        }
    }()

    /// Papers per second of the numpy forward pass over the first `count` texts' token ids.
    static func numpy(first count: Int) throws -> Double {
        let directory = MiniLM.defaultDirectory()
        let tokenizer = try WordPieceTokenizer(tokenizerJSON: directory + "/tokenizer.json")
        let ids = texts.prefix(count).map { tokenizer.encode($0, maxTokens: MiniLM.maxTokens) }
        let idsFile = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-bench-embed-ids.json")
        try JSONEncoder().encode(ids).write(to: idsFile)
        return try pythonNumber([root.appendingPathComponent("Benchmarks/scripts/minilm_numpy.py").path, directory, idsFile.path])
    }
}
