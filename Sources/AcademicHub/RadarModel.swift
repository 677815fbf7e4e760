import Foundation
import HubCore
import HubVectors

/// A paper as a radar's learner sees it.
struct RadarExample: Sendable {
    var id: Int64
    /// How well the paper matches the radar's description and keywords: hybrid search's fused score for
    /// them (BM25 and embeddings, each max-normalized), 0…1; 0 for a paper outside its top list.
    var match: Double
    /// L2-normalized TF-IDF over interned term ids.
    var terms: SparseVector
    /// The paper's unit embedding, or empty (no vector, or a text the model cannot read).
    var dense: [Float]
    var categories: [String]
    var source: String
}

/// A radar's model: a linear scorer over the paper's description match, its TF-IDF terms, its embedding,
/// its categories and its source, started from the cold start (Rocchio-style: the description, keywords
/// and seeds) and fitted to the feedback by logistic regression held near that start.
struct RadarModel: Codable, Sendable, Equatable {
    /// The weights as stored: terms by name, so a model outlives the process's term ids.
    struct Weights: Codable, Sendable, Equatable {
        var match = 1.0
        var terms: [String: Double] = [:]
        var dense: [Float] = []
        var categories: [String: Double] = [:]
        var sources: [String: Double] = [:]
        var bias = 0.0

        private enum CodingKeys: String, CodingKey { case match, termNames, termWeights, dense, categories, sources, bias }

        init(match: Double = 1.0, terms: [String: Double] = [:], dense: [Float] = [], categories: [String: Double] = [:],
             sources: [String: Double] = [:], bias: Double = 0.0) {
            (self.match, self.terms, self.dense, self.categories, self.sources, self.bias) = (match, terms, dense, categories, sources, bias)
        }

        // Stored compactly, and exactly: the term names one per line, their weights and the embedding weights
        // as base64 of little-endian float64 / float32. A refit writes its model at every feedback event;
        // this takes a fifth of the time of JSON numbers.
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            match = try c.decode(Double.self, forKey: .match)
            categories = try c.decode([String: Double].self, forKey: .categories)
            sources = try c.decode([String: Double].self, forKey: .sources)
            bias = try c.decode(Double.self, forKey: .bias)
            let names = try c.decode(String.self, forKey: .termNames).split(separator: "\n").map(String.init)
            let weights: [UInt64] = try Self.words(c.decode(String.self, forKey: .termWeights))
            guard names.count == weights.count else {
                throw DecodingError.dataCorruptedError(forKey: .termWeights, in: c, debugDescription: "\(names.count) terms, \(weights.count) weights")
            }
            terms = Dictionary(zip(names, weights.map(Double.init(bitPattern:))), uniquingKeysWith: { a, _ in a })
            dense = try Self.words(c.decode(String.self, forKey: .dense)).map(Float.init(bitPattern:))
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(match, forKey: .match)
            try c.encode(categories, forKey: .categories)
            try c.encode(sources, forKey: .sources)
            try c.encode(bias, forKey: .bias)
            let sorted = terms.sorted { $0.key < $1.key }
            try c.encode(sorted.map(\.key).joined(separator: "\n"), forKey: .termNames)
            try c.encode(Self.base64(sorted.map { $0.value.bitPattern }), forKey: .termWeights)
            try c.encode(Self.base64(dense.map(\.bitPattern)), forKey: .dense)
        }

        private static func base64<W: FixedWidthInteger>(_ words: [W]) -> String {
            words.map(\.littleEndian).withUnsafeBytes { Data($0) }.base64EncodedString()
        }

        private static func words<W: FixedWidthInteger>(_ text: String) throws -> [W] {
            guard let bytes = Data(base64Encoded: text), bytes.count % MemoryLayout<W>.size == 0 else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not base64 of \(W.self) words"))
            }
            return bytes.withUnsafeBytes { raw in
                (0..<bytes.count / MemoryLayout<W>.size).map { W(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<W>.size, as: W.self)) }
            }
        }
    }

    /// The cold start: what the user said, before any feedback.
    var prior: Weights
    /// What the model weighs now.
    var weights: Weights
    /// The embedding model the dense weights belong to.
    var embeddingModel: String
    /// Feedback events the model was fitted to, and how many of them were positive.
    var events = 0
    var positives = 0
    /// Seeds the prior was made without (disliked or hidden since); nil in a model stored before this was
    /// recorded (unknown: its prior is made again).
    var priorLeavesOut: [Int64]?
    /// The analyzer version whose terms the weights name; nil in a model stored before version 3 (the model is
    /// rebuilt from the log, as for another embedding model).
    var analyzer: Int?

    static let version = 1

    init(prior: Weights, embeddingModel: String) {
        self.prior = prior
        weights = prior
        self.embeddingModel = embeddingModel
        analyzer = Analyzer.version
    }
}

/// A model's weights as scoring and fitting read them: the terms as an array indexed by term id.
struct IndexedWeights {
    var match: Double
    var bias: Double
    var terms: [Double]
    var dense: [Float]
    var categories: [String: Double]
    var sources: [String: Double]

    init(_ w: RadarModel.Weights, space: TermVectors) {
        let names = Array(w.terms.keys)
        let ids = space.ids(names)
        terms = [Double](repeating: 0, count: space.vocabularySize)
        for (name, id) in zip(names, ids) { terms[Int(id)] = w.terms[name]! }
        match = w.match
        bias = w.bias
        dense = w.dense
        categories = w.categories
        sources = w.sources
    }

    /// Back to names: the terms whose weight is not (nearly) zero.
    func weights(space: TermVectors) -> RadarModel.Weights {
        let ids = terms.indices.filter { abs(terms[$0]) > 1e-6 }.map(Int32.init)
        let names = space.names(ids)
        var byName: [String: Double] = [:]
        byName.reserveCapacity(ids.count)
        for (name, id) in zip(names, ids) { byName[name] = terms[Int(id)] }
        return .init(match: match, terms: byName, dense: dense, categories: categories, sources: sources, bias: bias)
    }

    func score(_ x: RadarExample) -> Double {
        var s = bias + match * x.match + termScore(x.terms)
        if !x.dense.isEmpty, x.dense.count == dense.count {
            s += Double(Self.dot(dense, x.dense))
        }
        for category in x.categories { s += categories[category] ?? 0 }
        return s + (sources[x.source] ?? 0)
    }

    func termScore(_ x: SparseVector) -> Double {
        terms.withUnsafeBufferPointer { x.dot($0) }
    }

    /// Makes room for term ids interned after these weights were made.
    mutating func reserve(_ x: SparseVector) {
        if let last = x.ids.last, Int(last) >= terms.count {
            terms += [Double](repeating: 0, count: Int(last) + 1 - terms.count)
        }
    }

    /// w += factor × x, in the term and embedding spaces.
    mutating func add(_ x: RadarExample, times factor: Double, dense denseFactor: Double? = nil) {
        reserve(x.terms)
        terms.withUnsafeMutableBufferPointer { w in
            for k in 0..<x.terms.ids.count { w[Int(x.terms.ids[k])] += factor * Double(x.terms.values[k]) }
        }
        guard !x.dense.isEmpty else { return }
        if dense.isEmpty { dense = [Float](repeating: 0, count: x.dense.count) }
        guard dense.count == x.dense.count else { return }
        let f = Float(denseFactor ?? factor)
        dense.withUnsafeMutableBufferPointer { w in
            for i in 0..<x.dense.count { w[i] += f * x.dense[i] }
        }
    }

    /// w += factor × the examples' mean (Rocchio's step), each example times its weight when `weights` are
    /// given (feedback fading with age); the embedding part times `denseFactor` when given.
    mutating func addMean(of group: [RadarExample], times factor: Double, dense denseFactor: Double? = nil, weights: [Double]? = nil) {
        guard !group.isEmpty, factor != 0 else { return }
        let n = Double(group.count)
        for (k, x) in group.enumerated() {
            let w = weights?[k] ?? 1
            add(x, times: w * factor / n, dense: w * (denseFactor ?? factor) / n)
        }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        a.count == b.count ? DenseVectorStore.dot(a, b) : 0
    }
}

extension RadarModel {
    // MARK: - Learning

    /// Hyperparameters, chosen with `ahub eval --radar` on cranfield and csl-zh (README has the runs).
    struct Learning: Sendable {
        /// Rocchio's step from the prior before fitting: toward the liked papers' mean (strongly: after a
        /// few likes they say more than the description), away from the disliked papers' mean (0 measured
        /// best: dislikes act through the regression below).
        var positive = 20.0
        var negative = 0.0
        /// Before anything is liked, dislikes alone move the model: away from the disliked papers' mean, as
        /// far as the description pulls toward itself (its prior weight), so a first page the user rejects
        /// is not simply continued. Found in 50 (cranfield / csl-zh): 8.99 / 15.70 without, 9.00 / 15.75,
        /// 9.02 / 15.80 and 9.00 / 15.75 at 0.25, 0.5 and 1; the regression run on dislikes alone: 8.93 / 15.70.
        var firstDislikes = 0.5
        /// The embedding's share of that step: cosines between MiniLM vectors of papers on one field sit high
        /// and close together, and a full step let them outweigh the terms (cranfield found in 50, with the
        /// rest as kept: 8.79 at 1, 8.94 at 0.3, 8.93 at 0.1; csl-zh has no vectors).
        var embeddingStep = 0.3
        /// Logistic regression on top: passes over the examples, step size, pull toward the Rocchio start.
        var epochs = 30
        var rate = 1.0
        var pull = 0.02
        /// The description match's weight is divided by 1 + likes / this: liked papers say more and more
        /// of what the user wants (csl-zh found in 50: 15.30 without, 15.35 / 15.70 / 15.85 / 15.60 for
        /// 1 / 6 / 10 / 20; cranfield 8.69 with 10 as without).
        var descriptionFade = 10.0
        /// An event's weight halves every `halfLife` days.
        var halfLifeDays = 60.0
        /// The most recent examples a refit reads (the log keeps them all).
        var window = 400
        /// Once something is liked, the background's mean TF-IDF vector (the candidates, topped up from the
        /// library: `Hub.backgroundPapers`) is subtracted this much at ranking time: the liked papers are set
        /// against the whole pool, as arxiv-sanity's SVM sets them against every paper. As strong as the
        /// Rocchio step.
        var background = 20.0
    }

    /// Refits the model from its prior to the labelled examples (the last signal per paper): a Rocchio step
    /// toward the liked (or, while nothing is liked, away from the disliked), then logistic regression by SGD
    /// in a fixed order, each example weighted by its age, the weights pulled toward that starting point.
    /// Deterministic: the same feedback log gives the same model.
    mutating func fit(_ examples: [(x: RadarExample, liked: Bool, ageDays: Double)], space: TermVectors,
                      learning: Learning = Learning()) {
        events = examples.count
        let recent = Array(examples.suffix(learning.window))
        let liked = recent.filter(\.liked).map(\.x), disliked = recent.filter { !$0.liked }.map(\.x)
        positives = liked.count
        // An event's weight halves every `halfLifeDays`: in the Rocchio step as in the regression, so a
        // year-old like pulls less than today's, and old feedback alone fades back toward the cold start.
        let decay = log(2) / learning.halfLifeDays
        let fade = { (group: Bool) in recent.filter { $0.liked == group }.map { exp(-decay * $0.ageDays) } }
        var w = IndexedWeights(prior, space: space)
        for example in recent { w.reserve(example.x.terms) }
        w.match /= 1 + Double(liked.count) / learning.descriptionFade
        w.addMean(of: liked, times: learning.positive, dense: learning.positive * learning.embeddingStep, weights: fade(true))
        w.addMean(of: disliked, times: liked.isEmpty ? -learning.firstDislikes : -learning.negative, weights: fade(false))
        let anchor = w
        guard !liked.isEmpty, !disliked.isEmpty else {
            weights = w.weights(space: space)
            return
        }
        // The terms SGD moves: the pull below touches only these.
        var touched = Set<Int32>()
        for example in recent { touched.formUnion(example.x.terms.ids) }
        let moved = touched.sorted()
        // Logistic regression: the score's logit is centred on the examples' mean score at the start.
        let center = recent.map { anchor.score($0.x) }.reduce(0, +) / Double(recent.count)
        w.bias -= center
        // Classes balanced, as arxiv-sanity's SVM balances them: likes are rarer than dislikes in a feed, and
        // each like weighs dislikes/likes (cranfield 8.94 → 8.99, csl-zh 15.85 → 15.70 found in 50).
        let balance = Double(disliked.count) / Double(liked.count)
        let weight = recent.map { exp(-decay * $0.ageDays) * ($0.liked ? balance : 1) }
        for epoch in 0..<learning.epochs {
            let rate = learning.rate / (1 + Double(epoch))
            for (n, example) in recent.enumerated() {
                let x = example.x
                let p = 1 / (1 + exp(-w.score(x)))
                let g = weight[n] * ((example.liked ? 1 : 0) - p) * rate
                w.match += g * x.match
                w.bias += g
                w.add(x, times: g)
                for category in x.categories { w.categories[category, default: 0] += g * 0.1 }
                w.sources[x.source, default: 0] += g * 0.1
            }
            // Pull toward the Rocchio start (L2 around it), touching only what moved.
            let keep = 1 - learning.pull
            w.match = anchor.match + keep * (w.match - anchor.match)
            for id in moved {
                let i = Int(id), a = i < anchor.terms.count ? anchor.terms[i] : 0
                w.terms[i] = a + keep * (w.terms[i] - a)
            }
            if w.dense.count == anchor.dense.count {
                for i in 0..<w.dense.count { w.dense[i] = anchor.dense[i] + Float(keep) * (w.dense[i] - anchor.dense[i]) }
            }
        }
        weights = w.weights(space: space)
    }
}
