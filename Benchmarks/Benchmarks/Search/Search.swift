import AcademicHub
import Benchmark
import Foundation
import HubCore
import HubFeeds
import HubStore

// Every figure is measured twice in one run: with our analyzer (`ahub`) and with SQLite's stock
// `porter unicode61` tokenizer on the same data, through the same store and the same SQL.

let benchmarks: @Sendable () -> Void = {
    let long = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, .papersPerSecond, .megabytesPerSecond],
        timeUnits: .milliseconds, warmupIterations: 1, scalingFactor: .one,
        maxDuration: .seconds(120), maxIterations: 5)

    // Import + index: parse SciFact's corpus.jsonl and store every paper in a new library.
    for tokenizer in [TextTokenizer.ahub, .porterUnicode61] {
        Benchmark("Import scifact (\(tokenizer.rawValue))", configuration: long) { benchmark in
            for _ in benchmark.scaledIterations {
                let path = Corpus.scratchPath("import-\(tokenizer.rawValue)")
                defer { Corpus.remove(path) }
                let hub = try Hub(libraryPath: path, tokenizer: tokenizer)
                let started = ContinuousClock.now
                let report = try hub.importFiles([Corpus.scifactPath])
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                precondition(report.new == Corpus.scifact.count, "import lost papers: \(report.new)")
                benchmark.measurement(.papersPerSecond, Int(Double(report.new) / seconds))
            }
        }
    }

    // Query latency on a 51,830-paper library (SciFact ten times, new keys): one query per iteration,
    // so the percentiles are per query. Each search is what `ahub search` does: top 10, snippets, total.
    let perQuery = Benchmark.Configuration(
        metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 10, scalingFactor: .one,
        maxDuration: .seconds(120), maxIterations: 300)
    for tokenizer in [TextTokenizer.ahub, .porterUnicode61] {
        for (kind, queries) in [("short", Corpus.shortQueries), ("long", Corpus.claims)] {
            Benchmark("Query \(kind) (\(tokenizer.rawValue))", configuration: perQuery) { benchmark, store in
                var next = 0
                for _ in benchmark.scaledIterations {
                    let query = Corpus.query(queries[next % queries.count], for: tokenizer)
                    next += 1
                    blackHole(try store.search(query, limit: 10))
                }
            } setup: {
                try Corpus.library(tokenizer)
            }
        }
    }

    // The analyzer alone, over every title and abstract of a corpus: MB/s = bytes / wall clock.
    for (language, texts) in [("English, scifact", Corpus.englishTexts), ("Chinese, csl-zh", Corpus.chineseTexts)] {
        Benchmark("Tokenize \(language)", configuration: long) { benchmark in
            let analyzer = try Analyzer()
            let bytes = texts.reduce(0) { $0 + $1.utf8.count }
            for _ in benchmark.scaledIterations {
                var terms = 0
                let started = ContinuousClock.now
                for var text in texts {
                    text.withUTF8 { buffer in
                        analyzer.analyze(buffer) { _, _, _ in terms += 1; return true }
                    }
                }
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                blackHole(terms)
                benchmark.measurement(.megabytesPerSecond, Int(Double(bytes) / 1_000_000 / seconds))
            }
        }
    }
}

extension BenchmarkMetric {
    static let papersPerSecond = BenchmarkMetric.custom("papers/s", polarity: .prefersLarger, useScalingFactor: false)
    static let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
}

/// The bundled collections, read once.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scifactPath = root.appendingPathComponent("Fixtures/eval/scifact/corpus.jsonl").path

    static let scifact: [Paper] = parse(scifactPath)
    static let englishTexts: [String] = scifact.map { $0.title + "\n" + $0.abstract }
    static let chineseTexts: [String] = parse(root.appendingPathComponent("Fixtures/eval/csl-zh/corpus.jsonl").path)
        .map { $0.title + "\n" + $0.abstract }

    /// SciFact's 300 test claims, as users would type long queries.
    static let claims: [String] = {
        let data = try! Data(contentsOf: root.appendingPathComponent("Fixtures/eval/scifact/queries.jsonl"))
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            (try? JSONSerialization.jsonObject(with: line) as? [String: Any])?["text"] as? String
        }
    }()

    /// 1 to 3 keyword-like words per claim (its longest non-stopwords, in turn 1, 2, 3 of them): the
    /// short queries a person types.
    static let shortQueries: [String] = {
        let analyzer = try! Analyzer()
        return claims.enumerated().map { index, claim in
            let bytes = Array(claim.utf8)
            let words = analyzer.tokens(claim).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
            let longest = words.enumerated().sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }
            return longest.prefix(1 + index % 3).map(\.element).joined(separator: " ")
        }
    }()

    static func parse(_ path: String) -> [Paper] {
        try! FeedParser.parse(try! Data(contentsOf: URL(fileURLWithPath: path)), origin: path).papers
    }

    /// Our query: the parser's plain reading (stopwords dropped, compounds kept). The stock tokenizer's:
    /// every word OR-ed, as one would write it for FTS5 without an analyzer of one's own.
    static func query(_ text: String, for tokenizer: TextTokenizer) -> Query {
        switch tokenizer {
        case .ahub:
            return QueryParser(analyzer: analyzer).plain(text)
        case .porterUnicode61:
            var query = Query()
            var seen = Set<String>()
            for word in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where seen.insert(word.lowercased()).inserted {
                query.should.append(.word(String(word)))
            }
            return query
        }
    }
    nonisolated(unsafe) static let analyzer = try! Analyzer()

    static let copies = 10

    /// A library of SciFact `copies` times (keys `scifact-N:ID`), built once per tokenizer and kept in the
    /// temporary folder between runs.
    static func library(_ tokenizer: TextTokenizer) throws -> SQLitePaperStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-bench-\(tokenizer.rawValue)-x\(copies).sqlite").path
        if FileManager.default.fileExists(atPath: path) {
            let store = try SQLitePaperStore(path: path, tokenizer: tokenizer)
            if try store.count() == scifact.count * copies, try store.meta("bench.complete") == "1" { return store }
            remove(path)
        }
        let store = try SQLitePaperStore(path: path, tokenizer: tokenizer)
        for copy in 0..<copies {
            let papers = scifact.map { paper in
                var paper = paper
                paper.key = PaperKey(rawValue: "scifact-\(copy):\(paper.nativeID)")
                paper.nativeID = "\(copy)-\(paper.nativeID)"
                return paper
            }
            _ = try store.upsert(papers)
        }
        try store.setMeta("bench.complete", "1")
        return store
    }

    static func scratchPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ahub-bench-\(name)-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
