import Foundation
import HubCore
import HubEmbed
import HubStore
import HubVectors

/// The in-memory side of semantic search: the embedder (loaded on first use) and a vector store built from
/// the library's `vectors` table, kept current as papers are embedded.
final class SemanticIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var embedder: (any SentenceEmbedder)?
    private var vectors: DenseVectorStore?
    private var rowIDs: [Int64] = []
    private var rowOf: [Int64: Int] = [:]

    func model() throws -> any SentenceEmbedder {
        lock.lock()
        defer { lock.unlock() }
        if let embedder { return embedder }
        do {
            let loaded = try MiniLM(directory: MiniLM.defaultDirectory())
            embedder = loaded
            return loaded
        } catch let error as EmbedError {
            throw HubError(error.message)
        }
    }

    /// The vector store, built from SQLite on first use.
    func store(_ library: SQLitePaperStore) throws -> (DenseVectorStore, [Int64]) {
        let embedder = try model()
        lock.lock()
        defer { lock.unlock() }
        if let vectors { return (vectors, rowIDs) }
        let (ids, values) = try library.vectors(model: embedder.modelID, dimension: embedder.dimension)
        let store = DenseVectorStore(dimension: embedder.dimension, precision: .int8)
        store.reserveCapacity(ids.count)
        let d = embedder.dimension
        for (row, id) in ids.enumerated() {
            store.append(Array(values[(row * d)..<((row + 1) * d)]))
            rowOf[id] = row
        }
        rowIDs = ids
        vectors = store
        return (store, ids)
    }

    /// Adds (or, for a re-embedded paper, drops and re-adds) vectors in the live store when it is built.
    func added(_ items: [(id: Int64, vector: [Float])]) {
        lock.lock()
        defer { lock.unlock() }
        guard let vectors else { return }
        if items.contains(where: { rowOf[$0.id] != nil }) {
            self.vectors = nil  // rebuilt from SQLite on next use
            rowIDs = []
            rowOf = [:]
            return
        }
        for item in items {
            rowOf[item.id] = vectors.append(item.vector)
            rowIDs.append(item.id)
        }
    }
}

/// What `ahub embed` did.
public struct EmbedReport: Sendable, Codable {
    public var model: String
    public var embedded: Int
    public var seconds: Double
    public var papersPerSecond: Double { seconds > 0 ? Double(embedded) / seconds : 0 }
}

extension Hub {
    /// The text a paper is embedded from: title and abstract, LaTeX and HTML markup removed.
    static func embeddingText(title: String, abstract: String) -> String {
        MarkupMask.plainText(title) + ". " + MarkupMask.plainText(abstract)
    }

    /// Embeds every paper that has no vector from the model yet, `batch` at a time (each batch committed).
    public func embedMissing(batch: Int = 64, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> EmbedReport {
        let embedder = try semantic.model()
        let total = try store.countWithoutVectors(model: embedder.modelID)
        let started = Date()
        var done = 0
        while true {
            let papers = try store.papersWithoutVectors(model: embedder.modelID, limit: batch)
            if papers.isEmpty { break }
            // A paper the model cannot read (Chinese for an English model) gets no meaning: a zero vector,
            // stored so that it is not embedded again, and never returned by a semantic scan.
            let texts = papers.map { Self.embeddingText(title: $0.title, abstract: $0.abstract) }
            let readable = texts.indices.filter { embedder.coverage(texts[$0]) >= Self.minimumCoverage }
            var vectors = [[Float]](repeating: [Float](repeating: 0, count: embedder.dimension), count: papers.count)
            for (index, vector) in zip(readable, try embedder.embed(readable.map { texts[$0] })) { vectors[index] = vector }
            let items = zip(papers, vectors).map { (id: $0.id, vector: $1) }
            try store.storeVectors(items, model: embedder.modelID)
            semantic.added(items)
            done += papers.count
            progress?(done, total)
        }
        return EmbedReport(model: embedder.modelID, embedded: done, seconds: Date().timeIntervalSince(started))
    }

    /// Papers the current model has not embedded yet.
    public func papersWithoutVectors() throws -> Int {
        try store.countWithoutVectors(model: semantic.model().modelID)
    }

    /// Whether the native model is where `embed` looks for it.
    public var embeddingModelInstalled: Bool {
        FileManager.default.fileExists(atPath: MiniLM.defaultDirectory() + "/model.safetensors")
    }

    public enum SearchMode: String, Sendable, CaseIterable, Codable {
        case keyword, semantic, hybrid
    }

    /// Search in a mode. Semantic: the query's words embedded by the model, papers by cosine. Hybrid:
    /// reciprocal-rank fusion of the keyword and semantic lists. Filters apply in every mode (to the vector
    /// scan as a row mask).
    public func search(_ text: String, mode: SearchMode, limit: Int = 10, offset: Int = 0) throws -> SearchResults {
        if mode == .keyword { return try search(text, limit: limit, offset: offset) }
        let query = try parse(text)
        let depth = min(max(limit + offset, Self.fusionDepth), SQLitePaperStore.maxPage)
        let semanticList = try semanticRanking(query, text: text, depth: depth)
        let ranked: [(id: Int64, score: Double)]
        var total = semanticList.count
        if mode == .semantic {
            ranked = semanticList
        } else {
            let keywordList = try keywordRanking(query, depth: depth)
            ranked = Self.fuse(keyword: keywordList, semantic: semanticList,
                               semanticWeight: try semanticWeight(Self.semanticText(text)))
            total = Set(keywordList.map(\.id)).union(semanticList.map(\.id)).count
        }
        let page = Array(ranked.dropFirst(offset).prefix(limit))
        return SearchResults(query: text, mode: mode.rawValue, total: total, offset: offset, hits: try store.hits(page))
    }

    /// How many results of each list hybrid fuses.
    static let fusionDepth = 100

    /// BM25's top papers as (id, score).
    func keywordRanking(_ query: Query, depth: Int) throws -> [(id: Int64, score: Double)] {
        guard query.hasText else { return [] }
        let hits = try store.search(query, limit: depth, snippets: false).hits
        let ids = try store.ids(for: hits.map(\.paper.key))
        return hits.compactMap { hit in ids[hit.paper.key].map { (id: $0, score: hit.score) } }
    }

    /// The semantic list's weight in hybrid ranking: 0.5 when the model reads the query (tuned on scifact:
    /// see README), 0 when a good part of it is words the model does not know (Chinese for an English model),
    /// so hybrid never ranks worse than keyword search where the model is blind. Papers it cannot read are
    /// left out of the semantic list the same way (see `embedMissing`).
    func semanticWeight(_ text: String) throws -> Double {
        try semantic.model().coverage(text) >= Self.minimumCoverage ? 0.5 : 0
    }

    static let minimumCoverage = 0.8

    /// A weighted sum of each list's scores divided by its best score; a paper missing from a list takes
    /// that list's lowest score.
    static func fuse(keyword: [(id: Int64, score: Double)], semantic: [(id: Int64, score: Double)],
                     semanticWeight w: Double) -> [(id: Int64, score: Double)] {
        func normalized(_ list: [(id: Int64, score: Double)]) -> (scores: [Int64: Double], floor: Double) {
            guard let top = list.map(\.score).max(), top > 0 else { return ([:], 0) }
            let scores = Dictionary(list.map { ($0.id, $0.score / top) }, uniquingKeysWith: { a, _ in a })
            return (scores, scores.values.min() ?? 0)
        }
        let k = normalized(keyword), s = normalized(semantic)
        var fused: [Int64: Double] = [:]
        let keywordWeight = keyword.isEmpty ? 0 : 1 - w
        let semanticWeight = keyword.isEmpty ? 1 : w
        for id in Set(k.scores.keys).union(s.scores.keys) where semanticWeight > 0 || k.scores[id] != nil {
            fused[id] = keywordWeight * (k.scores[id] ?? k.floor) + semanticWeight * (s.scores[id] ?? s.floor)
        }
        return fused.map { (id: $0.key, score: $0.value) }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }

    /// The papers nearest the query's text, best first, as (id, cosine).
    func semanticRanking(_ query: Query, text: String, depth: Int) throws -> [(id: Int64, score: Double)] {
        let embedder = try semantic.model()
        let (vectors, ids) = try semantic.store(store)
        guard !ids.isEmpty else { return [] }
        var mask: RowMask?
        if let allowed = try store.filteredIDs(query) {
            var m = RowMask(count: ids.count)
            for (row, id) in ids.enumerated() where allowed.contains(id) { m.insert(row) }
            mask = m
        }
        let vector = try embedder.embed([Self.semanticText(text)])[0]
        return vectors.search(vector, k: depth, mask: mask).filter { $0.score > 0 }.map { (id: ids[$0.row], score: Double($0.score)) }
    }

    /// The words of a query for the embedder: field filters and exclusions removed, quotes dropped.
    static func semanticText(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).filter { word in
            !word.hasPrefix("-") && !["author:", "cat:", "source:", "after:", "before:"].contains { word.lowercased().hasPrefix($0) }
        }.joined(separator: " ").replacingOccurrences(of: "\"", with: "")
    }
}
