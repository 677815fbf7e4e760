import Foundation

/// A paper as a radar's learner sees it.
struct RadarExample: Sendable {
    var id: Int64
    /// How well the paper matches the radar's description and keywords: hybrid search's fused score for
    /// them (BM25 and embeddings, each max-normalized), 0…1; 0 for a paper outside its top list.
    var match: Double
    /// L2-normalized TF-IDF.
    var terms: [String: Double]
    /// The paper's unit embedding, or empty (no vector, or a text the model cannot read).
    var dense: [Float]
    var categories: [String]
    var source: String
}

/// A radar's model: a linear scorer over the paper's description match, its TF-IDF terms, its embedding,
/// its categories and its source, started from the cold start (Rocchio-style: the description, keywords
/// and seeds) and fitted to the feedback by logistic regression held near that start.
struct RadarModel: Codable, Sendable, Equatable {
    struct Weights: Codable, Sendable, Equatable {
        var match = 1.0
        var terms: [String: Double] = [:]
        var dense: [Float] = []
        var categories: [String: Double] = [:]
        var sources: [String: Double] = [:]
        var bias = 0.0
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

    static let version = 1

    init(prior: Weights, embeddingModel: String) {
        self.prior = prior
        weights = prior
        self.embeddingModel = embeddingModel
    }

    func score(_ x: RadarExample) -> Double {
        Self.score(weights, x)
    }

    static func score(_ w: Weights, _ x: RadarExample) -> Double {
        var s = w.bias + w.match * x.match + Hub.dot(w.terms, x.terms)
        if !x.dense.isEmpty, x.dense.count == w.dense.count {
            var d: Float = 0
            for i in 0..<x.dense.count { d += w.dense[i] * x.dense[i] }
            s += Double(d)
        }
        for category in x.categories { s += w.categories[category] ?? 0 }
        return s + (w.sources[x.source] ?? 0)
    }

    /// w += factor × the examples' mean, in the term and embedding spaces (Rocchio's step).
    static func addMean(of group: [RadarExample], times factor: Double, to w: inout Weights) {
        guard !group.isEmpty, factor != 0 else { return }
        let share = factor / Double(group.count)
        for x in group {
            for (term, value) in x.terms { w.terms[term, default: 0] += share * value }
            guard !x.dense.isEmpty else { continue }
            if w.dense.isEmpty { w.dense = [Float](repeating: 0, count: x.dense.count) }
            if w.dense.count == x.dense.count {
                for i in 0..<x.dense.count { w.dense[i] += Float(share) * x.dense[i] }
            }
        }
    }

    // MARK: - Learning

    /// Hyperparameters, chosen with `ahub eval --radar` on cranfield and csl-zh (README has the runs).
    struct Learning: Sendable {
        /// Rocchio's step from the prior before fitting: toward the liked papers' mean (strongly: after a
        /// few likes they say more than the description), away from the disliked papers' mean (0 measured
        /// best: dislikes act through the regression below).
        var positive = 20.0
        var negative = 0.0
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
        /// Once something is liked, the candidates' mean TF-IDF vector is subtracted this much at ranking
        /// time: the liked papers are set against the whole pool, as arxiv-sanity's SVM sets them against
        /// every paper. As strong as the Rocchio step.
        var background = 20.0
    }

    /// Refits the model from its prior to the labelled examples (the last signal per paper): a Rocchio step
    /// toward the liked and away from the disliked, then logistic regression by SGD in a fixed order, each
    /// example weighted by its age, the weights pulled toward that starting point. Deterministic: the same
    /// feedback log gives the same model.
    mutating func fit(_ examples: [(x: RadarExample, liked: Bool, ageDays: Double)], learning: Learning = Learning()) {
        events = examples.count
        var w = prior
        let recent = Array(examples.suffix(learning.window))
        let liked = recent.filter(\.liked).map(\.x), disliked = recent.filter { !$0.liked }.map(\.x)
        positives = liked.count
        w.match /= 1 + Double(liked.count) / learning.descriptionFade
        Self.addMean(of: liked, times: learning.positive, to: &w)
        Self.addMean(of: disliked, times: -learning.negative, to: &w)
        let anchor = w
        guard !liked.isEmpty, !disliked.isEmpty else {
            weights = w
            return
        }
        // Logistic regression: the score's logit is centred on the examples' mean score at the start.
        let center = recent.map { Self.score(anchor, $0.x) }.reduce(0, +) / Double(recent.count)
        w.bias -= center
        let decay = log(2) / learning.halfLifeDays
        for epoch in 0..<learning.epochs {
            let rate = learning.rate / (1 + Double(epoch))
            for example in recent {
                let weight = exp(-decay * example.ageDays)
                let p = 1 / (1 + exp(-Self.score(w, example.x)))
                let g = weight * ((example.liked ? 1 : 0) - p) * rate
                let x = example.x
                w.match += g * x.match
                w.bias += g
                for (term, value) in x.terms { w.terms[term, default: 0] += g * value }
                if x.dense.count == w.dense.count {
                    for i in 0..<x.dense.count { w.dense[i] += Float(g) * x.dense[i] }
                }
                for category in x.categories { w.categories[category, default: 0] += g * 0.1 }
                w.sources[x.source, default: 0] += g * 0.1
            }
            // Pull toward the Rocchio start (L2 around it), touching only what moved.
            let keep = 1 - learning.pull
            w.match = anchor.match + keep * (w.match - anchor.match)
            for (term, value) in w.terms { w.terms[term] = (anchor.terms[term] ?? 0) + keep * (value - (anchor.terms[term] ?? 0)) }
            if w.dense.count == anchor.dense.count {
                for i in 0..<w.dense.count { w.dense[i] = anchor.dense[i] + Float(keep) * (w.dense[i] - anchor.dense[i]) }
            }
        }
        w.terms = w.terms.filter { abs($0.value) > 1e-6 }
        weights = w
    }
}
