import Foundation

/// Ranking metrics as trec_eval and BEIR compute them: graded gain, log2 discount, judged queries only.
public enum Metrics {
    /// nDCG at `k`: gain is the judged grade (ungraded or non-positive grades give nothing).
    public static func ndcg(ranking: [String], judgments: [String: Int], k: Int = 10) -> Double {
        var dcg = 0.0
        for (i, id) in ranking.prefix(k).enumerated() {
            let grade = judgments[id] ?? 0
            if grade > 0 { dcg += Double(grade) / log2(Double(i + 2)) }
        }
        let ideal = judgments.values.filter { $0 > 0 }.sorted(by: >).prefix(k)
        var idcg = 0.0
        for (i, grade) in ideal.enumerated() { idcg += Double(grade) / log2(Double(i + 2)) }
        return idcg > 0 ? dcg / idcg : 0
    }

    /// Reciprocal rank of the first relevant paper within `k`, else 0.
    public static func reciprocalRank(ranking: [String], judgments: [String: Int], k: Int = 10) -> Double {
        for (i, id) in ranking.prefix(k).enumerated() where (judgments[id] ?? 0) > 0 {
            return 1 / Double(i + 1)
        }
        return 0
    }

    /// Share of the relevant papers found within `k`.
    public static func recall(ranking: [String], judgments: [String: Int], k: Int = 100) -> Double {
        let relevant = judgments.filter { $0.value > 0 }
        guard !relevant.isEmpty else { return 0 }
        let found = ranking.prefix(k).filter { relevant[$0] != nil }.count
        return Double(found) / Double(relevant.count)
    }
}
