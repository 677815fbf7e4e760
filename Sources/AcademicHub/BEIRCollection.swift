import Foundation
import HubFeeds

/// A test collection in BEIR layout: `corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv` (`test` unless
/// another split is asked for).
///
/// Read as BEIR's own loader and trec_eval read them, so that a collection made elsewhere scores the same:
/// - qrels: BEIR's `query-id corpus-id score`, tab-separated (ids may hold spaces) or, in a file without
///   tabs, split on spaces; TREC's `query-id iteration corpus-id score` (four fields) too. A first line that
///   is not a judgment is a header, whatever it says. A score of 0 or less is a judgment of not relevant.
/// - queries: `_id` (a string or a number) and `text`; a query listed twice counts once (the first).
/// - blank lines, whitespace-only lines, CRLF endings and a byte-order mark are ignored everywhere.
public struct BEIRCollection: Sendable {
    public var name: String
    public var directory: URL
    public var corpus: URL
    /// Judged queries only (those with at least one line in the qrels), in file order.
    public var queries: [(id: String, text: String)]
    /// query id → document id → grade.
    public var judgments: [String: [String: Int]]

    public init(directory path: String, split: String = "test") throws {
        directory = URL(fileURLWithPath: path).standardizedFileURL
        name = directory.lastPathComponent
        corpus = directory.appendingPathComponent("corpus.jsonl")
        let queriesURL = directory.appendingPathComponent("queries.jsonl")
        let qrelsURL = directory.appendingPathComponent("qrels/\(split).tsv")
        let manager = FileManager.default
        if !manager.fileExists(atPath: corpus.path), manager.fileExists(atPath: corpus.path + ".gz") {
            throw HubError("\(corpus.path).gz is compressed: `gunzip -k \(corpus.path).gz` makes the corpus.jsonl ahub reads")
        }
        for file in [corpus, queriesURL] where !manager.fileExists(atPath: file.path) {
            throw HubError("\(path) is not a BEIR collection: \(file.path) is missing (expected corpus.jsonl, queries.jsonl, qrels/\(split).tsv)")
        }
        guard manager.fileExists(atPath: qrelsURL.path) else {
            let splits = ((try? manager.contentsOfDirectory(atPath: directory.appendingPathComponent("qrels").path)) ?? [])
                .filter { $0.hasSuffix(".tsv") }.map { String($0.dropLast(4)) }.sorted()
            throw HubError("\(path): \(qrelsURL.path) is missing" + (splits.isEmpty
                ? " (expected corpus.jsonl, queries.jsonl, qrels/\(split).tsv)"
                : "; the qrels it has: \(splits.joined(separator: ", ")) (--split \(splits[0]) scores on it)"))
        }
        judgments = try Self.judgments(qrelsURL)
        var queries: [(String, String)] = []
        var seen = Set<String>()
        for (n, line) in try Self.lines(queriesURL) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = JSONValue.string(object["_id"]), let text = object["text"] as? String
            else { throw HubError("\(queriesURL.path): line \(n) is not a query object with _id and text") }
            if judgments[id] != nil, seen.insert(id).inserted { queries.append((id, text)) }
        }
        self.queries = queries
    }

    /// BEIR's three fields or TREC's four, by the first judgment's shape; the first line may be a header.
    static func judgments(_ url: URL) throws -> [String: [String: Int]] {
        var judgments: [String: [String: Int]] = [:]
        var first = true
        for (n, line) in try lines(url) {
            // Ids may hold spaces in a tab-separated file; a file without tabs is split on runs of spaces.
            var fields = line.contains("\t")
                ? line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                : line.split(separator: " ").map(String.init)
            while fields.last?.isEmpty == true { fields.removeLast() }  // a trailing tab
            let judgment: (query: String, document: String, grade: Int)?
            switch fields.count {
            case 3: judgment = Int(fields[2]).map { (fields[0], fields[1], $0) }
            case 4: judgment = Int(fields[3]).map { (fields[0], fields[2], $0) }
            default: judgment = nil
            }
            defer { first = false }
            guard let judgment, !judgment.query.isEmpty, !judgment.document.isEmpty else {
                if first { continue }  // a header: BEIR's loader skips the first line whatever it holds
                // The right number of fields, the grade no whole number (`1.5`, `high`): said as such.
                if fields.count == 3 || fields.count == 4, let grade = fields.last, Int(grade) == nil {
                    throw HubError("\(url.path): line \(n): the grade \(grade) is not a whole number (relevance grades are 0, 1, 2…)")
                }
                throw HubError("\(url.path): line \(n) is neither `query-id corpus-id score` (BEIR) nor `query-id 0 corpus-id score` (TREC)")
            }
            judgments[judgment.query, default: [:]][judgment.document] = judgment.grade
        }
        return judgments
    }

    /// The file's lines that hold something, numbered from 1, without "\r" or a byte-order mark.
    static func lines(_ url: URL) throws -> [(number: Int, text: String)] {
        var text = try String(contentsOf: url, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Split on "\n" alone: Swift reads "\r\n" as one Character, which a split on "\n" would never match.
        return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { n, scalars in
            let line = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespacesAndNewlines)
            return line.isEmpty ? nil : (n + 1, line)
        }
    }
}
