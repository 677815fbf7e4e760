import Foundation
import HubStore

/// How well briefing themes recover known labels: the papers clustered as briefings cluster them (Ward's
/// linkage, cut by silhouette), normalized mutual information with the labels, for the papers' embeddings
/// (when every paper has one) and for their TF-IDF vectors with the same algorithm.
public struct ThemesReport: Sendable, Codable {
    public struct Method: Sendable, Codable {
        public var name: String
        public var themes: Int
        public var nmi: Double
    }

    public var corpus: String
    public var documents: Int
    public var label: String
    public var labels: Int
    public var methods: [Method]
}

extension Hub {
    /// Themes of these papers against their labels. At most 2·√n themes are considered.
    func themeAgreement(ids: [Int64], labels: [String]) throws -> [ThemesReport.Method] {
        let n = ids.count
        let maxThemes = max(2, min(n - 1, Int((2 * Double(n).squareRoot()).rounded())))
        let terms = try termVectors.vectors(ids, hub: self)
        var spaces: [(String, (Int, Int) -> Double)] = [("TF-IDF", { terms[$0].dot(terms[$1]) })]
        let dense = semantic.vectors(for: ids, library: store)
        if !dense.isEmpty, dense.allSatisfy({ !$0.isEmpty }) {
            let model = (try? semantic.model().modelID) ?? "embeddings"
            spaces.insert(("embeddings (\(model))", { Double(IndexedWeights.dot(dense[$0], dense[$1])) }), at: 0)
        }
        func matrix(_ similarity: (Int, Int) -> Double) -> [Double] {
            var matrix = [Double](repeating: 1, count: n * n)
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let s = similarity(i, j)
                    matrix[i * n + j] = s
                    matrix[j * n + i] = s
                }
            }
            return matrix
        }
        var matrices = spaces.map { ($0.0, matrix($0.1)) }
        let rank = Hub.lsaRank(n)
        matrices.insert(("LSA of TF-IDF (rank \(rank))", LatentSemantics.similarity(matrices.last!.1, count: n, rank: rank)), at: matrices.count - 1)
        // What briefings use: the embeddings when every paper has one, else LSA.
        matrices[0].0 += " *"
        return matrices.map { name, matrix in
            let themes = ThemeClustering.themes(similarity: matrix, count: n, maxThemes: maxThemes)
            return .init(name: name, themes: (themes.max() ?? 0) + 1, nmi: normalizedMutualInformation(themes, labels))
        }
    }

    /// Themes of every paper in the library against its primary category.
    public func themesByCategory() throws -> ThemesReport {
        let ids = try store.candidateIDs(since: nil)
        guard ids.count >= 4 else { throw HubError("the library needs at least 4 papers") }
        let features = try termVectors.features(ids, hub: self)
        let labeled = zip(ids, features).compactMap { id, f in f.map { (id, $0.categories.first?.lowercased() ?? $0.source) } }
        let methods = try themeAgreement(ids: labeled.map(\.0), labels: labeled.map(\.1))
        return ThemesReport(corpus: "library", documents: labeled.count, label: "primary category",
                            labels: Set(labeled.map(\.1)).count, methods: methods)
    }
}

extension Evaluator {
    /// Themes of the whole corpus against a metadata label (csl-zh: discipline).
    public func runThemes(label: String = "discipline", rebuild: Bool = false) throws -> ThemesReport {
        let hub = try library(rebuild: rebuild)
        _ = try? hub.embedMissing()
        let labels = try Self.labels(collection.corpus, field: label)
        guard !labels.isEmpty else { throw HubError("\(collection.name): no document has metadata.\(label)") }
        let ids = try hub.store.candidateIDs(since: nil)
        let native = try nativeIDs(hub, ids)
        let labeled = ids.compactMap { id in native[id].flatMap { labels[$0] }.map { (id, $0) } }
        let methods = try hub.themeAgreement(ids: labeled.map(\.0), labels: labeled.map(\.1))
        return ThemesReport(corpus: collection.name, documents: labeled.count, label: label,
                            labels: Set(labeled.map(\.1)).count, methods: methods)
    }
}
