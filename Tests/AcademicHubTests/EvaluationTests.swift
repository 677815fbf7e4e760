import Foundation
import Testing
@testable import AcademicHub

@Suite struct MetricsTests {
    @Test func ndcgUsesGradedGainAndTheIdealOrder() {
        let judged = ["a": 3, "b": 1, "c": 2]
        #expect(Metrics.ndcg(ranking: ["a", "c", "b"], judgments: judged) == 1)
        let dcg = 1.0 / log2(2.0) + 3.0 / log2(3.0)
        let idcg = 3.0 / log2(2.0) + 2.0 / log2(3.0) + 1.0 / log2(4.0)
        #expect(abs(Metrics.ndcg(ranking: ["b", "a", "x"], judgments: judged) - dcg / idcg) < 1e-12)
    }

    @Test func reciprocalRankAndRecall() {
        let judged = ["a": 1, "b": 1, "z": 0]
        #expect(Metrics.reciprocalRank(ranking: ["z", "x", "b"], judgments: judged) == 1.0 / 3)
        #expect(Metrics.reciprocalRank(ranking: Array(repeating: "x", count: 10) + ["a"], judgments: judged) == 0)
        #expect(Metrics.recall(ranking: ["a", "x"], judgments: judged) == 0.5)
    }
}

/// The keyword bars of the foundation issue, measured on the bundled collections.
@Suite(.serialized) struct KeywordQualityTests {
    func evaluate(_ name: String, runFile: String? = nil) throws -> Evaluator.Scores {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let evaluator = Evaluator(collection: try BEIRCollection(directory: fixture("eval/\(name)")), cacheDirectory: cache.path)
        return try evaluator.run(runFile: runFile).scores[0]
    }

    @Test func scifactBeatsStockFTS5AndAnserini() throws {
        let scores = try evaluate("scifact")
        #expect(scores.queries == 300)
        #expect(scores.ndcg10 >= 0.69, "nDCG@10 \(scores.ndcg10)")
    }

    @Test func cslChineseBeatsJieba() throws {
        let scores = try evaluate("csl-zh")
        #expect(scores.queries == 348)
        #expect(scores.ndcg10 >= 0.63, "nDCG@10 \(scores.ndcg10)")
    }

    @Test func cranfieldBeatsStockFTS5() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("cranfield-\(UUID().uuidString).run").path
        defer { try? FileManager.default.removeItem(atPath: run) }
        let scores = try evaluate("cranfield", runFile: run)
        #expect(scores.queries == 225)
        #expect(scores.ndcg10 >= 0.38, "nDCG@10 \(scores.ndcg10)")
        // The run file is TREC format: qid Q0 docid rank score tag.
        let first = try #require(try String(contentsOfFile: run, encoding: .utf8).split(separator: "\n").first)
        let fields = first.split(separator: " ")
        #expect(fields.count == 6 && fields[1] == "Q0" && fields[3] == "1")
    }
}

/// `ahub eval --radar` end to end on csl-zh (no embeddings there, so no model is needed).
@Suite struct RadarEvaluationTests {
    @Test func simulatedUsersAndBaselinesShareTheFirstRound() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let evaluator = Evaluator(collection: try BEIRCollection(directory: fixture("eval/csl-zh")), cacheDirectory: cache.path)
        let report = try evaluator.runRadar()
        #expect(report.users == 20)
        #expect(report.methods.map(\.name) == ["ahub radar", "no learning", "Rocchio (TF-IDF)", "linear SVM (TF-IDF, arxiv-sanity-lite)"])
        let radar = report.methods[0], svm = report.methods[3]
        for method in report.methods {
            #expect(method.precision.count == 5)
            #expect(method.precision[0] == radar.precision[0], "\(method.name) starts from the radar's first round")
            #expect(abs(method.found - method.precision.reduce(0, +) * 10) < 1e-9)
        }
        // The paired SVM sees the radar's first page, as the SVM baseline does, so their second rounds agree.
        #expect(report.pairedSVM[0] == radar.precision[0])
        #expect(abs(report.pairedSVM[1] - svm.precision[1]) < 1e-12)
        // The radar minus each baseline, user by user: the means are the table's differences, round 1 is
        // shared (no spread), and every interval holds its mean.
        #expect(report.differences.map(\.baseline) == Array(report.methods.dropFirst().map(\.name)))
        for (difference, baseline) in zip(report.differences, report.methods.dropFirst()) {
            #expect(difference.precision[0] == .init(mean: 0, low: 0, high: 0))
            for round in 0..<5 {
                let i = difference.precision[round]
                #expect(abs(i.mean - (radar.precision[round] - baseline.precision[round])) < 1e-9)
                #expect(i.low <= i.mean && i.mean <= i.high)
            }
            #expect(abs(difference.found.mean - (radar.found - baseline.found)) < 1e-9)
            #expect(difference.found.low <= difference.found.mean && difference.found.mean <= difference.found.high)
        }
        // Each user's rounds add up to the table: one row per user, five rounds per method, at most 10 a round.
        #expect(report.perUser.count == report.users)
        #expect(Set(report.perUser.map(\.id)).count == report.users)
        for (m, method) in report.methods.enumerated() {
            #expect(report.perUser.allSatisfy { $0.found[m].count == 5 && $0.found[m].allSatisfy { (0...10).contains($0) } })
            let total = report.perUser.reduce(0) { $0 + $1.found[m].reduce(0, +) }
            #expect(abs(Double(total) / Double(report.users) - method.found) < 1e-9, "\(method.name)")
        }
        #expect(report.perUser.allSatisfy { $0.relevant >= 20 && $0.found[0].reduce(0, +) <= $0.relevant })
        // The radar's pages: 10 documents a round, none shown twice, as many relevant as it found.
        let corpus = try Evaluator.labels(URL(fileURLWithPath: fixture("eval/csl-zh/corpus.jsonl")), field: "discipline")
        for user in report.perUser {
            #expect(user.shown.map(\.count) == [10, 10, 10, 10, 10])
            #expect(Set(user.shown.joined()).count == 50)
            #expect(user.shown.map { $0.filter { corpus[$0] == user.id }.count } == user.found[0], "\(user.id)")
        }
        // The part of the radar's bar met on csl-zh: more relevant papers in 50 than every baseline.
        for baseline in report.methods.dropFirst() {
            #expect(radar.found > baseline.found, "radar \(radar.found), \(baseline.name) \(baseline.found)")
        }
    }

    @Test func usersOutsideTheProtocolsDefaultsByHowManyRelevant() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let evaluator = Evaluator(collection: try BEIRCollection(directory: fixture("eval/csl-zh")), cacheDirectory: cache.path)
        let (defaults, kind, _) = try evaluator.simulatedUsers()
        #expect(defaults.count == 20 && defaults.allSatisfy { $0.relevant.count >= 20 })
        #expect(kind == "disciplines with at least 20 papers")
        // The disciplines the protocol leaves out, for a reading on users its figures were not chosen on.
        let (smaller, smallerKind, _) = try evaluator.simulatedUsers(relevant: 8...19)
        #expect(smaller.count == 36 && smaller.allSatisfy { (8...19).contains($0.relevant.count) })
        #expect(smallerKind == "disciplines with 8–19 papers")
        #expect(Set(smaller.map(\.id)).isDisjoint(with: defaults.map(\.id)))
        let error = #expect(throws: HubError.self) { try evaluator.runRadar(relevant: 5000...Int.max) }
        #expect(error?.message == "csl-zh: no simulated users: no disciplines with at least 5000 papers")
    }
}
