import AcademicHub
import ArgumentParser
import Foundation

struct Radar: ParsableCommand {
    /// A radar's name as a shell reads it back: quoted when it holds anything but plain characters.
    static func quoted(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } ? name : "'" + name.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }


    static let configuration = CommandConfiguration(
        abstract: "Personal feeds that learn from your feedback and say why each paper is there.",
        subcommands: [Create.self, Feed.self, Like.self, Dislike.self, Save.self, Hide.self, Undo.self, Show.self, Rated.self,
                      List.self, Rename.self, Delete.self, Export.self, Import.self],
        defaultSubcommand: List.self)

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a radar from a description, keywords, categories, sources and seed papers.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The radar's name.") var name: String
        // Read as a list only to refuse a second one: the last of two had silently replaced the first.
        @Option(name: .customLong("describe"), parsing: .unconditionalSingleValue, help: "What you follow, in your words.") var descriptions: [String] = []
        var describe: String { descriptions.first ?? "" }

        func validate() throws {
            if descriptions.count > 1 {
                throw ValidationError("--describe is given \(descriptions.count) times; a radar has one description: give it once, "
                    + "in quotes (--describe \"\(descriptions.joined(separator: " "))\"), and words that matter on their own as --keywords")
            }
        }
        @Option(parsing: .upToNextOption, help: "Words or phrases that matter.") var keywords: [String] = []
        @Option(name: .customLong("category"), help: "A category to favour (cs.CL, q-bio.NC…); repeat for more.") var categories: [String] = []
        @Option(name: .customLong("source"), help: "A source to favour (arxiv, biorxiv…); repeat for more.") var sources: [String] = []
        @Option(name: .customLong("seed"), help: "A paper you like (a key, arXiv id, DOI or its title); repeat for more.") var seeds: [String] = []
        @Option(name: .customLong("seed-file"),
                help: "Your library's export (BibTeX .bib, RIS .ris, CSL-JSON .json): its papers in the archive become seeds, matched by DOI, arXiv id or title; repeat for more.")
        var seedFiles: [String] = []

        /// How many of a seed file's entries not in the library are named one by one.
        static let missingListed = 10

        func run() throws {
            try guarded {
                try library.making { hub in
                    if !seedFiles.isEmpty { try hub.checkNewRadarName(name) }
                    var seeds = seeds
                    // A file named twice (`./lib.bib` and `lib.bib` too) is read once, as `import` reads one.
                    var read = Set<String>()
                    for seedFile in seedFiles where read.insert(URL(fileURLWithPath: seedFile).standardizedFileURL.resolvingSymlinksInPath().path).inserted {
                        let (keys, problems, missing) = try hub.seedFile(seedFile)
                        for line in problems { Terminal.warn(line) }
                        // A large export holds thousands of papers the archive lacks: the first few say which.
                        for line in missing.prefix(Self.missingListed) { Terminal.warn(line) }
                        if missing.count > Self.missingListed {
                            Terminal.warn("… and \(missing.count - Self.missingListed) more entries of \(seedFile) not in the library; skipped")
                        }
                        print("\(keys.count) paper\(keys.count == 1 ? "" : "s") of \(seedFile) found in the library")
                        seeds += keys
                    }
                    // Seed files alone, none of whose papers is here: said of the files, not as a radar left undescribed.
                    if !seedFiles.isEmpty, seeds.isEmpty, describe.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, keywords.isEmpty {
                        throw HubError("no paper of \(seedFiles.joined(separator: ", ")) is in the library, and the radar has nothing else to "
                            + "follow: import those papers first, or describe the radar (`--describe`, `--keywords`)")
                    }
                    let radar = try hub.createRadar(RadarSpec(name: name, description: describe, keywords: keywords,
                                                              categories: categories, sources: sources, seeds: seeds))
                    for warning in try hub.createWarnings(radar) { Terminal.warn(warning) }
                    let seeded = radar.seeds == 0 ? "" : " with \(radar.seeds) seed paper\(radar.seeds == 1 ? "" : "s")"
                    let elsewhere = library.library.map { " --library \(Radar.quoted($0))" } ?? ""
                    print("radar \(radar.name) created\(seeded); `ahub radar feed\(elsewhere) \(Radar.quoted(radar.name))` shows today's papers")
                }
            }
        }
    }

    struct Feed: ParsableCommand {
        static let pastTense: [RadarSignal: String] = [.like: "liked", .dislike: "disliked", .save: "saved", .hide: "hidden"]
        /// A stored signal as a rating reads: "liked" for like (a word no signal names stays as it is).
        static func pastTense(of signal: String) -> String { RadarSignal(rawValue: signal).flatMap { pastTense[$0] } ?? signal }
        static let configuration = CommandConfiguration(abstract: "Today's ranked feed, each paper with its reasons.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The radar's name.") var name: String
        @Option(help: "Papers dated this day (YYYY-MM-DD).") var date: String?
        @Option(parsing: .unconditional, help: "Papers dated within the last N days (default 1: today).") var days: Int?
        @Option(parsing: .unconditional, help: "Papers in the feed (1 to 200).") var limit = 10
        @Flag(help: "Every paper in the library, whatever its date.") var anyDate = false
        @Flag(help: "Also papers already shown on an earlier day, hidden or rated.") var all = false
        @Flag(help: "Print as JSON.") var json = false

        func validate() throws {
            guard (1...200).contains(limit) else { throw ValidationError("--limit must be between 1 and 200") }
            if let days, !(1...3_650).contains(days) { throw ValidationError("--days must be from 1 to 3650") }
            if date != nil, days != nil { throw ValidationError("give --date or --days, not both") }
            if anyDate, date != nil || days != nil { throw ValidationError("--any-date takes every date: give it without --date or --days") }
            if let date, !Hub.isDay(date) {
                // In the form but no day of the calendar (2026-02-30) is said so, not as a wrong form.
                let shaped = date.range(of: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#, options: .regularExpression) != nil
                throw ValidationError(shaped ? "--date \(date) is no day of the calendar" : "--date takes a day as YYYY-MM-DD, not \(date)")
            }
        }

        func run() throws {
            try guarded {
                let hub = try library.open()
                let window: FeedWindow = anyDate ? .all : date.map { .day($0) } ?? .days(days ?? 1, today: Hub.today())
                // Recorded as shown once all of it reached standard output (a full disk behind `>` shows nothing).
                let feed = try hub.radarFeed(name, window: window, limit: limit, includeSeen: all, record: false)
                try show(feed, hub: hub)
                Terminal.finishOutput()
                // `--all` looks back over what was shown and rated: it shows nothing new for the feed to leave out
                // later (a look over the whole library had emptied the next day's feed).
                if !all { try hub.recordShown(feed) }
            }
        }

        func show(_ feed: RadarFeed, hub: Hub) throws {
            if json {
                var feed = feed
                feed.handle = try hub.rememberList(kind: "radar", input: "\(feed.radar) · \(feed.window)", keys: feed.items.map(\.key))
                try Terminal.printJSON(feed)
                return
            }
            let window = feed.window == "all" ? "any date" : feed.window
            if feed.items.isEmpty {
                let hint: String
                if feed.inWindow == 0 {
                    if anyDate {
                        hint = "The library has no papers yet: `ahub import` or `ahub fetch` brings some."
                    } else if let newest = feed.newest {
                        hint = "No paper in the library is dated in it; the newest is from \(newest): try --date \(newest), "
                            + "--days N or --any-date."
                    } else if try hub.store.count() == 0 {
                        hint = "The library has no papers yet: `ahub import` or `ahub fetch` brings some."
                    } else {
                        hint = "No paper in the library has a date: try --any-date."
                    }
                } else if feed.candidates == 0 {
                    hint = "Its \(feed.inWindow) paper\(feed.inWindow == 1 ? " was" : "s were") shown on an earlier day or rated: --all shows them again."
                } else if feed.candidates == feed.inWindow {
                    // Left out as the same work as a paper rated, seeded or shown before, from another source.
                    hint = "Its \(feed.inWindow) paper\(feed.inWindow == 1 ? " is a copy" : "s are copies") of papers rated, seeded or shown "
                        + "before (the same work from another source): --all shows \(feed.inWindow == 1 ? "it" : "them")."
                } else {
                    hint = "Its \(feed.inWindow) papers were shown on an earlier day or rated, or are copies of such papers (the same "
                        + "work from another source): --all shows them again."
                }
                let preposition = feed.window == "all" ? "at" : feed.window.contains("…") ? "in" : "on"
                print("No new papers for \(feed.radar) \(preposition) \(window). \(hint)")
                return
            }
            print("\(feed.radar) · \(window) · \(feed.items.count) of \(feed.candidates) papers\n")
            // A radar left with nothing to follow (no description, keywords, categories or sources, its seeds
            // hidden or disliked, nothing liked) ranks by nothing: said first, not as "slight matches".
            // (The profile, which reads the seeds' state, only when the summary leaves the question open.)
            let summary = try hub.radarSummary(feed.radar)
            var adrift = summary.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && summary.keywords.isEmpty
                && summary.categories.isEmpty && summary.sources.isEmpty && (summary.feedback["like"] ?? 0) + (summary.feedback["save"] ?? 0) == 0
            if adrift, summary.seeds > 0 { adrift = try hub.radarProfile(feed.radar).seedPapers.allSatisfy(\.rejected) }
            if adrift {
                print("\(feed.radar) follows nothing now: it has no description or keywords, its seeds are hidden or disliked and "
                    + "nothing is liked, so these papers are only ranked away from what was disliked. Like one (`ahub radar like "
                    + "\(feed.radar) KEY`), or take a hide back (`ahub radar undo \(feed.radar) KEY`).\n")
            }
            func topical(_ item: FeedItem) -> Bool {
                !item.termsBeyondDescription.isEmpty || !item.resembles.isEmpty || !item.descriptionTerms.isEmpty
                    || (item.matchesDescription && item.descriptionSimilarity != nil)
            }
            // A radar of keywords alone has no description for a paper to match: its words are the keywords.
            let told = summary.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "the keywords" : "the description"
            func reasons(_ item: FeedItem) -> [String] {
                var why: [String] = []
                let terms = item.termsBeyondDescription
                if !terms.isEmpty { why.append("terms: " + terms.joined(separator: ", ")) }
                for r in item.resembles { why.append(String(format: "resembles %@ (%@ %.2f) %@", r.key, r.by, r.similarity, Terminal.clipped(r.title, to: 60))) }
                if !item.descriptionTerms.isEmpty {
                    why.insert("matches \(told): " + item.descriptionTerms.joined(separator: ", "), at: 0)
                } else if item.matchesDescription, let similarity = item.descriptionSimilarity {
                    why.append(String(format: "close in meaning to %@ (%.2f)", told, similarity))
                }
                if let category = item.category, item.categoryIsReason {
                    why.append(String(format: "category %@ (%+.2f)", category, item.categoryWeight))
                }
                if item.sourceIsReason {
                    why.append(String(format: "source %@ (%+.2f)", item.source, item.sourceWeight))
                }
                return why
            }
            // Scores rank a window against itself: the best of a day with nothing on the topic still comes first;
            // said above the papers when none of them has a reason of topic to be there (a category or source the
            // radar favours is said beside a paper, but is no sign it is on the topic).
            let reasoned = feed.items.contains(where: topical)
            if !reasoned, !adrift {
                let place = feed.window == "all" ? "in the library" : (feed.window.contains("…") ? "in " : "on ") + window
                if !(try hub.wordWarnings(summary)).isEmpty {
                    // No paper anywhere holds its words: no window would help; a misspelling might.
                    print("None of these papers holds the radar's words or resembles what it was told to like, and no paper in the "
                        + "library holds any of its words: check their spelling (`ahub radar show \(feed.radar)`), or seed it with a "
                        + "paper you know (`ahub radar like \(feed.radar) KEY`).\n")
                } else {
                    print("None of these papers holds the radar's words or resembles what it was told to like: nothing \(place) is "
                        + "close to it. " + (feed.window == "all" ? "More papers (`ahub import`, `ahub fetch`) may hold some."
                            : "A wider window (--days N, --any-date) or more papers may hold some.") + "\n")
                }
            }
            for item in feed.items {
                let place = ([item.source] + item.categories.prefix(1)).joined(separator: " (") + (item.categories.isEmpty ? "" : ")")
                // With --all, what the user already said of a paper stands beside it.
                let given = item.signal.map { "  [\(Self.pastTense[$0] ?? $0.rawValue)]" } ?? (item.seed ? "  [seed]" : "")
                print(String(format: "%2d. %6.3f  ", item.rank, item.score)
                      + Terminal.withoutControlCharacters("\(item.key)  \(item.date ?? "----------")  \(place)") + given)
                print("    " + Terminal.withoutControlCharacters(item.title))
                if !item.authors.isEmpty {
                    print("    " + Terminal.withoutControlCharacters(item.authors.prefix(4).joined(separator: ", ") + (item.authors.count > 4 ? " et al." : "")))
                }
                var why = reasons(item)
                // Ranked here with nothing to name (words under the bar, lone characters) among papers that have
                // reasons: said, not left blank.
                if why.isEmpty, !item.exploration, !adrift, reasoned {
                    if item.sharesWords {
                        why.append("no one word stands out: many slight matches together")
                    } else {
                        // Nothing it holds is the radar's: a ranking feature relative to the window put it here.
                        why.append("nothing it holds is the radar's; it is here because the window holds few papers closer"
                            + (item.descriptionSimilarity.map { String(format: " (meaning %.2f)", $0) } ?? ""))
                    }
                }
                if item.exploration { why.append("exploring beyond your usual") }
                if !item.duplicates.isEmpty { why.append("also as " + item.duplicates.joined(separator: ", ")) }
                if !why.isEmpty { print("    why: " + Terminal.withoutControlCharacters(why.joined(separator: "; "))) }
                print("")
            }
        }
    }

    /// like, dislike, save, hide: the same command with its signal.
    struct FeedbackOptions: ParsableArguments {
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The radar's name.") var name: String
        @Argument(help: "Papers: keys, arXiv ids or addresses, DOIs, or titles (quoted).") var keys: [String]

        /// The radar named, or "no radar named …" said with the order of the arguments when a paper's place holds a
        /// radar's name (`ahub radar like 2606.13857 nlp`).
        func onRadar<T>(_ hub: Hub, verb: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let error as HubError where error.message.hasPrefix("no radar named") {
                let names = Set(((try? hub.radarSummaries()) ?? []).map { $0.name.lowercased() })
                guard let radar = keys.first(where: { names.contains($0.trimmingWhitespace().lowercased()) }) else { throw error }
                throw HubError(error.message + "; the radar's name comes first, then the papers: ahub radar \(verb) \(Radar.quoted(radar)) \(Radar.quoted(name))")
            }
        }

        func record(_ signal: RadarSignal) throws {
            let hub = try library.open()
            let summary = try onRadar(hub, verb: signal.rawValue) { try hub.radarFeedback(name, keys: keys, signal: signal) }
            let unchanged = summary.unchanged ?? [], papers = try hub.feedbackPapers(keys).count - unchanged.count
            if !unchanged.isEmpty {
                // Named by the library's key, not as typed (a pasted address, a title, blanks around a key).
                let keyed = unchanged.map { (try? hub.paper(keyOrTitle: $0))?.paper.key.rawValue ?? $0 }
                print("\(Hub.named(keyed)) \(unchanged.count == 1 ? "was" : "were") \(Feed.pastTense(of: signal.rawValue)) on \(summary.name) already; nothing recorded for \(unchanged.count == 1 ? "it" : "them")")
            }
            guard papers > 0 else { return }
            print("\(signal.rawValue): \(papers) paper\(papers == 1 ? "" : "s") for \(summary.name) (now \(Self.counts(summary))); the model is updated")
            // Each paper rated by its key and title, so a key or title that named another paper than meant (a title
            // "0", a mistyped id) is seen at once, and `radar undo` takes it back.
            var named = Set<String>(), lines: [String] = []
            let same = Set(unchanged.map { $0.trimmingWhitespace() })
            for key in keys where !same.contains(key.trimmingWhitespace()) {
                guard let paper = try hub.paper(keyOrTitle: key)?.paper, named.insert(paper.key.rawValue).inserted else { continue }
                lines.append("  \(paper.key.rawValue) \(Hub.quoted(String(paper.title.prefix(100))))")
            }
            for line in lines.prefix(10) { print(Terminal.withoutControlCharacters(line)) }
            if lines.count > 10 { print("  … and \(lines.count - 10) more") }
        }

        static func counts(_ summary: RadarSummary) -> String {
            RadarSignal.allCases.map { signal in
                let n = summary.feedback[signal.rawValue] ?? 0
                return "\(n) \(signal.rawValue)\(n == 1 ? "" : "s")"
            }.joined(separator: ", ")
        }
    }

    struct Undo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take back the last rating of these papers (a like or save given by mistake); the one before counts again.")
        @OptionGroup var options: FeedbackOptions
        func run() throws {
            try guarded {
                let hub = try options.library.open()
                let undone = try options.onRadar(hub, verb: "undo") { try hub.radarUndo(options.name, keys: options.keys) }
                for paper in undone.papers {
                    let now = paper.signal.map(Feed.pastTense(of:)) ?? "not rated"
                    print("\(paper.libraryKey): last rating taken back on \(undone.radar.name); now \(now)")
                }
                print("\(undone.radar.name) now has \(FeedbackOptions.counts(undone.radar)); the model is updated")
            }
        }
    }

    struct Like: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "More like these papers.")
        @OptionGroup var options: FeedbackOptions
        func run() throws { try guarded { try options.record(.like) } }
    }

    struct Dislike: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Less like these papers.")
        @OptionGroup var options: FeedbackOptions
        func run() throws { try guarded { try options.record(.dislike) } }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Keep these papers (counts as liking them).")
        @OptionGroup var options: FeedbackOptions
        func run() throws { try guarded { try options.record(.save) } }
    }

    struct Hide: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hide these papers (counts as disliking them).")
        @OptionGroup var options: FeedbackOptions
        func run() throws { try guarded { try options.record(.hide) } }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The radar's profile as its model weighs it now.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The radar's name.") var name: String
        @Flag(help: "Print as JSON.") var json = false

        func run() throws {
            try guarded {
                let hub = try library.open()
                let profile = try hub.radarProfile(name)
                if json { try Terminal.printJSON(profile); return }
                let s = profile.summary
                print(s.description.isEmpty ? s.name : "\(s.name): \(Terminal.withoutControlCharacters(s.description))")
                if !s.keywords.isEmpty { print("keywords: \(Terminal.withoutControlCharacters(s.keywords.joined(separator: ", ")))") }
                if s.seeds > 0 {
                    let rejected = profile.seedPapers.filter(\.rejected)
                    // Which it was, disliked or hidden, from the seeds' last ratings.
                    let signals = rejected.isEmpty ? [:] : Dictionary(
                        try hub.ratedPapers(s.name, signals: [.dislike, .hide], limit: 10_000).papers.map { ($0.key, $0.signal) },
                        uniquingKeysWith: { a, _ in a })
                    let said = { (key: String) in signals[key].map(Feed.pastTense(of:)) ?? "disliked or hidden" }
                    let counts = Dictionary(grouping: rejected.map { said($0.key) }, by: { $0 }).mapValues(\.count)
                        .sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    print("seeds: \(Terminal.count(s.seeds, "paper"))" + (rejected.isEmpty ? "" : " (\(counts) since: no longer followed)"))
                    for seed in profile.seedPapers {
                        print("  \(seed.key)  " + Terminal.withoutControlCharacters(Terminal.clipped(seed.title, to: 70)) + (seed.rejected ? "  [\(said(seed.key))]" : ""))
                    }
                }
                print("feedback: " + FeedbackOptions.counts(s))
                if let awaiting = s.awaiting {
                    print("awaiting: \(Terminal.count(awaiting, "paper")) not in this library yet (its seeds and ratings are taken in when they come: ahub fetch, ahub import)")
                }
                func line(_ title: String, _ items: [RadarProfile.WeightedName]) {
                    // A weight that rounds to zero says nothing (and would print as -0.000).
                    let items = items.filter { abs($0.weight) >= 0.0005 }
                    guard !items.isEmpty else { return }
                    print("\(title): " + items.map { String(format: "%@ %+.3f", $0.word ?? $0.name, $0.weight) }.joined(separator: ", "))
                }
                // A radar of seeds alone has no description for the weight to be of.
                if !profile.summary.description.isEmpty || !profile.summary.keywords.isEmpty {
                    print(String(format: "description match weight %.3f", profile.descriptionWeight))
                }
                line("strongest terms", profile.positiveTerms)
                line("terms against", profile.negativeTerms)
                line("categories", profile.categories)
                line("sources", profile.sources)
            }
        }
    }

    struct Rated: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The papers rated on a radar, the latest first, each with its last rating.",
            discussion: "ahub radar rated NAME --signal save lists the saved papers.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The radar's name.") var name: String
        @Option(help: "Only papers whose last rating is this: like, dislike, save or hide (repeated or comma-separated for several).")
        var signal: [String] = []
        @Option(parsing: .unconditional, help: "Papers listed (1 to 1000).") var limit = 20
        @Option(parsing: .unconditional, help: "Papers skipped first (the next page).") var offset = 0
        @Flag(help: "Print as JSON.") var json = false

        var signals: Set<RadarSignal> {
            get throws {
                do { return try RadarSignal.named(in: signal) } catch {
                    throw ValidationError("--signal is like, dislike, save or hide, not \(error.word)")
                }
            }
        }

        func validate() throws {
            guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
            guard offset >= 0 else { throw ValidationError("--offset must be 0 or more") }
            _ = try signals
        }

        func run() throws {
            try guarded {
                let signals = try signals
                let rated = try library.open().ratedPapers(name, signals: signals, limit: limit, offset: offset)
                if json { try Terminal.printJSON(rated); return }
                let what = RadarSignal.allCases.filter(signals.contains).compactMap { Feed.pastTense[$0] }.joined(separator: " or ")
                guard !rated.papers.isEmpty else {
                    print(rated.total > 0 ? "--offset \(offset) is past the \(rated.total) papers listed"
                        : "no papers \(what.isEmpty ? "rated" : what) on \(rated.radar) yet; rate from its feed: ahub radar "
                            + "\(signals.count == 1 ? signals.first!.rawValue : "save") \(Radar.quoted(rated.radar)) KEY")
                    return
                }
                for paper in rated.papers {
                    let signal = Feed.pastTense(of: paper.signal)
                    print("\(signal.padding(toLength: 9, withPad: " ", startingAt: 0)) \(paper.ratedAt.prefix(10))  \(paper.key)  "
                          + Terminal.withoutControlCharacters(Terminal.clipped(paper.title, to: 70)))
                }
                let left = rated.total - offset - rated.papers.count
                if left > 0 { print("… \(left) more: --offset \(offset + rated.papers.count)") }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List radars.")
        @OptionGroup var library: LibraryOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() throws {
            try guarded {
                let radars = try library.open().radarSummaries()
                if json { try Terminal.printJSON(radars); return }
                if radars.isEmpty { print("no radars yet; for example: ahub radar create nlp --describe \"retrieval-augmented language models\""); return }
                // In columns: name, description ("-" for none: a radar made from keywords or seeds), counts.
                let rows = radars.map { r in
                    (Terminal.withoutControlCharacters(r.name),
                     r.description.isEmpty ? "-" : Terminal.withoutControlCharacters(Terminal.clipped(r.description, to: 70)),
                     "(\(r.feedback.values.reduce(0, +)) rated, \(Terminal.count(r.seeds, "seed"))\(r.awaiting.map { ", \($0) awaited" } ?? ""))")
                }
                let nameWidth = rows.map { Terminal.columns($0.0) }.max() ?? 0
                let describedWidth = rows.map { Terminal.columns($0.1) }.max() ?? 0
                for (name, described, counts) in rows {
                    print(Terminal.padded(name, to: nameWidth) + "  " + Terminal.padded(described, to: describedWidth) + "  " + counts)
                }
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a radar.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The radar's name.") var name: String
        @Argument(help: "Its new name (radar names cannot begin with -).") var newName: String
        func run() throws {
            try guarded {
                let hub = try library.open()
                let old = try hub.radarSummary(name).name  // as kept, not as typed (case, accents)
                let new = try hub.renameRadar(name, to: newName)
                print(new == old ? "\(old) is named so already; nothing changed" : "\(old) is now \(new)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete radars with their feedback.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "One radar or several.") var names: [String] = []

        func validate() throws {
            if names.isEmpty { throw ValidationError("name the radar to delete (`ahub radar list` lists them)") }
        }

        func run() throws {
            try guarded {
                let hub = try library.open()
                // Every name is checked first: a typo in the last deletes none, not all but it; and every name amiss
                // is said, not only the first.
                var stored: [String] = [], missing: [String] = [], first: Error?
                for name in names {
                    do {
                        let name = try hub.radarSummary(name).name
                        if !stored.contains(name) { stored.append(name) }
                    } catch {
                        if !missing.contains(name) { missing.append(name) }
                        first = first ?? error
                    }
                }
                if let first {
                    guard missing.count > 1 else { throw first }
                    throw HubError(try hub.noRadarsNamed(missing) + "; none was deleted")
                }
                for name in stored { print("radar \(try hub.deleteRadar(name)) deleted") }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a radar (description, seeds, feedback) as JSON, to move it to another library.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The radar's name.") var name: String
        @Option(help: "Write to this file instead of standard output (- is standard output).") var out: String?

        func run() throws {
            try guarded {
                let export = try library.open().exportRadar(name)
                let data = try export.fileData()
                if let out, out != "-" {
                    try Terminal.write(data, to: out)
                    print("radar \(export.name) written to \(out) (\(Terminal.count(export.seeds.count, "seed")), \(Terminal.count(export.feedback.count, "feedback event")))")
                } else {
                    print(String(decoding: data, as: UTF8.self), terminator: "")
                }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a radar from a file `ahub radar export` wrote; its model is rebuilt from the feedback.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The file `ahub radar export` wrote (- reads standard input).") var file: String
        @Option(help: "Name it this instead of the name in the file.") var name: String?

        func run() throws {
            try guarded {
                // `-` is standard input, as `export --out -` is standard output.
                let read: Data? = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
                guard let data = read else { throw Failure("cannot read \(file): \(SeedFile.whyUnreadable(file))") }
                let export: RadarExport
                do {
                    export = try RadarExport.read(data)
                } catch let error as HubError {
                    throw Failure("\(file): \(error.message)")
                }
                try library.making { hub in
                    let summary: RadarSummary, skipped: [String]
                    do {
                        (summary, skipped) = try hub.importRadar(export, name: name)
                    } catch where "\(error)".hasSuffix("exists already") {
                        throw Failure("\(error): import it under another name (`--name NAME`), or delete that one first")
                    }
                    for line in skipped { Terminal.warn(line) }
                    for warning in try hub.facetWarnings(categories: export.categories, sources: export.sources) + hub.wordWarnings(summary) {
                        Terminal.warn(warning)
                    }
                    print("radar \(summary.name) imported: \(Terminal.count(summary.seeds, "seed")), \(Terminal.count(summary.feedback.values.reduce(0, +), "paper")) rated"
                          + (summary.awaiting.map { ", \(Terminal.count($0, "paper")) awaited (not in this library yet)" } ?? ""))
                }
            }
        }
    }
}
