import AcademicHub
import HubCore
import HubStore
import ArgumentParser
import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ranking quality on a BEIR-layout test collection (nDCG@10, MRR@10, Recall@100).",
        discussion: """
            Imports the collection's corpus into a scratch library under $XDG_CACHE_HOME/academichub/eval \
            (reused while the corpus and the analyzer are unchanged) and runs every judged query as plain text.
            """)

    @OptionGroup var library: LibraryOptions
    @Option(help: "The collection folder (corpus.jsonl, queries.jsonl, qrels/test.tsv).") var collection: String?
    @Option(help: "Ranking mode: keyword (default), semantic, hybrid, or all (side by side).") var mode: String?
    @Option(name: .customLong("run"), help: "Also write the ranking as a TREC run file (qid Q0 docid rank score tag).") var runFile: String?
    @Flag(help: "Rebuild the scratch library even if one exists.") var rebuild = false
    @Option(help: "Measure more-like-this instead: the share of each document's 10 most similar that share its metadata label (csl-zh: discipline), against TF-IDF cosine.")
    var similarLabel: String?
    @Flag(help: """
        Measure radars instead: simulated users (judged queries with 8+ relevant documents, or disciplines \
        with 20+ papers) like the relevant papers of each 10 shown, 5 rounds; ahub's radar against no \
        learning, Rocchio and arxiv-sanity-lite's linear SVM, and the radar's difference from each per user \
        with a 95% bootstrap interval.
        """)
    var radar = false
    @Option(help: "With --radar: only users with at least this many relevant documents (without either bound: 8 for judged queries, 20 papers for disciplines; with only --max-relevant: 1).")
    var minRelevant: Int?
    @Option(help: "With --radar: only users with at most this many relevant documents (default: no limit).")
    var maxRelevant: Int?
    @Option(help: "With --radar: the metadata label whose values make the simulated users, each with the papers that carry it (default discipline; without it on any document, judged queries).")
    var radarLabel: String?
    @Option(help: "The qrels split to score on: qrels/SPLIT.tsv.") var split = "test"
    @Option(help: "Measure briefing themes instead: cluster every paper as briefings do and report the normalized mutual information with this metadata label (csl-zh: discipline), against TF-IDF vectors. Without --collection: the library's papers against their primary category.")
    var themesLabel: String?
    @Flag(help: "Print the scores as JSON.") var json = false

    func validate() throws {
        if let mode = mode?.lowercased(), mode != "all", Evaluator.Mode(rawValue: mode) == nil {
            throw ValidationError("unknown mode \(mode); available: \(Evaluator.Mode.allCases.map(\.rawValue).joined(separator: ", ")), all")
        }
        // One evaluation per run: each of these replaces the ranking evaluation, and they exclude each other.
        let kinds = [radar ? "--radar" : nil, similarLabel.map { _ in "--similar-label" }, themesLabel.map { _ in "--themes-label" }].compactMap { $0 }
        if kinds.count > 1 { throw ValidationError("\(kinds.joined(separator: " and ")) are different evaluations: run them one at a time") }
        if let kind = kinds.first, mode != nil || runFile != nil {
            throw ValidationError("\(mode != nil ? "--mode" : "--run") goes with the ranking evaluation, not \(kind)")
        }
        if !radar, minRelevant != nil || maxRelevant != nil || radarLabel != nil {
            throw ValidationError("--min-relevant, --max-relevant and --radar-label go with --radar")
        }
        if let minRelevant, minRelevant < 1 { throw ValidationError("--min-relevant must be at least 1") }
        if let maxRelevant, maxRelevant < (minRelevant ?? 1) {
            throw ValidationError("--max-relevant \(maxRelevant) is below " + (minRelevant.map { "--min-relevant \($0)" } ?? "1"))
        }
    }

    func run() throws {
        try guarded {
            if let themesLabel {
                let report = try collection.map { try Evaluator(collection: BEIRCollection(directory: $0, split: split)).runThemes(label: themesLabel, rebuild: rebuild) }
                    ?? library.open().themesByCategory()
                if json { try Terminal.printJSON(report); return }
                print("\(report.corpus): \(report.documents) documents, \(report.labels) distinct \(report.label) label\(report.labels == 1 ? "" : "s")")
                print("vectors                                   themes     NMI")
                for m in report.methods {
                    print(m.name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "  %6d  %6.4f", m.themes, m.nmi))
                }
                return
            }
            guard let collection else { throw ValidationError("--collection is needed") }
            let evaluator = Evaluator(collection: try BEIRCollection(directory: collection, split: split))
            if let similarLabel {
                let report = try evaluator.runSimilar(label: similarLabel, rebuild: rebuild)
                if json { try Terminal.printJSON(report); return }
                print("\(report.collection): \(report.documents) documents; share of the 10 most similar with the same \(report.label)")
                print(String(format: "ahub similar (%@)  %.4f", report.similarMode, report.similar))
                print(String(format: "TF-IDF cosine        %.4f", report.tfidfCosine))
                return
            }
            let bar = ProgressBar()
            defer { bar.finish() }
            if radar {
                // Given either bound, the other defaults to 1 / no limit.
                let range = minRelevant == nil && maxRelevant == nil ? nil : (minRelevant ?? 1)...(maxRelevant ?? Int.max)
                let report = try evaluator.runRadar(rebuild: rebuild, relevant: range, label: radarLabel) { done, total in bar.update(label: "simulated users", done: done, total: total) }
                bar.finish()
                if json { try Terminal.printJSON(report); return }
                print("\(report.collection): \(report.documents) documents; \(report.users) \(report.userKind)")
                print("method                                    P@10 round 1     2       3       4       5    found in 50")
                for m in report.methods {
                    print(m.name.padding(toLength: 40, withPad: " ", startingAt: 0)
                          + m.precision.map { String(format: "  %6.4f", $0) }.joined() + String(format: "  %8.2f", m.found))
                }
                print("paired, on the radar's own feedback and the papers it had not shown yet:")
                print("linear SVM in the radar's place".padding(toLength: 40, withPad: " ", startingAt: 0)
                      + report.pairedSVM.map { String(format: "  %6.4f", $0) }.joined())
                print("the radar minus each baseline, mean per user [95% interval, the users resampled 2,000 times]:")
                let cell = { (i: RadarEvaluationReport.Interval, digits: Int) -> String in
                    // Rounded first, so a difference of 0 less a rounding error prints +0.0000, not -0.0000.
                    let text = { (x: Double) in String(format: "%+.\(digits)f", (x * 1e6).rounded() / 1e6 + 0) }
                    return "\(text(i.mean)) [\(text(i.low)), \(text(i.high))]".padding(toLength: 28, withPad: " ", startingAt: 0)
                }
                let line = { (text: String) in print(text.replacingOccurrences(of: " +$", with: "", options: .regularExpression)) }
                // "linear SVM (TF-IDF, arxiv-sanity-lite)" → "linear SVM": the table above has the full names.
                line("".padding(toLength: 14, withPad: " ", startingAt: 0)
                      + report.differences.map { String($0.baseline.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces).padding(toLength: 28, withPad: " ", startingAt: 0) }.joined())
                for round in 1..<(report.differences.first?.precision.count ?? 1) {
                    line((round == 1 ? "P@10 round 2" : "     round \(round + 1)").padding(toLength: 14, withPad: " ", startingAt: 0)
                          + report.differences.map { cell($0.precision[round], 4) }.joined())
                }
                line("found in 50".padding(toLength: 14, withPad: " ", startingAt: 0) + report.differences.map { cell($0.found, 2) }.joined())
                return
            }
            // In any case, as search reads --mode.
            let mode = self.mode?.lowercased()
            let modes = mode == "all" ? Evaluator.Mode.allCases : [Evaluator.Mode(rawValue: mode ?? "keyword")!]
            let report = try evaluator.run(
                modes: modes, runFile: runFile, rebuild: rebuild, progress: { bar.update($0) },
                embedProgress: { done, total in bar.update(label: "embedding", done: done, total: total) })
            bar.finish()
            if json { try Terminal.printJSON(report); return }
            print("\(report.collection): \(report.documents) documents, library \(report.library)")
            if !report.rejected.isEmpty {
                print("\(report.rejected.count) corpus documents not indexed (scored as never retrieved): " + report.rejected.prefix(3).joined(separator: "; "))
            }
            print("mode       queries  nDCG@10  MRR@10  Recall@100")
            for s in report.scores {
                print(s.mode.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: "  %7d  %7.4f  %6.4f  %10.4f", s.queries, s.ndcg10, s.mrr10, s.recall100))
            }
            if !report.runFiles.isEmpty { print("run file\(report.runFiles.count == 1 ? "" : "s"): " + report.runFiles.joined(separator: ", ")) }
        }
    }
}
