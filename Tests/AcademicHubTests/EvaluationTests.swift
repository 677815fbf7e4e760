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

/// Collections made elsewhere read as BEIR's loader and trec_eval read them: the same judgments whatever the
/// qrels' layout (TREC's four fields, tabs with spaces inside ids, a header of any wording, CRLF, blank
/// lines), numeric and repeated query ids, and metadata labels through CRLF and numeric ids.
@Suite struct CollectionReadingTests {
    /// A copy of cranfield's first `count` documents and queries with their judgments, written by `write`.
    func collection(_ write: (URL, [[String: Any]], [[String: Any]], [(String, String, Int)]) throws -> Void) throws -> URL {
        let source = URL(fileURLWithPath: fixture("eval/cranfield"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-collection-\(UUID().uuidString)/cranfield")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        func objects(_ name: String) throws -> [[String: Any]] {
            try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").prefix(40)
                .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        }
        let judgments = try String(contentsOf: source.appendingPathComponent("qrels/test.tsv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(60).map { line in
                let f = line.split(separator: "\t")
                return (String(f[0]), String(f[1]), Int(f[2])!)
            }
        try write(folder, try objects("corpus.jsonl"), try objects("queries.jsonl"), judgments)
        return folder
    }

    func jsonLines(_ objects: [[String: Any]], separator: String = "\n") throws -> Data {
        Data(try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: separator).utf8)
    }

    @Test func trecQrelsHeadersCRLFAndNumericIDsGiveTheSameJudgments() throws {
        let plain = try collection { folder, corpus, queries, qrels in
            try jsonLines(corpus).write(to: folder.appendingPathComponent("corpus.jsonl"))
            try jsonLines(queries).write(to: folder.appendingPathComponent("queries.jsonl"))
            try Data(("query-id\tcorpus-id\tscore\n" + qrels.map { "\($0.0)\t\($0.1)\t\($0.2)" }.joined(separator: "\n")).utf8)
                .write(to: folder.appendingPathComponent("qrels/test.tsv"))
        }
        let expected = try BEIRCollection(directory: plain.path)
        #expect(!expected.queries.isEmpty && !expected.judgments.isEmpty)
        let variant = try collection { folder, corpus, queries, qrels in
            try jsonLines(corpus).write(to: folder.appendingPathComponent("corpus.jsonl"))
            // Numeric ids, a query listed twice, a whitespace-only line, CRLF.
            let numeric = queries.map { q -> [String: Any] in var q = q; q["_id"] = Int(q["_id"] as! String)!; return q }
            try jsonLines(numeric + [numeric[0]], separator: "\r\n   \r\n").write(to: folder.appendingPathComponent("queries.jsonl"))
            // TREC's four fields under a header of other words, on the dev split.
            try Data(("qid iter docid rel\r\n" + qrels.map { "\($0.0) 0 \($0.1) \($0.2)" }.joined(separator: "\r\n") + "\r\n").utf8)
                .write(to: folder.appendingPathComponent("qrels/dev.tsv"))
        }
        #expect(throws: HubError.self) { try BEIRCollection(directory: variant.path) }
        do {
            _ = try BEIRCollection(directory: variant.path)
        } catch {
            #expect("\(error)".contains("the qrels it has: dev (--split dev scores on it)"), "\(error)")
        }
        let read = try BEIRCollection(directory: variant.path, split: "dev")
        #expect(read.judgments == expected.judgments)
        // Queries none of which is judged score nothing: an error, not 0.0000 read as a score.
        let unjudged = try collection { folder, corpus, queries, _ in
            try jsonLines(corpus).write(to: folder.appendingPathComponent("corpus.jsonl"))
            try jsonLines(queries).write(to: folder.appendingPathComponent("queries.jsonl"))
            try Data("query-id\tcorpus-id\tscore\n".utf8).write(to: folder.appendingPathComponent("qrels/test.tsv"))
        }
        let unscored = try BEIRCollection(directory: unjudged.path)  // its corpus still serves --similar-label and --themes-label
        do {
            _ = try Evaluator(collection: unscored).run()
            Issue.record("a collection without a judged query was scored")
        } catch {
            #expect("\(error)".hasSuffix("has no judged query: no id in queries.jsonl has a line in the qrels, so there is nothing to score"), "\(error)")
        }
        #expect(read.queries.map(\.id) == expected.queries.map(\.id) && read.queries.map(\.text) == expected.queries.map(\.text))

        // Ids with spaces in a tab-separated file stay whole (a trailing tab is no field); a line of neither
        // layout is named.
        let spaced = try collection { folder, corpus, queries, qrels in
            try jsonLines(corpus).write(to: folder.appendingPathComponent("corpus.jsonl"))
            try jsonLines(queries).write(to: folder.appendingPathComponent("queries.jsonl"))
            try Data(qrels.map { "\($0.0)\tdoc \($0.1)\t\($0.2)\t" }.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("qrels/test.tsv"))
        }
        #expect(try BEIRCollection(directory: spaced.path).judgments.values.allSatisfy { $0.keys.allSatisfy { $0.hasPrefix("doc ") } })
        // Such ids cannot go into a TREC run file (its fields are split on spaces): refused before any work.
        let evaluator = Evaluator(collection: try BEIRCollection(directory: spaced.path), cacheDirectory: spaced.appendingPathComponent("cache").path)
        #expect { try evaluator.run(runFile: spaced.appendingPathComponent("x.run").path) } throws: { "\($0)".contains("--run cannot write them") }
        #expect(!FileManager.default.fileExists(atPath: spaced.appendingPathComponent("cache").path))
        // So is a run file that cannot be written (no such folder, a folder itself), and several modes
        // write one run each.
        let plainEvaluator = Evaluator(collection: try BEIRCollection(directory: plain.path), cacheDirectory: plain.appendingPathComponent("cache").path)
        #expect { try plainEvaluator.run(runFile: plain.appendingPathComponent("nowhere/x.run").path) } throws: { "\($0)".contains("there is no folder") }
        #expect { try plainEvaluator.run(runFile: plain.path) } throws: { "\($0)".contains("it is a folder") }
        #expect(!FileManager.default.fileExists(atPath: plain.appendingPathComponent("cache").path))
        #expect(Evaluator.runFiles("/r/scifact.run", modes: [.keyword, .hybrid]) == [.keyword: "/r/scifact.keyword.run", .hybrid: "/r/scifact.hybrid.run"])
        #expect(Evaluator.runFiles("/r/run", modes: [.keyword, .semantic]) == [.keyword: "/r/run.keyword", .semantic: "/r/run.semantic"])
        #expect(Evaluator.runFiles("/r/scifact.run", modes: [.semantic]) == [.semantic: "/r/scifact.run"])
        try Data("query-id\tcorpus-id\tscore\n1\t184\t3\n1 184\n".utf8).write(to: spaced.appendingPathComponent("qrels/test.tsv"))
        #expect { try BEIRCollection(directory: spaced.path) } throws: { "\($0)".contains("line 3 is neither `query-id corpus-id score` (BEIR) nor") }
        // A line of the right shape whose grade is no whole number says so (it had been called neither form).
        try Data("query-id\tcorpus-id\tscore\n1\t184\t3\n1\t185\t1.5\n".utf8).write(to: spaced.appendingPathComponent("qrels/test.tsv"))
        #expect { try BEIRCollection(directory: spaced.path) } throws: { "\($0)".contains("line 3: the grade 1.5 is not a whole number") }
        for folder in [plain, variant, spaced] { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    }

    @Test func labelsReadThroughCRLFAndNumericIDs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-labels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = try String(contentsOfFile: fixture("eval/csl-zh/corpus.jsonl"), encoding: .utf8).split(separator: "\n").prefix(30)
        var objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        for i in objects.indices { objects[i]["_id"] = i }
        let corpus = folder.appendingPathComponent("corpus.jsonl")
        try Data(try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\r\n").utf8).write(to: corpus)
        let labels = try Evaluator.labels(corpus, field: "discipline")
        #expect(labels.count == 30 && labels["0"] == (objects[0]["metadata"] as? [String: Any])?["discipline"] as? String)
        #expect(labels.values.allSatisfy { !$0.hasSuffix("\r") })
    }

    @Test func aCorpusWhoseFirstDocumentHasNoTitleIsStillACorpus() throws {
        let scratch = try ScratchHub()
        let folder = scratch.directory.appendingPathComponent("cranfield")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: fixture("eval/cranfield/corpus.jsonl"), encoding: .utf8).split(separator: "\n").prefix(3)
        var first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        first["title"] = nil
        let text = [String(decoding: try JSONSerialization.data(withJSONObject: first), as: UTF8.self)] + lines.dropFirst().map(String.init)
        try Data(text.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("corpus.jsonl"))
        let report = try scratch.hub.importFiles([folder.appendingPathComponent("corpus.jsonl").path])
        #expect(report.new == 3 && report.rejected.isEmpty, "\(report.rejected)")
        #expect(try scratch.hub.paper("cranfield:\(first["_id"] as! String)") != nil)
    }
}
