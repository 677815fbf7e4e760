import AcademicHub
import HubCore
import HubStore
import ArgumentParser
import Foundation

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print one paper by key (arxiv:ID, an arXiv id or URL, a DOI).")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "The paper: a key, arXiv id or address, DOI, or its title.") var key: String
    @Flag(help: "Print the paper as JSON.") var json = false

    func run() throws {
        try guarded {
            guard !key.allSatisfy(\.isWhitespace) else { throw Failure("the paper key is empty; try `ahub search` to find its key") }
            let hub = try library.open()
            guard let stored = try hub.paper(keyOrTitle: key) else {
                throw Failure("no paper \(key) in the library (\(hub.store.path)); search finds keys")
            }
            let p = stored.paper
            // A version asked for other than the one kept is said, not passed over (the paper is shown as kept).
            if let notice = Hub.versionNotice(asked: key, shown: stored) { Terminal.warn("\(key): \(notice)") }
            if json {
                struct Out: Encodable { var paper: Paper; var addedAt: String; var versions: [PaperVersionJSON] }
                try Terminal.printJSON(Out(paper: p, addedAt: stored.addedAt,
                                           versions: stored.versions.map { PaperVersionJSON(version: $0.version, date: $0.date, source: $0.source, seenAt: $0.seenAt) }))
                return
            }
            // Feed text goes to a terminal: no control characters from a title or abstract.
            func say(_ line: String) { print(Terminal.withoutControlCharacters(line)) }
            say(p.title)
            say(String(repeating: "=", count: min(80, max(10, Terminal.columns(p.title)))))  // as wide as the title shows
            say("key:        \(p.key)")
            say("source:     \(p.source)  (\(p.nativeID)\(p.version.map { " " + $0 } ?? ""))")
            if !p.categories.isEmpty { say("categories: \(p.categories.joined(separator: ", "))") }
            if let d = p.published { say("published:  \(d)") }
            if let d = p.updated { say("updated:    \(d)") }
            if let t = p.announceType { say("announced:  \(t)") }
            if !p.authors.isEmpty { say("authors:    \(p.authors.joined(separator: ", "))") }
            if let doi = p.doi { say("doi:        \(doi)") }
            if let url = p.url { say("url:        \(url)") }
            if let j = p.journalRef { say("journal:    \(j)") }
            if let c = p.comment { say("comment:    \(c)") }
            if stored.versions.count > 0 {
                say("versions:   " + stored.versions.map { "\($0.version.isEmpty ? "-" : $0.version) \($0.date ?? "") (\($0.source))" }.joined(separator: "; "))
            }
            say("")
            say(p.abstract)
        }
    }
}

struct PaperVersionJSON: Encodable {
    var version: String
    var date: String?
    var source: String
    var seenAt: String
}
