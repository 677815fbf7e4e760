import AcademicHub
import ArgumentParser
import Foundation

struct Brief: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cross-disciplinary briefings of a list of papers: themes, bridges across fields, what to read first.",
        subcommands: [Make.self, List.self, Show.self, Delete.self],
        defaultSubcommand: Make.self)

    struct Make: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "make",
            abstract: "Brief a search, a radar's feed, a similar list, named papers or a list from --json (stored; `ahub brief list`).")
        @OptionGroup var library: LibraryOptions
        @Option(help: "A radar: its feed.") var radar: String?
        @Option(parsing: .unconditional, help: "With --radar: papers dated within the last N days (default: every date).") var days: Int?
        @Option(parsing: .unconditional, help: "A search query: its results (it may start with -).") var query: String?
        @Option(help: "A paper (key or title): the papers most like it.") var similar: String?
        @Option(parsing: .upToNextOption, help: "Papers by key or title.") var papers: [String] = []
        @Option(help: "A list handed out by `--json` (search, similar, radar feed).") var fromHandle: String?
        @Option(help: "en or zh.") var lang: BriefLanguage = .en
        @Option(help: "extractive (offline), llm (brief.url, brief.model) or command (brief.command); default: the brief.provider setting.")
        var provider: BriefProvider?
        @Option(parsing: .unconditional, help: "Papers from the list, at most 200 (default 30; with --papers, every paper named).") var limit: Int?
        @Option(help: "Write the Markdown to this file instead of printing it (- prints it).") var out: String?
        @Flag(help: "Print the briefing as JSON.") var json = false

        func validate() throws {
            let given = [radar != nil, query != nil, similar != nil, !papers.isEmpty, fromHandle != nil].filter { $0 }.count
            guard given == 1 else {
                throw ValidationError(given == 0 ? "give one of --radar, --query, --similar, --papers, --from-handle"
                    : "give only one of --radar, --query, --similar, --papers, --from-handle: a briefing is of one list")
            }
            if let limit, !(1...200).contains(limit) { throw ValidationError("--limit must be between 1 and 200") }
            if let days, !(1...3_650).contains(days) { throw ValidationError("--days must be from 1 to 3650") }
            if days != nil, radar == nil { throw ValidationError("--days is read with --radar only") }
        }

        func run() throws {
            try guarded {
                let hub = try library.open()
                let out = self.out == "-" ? nil : self.out  // `--out -` is standard output
                // The file is checked before any work (an LLM's answer costs time and money).
                if let out { try Terminal.checkWritable(out) }
                let limit = self.limit ?? (papers.isEmpty ? 30 : min(papers.count, 200))
                let input: BriefInput = radar.map { .radar($0, days: days) } ?? query.map { .query($0) }
                    ?? similar.map { .similar($0) } ?? fromHandle.map { .handle($0) } ?? .papers(papers)
                // An LLM's answer streams to a terminal as it is written; the stored briefing follows it.
                let streaming = !json && out == nil && isatty(STDOUT_FILENO) != 0
                let streamed = StreamedText()
                // A brief.command runs in a process group of its own, which Ctrl-C at the terminal does not reach:
                // an interrupt stops it here, then ends ahub as the signal would.
                let traps = Fetch.onInterrupt { number in BriefCommands.terminateAll(); Glibc.exit(128 + number) }
                defer { traps.forEach { $0.cancel() } }
                var onText: (@Sendable (String) -> Void)?
                if streaming { onText = { @Sendable piece in streamed.write(Terminal.withoutControlCharacters(piece)) } }
                let briefing = try hub.brief(input, language: lang, limit: limit, provider: provider, onText: onText)
                if json, out == nil { try Terminal.printJSON(briefing); return }
                if let out {
                    do {
                        // With --json the file holds the structure, as stdout would.
                        let data = json ? try Terminal.jsonData(briefing) : Data(briefing.markdown.utf8)
                        try Terminal.write(data, to: out)
                    } catch let failure as Failure {
                        throw Failure(failure.description + " (the briefing is kept: `ahub brief show \(briefing.id ?? 0)`)")
                    }
                    // What the file says about how it was made (an LLM that failed, the extractive briefing in
                    // its place) is said here too.
                    for notice in briefing.notices { Terminal.warn(notice) }
                    print("briefing \(briefing.id ?? 0) written to \(out)")
                } else if streamed.wrote && briefing.provider.hasPrefix("llm") {
                    print("\n\n(briefing \(briefing.id ?? 0); `ahub brief show \(briefing.id ?? 0)` prints it whole, with its papers)")
                    for notice in briefing.notices { Terminal.warn(notice) }
                } else {
                    if streamed.wrote { print("\n") }  // an answer cut short: the extractive briefing follows
                    print(Terminal.withoutControlCharacters(briefing.markdown), terminator: "")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The briefings made so far.")
        @OptionGroup var library: LibraryOptions
        @Flag(help: "Print as JSON.") var json = false
        func run() throws {
            try guarded {
                let records = try library.open().briefings()
                if json { try Terminal.printJSON(records); return }
                if records.isEmpty { print("No briefings yet: `ahub brief --query …` makes one."); return }
                for r in records {
                    print("\(r.id)  \(r.createdAt)  \(r.provider)  \(r.language)  \(Terminal.count(r.papers, "paper"))  \(Terminal.withoutControlCharacters(r.input))")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A stored briefing.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "Its id (`ahub brief list`).") var id: Int64
        @Flag(help: "Print as JSON.") var json = false
        func run() throws {
            try guarded {
                let briefing = try library.open().briefing(id: id)
                if json { try Terminal.printJSON(briefing) } else { print(Terminal.withoutControlCharacters(briefing.markdown), terminator: "") }
            }
        }
    }
}

extension Brief {
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove stored briefings.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "Their ids (`ahub brief list`).") var ids: [Int64]
        func run() throws {
            try guarded {
                let hub = try library.open()
                // Every id checked first: one unknown id deletes nothing. An id named twice is one.
                var unique: [Int64] = []
                for id in ids where !unique.contains(id) { unique.append(id) }
                for id in unique { _ = try hub.briefing(id: id) }
                for id in unique {
                    try hub.deleteBriefing(id: id)
                    print("briefing \(id) deleted")
                }
            }
        }
    }
}

extension BriefLanguage: ExpressibleByArgument {}

extension BriefProvider: ExpressibleByArgument {}

/// Text written to stdout as it arrives.
final class StreamedText: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var wrote = false
    func write(_ piece: String) {
        lock.withLock {
            wrote = true
            FileHandle.standardOutput.write(Data(piece.utf8))
        }
    }
}
