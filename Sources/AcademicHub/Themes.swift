import CBLAS
import Foundation

/// Themes in a set of papers: agglomerative clustering (Ward's linkage, or average link) of their cosine
/// similarities by the nearest-neighbour chain, O(n²), cut where the silhouette is best, so the number of
/// themes comes from the data. Deterministic: the same similarities give the same themes.
enum ThemeClustering {
    /// One merge of the dendrogram: two clusters (by a member's index) and their average distance.
    struct Merge {
        var a: Int
        var b: Int
        var distance: Double
    }

    /// The merges of average-link clustering on `distance` (n × n, row-major, symmetric), by increasing
    /// distance.
    enum Linkage { case average, ward }

    static func dendrogram(_ distance: [Double], count n: Int, linkage: Linkage = .ward) -> [Merge] {
        guard n > 1 else { return [] }
        var d = distance
        var size = [Int](repeating: 1, count: n)
        var active = [Bool](repeating: true, count: n)
        var merges: [Merge] = []
        var chain: [Int] = []
        var remaining = n
        while remaining > 1 {
            if chain.isEmpty { chain.append(active.firstIndex(of: true)!) }
            let a = chain[chain.count - 1]
            let previous = chain.count > 1 ? chain[chain.count - 2] : -1
            // The nearest active cluster to a; the previous link of the chain wins ties (keeps the chain finite).
            var best = previous, bestDistance = previous >= 0 ? d[a * n + previous] : Double.infinity
            for c in 0..<n where active[c] && c != a && d[a * n + c] < bestDistance {
                best = c
                bestDistance = d[a * n + c]
            }
            if best == previous {
                chain.removeLast(2)
                let (keep, drop) = (min(a, best), max(a, best))
                merges.append(Merge(a: keep, b: drop, distance: bestDistance))
                let (si, sj) = (Double(size[keep]), Double(size[drop]))
                for c in 0..<n where active[c] && c != keep && c != drop {
                    let sk = Double(size[c])
                    let value = linkage == .average
                        ? (si * d[keep * n + c] + sj * d[drop * n + c]) / (si + sj)
                        : ((si + sk) * d[keep * n + c] + (sj + sk) * d[drop * n + c] - sk * bestDistance) / (si + sj + sk)
                    d[keep * n + c] = value
                    d[c * n + keep] = value
                }
                size[keep] += size[drop]
                active[drop] = false
                remaining -= 1
            } else {
                chain.append(best)
            }
        }
        return merges.enumerated().sorted { $0.element.distance != $1.element.distance ? $0.element.distance < $1.element.distance : $0.offset < $1.offset }
            .map(\.element)
    }

    /// The clusters after the first n − k merges: a label 0…k−1 per point, numbered by first member.
    static func cut(_ merges: [Merge], count n: Int, clusters k: Int) -> [Int] {
        var parent = Array(0..<n)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for merge in merges.prefix(max(0, n - k)) {
            let (ra, rb) = (root(merge.a), root(merge.b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var label: [Int: Int] = [:]
        return (0..<n).map { i in
            let r = root(i)
            if let l = label[r] { return l }
            label[r] = label.count
            return label[r]!
        }
    }

    /// The mean silhouette of a labelling (points alone in their cluster count 0).
    static func silhouette(_ distance: [Double], count n: Int, labels: [Int]) -> Double {
        let k = (labels.max() ?? 0) + 1
        guard k > 1, k < n else { return -1 }
        var members = [Int](repeating: 0, count: k)
        for l in labels { members[l] += 1 }
        var total = 0.0
        var sums = [Double](repeating: 0, count: k)
        for i in 0..<n {
            for c in 0..<k { sums[c] = 0 }
            for j in 0..<n where j != i { sums[labels[j]] += distance[i * n + j] }
            let own = labels[i]
            guard members[own] > 1 else { continue }
            let a = sums[own] / Double(members[own] - 1)
            var b = Double.infinity
            for c in 0..<k where c != own && members[c] > 0 { b = min(b, sums[c] / Double(members[c])) }
            total += (b - a) / max(a, b, 1e-12)
        }
        return total / Double(n)
    }

    /// Themes for points with these pairwise similarities: the cut of 2…maxThemes clusters with the best
    /// silhouette (one theme when there are fewer than four points).
    static func themes(similarity: [Double], count n: Int, maxThemes: Int) -> [Int] {
        guard n >= 4 else { return [Int](repeating: 0, count: n) }
        let distance = similarity.map { max(0, 1 - $0) }
        // Ward merges on squared Euclidean distances of unit vectors: 2 (1 − cosine). Measured against average
        // link with `ahub eval --themes-label` (README): seed papers 0.42 / 0.53 NMI (embeddings / TF-IDF)
        // instead of 0.05 / 0.10, csl-zh 0.54 instead of 0.55.
        let merges = dendrogram(distance.map { 2 * $0 }, count: n, linkage: .ward)
        // The silhouette chooses among √(n/2) (the rule of thumb) … maxThemes: on its own it often prefers two
        // themes, one of them nearly everything (seed papers: 3 themes, NMI 0.42 with the embeddings;
        // from √(n/2): 8 themes, 0.54).
        var best: (labels: [Int], score: Double)?
        let upper = max(2, min(maxThemes, n - 1))
        let lower = min(upper, max(2, Int((Double(n) / 2).squareRoot().rounded())))
        for k in lower...upper {
            let labels = cut(merges, count: n, clusters: k)
            let score = silhouette(distance, count: n, labels: labels)
            if best == nil || score > best!.score + 1e-12 { best = (labels, score) }
        }
        return best!.labels
    }
}

/// Normalized mutual information between two labellings (arithmetic-mean normalization, as scikit-learn's
/// default): 1 for the same partition, 0 for independent ones.
func normalizedMutualInformation<A: Hashable, B: Hashable>(_ a: [A], _ b: [B]) -> Double {
    precondition(a.count == b.count)
    let n = Double(a.count)
    guard n > 0 else { return 0 }
    var joint: [Pair<A, B>: Double] = [:], ca: [A: Double] = [:], cb: [B: Double] = [:]
    for (x, y) in zip(a, b) {
        joint[Pair(x, y), default: 0] += 1
        ca[x, default: 0] += 1
        cb[y, default: 0] += 1
    }
    func entropy<K>(_ counts: [K: Double]) -> Double { counts.values.reduce(0) { $0 - ($1 / n) * log($1 / n) } }
    var mi = 0.0
    for (pair, count) in joint {
        mi += (count / n) * log((count * n) / (ca[pair.a]! * cb[pair.b]!))
    }
    let (ha, hb) = (entropy(ca), entropy(cb))
    guard ha + hb > 0 else { return 1 }
    return max(0, mi / ((ha + hb) / 2))
}

struct Pair<A: Hashable, B: Hashable>: Hashable {
    var a: A
    var b: B
    init(_ a: A, _ b: B) { (self.a, self.b) = (a, b) }
}

/// Latent semantic analysis from a similarity matrix: the Gram matrix of unit vectors (TF-IDF cosines) cut
/// to its top `rank` eigenspace (subspace iteration through OpenBLAS), then renormalized to cosines. The
/// same as the cosines of the rank-k LSA coordinates U_k Σ_k, without forming the term space.
enum LatentSemantics {
    static func similarity(_ gram: [Double], count n: Int, rank: Int, iterations: Int = 12) -> [Double] {
        let k = max(1, min(rank, n - 1))
        let g = gram.map(Float.init)
        // A fixed pseudo-random start, orthonormalized: rows of xt are the basis (k × n).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var xt = (0..<(k * n)).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        orthonormalize(&xt, rows: k, columns: n)
        var y = [Float](repeating: 0, count: n * k)
        for _ in 0..<iterations {
            ahub_sgemm(1, Int32(n), Int32(k), Int32(n), 1, g, Int32(n), xt, Int32(n), 0, &y, Int32(k))   // y = G · xtᵀ
            for i in 0..<n { for j in 0..<k { xt[j * n + i] = y[i * k + j] } }
            orthonormalize(&xt, rows: k, columns: n)
        }
        ahub_sgemm(1, Int32(n), Int32(k), Int32(n), 1, g, Int32(n), xt, Int32(n), 0, &y, Int32(k))       // y = G · X
        var t = [Float](repeating: 0, count: k * k)
        ahub_sgemm(0, Int32(k), Int32(k), Int32(n), 1, xt, Int32(n), y, Int32(k), 0, &t, Int32(k))       // T = Xᵀ G X
        var x = [Float](repeating: 0, count: n * k)
        for i in 0..<n { for j in 0..<k { x[i * k + j] = xt[j * n + i] } }
        var m = [Float](repeating: 0, count: n * k)
        ahub_sgemm(0, Int32(n), Int32(k), Int32(k), 1, x, Int32(k), t, Int32(k), 0, &m, Int32(k))        // M = X T
        var gk = [Float](repeating: 0, count: n * n)
        ahub_sgemm(0, Int32(n), Int32(n), Int32(k), 1, m, Int32(k), xt, Int32(n), 0, &gk, Int32(n))      // G_k = M Xᵀ
        var result = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let d = Double(gk[i * n + i]) * Double(gk[j * n + j])
                result[i * n + j] = i == j ? 1 : (d > 0 ? Double(gk[i * n + j]) / d.squareRoot() : 0)
            }
        }
        return result
    }

    /// Modified Gram–Schmidt on the rows of a row-major matrix (a row that vanishes stays zero).
    static func orthonormalize(_ a: inout [Float], rows: Int, columns: Int) {
        a.withUnsafeMutableBufferPointer { a in
            for r in 0..<rows {
                for p in 0..<r {
                    var dot: Float = 0
                    for c in 0..<columns { dot += a[r * columns + c] * a[p * columns + c] }
                    for c in 0..<columns { a[r * columns + c] -= dot * a[p * columns + c] }
                }
                var norm: Float = 0
                for c in 0..<columns { norm += a[r * columns + c] * a[r * columns + c] }
                norm = norm.squareRoot()
                if norm > 1e-12 { for c in 0..<columns { a[r * columns + c] /= norm } }
            }
        }
    }
}
