import Foundation
import HubFeeds
import HubCore
import HubStore

/// "More like this" measured on a collection whose documents carry a label (csl-zh: `metadata.discipline`):
/// for every document, the share of its 10 most similar papers that have its label, averaged. The same
/// run scores plain TF-IDF cosine (sublinear tf, smoothed idf, L2-normalized, the analyzer's terms) as the
/// baseline.
public struct SimilarityReport: Sendable, Codable {
    public var collection: String
    public var documents: Int
    public var label: String
    /// `ahub similar`: share of the top 10 with the same label.
    public var similar: Double
    public var similarMode: String
    /// TF-IDF cosine alone.
    public var tfidfCosine: Double
}

extension Evaluator {
    public func runSimilar(label: String = "discipline", rebuild: Bool = false) throws -> SimilarityReport {
        let hub = try library(rebuild: rebuild)
        _ = try? hub.embedMissing()  // without a model, similar uses terms alone
        let labels = try Self.labels(collection.corpus, field: label)
        guard !labels.isEmpty else { throw HubError("\(collection.corpus.path): no document has metadata.\(label)") }
        let texts = try hub.store.keys().compactMap { key -> (id: String, key: PaperKey, text: String)? in
            guard let paper = try hub.store.paper(key: key)?.paper, labels[paper.nativeID] != nil else { return nil }
            return (paper.nativeID, key, paper.title + "\n" + paper.abstract)
        }
        var share = 0.0
        var mode = ""
        for doc in texts {
            let results = try hub.similar(doc.key.rawValue, limit: 10)
            mode = results.mode
            let same = results.hits.filter { labels[$0.paper.nativeID] == labels[doc.id] }.count
            share += Double(same) / 10
        }
        // The baseline: every document's TF-IDF vector against every other.
        let vectors = hub.analyzers.with { analyzer in texts.map { Self.termCounts(analyzer.terms($0.text)) } }
        var df: [String: Int] = [:]
        for v in vectors { for term in v.keys { df[term, default: 0] += 1 } }
        let n = Double(vectors.count)
        let weighted = vectors.map { Hub.tfidfVector($0, df: df, documents: n) }
        var baseline = 0.0
        for (i, a) in weighted.enumerated() {
            var scores: [(Int, Double)] = []
            for (j, b) in weighted.enumerated() where j != i { scores.append((j, Hub.dot(a, b))) }
            let top = scores.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(10)
            baseline += Double(top.filter { labels[texts[$0.0].id] == labels[texts[i].id] }.count) / 10
        }
        let count = Double(max(texts.count, 1))
        return SimilarityReport(collection: collection.name, documents: texts.count, label: label,
                                similar: share / count, similarMode: mode, tfidfCosine: baseline / count)
    }

    static func termCounts(_ terms: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        return counts
    }

    /// `_id` → `metadata.<field>` for the corpus documents that have it.
    static func labels(_ corpus: URL, field: String) throws -> [String: String] {
        var labels: [String: String] = [:]
        for (_, line) in try BEIRCollection.lines(corpus) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = JSONValue.string(object["_id"]), let metadata = object["metadata"] as? [String: Any],
                let value = metadata[field] as? String, !value.isEmpty
            else { continue }
            labels[id] = value
        }
        return labels
    }
}
