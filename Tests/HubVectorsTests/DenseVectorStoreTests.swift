import Foundation
import HubVectors
import Testing

/// A deterministic generator, so a failure replays.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func unitVectors(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
    var random = SplitMix(state: seed)
    return (0..<count).map { _ in
        let v = (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }
}

func bruteForce(_ data: [[Float]], _ query: [Float], k: Int, allowed: (Int) -> Bool = { _ in true }) -> [Int] {
    let scored = data.enumerated().filter { allowed($0.offset) }.map { (row: $0.offset, score: zip($0.element, query).reduce(Float(0)) { $0 + $1.0 * $1.1 }) }
    return scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }.prefix(k).map(\.row)
}

@Suite struct DenseVectorStoreTests {
    // 384 as the model, and 100 to exercise the kernels' tails (not a multiple of 16, 32 or 64).
    @Test(arguments: [384, 100])
    func float32IsExact(dimension: Int) {
        let data = unitVectors(4_000, dimension: dimension, seed: 1)
        let store = DenseVectorStore(dimension: dimension, precision: .float32)
        data.forEach { store.append($0) }
        for query in unitVectors(5, dimension: dimension, seed: 2) {
            let hits = store.search(query, k: 10)
            #expect(hits.map(\.row) == bruteForce(data, query, k: 10))
            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    @Test(arguments: [384, 100])
    func int8FindsNearlyTheSameTopTen(dimension: Int) {
        let data = unitVectors(4_000, dimension: dimension, seed: 3)
        let store = DenseVectorStore(dimension: dimension, precision: .int8)
        data.forEach { store.append($0) }
        var overlap = 0
        let queries = unitVectors(20, dimension: dimension, seed: 4)
        for query in queries {
            let hits = store.search(query, k: 10)
            let exact = bruteForce(data, query, k: 10)
            overlap += Set(hits.map(\.row)).intersection(exact).count
            // Scores are the dot product up to quantization error.
            let truth = zip(data[hits[0].row], query).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(hits[0].score - truth) < 0.02)
        }
        #expect(Double(overlap) / Double(queries.count * 10) >= 0.9, "int8 recall@10 \(overlap)/\(queries.count * 10)")
        #expect(store.memoryBytes < 4_000 * dimension * 2)
    }

    @Test func theMaskIsAppliedDuringTheScan() {
        let data = unitVectors(5_000, dimension: 384, seed: 5)
        for precision in [VectorPrecision.float32, .int8] {
            let store = DenseVectorStore(dimension: 384, precision: precision)
            data.forEach { store.append($0) }
            var mask = RowMask(count: data.count)
            for row in stride(from: 0, to: data.count, by: 7) { mask.insert(row) }
            let query = data[14]
            let hits = store.search(query, k: 10, mask: mask)
            #expect(hits.count == 10 && hits.allSatisfy { $0.row % 7 == 0 })
            #expect(hits.first?.row == 14)
            if precision == .float32 { #expect(hits.map(\.row) == bruteForce(data, query, k: 10) { $0 % 7 == 0 }) }
        }
    }

    @Test func aBatchEqualsItsQueriesOneByOne() {
        let data = unitVectors(10_000, dimension: 384, seed: 6)
        let queries = unitVectors(8, dimension: 384, seed: 7)
        for precision in [VectorPrecision.float32, .int8] {
            let store = DenseVectorStore(dimension: 384, precision: precision)
            data.forEach { store.append($0) }
            let batch = store.search(batch: queries, k: 10)
            for (query, hits) in zip(queries, batch) { #expect(hits == store.search(query, k: 10)) }
        }
    }

    @Test func smallAndEmptyStores() {
        let store = DenseVectorStore(dimension: 4, precision: .float32)
        #expect(store.search([1, 0, 0, 0], k: 10).isEmpty)
        store.append([1, 0, 0, 0])
        store.append([0, 1, 0, 0])
        #expect(store.search([1, 0, 0, 0], k: 10).map(\.row) == [0, 1])
        #expect(store.vector(1) == [0, 1, 0, 0])
        let quantized = DenseVectorStore.quantize([0.5, -1, 0.25, 0])
        #expect(quantized.codes == [64, -127, 32, 0])
    }

    /// The vector kernel (32 at a time, then a tail) against the formula, on a dimension that is not a
    /// multiple of 32, with a zero vector and exact ties.
    @Test func quantizesAsTheFormulaSays() {
        for vector in unitVectors(20, dimension: 389, seed: 3) + [[Float](repeating: 0, count: 389), (0..<389).map { Float($0 % 5) - 2 }] {
            let (codes, scale) = DenseVectorStore.quantize(vector)
            let top = vector.map(abs).max()!
            #expect(scale == top / 127)
            let expected = vector.map { top > 0 ? Int8(($0 * (127 / top)).rounded(.toNearestOrEven)) : 0 }
            #expect(codes == expected)
        }
    }

    @Test func appendsWhileScanning() {
        let data = unitVectors(4_000, dimension: 64, seed: 8)
        let store = DenseVectorStore(dimension: 64, precision: .int8)
        data.prefix(2_000).forEach { store.append($0) }
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                data.dropFirst(2_000).forEach { store.append($0) }
            } else {
                for _ in 0..<50 { #expect(store.search(data[0], k: 5).first?.row == 0) }
            }
        }
        #expect(store.count == 4_000)
    }

    @Test func reportsItsKernel() {
        #expect(["avx512-vnni", "avx512", "avx2-fma", "portable"].contains(DenseVectorStore.kernel))
    }
}
