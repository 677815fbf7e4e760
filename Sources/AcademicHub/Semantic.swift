import Foundation
import HubCore
import HubEmbed
import HubFeeds
import HubStore
import HubVectors

/// The in-memory side of semantic search: the embedder (loaded on first use) and a vector store built from
/// the library's `vectors` table, kept current as papers are embedded.
final class SemanticIndex: @unchecked Sendable {
    private let lock = NSLock()
    private let makeEmbedder: @Sendable () throws -> any SentenceEmbedder
    private var embedder: (any SentenceEmbedder)?
    private var vectors: DenseVectorStore?
    private var rowIDs: [Int64] = []
    private var rowOf: [Int64: Int] = [:]
    /// The vectors' revision and the last row the store has read.
    private var revision: Int64 = -1
    private var lastRow: Int64 = 0
    /// Recent query texts' vectors: a radar's description is embedded once, not at every feed.
    private var queryVectors: [String: [Float]] = [:]
    /// Papers without a vector of the model, with the papers' and vectors' revisions it was counted at.
    private var unembedded: (papers: Int64, vectors: Int64, model: String, count: Int)?
    private static let queryCacheSize = 256

    init(makeEmbedder: @escaping @Sendable () throws -> any SentenceEmbedder) {
        self.makeEmbedder = makeEmbedder
    }

    /// The embedder the settings name, made on first use.
    func model() throws -> any SentenceEmbedder {
        lock.lock()
        defer { lock.unlock() }
        if let embedder { return embedder }
        let made = try makeEmbedder()
        embedder = made
        return made
    }

    /// Forgets the embedder and the vectors (the model setting changed).
    func reset() {
        lock.lock()
        defer { lock.unlock() }
        embedder = nil
        queryVectors = [:]
        dropVectors()
    }

    /// A query text's vector, from the cache of recent ones or the model.
    func embedQuery(_ text: String) throws -> [Float] {
        if let cached = lock.withLock({ queryVectors[text] }) { return cached }
        let vector = try model().embed([text])[0]
        lock.withLock {
            if queryVectors.count >= Self.queryCacheSize { queryVectors.removeAll(keepingCapacity: true) }
            queryVectors[text] = vector
        }
        return vector
    }

    private func dropVectors() {
        vectors = nil
        rowIDs = []
        rowOf = [:]
        revision = -1
        lastRow = 0
    }

    /// The current model's vectors of `dimension` as a store, built from SQLite on first use and caught up
    /// with the vectors stored since (by this process or another: `ahub embed` while `ahub serve` runs).
    /// The ids are the store's rows as of now: a search reads no more rows than that (`rows: ids.count`),
    /// as the store may grow while it runs.
    /// Papers the model has no vector of, counted again only when papers or vectors changed (a search's
    /// notice asks at every search; the count reads every paper).
    func unembeddedCount(_ library: SQLitePaperStore) throws -> Int {
        let model = try model().modelID
        let papers = try library.papersRevision(), vectors = try library.vectorsRevision()
        lock.lock()
        let known = unembedded
        lock.unlock()
        if let known, known.papers == papers, known.vectors == vectors, known.model == model { return known.count }
        let count = try library.countWithoutVectors(model: model)
        lock.lock()
        unembedded = (papers, vectors, model, count)
        lock.unlock()
        return count
    }

    func store(_ library: SQLitePaperStore, dimension: Int) throws -> (DenseVectorStore, [Int64]) {
        let embedder = try model()
        lock.lock()
        defer { lock.unlock() }
        if let vectors, vectors.dimension == dimension {
            if try library.vectorsRevision() == revision { return (vectors, rowIDs) }
            if try catchUp(library, model: embedder.modelID) { return (vectors, rowIDs) }
        }
        dropVectors()
        let store = DenseVectorStore(dimension: dimension, precision: .int8)
        store.reserveCapacity(try library.vectorCount(model: embedder.modelID, dimension: dimension))
        vectors = store
        _ = try catchUp(library, model: embedder.modelID)
        return (store, rowIDs)
    }

    /// Appends the vectors stored after the last row read. False when the store must be built again
    /// instead: a paper has a new vector (embedded again), or vectors were removed.
    private func catchUp(_ library: SQLitePaperStore, model: String) throws -> Bool {
        guard let vectors else { return false }
        var replaced = false
        revision = try library.forEachVector(model: model, dimension: vectors.dimension, after: lastRow) { row, id, vector in
            lastRow = row
            guard !replaced else { return }
            if rowOf[id] != nil { replaced = true; return }
            rowOf[id] = vectors.append(vector)
            rowIDs.append(id)
        }
        if replaced { return false }
        return try library.vectorCount(model: model, dimension: vectors.dimension) == rowIDs.count
    }

    /// The current model's vectors of these papers (empty where a paper has none, or a zero vector: a text
    /// the model cannot read); all empty without a model.
    func vectors(for ids: [Int64], library: SQLitePaperStore) -> [[Float]] {
        let none = [[Float]](repeating: [], count: ids.count)
        guard let embedder = try? model() else { return none }
        var dimension = embedder.dimension
        if dimension == 0 { dimension = (try? library.vectorDimension(model: embedder.modelID)).flatMap { $0 } ?? 0 }
        guard dimension > 0, let (vectors, _) = try? store(library, dimension: dimension) else { return none }
        lock.lock()
        let rows = ids.map { rowOf[$0] }
        lock.unlock()
        return rows.map { row in
            guard let row, row < vectors.count else { return [] }
            let vector = vectors.vector(row)
            return vector.contains { $0 != 0 } ? vector : []
        }
    }

    /// The dot product of `weights` with each paper's vector (0 for a paper without one); nil when there
    /// is no model or its vectors have another dimension.
    func scores(_ weights: [Float], ids: [Int64], library: SQLitePaperStore) -> [Float]? {
        guard !weights.isEmpty, let embedder = try? model() else { return nil }
        var dimension = embedder.dimension
        if dimension == 0 { dimension = (try? library.vectorDimension(model: embedder.modelID)).flatMap { $0 } ?? 0 }
        guard dimension == weights.count, let (vectors, _) = try? store(library, dimension: dimension) else { return nil }
        lock.lock()
        let rows = ids.map { rowOf[$0] ?? -1 }
        lock.unlock()
        let present = rows.indices.filter { rows[$0] >= 0 && rows[$0] < vectors.count }
        let dots = vectors.scores(weights, rows: present.map { rows[$0] })
        var result = [Float](repeating: 0, count: ids.count)
        for (k, index) in present.enumerated() { result[index] = dots[k] }
        return result
    }
}

extension DenseVectorStore {
    /// The library's vectors of one model as the int8 store semantic search scans, and each row's paper id.
    /// Streams from SQLite: the float32 form is never held whole (`Benchmarks/`: time and resident size for
    /// 1 M vectors).
    public static func load(from library: SQLitePaperStore, model: String, dimension: Int) throws -> (store: DenseVectorStore, ids: [Int64]) {
        let store = DenseVectorStore(dimension: dimension, precision: .int8)
        let count = try library.vectorCount(model: model, dimension: dimension)
        store.reserveCapacity(count)
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        try library.forEachVector(model: model, dimension: dimension) { _, id, vector in
            store.append(vector)
            ids.append(id)
        }
        return (store, ids)
    }
}

/// What `ahub embed` did.
public struct EmbedReport: Sendable, Codable {
    public var model: String
    public var embedded: Int
    public var seconds: Double
    /// Stopped by a cancellation before every paper had a vector (the rest are embedded next time).
    public var stopped = false
    /// Of `embedded`, the papers the model cannot read (Chinese for an English model): stored with a zero
    /// vector, which semantic search never returns; keyword and TF-IDF search find them.
    public var unreadable = 0
    public var papersPerSecond: Double { seconds > 0 ? Double(embedded) / seconds : 0 }
}

extension Hub {
    /// The text a paper is embedded from: title and abstract, LaTeX and HTML markup removed.
    public static func embeddingText(title: String, abstract: String) -> String {
        MarkupMask.plainText(title) + ". " + MarkupMask.plainText(abstract)
    }

    /// Embeds every paper that has no vector from the model yet, `batch` at a time (each batch committed);
    /// `cancel` stops it between batches.
    public func embedMissing(batch: Int = 64, cancel: CancellationFlag? = nil,
                             progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> EmbedReport {
        let embedder = try semantic.model()
        let total = try store.countWithoutVectors(model: embedder.modelID)
        let started = Date()
        var done = 0
        var stopped = false
        var unreadable = 0
        while true {
            if cancel?.isSet == true { stopped = true; break }
            let papers = try store.papersWithoutVectors(model: embedder.modelID, limit: batch)
            if papers.isEmpty { break }
            // A paper the model cannot read (Chinese for an English model) gets no meaning: a zero vector,
            // stored so that it is not embedded again, and never returned by a semantic scan.
            let texts = papers.map { Self.embeddingText(title: $0.title, abstract: $0.abstract) }
            let readable = texts.indices.filter { embedder.coverage(texts[$0]) >= Self.minimumCoverage }
            unreadable += texts.count - readable.count
            let embedded = try embedder.embed(readable.map { texts[$0] })
            let zero = [Float](repeating: 0, count: embedded.first?.count ?? embedder.dimension)
            var vectors = [[Float]](repeating: zero, count: papers.count)
            for (index, vector) in zip(readable, embedded) { vectors[index] = vector }
            let items = zip(papers, vectors).map { (id: $0.id, vector: $1) }
            try store.storeVectors(items, model: embedder.modelID)
            done += papers.count
            progress?(done, total)
        }
        return EmbedReport(model: embedder.modelID, embedded: done, seconds: Date().timeIntervalSince(started), stopped: stopped,
                           unreadable: unreadable)
    }

    /// Makes `model` the library's embedding model (`embed.model`) and embeds every paper it has not
    /// embedded: the whole library after a change of model. Checked before it is set: another model
    /// needs `embed.url`; and when the model embeds nothing (its endpoint refuses, answers wrong), the
    /// setting goes back to what it was, so search does not lose its vectors to a model that never worked.
    public func embed(model: String, batch: Int = 64, cancel: CancellationFlag? = nil,
                      progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> EmbedReport {
        let current = try store.settings()
        var proposed = current
        proposed["embed.model"] = model
        _ = try Setting.embedder(proposed)
        try setSetting("embed.model", model)
        do {
            return try embedMissing(batch: batch, cancel: cancel, progress: progress)
        } catch {
            let id = (try? semantic.model())?.modelID
            let embeddedNone = try id.map { try store.countWithoutVectors(model: $0) == store.count() } ?? true
            if embeddedNone, current["embed.model"] != model {
                try setSetting("embed.model", current["embed.model"])
                throw HubError("\(error); embed.model stays \(current["embed.model"] ?? MiniLM.name)")
            }
            throw error
        }
    }

    /// Papers the current model has not embedded yet.
    public func papersWithoutVectors() throws -> Int {
        try store.countWithoutVectors(model: semantic.model().modelID)
    }

    /// Whether `import` and `fetch` can embed what they bring in: the native model is where `embed` looks
    /// for it, or another model is configured at `embed.url`.
    public var embeddingAvailable: Bool {
        switch try? Setting.embedder(store.settings()) {
        case .native: FileManager.default.fileExists(atPath: MiniLM.defaultDirectory() + "/model.safetensors")
        case .remote: true
        case nil: false
        }
    }

    static func makeEmbedder(_ settings: [String: String]) throws -> any SentenceEmbedder {
        switch try Setting.embedder(settings) {
        case .native:
            do {
                return try MiniLM(directory: MiniLM.defaultDirectory())
            } catch let error as EmbedError {
                throw HubError(error.message)
            }
        case .remote(let baseURL, let model, let apiKey, let batch):
            return RemoteEmbedder(baseURL: baseURL, model: model, apiKey: apiKey, batch: batch,
                                  http: try Setting.httpConfiguration(settings))
        }
    }

    public enum SearchMode: String, Sendable, CaseIterable, Codable {
        case keyword, semantic, hybrid
    }

    /// Search in a mode (see `ranking`). Filters apply in every mode (to the vector scan as a row mask).
    /// Each hit carries the score of every list it came from (`SearchHit.scores`).
    /// A query that is one paper's key alone (an arXiv id or address, a DOI, `arxiv:…`) and names a paper the
    /// library has is answered with that paper, said so: its words are nowhere in its own text.
    public func search(_ text: String, mode asked: SearchMode?, limit: Int = 10, offset: Int = 0) throws -> SearchResults {
        if let named = try paperNamedByKey(text) {
            let paper = named.paper
            let hit = SearchHit(paper: paper, score: 1, highlightedTitle: paper.title, snippet: SQLitePaperStore.lead(of: paper.abstract))
            var results = SearchResults(query: text, mode: (asked ?? defaultSearchMode()).rawValue, total: 1, offset: offset,
                                        hits: offset == 0 ? [hit] : [])
            let typed = text.trimmingWhitespace()
            results.notices = [SearchNotice(kind: "key", count: 1, message: (typed == paper.key.rawValue ? "\(typed) is a paper's key" : "\(typed) names \(paper.key)")
                + ": that paper is the answer (to search for the text instead, put it in double quotes: \"\(typed)\"; in a shell, '\"\(typed)\"')")]
            return results
        }
        var results = try search(text, mode: asked ?? defaultSearchMode(), limit: limit, offset: offset)
        if asked == nil, let notice = missingModelNotice() { results.notices.insert(notice, at: 0) }
        // Nothing found under a category or source no paper has: most often a typo (`cat:cs.XX`), said so.
        if results.total == 0, let query = try? parse(text) {
            let unknownSources = try query.sources.filter { try store.spelling(source: $0) == nil }
            let unknown = try query.categories.filter { !(try store.anyPaper(category: $0)) }.map { "category \($0)" }
                + unknownSources.map { "source \($0)" }
            if !unknown.isEmpty {
                // A name from `ahub sources` is said to be one, with where its papers come from.
                let hints = try unknownSources.compactMap { try sourceNameHint($0, filter: "source:") }
                results.notices.append(SearchNotice(kind: "nofacet", count: unknown.count,
                                                    message: "no paper in the library has \(unknown.joined(separator: " or "))"
                                                        + (hints.isEmpty ? " (a typo?)" : ": " + hints.joined(separator: "; "))))
            }
        }
        return results
    }

    /// The paper a query names when the query is a paper's key and nothing else: shaped as one (a bare word is
    /// never read as a source's own id here, as `show` reads it: `1998` is a year to search for).
    func paperNamedByKey(_ text: String) throws -> StoredPaper? {
        guard let typed = Self.keyShaped(text) else { return nil }
        return try paper(typed)
    }

    /// The query as a paper's key when it has a key's shape and nothing else (an arXiv id or address, `arxiv:`,
    /// a DOI or its address), as typed or, where that is what gives it the shape, cleaned as `show` cleans a key;
    /// nil otherwise. Search answers such a query with the paper, when the library has it.
    public static func keyShaped(_ text: String) -> String? {
        var typed = text.trimmingWhitespace()
        guard !typed.isEmpty, typed.utf8.count <= maxKeyBytes, !typed.contains(where: \.isWhitespace) else { return nil }
        func shaped(_ text: String) -> Bool {
            let lower = text.lowercased()
            return ArxivID(text) != nil || ["arxiv:", "doi:", "http://", "https://", "doi.org/", "dx.doi.org/", "www.doi.org/"].contains { lower.hasPrefix($0) }
                || (lower.hasPrefix("10.") && lower.contains("/"))
        }
        // Cleaned as `show` cleans a key (a full stop copied with it, percent-encoding).
        while !shaped(typed), let cleaned = cleanedKey(typed) { typed = cleaned }
        return shaped(typed) ? typed : nil
    }

    /// Why a search asked in no mode runs by keyword alone though the library has vectors: the native model
    /// is not where it is looked for (a new machine, another `$AHUB_MODEL_DIR`).
    func missingModelNotice() -> SearchNotice? {
        guard case .native? = try? Setting.embedder(store.settings()), !embeddingAvailable,
              (try? store.hasVectors(model: MiniLM.name)) == true else { return nil }
        return SearchNotice(kind: "nomodel", count: 0, message: "the embedding model is not at \(MiniLM.defaultDirectory()), so this search "
            + "is by keyword alone: scripts/install-model puts it there (--mode keyword says this is meant).")
    }

    /// A search in the mode given (`search(_:mode:)` with nil picks it and says when meaning is missing).
    public func search(_ text: String, mode: SearchMode, limit: Int = 10, offset: Int = 0) throws -> SearchResults {
        let query = try parse(text)
        // Filters alone (`cat:cs.SE`) have no words to rank by, nor a meaning: the papers they keep, newest
        // first, in any mode.
        if mode == .keyword || !query.hasText {
            let page = try store.search(query, limit: limit, offset: offset)
            var results = SearchResults(query: text, mode: SearchMode.keyword.rawValue, total: page.total, offset: offset, hits: page.hits,
                                        unranked: query.unranked)
            for i in results.hits.indices { results.hits[i].scores = ["keyword": results.hits[i].score] }
            results.notices = try searchNotices(query, results: results)
            return results
        }
        let head = try ranking(query, text: text, mode: mode, depth: Self.fusionDepth)
        var ranked = head.ranked, parts = head.parts
        // Past the head (each list's first 100, fused), the lists ranked 1,000 deep, less the head: every
        // page is a slice of one order. (Fusing to the depth the page needed had repeated some papers and
        // skipped others from page 11 on.) They are ranked only for a page past the head (a second ranking);
        // the total is counted without them, the same on every page (it had counted the head alone until a
        // page went past it, 100 hits on page 1 and 137 on page 13).
        let full = { (name: String) in head.parts.values.filter { $0[name] != nil }.count >= Self.fusionDepth }
        let whole = full("keyword") || full("semantic") || full("tfidf")
        let total = whole ? try orderLength(query, text: text, head: head) : ranked.count
        // (offset + limit saturates: an offset near Int.max is past every list, not an overflow.)
        let end = min(offset.addingReportingOverflow(limit).overflow ? Int.max : offset + limit, total)
        if whole, end > ranked.count {
            let deep = try ranking(query, text: text, mode: mode, depth: SQLitePaperStore.maxPage)
            let inHead = Set(ranked.map(\.id))
            for item in deep.ranked where !inHead.contains(item.id) {
                ranked.append(item)
                parts[item.id] = deep.parts[item.id]
            }
            // Past the lists ranked 1,000 deep, in hybrid, the rest of the papers holding the words, in BM25's
            // order, each scored by its words' share of a fused score: hybrid finds every paper keyword search
            // finds (it had stopped at 1,437 of "cell"'s 2,530 on scifact).
            if head.mode == .hybrid, end > ranked.count {
                let listed = Set(ranked.map(\.id))
                let top = parts.values.compactMap { $0["keyword"] }.max() ?? 1
                let wordsWeight = 1 - (head.parts.values.contains { $0["semantic"] != nil } ? Self.semanticWeight : Self.tfidfWeight)
                var from = SQLitePaperStore.maxPage
                while end > ranked.count {
                    let chunk = try store.rankedIDs(query, limit: SQLitePaperStore.maxPage, offset: from)
                    if chunk.isEmpty { break }
                    from += chunk.count
                    for item in chunk where !listed.contains(item.id) && end > ranked.count {
                        let score = wordsWeight * item.score / top
                        ranked.append((id: item.id, score: score))
                        parts[item.id] = ["keyword": item.score, "fused": score]
                    }
                }
            }
        }
        let page = Array(ranked.dropFirst(offset).prefix(limit))
        let hits = try store.hits(page, scores: parts, match: query.fts5Expression())
        var results = SearchResults(query: text, mode: head.mode.rawValue, total: total, offset: offset, hits: hits, unranked: query.unranked)
        results.notices = try searchNotices(query, results: results, byMeaning: mode)
        return results
    }

    /// How many papers a search's whole order holds, once a list filled its head (so the head alone does not
    /// tell): by meaning alone, the nearest 1,000; in hybrid, every paper holding the words (the filters and
    /// exclusions kept) and those of the nearest 1,000 by meaning that do not (by TF-IDF, meaning only
    /// reorders the papers with the words; words all in quotes keep meaning to them too).
    func orderLength(_ query: Query, text: String, head: Ranking) throws -> Int {
        if head.mode == .semantic { return try meaningRanking(query, text: text, depth: SQLitePaperStore.maxPage).list.count }
        let holders = try store.search(query, limit: 1, snippets: false).total
        guard head.parts.values.contains(where: { $0["semantic"] != nil }), !query.onlyPhrases else { return holders }
        let nearest = try meaningRanking(query, text: text, depth: SQLitePaperStore.maxPage).list.map(\.id)
        let holding = try store.matchingIDs(query)
        return holders + nearest.count { !holding.contains($0) }
    }

    /// What the list cannot show by itself (`SearchNotice`): words past the cap; when nothing matched a date
    /// filter, the papers without a date it left out; when meaning ranked, the papers it could not see.
    func searchNotices(_ query: Query, results: SearchResults, byMeaning mode: SearchMode? = nil) throws -> [SearchNotice] {
        var notices: [SearchNotice] = []
        if query.unranked > 0 {
            let n = query.unranked
            notices.append(SearchNotice(kind: "unranked", count: n, message: "a query ranks by its first \(QueryParser.maxTerms) words, phrases and prefixes; "
                + "\(n) after them \(n == 1 ? "was" : "were") not searched for (filters and exclusions still apply)."))
        }
        if results.total == 0, query.after != nil || query.before != nil {
            let n = try store.undatedCount()
            if n > 0 {
                notices.append(SearchNotice(kind: "undated", count: n, message: "\(n) paper\(n == 1 ? " has" : "s have") no date, and after:/before: leave them out."))
            }
        }
        // A hybrid search whose words some papers hold, all of them left out by its filters or exclusions: the
        // meaning list it falls back to is of the papers kept, and "no paper holds these words" would be untrue.
        if mode == .hybrid, results.mode == SearchMode.semantic.rawValue, query.hasFilters || !query.exclude.isEmpty {
            var words = Query()
            words.should = query.should
            let n = try store.search(words, limit: 1, snippets: false).total
            if n > 0 {
                notices.append(SearchNotice(kind: "filtered", count: n, message: "\(n) paper\(n == 1 ? " holds" : "s hold") these words, "
                    + "but the query's filters and exclusions leave \(n == 1 ? "it" : "them all") out."))
            }
        }
        // (A query the model cannot read is ranked by TF-IDF, which every paper has: no vector is missed then.)
        if let mode, mode != .keyword, results.hits.allSatisfy({ $0.scores["tfidf"] == nil }), embeddingAvailable {
            let n = try semantic.unembeddedCount(store)
            if n > 0 {
                let missed = mode == .semantic ? "meaning cannot find them" : "they rank by their words alone"
                notices.append(SearchNotice(kind: "unembedded", count: n, message: "\(n) paper\(n == 1 ? " has" : "s have") no vector yet, so \(missed): `ahub embed` makes them."))
            }
        }
        return notices
    }

    /// The mode to search in when none is asked for: hybrid once the current model has vectors and can
    /// embed the query, keyword before.
    public func defaultSearchMode() -> SearchMode {
        guard embeddingAvailable, let model = try? semantic.model(), (try? store.hasVectors(model: model.modelID)) == true
        else { return .keyword }
        return .hybrid
    }

    /// A ranked list of paper ids and, for each paper, its score in each list it came from: `keyword`
    /// (BM25), `semantic` (cosine of embeddings) or `tfidf` (cosine of TF-IDF vectors), and `fused`.
    struct Ranking {
        var ranked: [(id: Int64, score: Double)]
        var parts: [Int64: [String: Double]]
        var total: Int
        /// The mode the list was ranked in: semantic for a hybrid search no paper matched by its words.
        var mode: SearchMode
    }

    /// Keyword: BM25. Semantic: the query's words embedded by the model, papers by cosine; when the model
    /// cannot read the query (Chinese for an English model), TF-IDF cosine between the query and BM25's
    /// candidates instead. Hybrid: both lists fused (`fuse`); `shortListsComplete` as search reads them (a
    /// list shorter than `depth` holds every paper that matched), or, for the radar's description match,
    /// every missing paper at the list's lowest. A hybrid query whose words are all in quotes asks for those
    /// words side by side: meaning then ranks only the papers that hold them (`quotesAreExact`; the radar's description
    /// match reads quotes as words).
    func ranking(_ query: Query, text: String, mode: SearchMode, depth: Int, shortListsComplete: Bool = true,
                 quotesAreExact: Bool = true) throws -> Ranking {
        var parts: [Int64: [String: Double]] = [:]
        func note(_ list: [(id: Int64, score: Double)], _ name: String) {
            for item in list { parts[item.id, default: [:]][name] = item.score }
        }
        let keywordList = mode == .semantic ? [] : try keywordRanking(query, depth: depth)
        note(keywordList, "keyword")
        if mode == .keyword { return Ranking(ranked: keywordList, parts: parts, total: keywordList.count, mode: .keyword) }
        var holders: Set<Int64>?
        if mode == .hybrid, quotesAreExact, query.onlyPhrases {
            // `"message passing"`: the papers that hold the phrase, ordered by words and meaning together.
            guard !keywordList.isEmpty else { return Ranking(ranked: [], parts: [:], total: 0, mode: .hybrid) }
            holders = try store.matchingIDs(query)
        }
        let meaning = try meaningRanking(query, text: text, depth: depth, within: holders)
        note(meaning.list, meaning.kind)
        // Hybrid where no paper holds the query's words is the meaning list alone, with its own scores:
        // fused, its nearest paper would score a perfect 1 however far it is.
        if mode == .semantic || keywordList.isEmpty {
            return Ranking(ranked: meaning.list, parts: parts, total: meaning.list.count, mode: .semantic)
        }
        let weight = meaning.kind == "semantic" ? Self.semanticWeight : Self.tfidfWeight
        // A paper without a vector (not embedded yet, or a text the model cannot read) has no meaning score
        // to take: it is ranked by its words alone, not put below every paper the meaning list holds.
        var unembedded = Set<Int64>()
        if meaning.kind == "semantic" {
            let ids = keywordList.map(\.id)
            for (id, vector) in zip(ids, semantic.vectors(for: ids, library: store)) where vector.isEmpty { unembedded.insert(id) }
        }
        let fused = Self.fuse(keyword: keywordList, semantic: meaning.list, semanticWeight: weight, depth: shortListsComplete ? depth : nil,
                              unembedded: unembedded)
        note(fused, "fused")
        return Ranking(ranked: fused, parts: parts, total: fused.count, mode: .hybrid)
    }

    /// How many results of each list hybrid fuses.
    static let fusionDepth = 100

    /// The semantic list's weight in hybrid ranking, tuned on scifact (README).
    static let semanticWeight = 0.5
    /// The TF-IDF list's weight in hybrid ranking where the model cannot read the query: 0, since on csl-zh
    /// (`ahub eval --mode hybrid`) every weight tried ranks below keyword alone (0.6472): 0.1 → 0.6444,
    /// 0.2 → 0.6398, 0.3 → 0.6379, 0.5 → 0.6294. Hybrid is then keyword order, its TF-IDF scores shown.
    static let tfidfWeight = 0.0

    /// BM25's top papers as (id, score).
    func keywordRanking(_ query: Query, depth: Int) throws -> [(id: Int64, score: Double)] {
        guard query.hasText else { return [] }
        return try store.rankedIDs(query, limit: depth)
    }

    /// Whether the model reads the text: at least 80 % of its words are words it knows (Chinese characters
    /// count as unknown for an English model). Papers it cannot read get no vector (see `embedMissing`).
    func modelReads(_ text: String) throws -> Bool {
        try semantic.model().coverage(text) >= Self.minimumCoverage
    }

    static let minimumCoverage = 0.8

    /// A weighted sum of each list's scores divided by its best score; a paper missing from a list cut at
    /// `depth` takes that list's lowest score (it ranked below the cut), and one missing from a shorter
    /// list, which holds every paper that matched at all, takes 0. (With a floor of the lowest, the one
    /// paper holding a query's words would lend its full keyword score to every paper that holds none.)
    /// Without `depth`, every missing paper takes the list's lowest. A paper in `unembedded` (no vector)
    /// takes its keyword score for the semantic part too: its meaning is unknown, not far.
    static func fuse(keyword: [(id: Int64, score: Double)], semantic: [(id: Int64, score: Double)],
                     semanticWeight w: Double, depth: Int? = nil, unembedded: Set<Int64> = []) -> [(id: Int64, score: Double)] {
        func normalized(_ list: [(id: Int64, score: Double)]) -> (scores: [Int64: Double], floor: Double) {
            guard let top = list.map(\.score).max(), top > 0 else { return ([:], 0) }
            let scores = Dictionary(list.map { ($0.id, $0.score / top) }, uniquingKeysWith: { a, _ in a })
            return (scores, depth.map { list.count < $0 } == true ? 0 : scores.values.min() ?? 0)
        }
        let k = normalized(keyword), s = normalized(semantic)
        var fused: [Int64: Double] = [:]
        let keywordWeight = keyword.isEmpty ? 0 : 1 - w
        let semanticWeight = keyword.isEmpty ? 1 : w
        for id in Set(k.scores.keys).union(s.scores.keys) where semanticWeight > 0 || k.scores[id] != nil {
            let words = k.scores[id] ?? k.floor
            fused[id] = keywordWeight * words + semanticWeight * (unembedded.contains(id) ? words : s.scores[id] ?? s.floor)
        }
        return fused.map { (id: $0.key, score: $0.value) }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }

    /// The papers nearest the query's meaning, best first: by embeddings (`semantic`) when the model reads
    /// the query, else by TF-IDF cosine with the query among BM25's top candidates (`tfidf`).
    /// `within`, when given, holds the only papers that may be listed.
    func meaningRanking(_ query: Query, text: String, depth: Int, within: Set<Int64>? = nil) throws -> (list: [(id: Int64, score: Double)], kind: String) {
        let words = Self.semanticText(text)
        guard try modelReads(words) else {
            let candidates = try keywordRanking(query, depth: max(depth, Self.similarCandidates))
            let counts = analyzers.with { Evaluator.termCounts($0.terms(words)) }
            let cosine = try tfidfCosine(of: counts, against: candidates.map(\.id))
            return (Array(cosine.filter { $0.score > 0 }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }.prefix(depth)), "tfidf")
        }
        let vector = try semantic.embedQuery(words)
        let (vectors, ids) = try semantic.store(store, dimension: vector.count)
        guard !ids.isEmpty else { return ([], "semantic") }
        var mask: RowMask?
        var allowed = try store.filteredIDs(query)
        if let within { allowed = allowed.map { $0.intersection(within) } ?? within }
        if let allowed {
            var m = RowMask(count: ids.count)
            for (row, id) in ids.enumerated() where allowed.contains(id) { m.insert(row) }
            mask = m
        }
        let list = vectors.search(vector, k: depth, mask: mask, rows: ids.count).filter { $0.score > 0 }.map { (id: ids[$0.row], score: Double($0.score)) }
        return (list, "semantic")
    }

    /// The words of a query for the embedder: field filters and exclusions removed, quotes dropped; the
    /// operators an input method types (`“phrase”`, `－word`, `cat：`) read as the parser reads them, so the
    /// meaning of a query is the same however its operators were typed.
    static func semanticText(_ text: String) -> String {
        let fields = ["author:", "authors:", "cat:", "category:", "source:", "after:", "before:"]
        return String(text.map(QueryParser.operatorForm)).split(whereSeparator: \.isWhitespace).filter { word in
            // (`--verbose` is a word, as the parser reads it.)
            !(word.hasPrefix("-") && !word.hasPrefix("--")) && !fields.contains { word.lowercased().hasPrefix($0) }
        }.joined(separator: " ").replacingOccurrences(of: "\"", with: "")
    }
}
