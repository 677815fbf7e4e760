import Foundation
import HubCore
import HubEmbed
import HubStore
import HubVectors

extension Hub {
    /// Papers most like a given one: its vector's nearest neighbours fused with its term neighbours (a BM25
    /// search for its 25 most distinctive terms finds 200 candidates, ordered by a blend of that BM25 and
    /// TF-IDF cosine with the paper: sublinear tf, smoothed idf from the index). The paper itself and
    /// copies of it (the same title) are left out; versions share one key, so they never appear twice.
    /// For a paper without a vector, or one the model cannot read, the terms alone decide; without the model's
    /// files, the vectors the library keeps still count.
    public func similar(_ text: String, limit: Int = 10, offset: Int = 0) throws -> SearchResults {
        guard let stored = try paper(keyOrTitle: text) else {
            throw HubError("no paper \(text) in the library; search finds keys")
        }
        let paper = stored.paper
        guard let id = try store.ids(for: [paper.key])[paper.key] else { throw HubError("no paper \(text)") }
        let depth = Self.fusionDepth + 1
        let terms = try distinctiveTerms(title: paper.title, abstract: paper.abstract, count: Self.similarTerms)
        var query = Query()
        query.should = terms.map { .word($0) }
        // BM25 over the distinctive terms finds the candidates; TF-IDF cosine with the paper orders them.
        let candidates = try keywordRanking(query, depth: Self.similarCandidates)
        let cosine = try tfidfCosine(of: paper, against: candidates.map(\.id)).sorted { $0.score > $1.score }
        let keyword = Self.fuse(keyword: candidates, semantic: cosine, semanticWeight: Self.cosineWeight)

        var semanticList: [(id: Int64, score: Double)] = []
        // Why meaning has no part, when the reason is the user's to mend (a paper the model cannot read, as
        // Chinese, is no such reason).
        var notices: [SearchNotice] = []
        let embedder = try? semantic.model()
        // No text is embedded here: without the model's files (another machine), the vectors the library
        // keeps are read as they are.
        let native = { if case .native? = try? Setting.embedder(store.settings()) { true } else { false } }()
        let modelID = embedder?.modelID ?? (native ? MiniLM.name : nil)
        if let modelID, let vector = try store.vector(paperID: id, model: modelID) {
            if vector.contains(where: { $0 != 0 }) {
                let (vectors, ids) = embedder != nil ? try semantic.store(store, dimension: vector.count)
                    : try DenseVectorStore.load(from: store, model: modelID, dimension: vector.count)
                semanticList = vectors.search(vector, k: depth, rows: ids.count).filter { $0.score > 0 }.map { (id: ids[$0.row], score: Double($0.score)) }
            }
        } else if embedder != nil {
            notices.append(SearchNotice(kind: "unembedded", count: 1, message: "\(paper.key) has no vector yet, so these are like it by its terms alone: `ahub embed` makes one"))
        } else if native {
            notices.append(SearchNotice(kind: "nomodel", count: 0, message: "\(paper.key) has no vector and the embedding model is not at \(MiniLM.defaultDirectory()), "
                + "so these are like it by its terms alone: scripts/install-model puts it there"))
        }
        let title = paper.title.lowercased()
        let fused = Self.fuse(keyword: keyword, semantic: semanticList, semanticWeight: semanticList.isEmpty ? 0 : 0.5)
            .filter { $0.id != id }
        var hits = try store.hits(fused).filter { $0.paper.title.lowercased() != title }
        // Each hit's scores as search gives them: the term side's (BM25 and TF-IDF cosine fused), the
        // embedding's cosine when there is one, and the fused score the order follows.
        let byTerms = Dictionary(keyword.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        let byMeaning = Dictionary(semanticList.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        let ids = try store.ids(for: hits.map(\.paper.key))
        for i in hits.indices {
            guard let id = ids[hits[i].paper.key] else { continue }
            var scores = ["terms": byTerms[id] ?? 0, "fused": hits[i].score]
            if !semanticList.isEmpty { scores["semantic"] = byMeaning[id] ?? 0 }
            hits[i].scores = scores
        }
        var results = SearchResults(query: paper.key.rawValue, mode: semanticList.isEmpty ? "similar-terms" : "similar",
                                    total: hits.count, offset: offset, hits: Array(hits.dropFirst(offset).prefix(limit)))
        results.notices = notices
        return results
    }

    static let similarTerms = 25
    static let similarCandidates = 200
    /// TF-IDF cosine's weight against BM25 on the term side, measured with `ahub eval --similar-label` on
    /// csl-zh (README): 0.5 → 0.2587, 0.7 → 0.2644, 0.85 → 0.2618; cosine alone 0.2606.
    static let cosineWeight = 0.7

    /// TF-IDF cosine (sublinear tf, smoothed idf from the index, L2-normalized) between a paper and others.
    func tfidfCosine(of paper: Paper, against ids: [Int64]) throws -> [(id: Int64, score: Double)] {
        let counts = analyzers.with { Evaluator.termCounts($0.terms(paper.title + "\n" + paper.abstract)) }
        return try tfidfCosine(of: counts, against: ids)
    }

    /// TF-IDF cosine between a text's term counts (a paper's, a query's) and papers, through the process's
    /// `TermVectors`: made from the index at the time of asking (its document frequencies, through
    /// `fts5vocab`), so they are never stale as papers come in, and cached per paper.
    func tfidfCosine(of probe: [String: Int], against ids: [Int64]) throws -> [(id: Int64, score: Double)] {
        let features = try termVectors.features(ids, hub: self)
        let query = try termVectors.vector(counts: probe, hub: self)
        return zip(ids, features).compactMap { id, f in f.map { (id: id, score: query.dot($0.terms)) } }
    }

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
        let weighted = frequency.map { term, tf in (term, Self.tfidf(tf: tf, df: df[term] ?? 0, documents: n)) }
        return weighted.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(count).compactMap { surface[$0.0] }
    }

    /// A term's TF-IDF weight: sublinear tf, smoothed idf.
    static func tfidf(tf: Int, df: Int, documents n: Double) -> Double {
        (1 + log(Double(tf))) * (log((n + 1) / (Double(df) + 1)) + 1)
    }

    /// A text's L2-normalized TF-IDF vector from its term counts.
    static func tfidfVector(_ counts: [String: Int], df: [String: Int], documents n: Double) -> [String: Double] {
        var w: [String: Double] = [:]
        for (term, tf) in counts { w[term] = tfidf(tf: tf, df: df[term] ?? 0, documents: n) }
        let norm = w.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? w.mapValues { $0 / norm } : w
    }

    /// The dot product of two sparse vectors (cosine for normalized ones), walking the shorter.
    static func dot(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let (small, large) = a.count < b.count ? (a, b) : (b, a)
        return small.reduce(0) { $0 + $1.value * (large[$1.key] ?? 0) }
    }
}
