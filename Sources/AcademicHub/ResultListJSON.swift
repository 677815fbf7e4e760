import Foundation
import HubStore

/// The JSON shape of a result list; field names are stable.
public struct ResultListJSON: Encodable, Sendable {
    public struct Hit: Encodable, Sendable {
        public var rank: Int
        /// The score the list is ordered by.
        public var score: Double
        /// The list's mode: keyword, semantic, hybrid, similar, similar-terms.
        public var mode: String
        /// The paper's score in each list it came from: keyword (BM25), semantic (cosine of embeddings),
        /// tfidf (cosine of TF-IDF vectors), fused (hybrid's blend).
        public var scores: [String: Double]
        public var key: String
        public var title: String
        public var titleHighlighted: String
        public var snippet: String
        public var source: String
        public var categories: [String]
        public var date: String?
        public var authors: [String]
        public var url: String?
    }

    public var query: String
    public var mode: String
    public var total: Int
    public var offset: Int
    /// The list's handle: `ahub brief --from-handle H` briefs these papers.
    public var handle: String
    public var results: [Hit]
    /// What the list cannot show by itself (`SearchNotice`); absent when nothing.
    public var notices: [SearchNotice]?

    public init(_ r: SearchResults, handle: String) {
        self.handle = handle
        notices = r.notices.isEmpty ? nil : r.notices
        query = r.query
        mode = r.mode
        total = r.total
        offset = r.offset
        results = r.hits.enumerated().map { i, h in
            Hit(rank: r.offset + i + 1, score: h.score, mode: r.mode, scores: h.scores, key: h.paper.key.rawValue, title: h.paper.title,
                titleHighlighted: Highlight.html(h.highlightedTitle), snippet: Highlight.html(h.snippet),
                source: h.paper.source, categories: h.paper.categories, date: h.paper.date,
                authors: h.paper.authors, url: h.paper.url)
        }
    }
}

