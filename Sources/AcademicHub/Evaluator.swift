import Foundation
import HubCore
import HubStore

/// Scores ranking on a BEIR collection: imports the corpus into a scratch library (reused while the
/// corpus and the analyzer are the same), runs every judged query as plain text and averages the metrics.
public struct Evaluator: Sendable {
    public typealias Mode = Hub.SearchMode

    public struct Scores: Sendable, Codable, Hashable {
        public var mode: String
        public var queries: Int
        public var ndcg10: Double
        public var mrr10: Double
        public var recall100: Double
    }

    public struct Report: Sendable, Codable {
        public var collection: String
        public var documents: Int
        /// Corpus documents the importer could not take (Cranfield has two with neither title nor text):
        /// they count as never retrieved.
        public var rejected: [String]
        public var library: String
        public var scores: [Scores]
        /// The TREC run files written, one per mode.
        public var runFiles: [String] = []
    }

    /// Where each mode's run goes: `runFile` itself for one mode; for several, one file each, the mode
    /// before the extension (`scifact.run` → `scifact.keyword.run`), since a run file holds one run.
    public static func runFiles(_ runFile: String, modes: [Mode]) -> [Mode: String] {
        guard modes.count > 1 else { return modes.first.map { [$0: runFile] } ?? [:] }
        let url = URL(fileURLWithPath: runFile)
        let ext = url.pathExtension
        return Dictionary(uniqueKeysWithValues: modes.map { mode in
            (mode, ext.isEmpty ? runFile + "." + mode.rawValue
                : url.deletingPathExtension().path + "." + mode.rawValue + "." + ext)
        })
    }



    /// What a scratch library depends on besides its corpus: bump it when parsing or the schema changes
    /// what an import stores. (A new analyzer or ICU needs no bump: the store rebuilds its index on open.)
    public static let indexVersion = "import-1"

    public var collection: BEIRCollection
    /// Folder for scratch libraries, `$XDG_CACHE_HOME/academichub/eval` by default.
    public var cacheDirectory: String

    public init(collection: BEIRCollection, cacheDirectory: String = Evaluator.defaultCacheDirectory()) {
        self.collection = collection
        self.cacheDirectory = cacheDirectory
    }

    public static func defaultCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/academichub/eval"
    }

    /// The scratch library for this collection, imported when missing, stale or half-built.
    public func library(rebuild: Bool = false, progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> Hub {
        let attributes = try FileManager.default.attributesOfItem(atPath: collection.corpus.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let fingerprint = "\(Self.indexVersion) \(size) \(Int(modified))"
        let path = cacheDirectory + "/\(collection.name)-\(Self.stableHash(collection.directory.path)).sqlite"
        if !rebuild, FileManager.default.fileExists(atPath: path) {
            let hub = try Hub(libraryPath: path)
            if try hub.store.meta("eval.fingerprint") == fingerprint { return hub }
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let hub = try Hub(libraryPath: path)
        let report = try hub.importFiles([collection.corpus.path], progress: progress)
        let rejected = report.rejected.map { "\($0.location): \($0.reason)" }
        try hub.store.setMeta("eval.rejected", rejected.joined(separator: "\n"))
        try hub.store.setMeta("eval.fingerprint", fingerprint)
        return hub
    }

    /// Runs every judged query; writes a TREC run file when `runFile` is given.
    public func run(modes: [Mode] = [.keyword], runFile: String? = nil, rebuild: Bool = false,
                    progress: (@Sendable (ImportProgress) -> Void)? = nil,
                    embedProgress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Report {
        // Nothing judged would average to 0.0000 over nothing, read as a score.
        guard !collection.queries.isEmpty else {
            throw HubError("\(collection.directory.path) has no judged query: no id in queries.jsonl has a line in the qrels, so there is nothing to score")
        }
        // A run file's fields are separated by spaces: an id holding one would be read as two fields.
        if runFile != nil, let spaced = (collection.queries.map(\.id) + collection.judgments.values.flatMap(\.keys))
            .first(where: { $0.contains(where: \.isWhitespace) }) {
            throw HubError("a TREC run file separates its fields with spaces, and this collection's ids hold some (\"\(spaced)\"): --run cannot write them")
        }
        let targets = runFile.map { Self.runFiles($0, modes: modes) } ?? [:]
        // A run file that cannot be written is said before the evaluation (minutes, the first time), not after.
        for path in targets.values { try Hub.checkWritable(path) }
        let hub = try library(rebuild: rebuild, progress: progress)
        if modes.contains(where: { $0 != .keyword }) {
            // Embedded once: the vectors stay in the scratch library with its papers.
            _ = try hub.embedMissing(progress: embedProgress)
        }
        var scores: [Scores] = []
        var runs: [Mode: String] = [:]
        for mode in modes {
            var run = ""
            var ndcg = 0.0, mrr = 0.0, recall = 0.0
            for (id, text) in collection.queries {
                let judged = collection.judgments[id] ?? [:]
                let ranking = try rank(text, hub: hub, mode: mode)
                ndcg += Metrics.ndcg(ranking: ranking.map(\.0), judgments: judged, k: 10)
                mrr += Metrics.reciprocalRank(ranking: ranking.map(\.0), judgments: judged, k: 10)
                recall += Metrics.recall(ranking: ranking.map(\.0), judgments: judged, k: 100)
                if runFile != nil {
                    for (rank, (doc, score)) in ranking.enumerated() {
                        run += "\(id) Q0 \(doc) \(rank + 1) \(String(format: "%.6f", score)) ahub-\(mode.rawValue)\n"
                    }
                }
            }
            let n = Double(max(collection.queries.count, 1))
            scores.append(Scores(mode: mode.rawValue, queries: collection.queries.count,
                                 ndcg10: ndcg / n, mrr10: mrr / n, recall100: recall / n))
            runs[mode] = run
        }
        for mode in modes {
            guard let path = targets[mode] else { continue }
            do {
                try runs[mode, default: ""].write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw HubError("cannot write the run file \(path): \(error.localizedDescription)")
            }
        }
        let rejected = try hub.store.meta("eval.rejected").map { $0.split(separator: "\n").map(String.init) } ?? []
        return Report(collection: collection.name, documents: try hub.store.count(), rejected: rejected,
                      library: hub.store.path, scores: scores, runFiles: modes.compactMap { targets[$0] })
    }

    /// The top 100 document ids for a query read as plain text, with scores.
    func rank(_ text: String, hub: Hub, mode: Mode) throws -> [(String, Double)] {
        let query = hub.analyzers.with { QueryParser(analyzer: $0).plain(text) }
        let ranking = try hub.ranking(query, text: text, mode: mode, depth: Hub.fusionDepth)
        return try hub.store.hits(Array(ranking.ranked.prefix(100))).map { ($0.paper.nativeID, $0.score) }
    }

    /// FNV-1a, printed in hex: a short stable tag for a folder path.
    static func stableHash(_ text: String) -> String {
        String(fnv1a(text), radix: 16)
    }

    /// FNV-1a: the same value in every process (Swift's `Hasher` is seeded per run).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
