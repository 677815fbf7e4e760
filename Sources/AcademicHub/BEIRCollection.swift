import Foundation

/// A test collection in BEIR layout: `corpus.jsonl`, `queries.jsonl`, `qrels/test.tsv`.
public struct BEIRCollection: Sendable {
    public var name: String
    public var directory: URL
    public var corpus: URL
    /// Judged queries only (those with at least one line in the qrels), in file order.
    public var queries: [(id: String, text: String)]
    /// query id → document id → grade.
    public var judgments: [String: [String: Int]]

    public init(directory path: String) throws {
        directory = URL(fileURLWithPath: path).standardizedFileURL
        name = directory.lastPathComponent
        corpus = directory.appendingPathComponent("corpus.jsonl")
        let queriesURL = directory.appendingPathComponent("queries.jsonl")
        let qrelsURL = directory.appendingPathComponent("qrels/test.tsv")
        for file in [corpus, queriesURL, qrelsURL] where !FileManager.default.fileExists(atPath: file.path) {
            throw HubError("\(path) is not a BEIR collection: \(file.path) is missing (expected corpus.jsonl, queries.jsonl, qrels/test.tsv)")
        }
        var judgments: [String: [String: Int]] = [:]
        let qrels = try String(contentsOf: qrelsURL, encoding: .utf8)
        // Lines split on any newline, "\r\n" included, and counted with the blank ones.
        for (n, line) in qrels.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() where !line.isEmpty {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            if n == 0 && fields.first == "query-id" { continue }
            guard fields.count >= 3, let grade = Int(fields[2]) else {
                throw HubError("\(qrelsURL.path): line \(n + 1) is not `query-id corpus-id score`")
            }
            judgments[String(fields[0]), default: [:]][String(fields[1])] = grade
        }
        var queries: [(String, String)] = []
        let lines = try String(contentsOf: queriesURL, encoding: .utf8)
        for (n, line) in lines.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["_id"] as? String, let text = object["text"] as? String
            else { throw HubError("\(queriesURL.path): line \(n + 1) is not a query object with _id and text") }
            if judgments[id] != nil { queries.append((id, text)) }
        }
        self.queries = queries
        self.judgments = judgments
    }
}
