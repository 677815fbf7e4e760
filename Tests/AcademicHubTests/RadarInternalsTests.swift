import Foundation
import GRDB
import Testing
@testable import AcademicHub

/// The radar's caches and the evaluation's baselines, checked against what they stand for.
@Suite(.serialized) struct RadarInternalsTests {
    /// The feed's test for copies of known papers decides as the cosine of each pair does, on real papers'
    /// vectors: each paper against the library with itself left out and in.
    @Test func copiesAreTheKnownPapersCosinesDecide() throws {
        let scratch = try ScratchHub()
        let hub = scratch.hub
        _ = try hub.importFiles([fixture("seed-papers.jsonl")])
        let vectors = try hub.termVectors.features(try hub.store.candidateIDs(since: nil), hub: hub).compactMap { $0?.terms }
        #expect(vectors.count == 46)
        let candidates = Array(vectors.prefix(20)), known = Array(vectors.dropFirst(10))
        for threshold in [0.05, 0.1, 0.2, 0.9] {
            let expected = candidates.map { c in known.contains { c.dot($0) >= threshold } }
            #expect(Hub.copies(candidates, of: known, threshold: threshold) == expected, "\(threshold)")
        }
        // The last ten candidates are among the known (cosine 1 with themselves); with nothing known, nothing is a copy.
        let exact = Hub.copies(candidates, of: known, threshold: 0.9)
        #expect(exact.suffix(10).allSatisfy { $0 } && Hub.copies(Array(candidates.prefix(10)), of: [], threshold: 0.9) == Array(repeating: false, count: 10))
    }

    /// Per-paper features are cached until the library's revision moves; a paper changed by another process
    /// (a second connection here) is read again, a removed one is gone, and the rest stay cached.
    @Test func cachedFeaturesFollowChangesToTheLibrary() throws {
        let scratch = try ScratchHub()
        let hub = scratch.hub
        _ = try hub.importFiles([fixture("seed-papers.jsonl")])
        let ids = try hub.store.candidateIDs(since: nil)
        #expect(ids.count == 46)
        let before = try hub.termVectors.features(ids, hub: hub)
        #expect(before.allSatisfy { $0 != nil && !$0!.terms.isEmpty })
        let revision = try hub.store.papersRevision()

        // Another writer swaps two real abstracts and deletes a third paper.
        let (a, b, gone) = (ids[0], ids[1], ids[2])
        let other = try DatabaseQueue(path: scratch.path)
        try other.write { db in
            let abstractB = try String.fetchOne(db, sql: "SELECT abstract FROM papers WHERE id = ?", arguments: [b])!
            try db.execute(sql: "UPDATE papers SET abstract = ? WHERE id = ?", arguments: [abstractB, a])
            try db.execute(sql: "DELETE FROM papers WHERE id = ?", arguments: [gone])
        }
        try other.close()
        #expect(try hub.store.papersRevision() > revision)

        let after = try hub.termVectors.features(ids, hub: hub)
        #expect(after[2] == nil, "a removed paper has no features")
        let changed = try #require(after[0]), untouched = try #require(after[3])
        #expect(changed.terms != before[0]!.terms, "the changed paper was analyzed again")
        // The library shrank by more than 1 %: document frequencies were read again, so weights moved a little.
        #expect(untouched.terms.ids == before[3]!.terms.ids)
        // What the cache holds is what a fresh process computes (term ids differ between processes: by name).
        let fresh = try Hub(libraryPath: scratch.path)
        func named(_ hub: Hub, _ v: SparseVector) -> [String: Float] {
            Dictionary(uniqueKeysWithValues: zip(hub.termVectors.names(v.ids), v.values))
        }
        let recomputed = try fresh.termVectors.vectors([a, ids[3]], hub: fresh)
        #expect(named(fresh, recomputed[0]) == named(hub, changed.terms))
        #expect(named(fresh, recomputed[1]) == named(hub, untouched.terms))
    }

    /// Feedback given at once from two threads of two processes' worth of connections (two Hubs on one file):
    /// every event is in the log, and the stored model is the fit of the whole log, not of a log missing a
    /// concurrent event.
    @Test func concurrentFeedbackAllReachesTheModel() throws {
        let scratch = try ScratchHub()
        let hub = scratch.hub
        _ = try hub.importFiles([fixture("seed-papers.jsonl")])
        try hub.createRadar(RadarSpec(name: "speech", description: "speech recognition and synthesis"))
        let keys = try hub.radarFeed("speech", window: .all, limit: 16, record: false).items.map(\.key)
        #expect(keys.count == 16)
        let other = try Hub(libraryPath: scratch.path)
        let when = Date(timeIntervalSince1970: 1_790_000_000)
        let failures = LockedArray<String?>(repeating: nil, count: keys.count)
        DispatchQueue.concurrentPerform(iterations: keys.count) { i in
            do {
                try (i % 2 == 0 ? hub : other).radarFeedback("speech", keys: [keys[i]], signal: i % 3 == 0 ? .dislike : .like, at: when)
            } catch {
                failures.set(i, "\(error)")
            }
        }
        #expect(failures.values.allSatisfy { $0 == nil }, "\(failures.values)")
        let radar = try hub.radarRecord("speech")
        let log = try hub.store.feedback(radarID: radar.id)
        #expect(log.count == keys.count)
        let stored = try #require(try hub.storedRadarModel(radar))
        let expected = try hub.fittedModel(radar, log: log, now: when, stored: stored)
        #expect(stored.events == keys.count && stored.positives == expected.positives, "the stored model saw every event")
        // The same fit (sums over dictionaries may run in another order: equal to rounding).
        #expect(Set(stored.weights.terms.keys) == Set(expected.weights.terms.keys))
        let drift = stored.weights.terms.map { abs($0.value - expected.weights.terms[$0.key]!) }.max() ?? 0
        #expect(drift < 1e-9 && abs(stored.weights.bias - expected.weights.bias) < 1e-9, "\(drift)")
    }

    /// Cranfield has different reports under one title (259 and 1259, 272 and 1272, …): a feed keeps both;
    /// a paper against its own text folds.
    @Test func aSharedTitleAloneIsNotADuplicate() throws {
        let scratch = try ScratchHub()
        let hub = scratch.hub
        _ = try hub.importFiles([fixture("eval/cranfield/corpus.jsonl")])
        for title in ["second order theory for unsteady supersonic flow past slender pointed bodies",
                      "oscillatory aerodynamic coefficients for a unified supersonic hypersonic strip theory"] {
            let hits = try hub.search("\"\(title)\"", limit: 5).hits.map(\.paper.key)
            #expect(hits.count == 2, "\(title): \(hits)")
            let ids = try hits.map { try #require(try hub.store.ids(for: [$0])[$0]) }
            let examples = try hub.radarExamples(ids, match: [:])
            #expect(!Hub.isDuplicate(examples[0], examples[1], sameTitle: true), "\(examples[0].terms.dot(examples[1].terms))")
            #expect(Hub.isDuplicate(examples[0], examples[0], sameTitle: false))
        }
    }

    /// SMART's Rocchio on four hand-made vectors, value by value.
    @Test func bootstrapIntervalsOverUsers() {
        // Every user the same: no spread. A sample of 0s and 1s: the interval around its mean is about
        // ±1.96 standard errors (0.5 ± 0.098 for 100 users), and a second run repeats it exactly.
        let flat = Evaluator.bootstrap([[Double]](repeating: [2, -1], count: 30))
        #expect(flat == [.init(mean: 2, low: 2, high: 2), .init(mean: -1, low: -1, high: -1)])
        let coins = (0..<100).map { [Double]($0 % 2 == 0 ? [1] : [0]) }
        let interval = Evaluator.bootstrap(coins)[0]
        #expect(interval.mean == 0.5)
        #expect(interval.low > 0.38 && interval.low < 0.43 && interval.high > 0.57 && interval.high < 0.62, "\(interval)")
        #expect(Evaluator.bootstrap(coins) == [interval])
        #expect(Evaluator.bootstrap([]).isEmpty)
    }

    @Test func rocchioBaselineArithmetic() {
        let space = SparseSpace(ids: [1, 2, 3, 4], vectors: [
            SparseVector(ids: [0, 1], values: [0.6, 0.8]),
            SparseVector(ids: [1, 2], values: [0.8, 0.6]),
            SparseVector(ids: [3], values: [1]),
            SparseVector(ids: [2, 3], values: [0.6, 0.8]),
        ], dimension: 4)
        let w = space.rocchio(query: [(0, 1.0)], relevant: [1, 2], nonrelevant: [3])
        // w = q + 0.75 · mean(d1, d2) − 0.15 · d3
        let expected = [1 + 0.75 * 0.3, 0.75 * 0.8, 0.75 * 0.3, -0.15, 0]
        for (value, wanted) in zip(w, expected) { #expect(abs(value - wanted) < 1e-6, "\(w)") }
        #expect(space.rank(w, ids: [1, 2, 3, 4]) == [1, 2, 4, 3])
    }

    /// arxiv-sanity-lite's SVM: liked papers against all others; papers sharing the liked papers' terms rank
    /// next, and on separable points every liked paper scores above every other.
    @Test func svmBaselineSeparatesTheLikedPapers() {
        let vectors = [
            SparseVector(ids: [0, 1], values: [0.8, 0.6]),   // liked
            SparseVector(ids: [0, 2], values: [0.6, 0.8]),   // liked
            SparseVector(ids: [0, 3], values: [0.6, 0.8]),   // shares term 0
            SparseVector(ids: [3, 4], values: [0.6, 0.8]),
            SparseVector(ids: [4], values: [1]),
            SparseVector(ids: [2, 4], values: [0.28, 0.96]),
        ]
        let ids: [Int64] = [1, 2, 3, 4, 5, 6]
        let space = SparseSpace(ids: ids, vectors: vectors, dimension: 5)
        let w = space.linearSVM(positive: [1, 2], ids: ids, c: 1, passes: 2_000, tolerance: 1e-9)
        let order = space.rank(w, ids: ids)
        #expect(Array(order.prefix(2)).sorted() == [1, 2], "\(order)")
        #expect(order[2] == 3, "\(order)")
        // With C = 1 these points are separable: every liked paper scores above every other.
        let score = { (i: Int) in zip(vectors[i].ids, vectors[i].values).reduce(w[5]) { $0 + w[Int($1.0)] * Double($1.1) } }
        #expect(min(score(0), score(1)) > (2..<6).map(score).max()!)
    }
}
