import Foundation
import HubCore
import HubStore

extension Hub {
    /// Papers most like a given one: its vector's nearest neighbours fused with a keyword search for its
    /// most distinctive terms (TF-IDF over the index: sublinear tf, smoothed idf). The paper itself and
    /// copies of it (the same title) are left out; versions share one key, so they never appear twice.
    /// Without a model, or for a paper the model cannot read, the terms alone decide.
    public func similar(_ text: String, limit: Int = 10) throws -> SearchResults {
        guard let stored = try paper(text) else {
            throw HubError("no paper \(text) in the library; `ahub search` finds keys")
        }
        let paper = stored.paper
        guard let id = try store.ids(for: [paper.key])[paper.key] else { throw HubError("no paper \(text)") }
        let depth = Self.fusionDepth + 1
        let terms = try distinctiveTerms(title: paper.title, abstract: paper.abstract, count: Self.similarTerms)
        var query = Query()
        query.should = terms.map { .word($0) }
        let keyword = try keywordRanking(query, depth: depth)

        var semanticList: [(id: Int64, score: Double)] = []
        if let embedder = try? semantic.model(), let vector = try store.vector(paperID: id, model: embedder.modelID),
            vector.contains(where: { $0 != 0 }) {
            let (vectors, ids) = try semantic.store(store)
            semanticList = vectors.search(vector, k: depth).filter { $0.score > 0 }.map { (id: ids[$0.row], score: Double($0.score)) }
        }
        let title = paper.title.lowercased()
        let fused = Self.fuse(keyword: keyword, semantic: semanticList, semanticWeight: semanticList.isEmpty ? 0 : 0.5)
            .filter { $0.id != id }
        let hits = try store.hits(fused).filter { $0.paper.title.lowercased() != title }
        return SearchResults(query: paper.key.rawValue, mode: semanticList.isEmpty ? "similar-terms" : "similar",
                             total: hits.count, offset: 0, hits: Array(hits.prefix(limit)))
    }

    static let similarTerms = 25

    /// The text's terms with the highest TF-IDF, each spelled as it appears in the text (the query
    /// parser analyzes it again into the same term).
    func distinctiveTerms(title: String, abstract: String, count: Int) throws -> [String] {
        let text = title + "\n" + abstract
        let bytes = Array(text.utf8)
        let tokens = analyzers.with { $0.tokens(text, mode: .document) }
        var frequency: [String: Int] = [:]
        var surface: [String: String] = [:]
        for token in tokens {
            frequency[token.term, default: 0] += 1
            if surface[token.term] == nil {
                surface[token.term] = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
            }
        }
        let df = try store.documentFrequencies(Array(frequency.keys))
        let n = Double(try store.count())
        let weighted = frequency.map { term, tf -> (String, Double) in
            let idf = log((n + 1) / (Double(df[term] ?? 0) + 1)) + 1
            return (term, (1 + log(Double(tf))) * idf)
        }
        return weighted.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(count).compactMap { surface[$0.0] }
    }
}
