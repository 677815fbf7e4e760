import Benchmark
import Foundation
import BenchmarkSupport
import HubVectors

// Exact top-10 over 1,000,000 × 384 unit vectors (deterministic pseudo-random), float32 and int8, one query
// and batches; the memory read bandwidth of this machine and numpy's `X @ q` on the same float32 data, in the
// same run, so the scan can be judged against what the hardware and a BLAS do.

let benchmarks: @Sendable () -> Void = {
    let perQuery = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 3,
        scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 100)

    Benchmark("Memory read bandwidth, 1.5 GB on all cores", configuration: .init(
        metrics: [.wallClock, .gigabytesPerSecond], timeUnits: .milliseconds, warmupIterations: 2,
        scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 20)
    ) { benchmark in
        let data = Data1M.floats
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            blackHole(Data1M.sumAll(data))
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            benchmark.measurement(.gigabytesPerSecond, Int(Double(data.count * 4) / seconds / 1e9 * 10))
        }
    }

    for precision in [VectorPrecision.int8, .float32] {
        Benchmark("Scan 1M × 384 \(precision.rawValue), top 10, 1 query", configuration: perQuery) { benchmark, store in
            var next = 0
            for _ in benchmark.scaledIterations {
                blackHole(store.search(Data1M.queries[next % Data1M.queries.count], k: 10))
                next += 1
            }
        } setup: { Data1M.store(precision) }

        for batch in [8, 32] {
            Benchmark("Scan 1M × 384 \(precision.rawValue), top 10, batch of \(batch)", configuration: .init(
                metrics: [.wallClock, .msPerQuery], timeUnits: .milliseconds, warmupIterations: 1,
                scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 20)
            ) { benchmark, store in
                for _ in benchmark.scaledIterations {
                    let started = ContinuousClock.now
                    blackHole(store.search(batch: Array(Data1M.queries.prefix(batch)), k: 10))
                    let ms = (ContinuousClock.now - started) / .milliseconds(1)
                    benchmark.measurement(.msPerQuery, Int(ms / Double(batch) * 100))
                }
            } setup: { Data1M.store(precision) }
        }
    }

    Benchmark("numpy X @ q on the same float32 data, 1 query (OpenBLAS, its threads)", configuration: .init(
        metrics: [.msPerQuery], timeUnits: .milliseconds, warmupIterations: 0, scalingFactor: .one,
        maxDuration: .seconds(120), maxIterations: 1)
    ) { benchmark in
        for _ in benchmark.scaledIterations { benchmark.measurement(.msPerQuery, try Data1M.numpy() * 100) }
    }
}

extension BenchmarkMetric {
    /// Hundredths, so that fractions of a unit survive the integer metric.
    static let gigabytesPerSecond = BenchmarkMetric.custom("GB/s ×10", polarity: .prefersLarger, useScalingFactor: false)
    static let msPerQuery = BenchmarkMetric.custom("ms per query ×100", polarity: .prefersSmaller, useScalingFactor: false)
}

enum Data1M {
    static let count = 1_000_000, dimension = 384

    /// Unit vectors from a fixed-seed generator, laid end to end.
    static let floats: [Float] = {
        var state: UInt64 = 42
        var values = [Float](repeating: 0, count: count * dimension)
        values.withUnsafeMutableBufferPointer { v in
            for row in 0..<count {
                var norm: Float = 0
                for j in 0..<dimension {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let x = Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max)
                    v[row * dimension + j] = x
                    norm += x * x
                }
                let inverse = 1 / norm.squareRoot()
                for j in 0..<dimension { v[row * dimension + j] *= inverse }
            }
        }
        return values
    }()

    static let queries: [[Float]] = (0..<32).map { i in
        let row = (i * 7919) % count
        return Array(floats[(row * dimension)..<((row + 1) * dimension)]).map { $0 + 0.01 }
    }

    static func store(_ precision: VectorPrecision) -> DenseVectorStore {
        let store = DenseVectorStore(dimension: dimension, precision: precision)
        store.reserveCapacity(count)
        for row in 0..<count { store.append(Array(floats[(row * dimension)..<((row + 1) * dimension)])) }
        return store
    }

    /// Sums every float on all cores: the read bandwidth the scans compete with.
    static func sumAll(_ data: [Float]) -> Float {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        var partial = [Float](repeating: 0, count: workers)
        let chunk = data.count / workers
        data.withUnsafeBufferPointer { d in
            partial.withUnsafeMutableBufferPointer { p in
                let p = UnsafeMutableSendable(p), d = UnsafeMutableSendable(d)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var acc = SIMD16<Float>()
                    let base = d.value.baseAddress! + w * chunk
                    var i = 0
                    while i + 16 <= chunk {
                        acc += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<Float>.self)
                        i += 16
                    }
                    p.value[w] = acc.sum()
                }
            }
        }
        return partial.reduce(0, +)
    }

    /// numpy's `X @ q` on these floats (written to a file and mapped), median of 20 runs, in ms.
    static func numpy() throws -> Int {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-bench-vectors.f32").path
        if !FileManager.default.fileExists(atPath: path) {
            try floats.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
        }
        let script = """
            import numpy as np, time, statistics
            X = np.fromfile('\(path)', dtype=np.float32).reshape(\(count), \(dimension))
            q = X[7919] + 0.01
            times = []
            for _ in range(20):
                t = time.perf_counter(); s = X @ q; top = np.argpartition(-s, 10)[:10]; times.append(time.perf_counter() - t)
            print(round(statistics.median(times) * 1000, 2))
            """
        let ms = try pythonNumber(["-c", script])
        return Int(ms)
    }
}

struct UnsafeMutableSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
