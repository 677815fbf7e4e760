import AcademicHub
import HubCore
import ArgumentParser
import Foundation

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the terms the analyzer makes of a text, as the index and queries see them.",
        discussion: """
            Each line: term, then the UTF-8 byte range and the original characters it came from. With --query, \
            the text is read as `ahub search` reads it: each word, phrase, prefix and OR with the terms it \
            looks for, the exclusions and filters, and the FTS5 expression the search runs.
            """)

    @Argument(help: "The text to analyze.") var text: [String]
    @Flag(help: "Read the text as a search query (its operators and filters), not as a paper's text.") var query = false

    func validate() throws {
        guard !text.joined().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("give a text to analyze") }
    }

    func run() throws {
        try guarded {
            let analyzer = try Analyzer()
            let joined = text.joined(separator: " ")
            guard query else {
                let bytes = Array(joined.utf8)
                for token in analyzer.tokens(joined, mode: .document) {
                    let surface = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
                    print(Self.line([token.term, "\(token.start)..<\(token.end)", surface]))
                }
                return
            }
            // `2606.13857`, a DOI: search answers with the paper itself when the library has one by that key.
            if let key = Hub.keyShaped(joined) {
                print(Self.line(["key", key, "→ the paper with this key, when the library has one; else these words (in double quotes: always the words)"]))
            }
            let parsed = try QueryParser(analyzer: analyzer).parse(joined)
            func terms(_ text: String) -> String { analyzer.tokens(text, mode: .query).map(\.term).joined(separator: " ") }
            // Each line's fields apart until printed: a tab inside a phrase stays in its field.
            func clause(_ c: Query.Clause) -> [String] {
                switch c {
                case .word(let w): return ["word", w, "→ \(terms(w))"]
                case .phrase(let p): return ["phrase", "\"\(p)\"", "→ \(terms(p))"]
                case .prefix(let p): return ["prefix", "\(p)*", "→ \(terms(p))*"]
                case .anyOf(let cs): return ["either", cs.map { clause($0).joined(separator: " ") }.joined(separator: "  |  ")]
                }
            }
            var lines = parsed.should.map(clause) + parsed.exclude.map { ["without", clause($0).joined(separator: " ")] }
            let filters: [(String, [String])] = [
                ("author:", parsed.authors), ("cat:", parsed.categories), ("source:", parsed.sources),
                ("after:", parsed.after.map { [$0] } ?? []), ("before:", parsed.before.map { [$0] } ?? []),
                ("-author:", parsed.excludedAuthors), ("-cat:", parsed.excludedCategories), ("-source:", parsed.excludedSources),
            ]
            lines += filters.flatMap { name, values in values.map { ["filter", name + $0] } }
            if parsed.unranked > 0 { lines.append(["unranked", "\(parsed.unranked) past the \(QueryParser.maxTerms)th, not searched for"]) }
            lines.append(["fts5", parsed.fts5Expression() ?? "(none: filters alone)"])
            for line in lines { print(Self.line(line)) }
        }
    }

    /// Tab-separated fields, each without control characters (a text's own tab or escape would shift or colour the columns).
    static func line(_ fields: [String]) -> String {
        fields.map(Terminal.withoutControlCharacters).joined(separator: "\t")
    }
}
