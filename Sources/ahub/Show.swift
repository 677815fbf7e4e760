import AcademicHub
import HubCore
import HubStore
import ArgumentParser
import Foundation
import HubCore

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print one paper by key (arxiv:ID, an arXiv id or URL, a DOI).")

    @OptionGroup var library: LibraryOptions
    @Argument(help: "The paper's key.") var key: String
    @Flag(help: "Print the paper as JSON.") var json = false

    func run() throws {
        try guarded {
            let hub = try library.open()
            guard let stored = try hub.paper(key) else {
                throw Failure("no paper with key \(key) in \(hub.store.path); try `ahub search` to find its key")
            }
            let p = stored.paper
            if json {
                struct Out: Encodable { var paper: Paper; var addedAt: String; var versions: [PaperVersionJSON] }
                try Terminal.printJSON(Out(paper: p, addedAt: stored.addedAt,
                                           versions: stored.versions.map { PaperVersionJSON(version: $0.version, date: $0.date, source: $0.source, seenAt: $0.seenAt) }))
                return
            }
            print(p.title)
            print(String(repeating: "=", count: min(80, max(10, p.title.count))))
            print("key:        \(p.key)")
            print("source:     \(p.source)  (\(p.nativeID)\(p.version.map { " " + $0 } ?? ""))")
            if !p.categories.isEmpty { print("categories: \(p.categories.joined(separator: ", "))") }
            if let d = p.published { print("published:  \(d)") }
            if let d = p.updated { print("updated:    \(d)") }
            if let t = p.announceType { print("announced:  \(t)") }
            if !p.authors.isEmpty { print("authors:    \(p.authors.joined(separator: ", "))") }
            if let doi = p.doi { print("doi:        \(doi)") }
            if let url = p.url { print("url:        \(url)") }
            if let j = p.journalRef { print("journal:    \(j)") }
            if let c = p.comment { print("comment:    \(c)") }
            if stored.versions.count > 0 {
                print("versions:   " + stored.versions.map { "\($0.version.isEmpty ? "-" : $0.version) \($0.date ?? "") (\($0.source))" }.joined(separator: "; "))
            }
            print("")
            print(p.abstract)
        }
    }
}

struct PaperVersionJSON: Encodable {
    var version: String
    var date: String?
    var source: String
    var seenAt: String
}
