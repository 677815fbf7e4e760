import Foundation
import HubStore

/// A sparse vector over interned term ids (ascending ids, one value each): a text's TF-IDF.
struct SparseVector: Sendable, Equatable {
    var ids: [Int32] = []
    var values: [Float] = []

    var isEmpty: Bool { ids.isEmpty }

    /// The dot product with another sparse vector (cosine for normalized ones): a merge of the two id lists.
    func dot(_ other: SparseVector) -> Double {
        var i = 0, j = 0, sum: Float = 0
        while i < ids.count, j < other.ids.count {
            let a = ids[i], b = other.ids[j]
            if a == b {
                sum += values[i] * other.values[j]
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
        return Double(sum)
    }

    /// The dot product with weights indexed by term id (ids past their end weigh 0).
    func dot(_ weights: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for k in 0..<ids.count where Int(ids[k]) < weights.count { sum += weights[Int(ids[k])] * Double(values[k]) }
        return sum
    }
}

/// TF-IDF vectors and the other per-paper features (categories, source, date, title) of papers and texts,
/// cached for the process. Terms are interned once as integer ids, so scoring a paper is arithmetic over
/// arrays, never string hashing. Sublinear tf, smoothed idf, L2-normalized; terms from the index's own
/// analyzer. Document frequencies come from the index (`fts5vocab`) and are read again once the library has
/// grown or shrunk by more than 1 %. The cache is trusted while the library's revision (moved by triggers on
/// `papers`) stands still; once it moves, each cached paper is checked against its text again on next use.
final class TermVectors: @unchecked Sendable {
    /// What a radar reads of a paper.
    struct Features: Sendable {
        var terms: SparseVector
        var categories: [String]
        var source: String
        var date: String?
        /// The title lower-cased, letters and digits only: papers with the same one are the same paper.
        var titleKey: String
        fileprivate var textHash: Int
        fileprivate var checked: Int64
    }

    private let lock = NSLock()
    private var documents = 0
    private var revision: Int64 = -1
    private var termIDs: [String: Int32] = [:]
    private var names: [String] = []
    /// Document frequency by term id; -1 when not read yet.
    private var df: [Int32] = []
    private var papers: [Int64: Features] = [:]

    /// The features of these papers, in their order; nil for a paper not in the library.
    func features(_ ids: [Int64], hub: Hub) throws -> [Features?] {
        let current = try refresh(hub)
        lock.lock()
        var result = [Features?](repeating: nil, count: ids.count)
        var missing: [Int] = []
        for (index, id) in ids.enumerated() {
            if let cached = papers[id], cached.checked == current { result[index] = cached } else { missing.append(index) }
        }
        lock.unlock()
        guard !missing.isEmpty else { return result }

        let rows = try hub.store.featureRows(missing.map { ids[$0] })
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var counts: [Int64: [String: Int]] = [:]
        lock.lock()
        let stale = rows.filter { row in papers[row.id]?.textHash != Self.textHash(row) }
        lock.unlock()
        hub.analyzers.with { analyzer in
            for row in stale { counts[row.id] = Evaluator.termCounts(analyzer.terms(row.title + "\n" + row.abstract)) }
        }
        try readDocumentFrequencies(Set(counts.values.flatMap(\.keys)), hub: hub)
        lock.lock()
        defer { lock.unlock() }
        for index in missing {
            guard let row = byID[ids[index]] else { continue }
            let terms = counts[row.id].map(vectorLocked) ?? papers[row.id]?.terms ?? SparseVector()
            let features = Features(terms: terms, categories: row.categories, source: row.source, date: row.date,
                                    titleKey: Self.titleKey(row.title), textHash: Self.textHash(row), checked: current)
            papers[row.id] = features
            result[index] = features
        }
        return result
    }

    /// The TF-IDF vectors of these papers (empty for a paper not in the library).
    func vectors(_ ids: [Int64], hub: Hub) throws -> [SparseVector] {
        try features(ids, hub: hub).map { $0?.terms ?? SparseVector() }
    }

    /// A text's vector (a radar's description, a query).
    func vector(_ text: String, hub: Hub) throws -> SparseVector {
        try vector(counts: hub.analyzers.with { Evaluator.termCounts($0.terms(text)) }, hub: hub)
    }

    /// The vector of a text given as its term counts.
    func vector(counts: [String: Int], hub: Hub) throws -> SparseVector {
        _ = try refresh(hub)
        try readDocumentFrequencies(Set(counts.keys), hub: hub)
        return lock.withLock { vectorLocked(counts) }
    }

    /// Term ids for names, interning the new ones.
    func ids(_ terms: [String]) -> [Int32] {
        lock.withLock { terms.map(internLocked) }
    }

    /// The name of each id.
    func names(_ ids: [Int32]) -> [String] {
        lock.withLock { ids.map { names[Int($0)] } }
    }

    /// How many terms have an id: weights indexed by id need this many entries.
    var vocabularySize: Int { lock.withLock { names.count } }

    /// The share of the library's papers that hold each of these terms.
    func share(_ terms: [String], hub: Hub) throws -> [Double] {
        _ = try refresh(hub)
        try readDocumentFrequencies(Set(terms), hub: hub)
        return lock.withLock {
            let n = Double(max(documents, 1))
            return terms.map { term in termIDs[term].map { Double(max(df[Int($0)], 0)) / n } ?? 0 }
        }
    }

    private func internLocked(_ term: String) -> Int32 {
        if let id = termIDs[term] { return id }
        let id = Int32(names.count)
        termIDs[term] = id
        names.append(term)
        df.append(-1)
        return id
    }

    private func vectorLocked(_ counts: [String: Int]) -> SparseVector {
        let n = Double(max(documents, 1))
        var pairs = counts.map { term, tf -> (Int32, Double) in
            let id = internLocked(term)
            return (id, Hub.tfidf(tf: tf, df: Int(max(df[Int(id)], 0)), documents: n))
        }
        pairs.sort { $0.0 < $1.0 }
        let norm = pairs.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
        return SparseVector(ids: pairs.map(\.0), values: pairs.map { Float(norm > 0 ? $0.1 / norm : $0.1) })
    }

    private func readDocumentFrequencies(_ terms: Set<String>, hub: Hub) throws {
        let unknown = lock.withLock { terms.filter { termIDs[$0].map { df[Int($0)] < 0 } ?? true } }
        guard !unknown.isEmpty else { return }
        var fetched: [String: Int] = [:]
        let list = Array(unknown)
        for start in stride(from: 0, to: list.count, by: 5_000) {
            fetched.merge(try hub.store.documentFrequencies(Array(list[start..<min(start + 5_000, list.count)]))) { a, _ in a }
        }
        lock.withLock {
            for term in unknown { df[Int(internLocked(term))] = Int32(fetched[term] ?? 0) }
        }
    }

    /// Reads the library's revision; when it moved, re-reads the paper count, and forgets the document
    /// frequencies and every vector once the count moved by more than 1 % (term ids stay).
    private func refresh(_ hub: Hub) throws -> Int64 {
        let current = try hub.store.papersRevision()
        if lock.withLock({ current == revision && documents > 0 }) { return current }
        let count = try hub.store.count()
        lock.lock()
        defer { lock.unlock() }
        if documents == 0 || abs(count - documents) * 100 > documents {
            documents = count
            df = [Int32](repeating: -1, count: names.count)
            papers = [:]
        }
        revision = current
        return current
    }

    static func titleKey(_ title: String) -> String {
        title.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    private static func textHash(_ row: PaperFeatureRow) -> Int {
        var hasher = Hasher()
        hasher.combine(row.title)
        hasher.combine(row.abstract)
        return hasher.finalize()
    }
}
