import Foundation
import HubCore
import HubFeeds

/// The package's Fixtures/ folder, found from this file's path (Tests/HubFeedsTests/ → package root).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // HubFeedsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Fixtures")

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

    static func text(_ path: String) throws -> String { String(decoding: try data(path), as: UTF8.self) }

    /// Parses a fixture with its path as origin.
    static func parse(_ path: String) throws -> ParsedFeed {
        try FeedParser.parse(data(path), origin: url(path).path)
    }

    /// The one file of arxiv-api/ whose name starts with `prefix` (names end in a hash of the URL).
    static func arxivAPI(_ prefix: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: url("arxiv-api").path)
        let matches = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".xml") }
        guard matches.count == 1 else { throw FixtureError("expected one arxiv-api file starting \(prefix), found \(matches)") }
        return "arxiv-api/" + matches[0]
    }

    static let arxivRSS = "arxiv-rss/cs.AI+cs.LG+math.PR+quant-ph.xml"

    /// The seed papers as JSON objects, for comparing what parsers return against what the digest showed.
    static func seeds() throws -> [[String: Any]] {
        try text("seed-papers.jsonl").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ParsedFeed {
    func paper(_ key: String) -> Paper? { papers.first { $0.key.rawValue == key } }
}

/// XML-escapes text for building feeds in tests.
func xmlEscaped(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;")
}
