import AcademicHub
import ArgumentParser
import Foundation

struct Similar: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Papers most like a given one (more like this): by meaning and by its distinctive terms.")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "The paper: a key, arXiv id, arXiv URL, DOI, or its title.") var paper: String
    @Option(parsing: .unconditional, help: "How many (1 to 100).") var limit = 10
    @Option(parsing: .unconditional, help: "Results to skip.") var offset = 0
    @Flag(help: "Print results as JSON.") var json = false

    func validate() throws {
        guard (1...100).contains(limit) else { throw ValidationError("--limit must be between 1 and 100") }
        guard offset >= 0 else { throw ValidationError("--offset cannot be negative") }
    }

    func run() throws {
        try guarded {
            let hub = try library.open()
            let results = try hub.similar(paper, limit: limit, offset: offset)
            for notice in results.notices { Terminal.warn(notice.message) }
            if json {
                let handle = try hub.rememberList(kind: "similar", input: results.query, keys: results.hits.map(\.paper.key.rawValue))
                try Terminal.printJSON(ResultListJSON(results, handle: handle))
                return
            }
            // How they were found, in words: the mode's name is the API's.
            let how = results.mode == "similar" ? "by meaning and distinctive terms" : results.mode == "similar-terms" ? "by distinctive terms" : results.mode
            print(Terminal.withoutControlCharacters("more like \(results.query) (\(how)):"))
            for (i, hit) in results.hits.enumerated() {
                let p = hit.paper
                print(String(format: "%3d. %@  ", results.offset + i + 1, Terminal.score(hit.score, width: 6))
                      + Terminal.withoutControlCharacters("\(p.key)  \(p.date ?? "----------")  \(p.source)"))
                print("     " + Terminal.withoutControlCharacters(p.title))
            }
            if results.hits.isEmpty {
                print(results.total > 0 ? "\(results.total) papers are like it; --offset \(results.offset) is past the last" : "nothing like it in the library yet")
            } else if results.offset > 0 || results.total > results.hits.count {
                print("\(results.offset + 1)–\(results.offset + results.hits.count) of \(results.total)")
            }
        }
    }
}
