import AcademicHub
import Benchmark
import Foundation
import GRDB
import HubStore
import HubVectors

// Opening a library with 1,000,000 × 384 vectors: the int8 store semantic search scans, built from the
// float32 BLOBs of the `vectors` table (what the first semantic query of a process does). Its own process,
// so that the peak resident size is the loaded store's, not the data generator's.

let benchmarks: @Sendable () -> Void = {
    Benchmark("Load 1M × 384 vectors from SQLite into the int8 store", configuration: .init(
        metrics: [.wallClock, .peakMemoryResident, .storeMegabytes], timeUnits: .milliseconds,
        warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(120), maxIterations: 5)
    ) { benchmark, path in
        for _ in benchmark.scaledIterations {
            let library = try SQLitePaperStore(path: path)
            let (store, ids) = try DenseVectorStore.load(from: library, model: Library1M.model, dimension: Library1M.dimension)
            precondition(ids.count == Library1M.count)
            benchmark.measurement(.storeMegabytes, store.memoryBytes / 1_000_000)
            blackHole(store)
        }
    } setup: { try Library1M.path() }
}

extension BenchmarkMetric {
    static let storeMegabytes = BenchmarkMetric.custom("store MB", polarity: .prefersSmaller, useScalingFactor: false)
}

enum Library1M {
    static let count = 1_000_000, dimension = 384, model = "bench-random-unit"

    /// A library whose `vectors` table holds 1 M unit vectors (fixed-seed generator), made once and kept in
    /// the temporary folder. Only that table is filled (foreign keys off while writing): loading reads
    /// nothing else.
    static func path() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-bench-vectors-1M.sqlite").path
        if let library = try? SQLitePaperStore(path: path),
           (try? library.vectorCount(model: model, dimension: dimension)) == count {
            return path
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        _ = try SQLitePaperStore(path: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT INTO vectors(paper_id, model, dimension, type, data) VALUES (?, ?, ?, 'float32', ?)")
            var state: UInt64 = 42
            var vector = [Float](repeating: 0, count: dimension)
            for row in 0..<count {
                var norm: Float = 0
                for j in 0..<dimension {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    vector[j] = Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max)
                    norm += vector[j] * vector[j]
                }
                let inverse = 1 / norm.squareRoot()
                for j in 0..<dimension { vector[j] *= inverse }
                try statement.execute(arguments: [row + 1, model, dimension, vector.withUnsafeBufferPointer { Data(buffer: $0) }])
            }
        }
        return path
    }
}
