import Foundation
import HubStore

/// TF-IDF vectors of papers and texts (sublinear tf, smoothed idf, L2-normalized; terms from the index's
/// own analyzer), cached for the process. Document frequencies come from the index (`fts5vocab`) and are
/// read again once the library has grown or shrunk by more than 1 %; a paper's vector is made again when
/// its text changes.
final class TermVectors: @unchecked Sendable {
    private let lock = NSLock()
    private var documents = 0
    private var df: [String: Int] = [:]
    private var papers: [Int64: (text: Int, vector: [String: Double])] = [:]

    /// The vectors of these papers, in their order.
    func vectors(_ rows: [PaperFeatureRow], hub: Hub) throws -> [[String: Double]] {
        try refreshIfGrown(hub)
        var counts: [Int: [String: Int]] = [:]
        var missing: [Int] = []
        lock.lock()
        var result = rows.enumerated().map { index, row -> [String: Double] in
            if let cached = papers[row.id], cached.text == Self.textHash(row) { return cached.vector }
            missing.append(index)
            return [:]
        }
        lock.unlock()
        guard !missing.isEmpty else { return result }
        hub.analyzers.with { analyzer in
            for index in missing {
                counts[index] = Evaluator.termCounts(analyzer.terms(rows[index].title + "\n" + rows[index].abstract))
            }
        }
        let frequencies = try documentFrequencies(Set(counts.values.flatMap(\.keys)), hub: hub)
        lock.lock()
        defer { lock.unlock() }
        for index in missing {
            let vector = Hub.tfidfVector(counts[index]!, df: frequencies, documents: Double(max(documents, 1)))
            result[index] = vector
            papers[rows[index].id] = (Self.textHash(rows[index]), vector)
        }
        return result
    }

    /// A text's vector (a radar's description, a query).
    func vector(_ text: String, hub: Hub) throws -> [String: Double] {
        try vector(counts: hub.analyzers.with { Evaluator.termCounts($0.terms(text)) }, hub: hub)
    }

    /// The vector of a text given as its term counts.
    func vector(counts: [String: Int], hub: Hub) throws -> [String: Double] {
        try refreshIfGrown(hub)
        let frequencies = try documentFrequencies(Set(counts.keys), hub: hub)
        return Hub.tfidfVector(counts, df: frequencies, documents: Double(max(lock.withLock { documents }, 1)))
    }

    private func documentFrequencies(_ terms: Set<String>, hub: Hub) throws -> [String: Int] {
        lock.lock()
        let unknown = terms.filter { df[$0] == nil }
        lock.unlock()
        var fetched: [String: Int] = [:]
        let list = Array(unknown)
        for start in stride(from: 0, to: list.count, by: 5_000) {
            fetched.merge(try hub.store.documentFrequencies(Array(list[start..<min(start + 5_000, list.count)]))) { a, _ in a }
        }
        lock.lock()
        defer { lock.unlock() }
        for term in unknown { df[term] = fetched[term] ?? 0 }
        var result: [String: Int] = [:]
        for term in terms { result[term] = df[term] }
        return result
    }

    private func refreshIfGrown(_ hub: Hub) throws {
        let count = try hub.store.count()
        lock.lock()
        defer { lock.unlock() }
        if documents == 0 || abs(count - documents) * 100 > documents {
            documents = count
            df = [:]
            papers = [:]
        }
    }

    private static func textHash(_ row: PaperFeatureRow) -> Int {
        var hasher = Hasher()
        hasher.combine(row.title)
        hasher.combine(row.abstract)
        return hasher.finalize()
    }
}
