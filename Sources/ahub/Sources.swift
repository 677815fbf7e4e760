import AcademicHub
import ArgumentParser
import Foundation
import HubFeeds
import HubStore

struct Sources: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the live sources `ahub fetch` reads.",
        subcommands: [List.self, Add.self, Remove.self, Enable.self, Disable.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sources with their state, schedule and last error.")
        @OptionGroup var library: LibraryOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() throws {
            try guarded {
                let hub = try library.open()
                let sources = try hub.sources()
                if json {
                    try Terminal.printJSON(sources.map(SourceJSON.init))
                    return
                }
                if sources.isEmpty {
                    print("no sources yet; add one, for example: ahub sources add cs-cl --kind arxiv-rss --category cs.CL")
                    return
                }
                let now = Date()
                for source in sources {
                    let r = source.record
                    // A harvest that keeps failing says so too: a health check looks for "failing".
                    let failing = r.failures > 0 ? "failing (\(r.failures)×)" : nil
                    let state = !r.enabled ? "disabled"
                        : source.harvestInProgress ? "harvest in progress" + (failing.map { ", \($0)" } ?? "")
                        : failing ?? (r.lastSuccess == nil ? "never fetched" : "ok")
                    let due = source.nextDue.map { $0 <= now ? "due now" : "due \(Duration.relative($0, from: now))" } ?? "due now"
                    print("\(r.name)  \(r.kind)  \(Terminal.withoutControlCharacters(source.spec.summary))")
                    print("    \(state); every \(Duration.text(r.interval)); \(r.enabled ? due : "not scheduled")"
                        + (r.lastSuccess.map { "; last success \($0)" } ?? ""))
                    if let base = source.spec.baseURL { print("    base URL \(base)") }
                    if let error = r.lastError { print("    last error: \(Terminal.withoutControlCharacters(error))") }
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a source.",
            discussion: """
                Kinds: arxiv-rss (--category, one or more), arxiv-api (--query, --category or --id; paged \
                backfill), arxiv-oai (--set, optionally --category to keep), biorxiv and medrxiv (optional \
                --category), nature (--journal, default nature), rss and atom (--url). Every kind takes \
                --base-url for a mirror, a proxy or a test server.

                Examples:
                  ahub sources add cs-cl --kind arxiv-rss --category cs.CL --category cs.LG
                  ahub sources add rag --kind arxiv-api --query 'abs:"retrieval augmented"' --since 2026-01-01
                  ahub sources add neuro --kind biorxiv --category neuroscience
                  ahub sources add natmi --kind nature --journal natmachintell
                """)

        @OptionGroup var library: LibraryOptions
        @Argument(help: "A name for the source (letters, digits, '.', '_', '-').") var name: String
        @Option(help: ArgumentHelp("One of: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
        var kind: String
        @Option(name: .customLong("category"), help: "A category (repeat for more).") var categories: [String] = []
        @Option(help: "arxiv-api: a query in arXiv's syntax.") var query: String?
        @Option(name: .customLong("id"), help: "arxiv-api: an arXiv id to fetch (repeat for more).") var ids: [String] = []
        @Option(help: "arxiv-oai: the OAI set (cs, math, physics:astro-ph).") var set: String?
        @Option(help: "nature: the journal's feed name (nature, natmachintell, ncomms).") var journal: String?
        @Option(help: "rss/atom (or nature): the feed URL.") var url: String?
        @Option(help: "Replace the kind's default endpoint.") var baseURL: String?
        @Option(parsing: .unconditional, help: "arxiv-api: results per request (default 100).") var pageSize: Int?
        @Option(parsing: .unconditional, help: "arxiv-api: most records one harvest reads (default 1000 without a date window).") var limit: Int?
        @Option(help: "Windowed kinds: the first harvest starts at this day, YYYY-MM-DD (default a week back).") var since: String?
        @Option(help: "How often it is due: 30m, 6h, 1d.") var every: String = "6h"
        @Flag(help: "Add it disabled.") var disabled = false

        func run() throws {
            try guarded {
                guard let sourceKind = SourceKind(rawValue: kind) else {
                    throw Failure("unknown kind '\(kind)'; one of: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let interval = try Duration.parse(every)
                let spec = SourceSpec(
                    kind: sourceKind, categories: categories, query: query, ids: ids, set: set, journal: journal, url: url,
                    baseURL: baseURL, pageSize: pageSize, limit: limit, since: since)
                let hub = try library.open(creating: true)
                try hub.addSource(name: name, spec: spec, interval: interval)
                if disabled { try hub.setSourceEnabled(name, false) }
                print("added \(name) (\(kind): \(spec.summary)); `ahub fetch \(name)` fetches it now")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a source (its papers stay in the library).")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "Source names.") var names: [String]

        func run() throws {
            try guarded {
                let hub = try library.open()
                for name in try Sources.known(names, hub) {
                    try hub.removeSource(name)
                    print("removed \(name)")
                }
            }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable sources (due at once).")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "Source names.") var names: [String]

        func run() throws {
            try guarded {
                let hub = try library.open()
                for name in try Sources.known(names, hub) {
                    try hub.setSourceEnabled(name, true)
                    print("\(name) enabled: due at once")
                }
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable sources: `ahub fetch` skips them unless named.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "Source names.") var names: [String]

        func run() throws {
            try guarded {
                let hub = try library.open()
                for name in try Sources.known(names, hub) {
                    try hub.setSourceEnabled(name, false)
                    print("\(name) disabled: `ahub fetch` skips it unless named")
                }
            }
        }
    }
}

extension Sources {
    /// The names, each once, after checking every one: one unknown name changes nothing.
    static func known(_ names: [String], _ hub: Hub) throws -> [String] {
        let all = Set(try hub.sources().map(\.record.name))
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        if let missing = unique.first(where: { !all.contains($0) }) {
            throw Failure("no source named '\(missing)'; nothing was changed (`ahub sources list`)")
        }
        return unique
    }
}

/// Durations as people type them: `90s`, `30m`, `6h`, `1d`, or plain seconds.
enum Duration {
    static func parse(_ text: String) throws -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let seconds = Double(trimmed), seconds > 0 { return seconds }
        if let unit = trimmed.last, let factor = units[unit], let value = Double(trimmed.dropLast()), value > 0 {
            return value * factor
        }
        throw Failure("'\(text)' is not a duration; write 30m, 6h or 1d")
    }

    static func text(_ seconds: TimeInterval) -> String {
        // An interval stored before intervals had a ceiling may pass Int.max.
        guard seconds.isFinite, seconds < 1e15 else { return String(format: "%.0fs", seconds) }
        if seconds >= 86400, seconds.truncatingRemainder(dividingBy: 86400) == 0 { return "\(Int(seconds / 86400))d" }
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return "\(Int(seconds))s"
    }

    /// "in 5h 12m".
    static func relative(_ date: Date, from now: Date) -> String {
        let interval = date.timeIntervalSince(now)
        guard interval.isFinite, interval < 1e15 else { return "in over 30,000 years" }
        let seconds = Int(interval.rounded())
        if seconds < 60 { return "in \(seconds)s" }
        // To the nearest minute: a back-off of 5 minutes, a second after it was set, is "in 5m", not 4.
        let minutes = (seconds + 30) / 60
        if minutes < 60 { return "in \(minutes)m" }
        if minutes < 48 * 60 { return "in \(minutes / 60)h \(minutes % 60)m" }
        // Days from two on, to the nearest hour: "in 7d", not "in 168h 0m".
        let hours = (minutes + 30) / 60
        return hours % 24 == 0 ? "in \(hours / 24)d" : "in \(hours / 24)d \(hours % 24)h"
    }
}
