import Foundation
import HubCore
import HubStore

/// Radars measured with simulated users (residual-collection relevance feedback): each user's radar starts
/// from a text alone, shows 10 papers, the user likes the relevant ones and dislikes the rest, five rounds,
/// no paper shown twice. The same run scores three baselines from the same first round.
public struct RadarEvaluationReport: Sendable, Codable {
    public struct Method: Sendable, Codable {
        public var name: String
        /// Mean precision@10 in rounds 1…5.
        public var precision: [Double]
        /// Mean relevant papers among the 50 shown.
        public var found: Double
    }

    public var collection: String
    public var documents: Int
    /// What the simulated users are: judged queries with ≥ 8 relevant documents, or disciplines with ≥ 20
    /// papers (a corpus whose documents carry `metadata.discipline`), or the range of either asked for.
    public var users: Int
    public var userKind: String
    public var methods: [Method]
    /// A paired comparison (no trajectory of its own): in rounds 2…5, precision@10 of the linear SVM fitted
    /// to the likes the radar had gathered before that round, over the papers the radar had not shown yet.
    /// Round 1 is the radar's. Set beside the radar's own precision it compares the two learners on the same
    /// feedback and the same papers left, which the residual protocol's rows do not: there a method that
    /// finds more early has fewer relevant papers left to find late.
    public var pairedSVM: [Double]

    /// A mean over users with a 95% interval from resampling the users (percentile bootstrap).
    public struct Interval: Sendable, Codable, Equatable {
        public var mean: Double
        public var low: Double
        public var high: Double
    }

    /// The radar minus one baseline, user by user: how sure a row's lead or lag in the table is. Ten
    /// papers' difference among 81 users is 0.0123 of precision, and users differ a lot.
    public struct Difference: Sendable, Codable {
        public var baseline: String
        /// Precision@10 in rounds 1…5 (round 1 is shared, so 0).
        public var precision: [Interval]
        /// Relevant papers among the 50 shown.
        public var found: Interval
    }

    public var differences: [Difference]

    /// One simulated user's rounds: relevant papers found in each of the 5 rounds, by method (in the order
    /// of `methods`), and the radar's pages (the collection's document ids, round by round). Where a mean's
    /// lead or lag comes from, and the radar's state before each round for studies outside ahub
    /// (`scripts/radar_study.py --after`).
    public struct User: Sendable, Codable {
        public var id: String
        public var relevant: Int
        public var found: [[Int]]
        public var shown: [[String]]
    }

    public var perUser: [User]
}

extension Evaluator {
    static let radarRounds = 5, radarPage = 10

    /// One simulated user: the radar's text and the documents (native ids) relevant to it.
    struct SimulatedUser {
        var id: String
        var text: String
        var relevant: Set<String>
    }

    /// The protocol's users: judged queries with at least 8 relevant documents, or disciplines with at least
    /// 20 papers (`metadata.<label>`, `discipline` unless another is named; judged queries when no document
    /// has it). `relevant` picks others by how many relevant documents (papers) they have, for readings
    /// on users the defaults leave out.
    func simulatedUsers(relevant range: ClosedRange<Int>? = nil, label named: String? = nil) throws -> (users: [SimulatedUser], kind: String, madeFrom: String) {
        let label = named ?? "discipline"
        let labels = try Self.labels(collection.corpus, field: label)
        if labels.isEmpty, named != nil { throw HubError("\(collection.corpus.path): no document has metadata.\(label)") }
        if !labels.isEmpty {
            let range = range ?? 20...Int.max
            var members: [String: Set<String>] = [:]
            for (doc, label) in labels { members[label, default: []].insert(doc) }
            let users = members.filter { range.contains($0.value.count) }.sorted { $0.key < $1.key }
                .map { SimulatedUser(id: $0.key, text: $0.key, relevant: $0.value) }
            return label == "discipline" ? (users, "disciplines with \(Self.describe(range)) papers", "the radar made from the discipline's name")
                : (users, "\(label) values with \(Self.describe(range)) papers", "the radar made from the \(label)")
        }
        let range = range ?? 8...Int.max
        let users = collection.queries.compactMap { query -> SimulatedUser? in
            let relevant = Set((collection.judgments[query.id] ?? [:]).filter { $0.value > 0 }.keys)
            return range.contains(relevant.count) ? SimulatedUser(id: query.id, text: query.text, relevant: relevant) : nil
        }
        return (users, "judged queries with \(Self.describe(range)) relevant documents", "the radar made from the query text")
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "at least \(range.lowerBound)"
            : range.count == 1 ? "exactly \(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
    }

    public func runRadar(rebuild: Bool = false, relevant range: ClosedRange<Int>? = nil, label: String? = nil,
                         progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> RadarEvaluationReport {
        let (users, criterion, madeFrom) = try simulatedUsers(relevant: range, label: label)
        guard !users.isEmpty else { throw HubError("\(collection.name): no simulated users: no \(criterion)") }
        let kind = "\(criterion) (\(madeFrom))"
        let hub = try library(rebuild: rebuild)
        _ = try? hub.embedMissing()  // without a model the radar uses terms alone
        for radar in try hub.store.radars() where radar.name.hasPrefix("eval-") { try hub.store.deleteRadar(radar.name) }

        let allIDs = try hub.store.candidateIDs(since: nil)
        let native = try nativeIDs(hub, allIDs)
        let vectors = try hub.termVectors.vectors(allIDs, hub: hub)
        let space = SparseSpace(ids: allIDs, vectors: vectors, dimension: hub.termVectors.vocabularySize)

        var rows: [RadarEvaluationReport.User] = []  // per user: relevant papers found in each round, by method
        var paired = [Double](repeating: 0, count: Self.radarRounds)
        let methods = ["ahub radar", "no learning", "Rocchio (TF-IDF)", "linear SVM (TF-IDF, arxiv-sanity-lite)"]

        for (n, user) in users.enumerated() {
            var found = [String: [Double]]()
            for method in methods { found[method] = [Double](repeating: 0, count: Self.radarRounds) }
            let name = "eval-\(n)"
            try hub.createRadar(RadarSpec(name: name, description: user.text))
            defer { try? hub.store.deleteRadar(name) }
            let radar = try hub.radarRecord(name)
            let isRelevant: (Int64) -> Bool = { user.relevant.contains(native[$0] ?? "") }

            // ahub's radar, through the same calls a user makes.
            var pages: [[Int64]] = []
            for round in 0..<Self.radarRounds {
                let feed = try hub.radarFeed(name, window: .all, limit: Self.radarPage, record: false)
                let ids = try feed.items.map { item -> Int64 in
                    guard let id = try hub.store.ids(for: [PaperKey(rawValue: item.key)])[PaperKey(rawValue: item.key)] else {
                        throw HubError("feed item \(item.key) has no id")
                    }
                    return id
                }
                pages.append(ids)
                let liked = ids.filter(isRelevant), disliked = ids.filter { !isRelevant($0) }
                found["ahub radar"]![round] += Double(liked.count)
                let keys = try hub.store.featureRows(ids).reduce(into: [Int64: String]()) { $0[$1.id] = $1.key.rawValue }
                if !liked.isEmpty { try hub.radarFeedback(name, keys: liked.compactMap { keys[$0] }, signal: .like) }
                if !disliked.isEmpty { try hub.radarFeedback(name, keys: disliked.compactMap { keys[$0] }, signal: .dislike) }
            }

            // The baselines start from the same first round.
            let cold = IndexedWeights(try hub.coldStart(radar).weights, space: hub.termVectors)
            let match = try hub.descriptionMatch(radar, since: nil, until: nil, depth: SQLitePaperStore.maxPage)
            let examples = try hub.radarExamples(allIDs, match: match)
            let coldOrder = examples.map { (id: $0.id, score: cold.score($0)) }
                .sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }.map(\.id)
            let queryVector = space.vector(try hub.termVectors.vector(user.text, hub: hub))
            let svmOrder = { (liked: [Int64]) -> [Int64] in
                liked.isEmpty ? coldOrder : space.rank(space.linearSVM(positive: Set(liked), ids: allIDs), ids: allIDs)
            }
            let first = pages[0]
            paired[0] += Double(first.filter(isRelevant).count)
            for round in 1..<pages.count {
                let before = pages[..<round].joined()
                let seen = Set(before)
                let page = svmOrder(before.filter(isRelevant)).lazy.filter { !seen.contains($0) }.prefix(Self.radarPage)
                paired[round] += Double(page.filter(isRelevant).count)
            }
            for method in methods.dropFirst() {
                var seen = Set(first)
                var liked = first.filter(isRelevant), disliked = first.filter { !isRelevant($0) }
                found[method]![0] += Double(liked.count)
                for round in 1..<Self.radarRounds {
                    let order: [Int64]
                    switch method {
                    case "no learning":
                        order = coldOrder
                    case "Rocchio (TF-IDF)":
                        order = space.rank(space.rocchio(query: queryVector, relevant: liked, nonrelevant: disliked), ids: allIDs)
                    default:
                        order = svmOrder(liked)
                    }
                    let page = Array(order.lazy.filter { !seen.contains($0) }.prefix(Self.radarPage))
                    seen.formUnion(page)
                    liked += page.filter(isRelevant)
                    disliked += page.filter { !isRelevant($0) }
                    found[method]![round] += Double(page.filter(isRelevant).count)
                }
            }
            rows.append(.init(id: user.id, relevant: user.relevant.count, found: methods.map { found[$0]!.map { Int($0) } },
                              shown: pages.map { $0.map { native[$0] ?? "" } }))
            progress?(n + 1, users.count)
        }
        let count = Double(users.count), page = Double(Self.radarPage)
        // Per user: precision in each round, then the total found.
        let statistics = { (m: Int) -> [[Double]] in rows.map { $0.found[m].map { Double($0) / page } + [Double($0.found[m].reduce(0, +))] } }
        let radar = statistics(0)
        let differences = methods.indices.dropFirst().map { m -> RadarEvaluationReport.Difference in
            let other = statistics(m)
            let intervals = Self.bootstrap(zip(radar, other).map { mine, theirs in zip(mine, theirs).map { $0 - $1 } })
            return .init(baseline: methods[m], precision: Array(intervals.dropLast()), found: intervals.last!)
        }
        return RadarEvaluationReport(
            collection: collection.name, documents: allIDs.count, users: users.count, userKind: kind,
            methods: methods.enumerated().map { m, method in
                let sums = rows.reduce(into: [Double](repeating: 0, count: Self.radarRounds)) { total, user in
                    for round in user.found[m].indices { total[round] += Double(user.found[m][round]) }
                }
                return .init(name: method, precision: sums.map { $0 / count / page }, found: sums.reduce(0, +) / count)
            },
            pairedSVM: paired.map { $0 / count / page }, differences: differences, perUser: rows)
    }

    /// For each statistic (a column of `samples`, one row per user): its mean and a 95% percentile-bootstrap
    /// interval, from `resamples` draws of as many users with replacement. Seeded, so a run repeats exactly.
    static func bootstrap(_ samples: [[Double]], resamples: Int = 2_000, seed: UInt64 = 0x5EED) -> [RadarEvaluationReport.Interval] {
        guard let width = samples.first?.count else { return [] }
        let n = samples.count
        var state = seed
        var draws = [[Double]](repeating: [], count: width)
        for _ in 0..<resamples {
            var sum = [Double](repeating: 0, count: width)
            for _ in 0..<n {
                // SplitMix64.
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                let row = samples[Int((z ^ (z >> 31)) % UInt64(n))]
                for k in 0..<width { sum[k] += row[k] }
            }
            for k in 0..<width { draws[k].append(sum[k] / Double(n)) }
        }
        return (0..<width).map { k in
            let sorted = draws[k].sorted()
            let mean = samples.reduce(0) { $0 + $1[k] } / Double(n)
            return .init(mean: mean, low: sorted[Int(0.025 * Double(resamples))],
                         high: sorted[min(resamples - 1, Int((0.975 * Double(resamples)).rounded(.up)) - 1)])
        }
    }

    func nativeIDs(_ hub: Hub, _ ids: [Int64]) throws -> [Int64: String] {
        let hits = try hub.store.hits(ids.map { (id: $0, score: 0) })
        let byKey = try hub.store.ids(for: hits.map(\.paper.key))
        return hits.reduce(into: [Int64: String]()) { map, hit in
            if let id = byKey[hit.paper.key] { map[id] = hit.paper.nativeID }
        }
    }
}

/// TF-IDF vectors over integer term ids, for the baselines' arithmetic.
struct SparseSpace {
    typealias Vector = [(index: Int, value: Double)]
    private(set) var rows: [Int64: Vector] = [:]
    /// Term ids run from 0 to dimension - 1.
    let dimension: Int

    init(ids: [Int64], vectors: [SparseVector], dimension: Int) {
        self.dimension = dimension
        for (id, terms) in zip(ids, vectors) { rows[id] = vector(terms) }
    }

    /// A text's vector in this space (terms past the dimension, which no paper has, are dropped).
    func vector(_ terms: SparseVector) -> Vector {
        zip(terms.ids, terms.values).compactMap { id, value in Int(id) < dimension ? (Int(id), Double(value)) : nil }
    }

    /// Classic Rocchio (SMART's α = 1, β = 0.75, γ = 0.15): the query moved toward the relevant papers'
    /// mean and away from the others'.
    func rocchio(query: Vector, relevant: [Int64], nonrelevant: [Int64], beta: Double = 0.75, gamma: Double = 0.15) -> [Double] {
        var w = [Double](repeating: 0, count: dimension + 1)
        for (i, v) in query { w[i] += v }
        for (group, factor) in [(relevant, beta), (nonrelevant, -gamma)] where !group.isEmpty {
            for id in group { for (i, v) in rows[id] ?? [] { w[i] += factor * v / Double(group.count) } }
        }
        return w
    }

    /// arxiv-sanity-lite's recommender: a linear SVM (scikit-learn's LinearSVC: squared hinge loss, C = 0.01,
    /// balanced class weights, intercept as a feature of value 1) fitted with the liked papers as positives
    /// and every other paper as negatives, solved by dual coordinate descent (LIBLINEAR's method).
    func linearSVM(positive: Set<Int64>, ids: [Int64], c: Double = 0.01, passes: Int = 200, tolerance: Double = 1e-4) -> [Double] {
        let bias = dimension
        var w = [Double](repeating: 0, count: dimension + 1)
        let n = Double(ids.count), positives = Double(ids.filter { positive.contains($0) }.count)
        guard positives > 0, positives < n else { return w }
        let weightOf = [true: n / (2 * positives), false: n / (2 * (n - positives))]
        var alpha = [Double](repeating: 0, count: ids.count)
        let rowsInOrder = ids.map { rows[$0] ?? [] }
        let labels = ids.map { positive.contains($0) ? 1.0 : -1.0 }
        let diagonal = ids.map { 1 / (2 * c * weightOf[positive.contains($0)]!) }
        let norms = rowsInOrder.map { row in row.reduce(1.0) { $0 + $1.value * $1.value } }
        var order = Array(ids.indices)
        var state: UInt64 = 7
        for _ in 0..<passes {
            // A fixed pseudo-random order per pass, as LIBLINEAR shuffles.
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                order.swapAt(i, Int(state >> 33) % (i + 1))
            }
            var largest = 0.0
            for i in order {
                let row = rowsInOrder[i], y = labels[i]
                var margin = w[bias]
                for (j, v) in row { margin += w[j] * v }
                let gradient = y * margin - 1 + diagonal[i] * alpha[i]
                let projected = alpha[i] == 0 ? min(gradient, 0) : gradient
                largest = max(largest, abs(projected))
                guard projected != 0 else { continue }
                let old = alpha[i]
                alpha[i] = max(old - gradient / (norms[i] + diagonal[i]), 0)
                let step = (alpha[i] - old) * y
                for (j, v) in row { w[j] += step * v }
                w[bias] += step
            }
            if largest < tolerance { break }
        }
        return w
    }

    /// Papers by the linear score w · x (the bias, when w has one, changes no order), best first.
    func rank(_ w: [Double], ids: [Int64]) -> [Int64] {
        let scored = ids.map { id -> (id: Int64, score: Double) in
            var score = 0.0
            for (i, v) in rows[id] ?? [] { score += w[i] * v }
            return (id, score)
        }
        return scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }.map(\.id)
    }
}
