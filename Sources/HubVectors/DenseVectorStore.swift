import CVectorKernels
import Foundation

/// How a store keeps its vectors: float32, or int8 with one scale per vector (a quarter of the memory and
/// of the bytes a scan reads).
public enum VectorPrecision: String, Sendable, Codable {
    case float32
    case int8
}

/// One result of a scan: the row (in insertion order) and its score (the dot product; cosine for
/// normalized vectors).
public struct VectorHit: Sendable, Hashable {
    public var row: Int
    public var score: Float
}

/// Which rows a scan may return: one bit per row, checked before any arithmetic on the row.
public struct RowMask: Sendable {
    public private(set) var words: [UInt64]
    public let count: Int

    public init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    public mutating func insert(_ row: Int) {
        precondition(row >= 0 && row < count)
        words[row >> 6] |= 1 << UInt64(row & 63)
    }

    public func contains(_ row: Int) -> Bool {
        row >= 0 && row < count && (words[row >> 6] >> UInt64(row & 63)) & 1 == 1
    }
}

/// Dense vectors in memory, scanned exactly: every allowed row is scored and the best k kept in a bounded
/// heap during the scan, on all cores. No approximation: the result is the true top k.
///
/// Appends and scans may run from different threads; a scan sees the rows present when it starts.
public final class DenseVectorStore: @unchecked Sendable {
    public let dimension: Int
    public let precision: VectorPrecision
    private let lock = NSLock()
    private var floats: [Float] = []
    private var codes: [Int8] = []
    private var scales: [Float] = []
    private var sums: [Int32] = []
    private var rows = 0

    public init(dimension: Int, precision: VectorPrecision) {
        precondition(dimension > 0)
        self.dimension = dimension
        self.precision = precision
    }

    /// Which SIMD kernels this CPU runs.
    public static var kernel: String { String(cString: ahub_vector_kernel()) }

    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return rows
    }

    public func reserveCapacity(_ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        switch precision {
        case .float32: floats.reserveCapacity(count * dimension)
        case .int8:
            codes.reserveCapacity(count * dimension)
            scales.reserveCapacity(count)
            sums.reserveCapacity(count)
        }
    }

    /// Adds a vector and returns its row.
    @discardableResult
    public func append(_ vector: [Float]) -> Int {
        vector.withUnsafeBufferPointer { append($0) }
    }

    /// Adds a vector read from a buffer (quantized on the way in for int8) and returns its row.
    @discardableResult
    public func append(_ vector: UnsafeBufferPointer<Float>) -> Int {
        precondition(vector.count == dimension, "vector of \(vector.count) values in a store of dimension \(dimension)")
        lock.lock()
        defer { lock.unlock() }
        switch precision {
        case .float32:
            floats.append(contentsOf: vector)
        case .int8:
            let (scale, sum) = Self.quantize(vector, into: &codes)
            scales.append(scale)
            sums.append(sum)
        }
        rows += 1
        return rows - 1
    }

    /// Adds an int8 vector as stored (codes and scale), without quantizing again.
    @discardableResult
    public func append(codes q: [Int8], scale: Float) -> Int {
        precondition(precision == .int8 && q.count == dimension)
        lock.lock()
        defer { lock.unlock() }
        store(codes: q, scale: scale)
        rows += 1
        return rows - 1
    }

    private func store(codes q: [Int8], scale: Float) {
        codes.append(contentsOf: q)
        scales.append(scale)
        sums.append(q.reduce(Int32(0)) { $0 + Int32($1) })
    }

    /// Symmetric per-vector quantization: codes = round(x · 127 / max|x|), scale = max|x| / 127.
    public static func quantize(_ vector: [Float]) -> (codes: [Int8], scale: Float) {
        var codes: [Int8] = []
        let (scale, _) = vector.withUnsafeBufferPointer { quantize($0, into: &codes) }
        return (codes, scale)
    }

    /// Appends the vector's codes to `codes`; returns its scale and the sum of its codes.
    static func quantize(_ vector: UnsafeBufferPointer<Float>, into codes: inout [Int8]) -> (scale: Float, sum: Int32) {
        let start = codes.count
        codes.append(contentsOf: repeatElement(0, count: vector.count))
        var scale: Float = 0
        let sum = codes.withUnsafeMutableBufferPointer { c in
            ahub_quantize_i8(vector.baseAddress!, Int32(vector.count), c.baseAddress! + start, &scale)
        }
        return (scale, sum)
    }

    /// The best `k` rows for `query` (scores descending), among `mask`'s rows when given and the first
    /// `rows` when given (a caller that knows the store as it was, while appends go on).
    public func search(_ query: [Float], k: Int, mask: RowMask? = nil, rows limit: Int? = nil) -> [VectorHit] {
        search(batch: [query], k: k, mask: mask, rows: limit)[0]
    }

    /// Several queries in one pass over the data: each row is read once for all of them.
    public func search(batch queries: [[Float]], k: Int, mask: RowMask? = nil, rows limit: Int? = nil) -> [[VectorHit]] {
        guard !queries.isEmpty else { return [] }
        precondition(queries.allSatisfy { $0.count == dimension })
        lock.lock()
        let total = min(rows, limit ?? rows)
        // The arrays are copied on write only; holding them keeps a scan's view stable while appends go on.
        let floats = self.floats, codes = self.codes, scales = self.scales, sums = self.sums
        lock.unlock()
        let k = max(0, min(k, total))
        guard k > 0 else { return queries.map { _ in [] } }
        if let mask { precondition(mask.count >= total) }

        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, total / 4096 + 1))
        let chunk = (total + workers - 1) / workers
        let q = queries.count, d = dimension
        var heapScores = [Float](repeating: 0, count: workers * q * k)
        var heapRows = [Int64](repeating: 0, count: workers * q * k)
        var counts = [Int32](repeating: 0, count: workers * q)
        let flatQueries = queries.flatMap { $0 }
        let quantizedQueries = precision == .int8 ? queries.map(Self.quantize) : []
        let quantized = quantizedQueries.flatMap(\.codes)
        let queryScales = quantizedQueries.map(\.scale)
        heapScores.withUnsafeMutableBufferPointer { hs in
            heapRows.withUnsafeMutableBufferPointer { hr in
                counts.withUnsafeMutableBufferPointer { hc in
                    let hs = UnsafeSendable(hs), hr = UnsafeSendable(hr), hc = UnsafeSendable(hc)
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        let begin = worker * chunk, end = min(total, begin + chunk)
                        guard begin < end else { return }
                        var heaps = (0..<q).map { i in
                            ahub_topk(capacity: Int32(k), count: 0,
                                      scores: hs.value.baseAddress! + (worker * q + i) * k,
                                      rows: hr.value.baseAddress! + (worker * q + i) * k)
                        }
                        mask.withWords { words in
                            switch self.precision {
                            case .float32:
                                floats.withUnsafeBufferPointer { data in
                                    ahub_scan_f32(data.baseAddress, Int32(d), Int64(begin), Int64(end), words,
                                                  flatQueries, Int32(q), &heaps)
                                }
                            case .int8:
                                codes.withUnsafeBufferPointer { data in
                                    ahub_scan_i8(data.baseAddress, scales, sums, Int32(d), Int64(begin), Int64(end),
                                                 words, quantized, queryScales, Int32(q), &heaps)
                                }
                            }
                        }
                        for i in 0..<q { hc.value[worker * q + i] = heaps[i].count }
                    }
                }
            }
        }
        return (0..<q).map { i in
            var hits: [VectorHit] = []
            for worker in 0..<workers {
                let base = (worker * q + i) * k
                for j in 0..<Int(counts[worker * q + i]) {
                    hits.append(VectorHit(row: Int(heapRows[base + j]), score: heapScores[base + j]))
                }
            }
            hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }
            return Array(hits.prefix(k))
        }
    }

    /// The dot product of two vectors of the same length, by this CPU's SIMD kernel.
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return ahub_dot_f32(a, b, Int32(a.count))
    }

    /// The dot product of `query` with each of `rows` (an int8 row dequantized on the fly): scoring a
    /// given set of rows, such as a radar's candidates, without copying them out.
    public func scores(_ query: [Float], rows wanted: [Int]) -> [Float] {
        precondition(query.count == dimension)
        lock.lock()
        let total = rows, floats = self.floats, codes = self.codes, scales = self.scales
        lock.unlock()
        precondition(wanted.allSatisfy { $0 >= 0 && $0 < total })
        var out = [Float](repeating: 0, count: wanted.count)
        let indices = wanted.map(Int64.init)
        out.withUnsafeMutableBufferPointer { out in
            switch precision {
            case .float32:
                floats.withUnsafeBufferPointer { data in
                    ahub_dot_rows(query, Int32(dimension), data.baseAddress, nil, nil, indices, Int64(indices.count), out.baseAddress)
                }
            case .int8:
                codes.withUnsafeBufferPointer { data in
                    ahub_dot_rows(query, Int32(dimension), nil, data.baseAddress, scales, indices, Int64(indices.count), out.baseAddress)
                }
            }
        }
        return out
    }

    /// The stored vector of `row` (dequantized for int8).
    public func vector(_ row: Int) -> [Float] {
        lock.lock()
        defer { lock.unlock() }
        precondition(row >= 0 && row < rows)
        switch precision {
        case .float32: return Array(floats[(row * dimension)..<((row + 1) * dimension)])
        case .int8: return codes[(row * dimension)..<((row + 1) * dimension)].map { Float($0) * scales[row] }
        }
    }

    /// Bytes the vectors take in memory.
    public var memoryBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return floats.count * 4 + codes.count + scales.count * 4 + sums.count * 4
    }
}

extension Optional where Wrapped == RowMask {
    func withWords<R>(_ body: (UnsafePointer<UInt64>?) -> R) -> R {
        guard let mask = self else { return body(nil) }
        return mask.words.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
