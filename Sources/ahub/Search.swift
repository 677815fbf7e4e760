import AcademicHub
import HubCore
import HubStore
import ArgumentParser
import Foundation
import HubStore

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the library by keyword (BM25 over title, authors and abstract), by meaning, or both.",
        discussion: """
            Query language: bare words (a paper need not hold them all; BM25 orders them), "exact phrases", \
            -excluded (or NOT excluded), OR, prefix*, and filters author:NAME cat:CATEGORY source:NAME after:YYYY-MM-DD \
            before:YYYY-MM-DD; -author:, -cat: and -source: leave out what they match.
            """)

    @OptionGroup var library: LibraryOptions
    // Taken as typed, a leading "-" too: `ahub search '-survey graph'` is a query, not options.
    @Argument(parsing: .allUnrecognized, help: "The query.") var query: [String] = []
    @Option(parsing: .unconditional, help: "Results per page.") var limit = 10
    @Option(parsing: .unconditional, help: "Results to skip.") var offset = 0
    @Option(help: """
        keyword (BM25), semantic (embeddings; TF-IDF cosine for a query the model cannot read) or hybrid (both \
        fused); default hybrid once the papers have vectors (`ahub embed`), keyword before.
        """)
    var mode: Hub.SearchMode?
    @Flag(help: "Print results as JSON.") var json = false

    static let optionNames: Set<String> = ["limit", "offset", "mode", "json", "library", "help"]

    /// The query's words; a bare `--` (the usual end of options) is none of them.
    var words: [String] { query.filter { $0 != "--" } }

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        guard offset >= 0 else { throw ValidationError("--offset cannot be negative") }
        guard !words.joined().trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("give a query to search for") }
        // Words may start with "-" (`-survey`, `-cat:cs.SE`: exclusions). A "--word" standing alone is a mistyped
        // option; inside a quoted query only search's own options are (`'graphs --limit 5'` would search for "5"),
        // the rest is text (`--the missing piece`, an em dash typed as two hyphens); after a bare `--` all is text.
        let typed = query.prefix { $0 != "--" }
        for argument in typed {
            let pieces = argument.split(whereSeparator: \.isWhitespace)
            for word in pieces where word.hasPrefix("--") && word.dropFirst(2).first?.isLetter == true {
                let name = String(word.dropFirst(2).prefix { $0 != "=" })
                if Self.optionNames.contains(name) {
                    throw ValidationError("--\(name) is inside the query here, and would be searched for: give it outside the quotes "
                        + "(ahub search 'graph networks' --\(name)\(name == "json" ? "" : " …"))")
                }
                if pieces.count == 1 {
                    throw ValidationError("unknown option \(word); see ahub search --help (to search for it, put it after -- or in quotes with other words)")
                }
            }
        }
    }

    func run() throws {
        try guarded {
            let hub = try library.open()
            let results = try hub.search(words.joined(separator: " "), mode: mode, limit: limit, offset: offset)
            // What the list cannot show (words past the cap, papers without a vector) on stderr; a date filter's
            // undated papers after "No papers match", the line they explain.
            let undated = results.notices.filter { $0.kind == "undated" }.map(\.message)
            for notice in results.notices where notice.kind != "undated" || json || !results.hits.isEmpty { Terminal.warn(notice.message) }
            if json {
                let handle = try hub.rememberList(kind: "search", input: results.query, keys: results.hits.map(\.paper.key.rawValue))
                try Terminal.printJSON(ResultListJSON(results, handle: handle))
                return
            }
            if results.hits.isEmpty {
                if results.total > 0 {
                    print(Terminal.withoutControlCharacters("\"\(Terminal.clipped(results.query, to: 200))\" has \(Terminal.count(results.total, "hit")); --offset \(results.offset) is past the last."))
                } else {
                    // A query pasted whole (a 12 KB abstract) is not printed back whole.
                    print(([Terminal.withoutControlCharacters("No papers match \(Hub.quoted(Terminal.clipped(results.query, to: 200))).")] + undated).joined(separator: " "))
                }
                return
            }
            if (mode ?? hub.defaultSearchMode()) == .hybrid, results.mode == Hub.SearchMode.semantic.rawValue {
                print(results.notices.contains { $0.kind == "filtered" }
                      ? "No paper the filters and exclusions keep holds these words; the nearest by meaning among them:\n"
                      : "No paper holds these words; the nearest by meaning:\n")
            }
            for (i, hit) in results.hits.enumerated() {
                let p = hit.paper
                let where_ = ([p.source] + p.categories.prefix(1)).joined(separator: "/")
                print(String(format: "%3d. %@  ", results.offset + i + 1, Terminal.score(hit.score, width: 7))
                      + Terminal.withoutControlCharacters("\(p.key)  \(p.date ?? "----------")  \(where_)"))
                print("     " + Terminal.marked(hit.highlightedTitle))
                if !hit.snippet.isEmpty { print("     " + Terminal.marked(hit.snippet)) }
                print("")
            }
            let last = results.offset + results.hits.count
            print(results.total == 1 ? "1 hit" : "\(results.offset + 1)–\(last) of \(results.total) hits")
        }
    }
}

extension Hub.SearchMode: ExpressibleByArgument {
    /// In any case, as the API reads it (`--mode KEYWORD`).
    public init?(argument: String) { self.init(rawValue: argument.trimmingCharacters(in: .whitespaces).lowercased()) }
}
