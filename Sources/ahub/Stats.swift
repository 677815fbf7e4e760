import AcademicHub
import HubCore
import HubStore
import ArgumentParser
import Foundation

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Count the library's papers by source, category and month.")

    @OptionGroup var library: LibraryOptions
    @Option(parsing: .unconditional, help: "Rows to list under each of sources, categories and months (the JSON lists them all).") var top = 15
    @Flag(help: "Print the counts as JSON.") var json = false

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        try guarded {
            let hub = try library.open()
            let stats = try hub.stats()
            if json { try Terminal.printJSON(stats); return }
            print("library:  \(stats.path)")
            print("size:     \(ByteCountFormatter.string(fromByteCount: stats.bytes, countStyle: .file))")
            print("papers:   \(stats.papers) (\(Terminal.count(stats.versions, "version")) seen)")
            if let missing = try? hub.papersWithoutVectors(), missing > 0 {
                print("vectors:  \(missing == 1 ? "1 paper has" : "\(missing) papers have") none yet; semantic search misses \(missing == 1 ? "it" : "them") until `ahub embed`")
            }
            func table(_ title: String, _ rows: [LibraryStats.Count]) {
                print("\n\(title)")
                for row in rows.prefix(top) { print(String(format: "  %8d  ", row.papers) + Terminal.withoutControlCharacters(row.name)) }
                if rows.count > top { print("  … \(rows.count - top) more") }
            }
            table("by source", stats.bySource)
            table("by category", stats.byCategory)
            table("by month", stats.byMonth)
        }
    }
}
