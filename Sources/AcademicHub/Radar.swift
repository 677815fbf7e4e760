import Foundation
import HubCore
import HubFeeds
import HubStore
import HubVectors

/// What a user says a radar is about.
public struct RadarSpec: Sendable, Codable {
    public var name: String
    public var description: String
    public var keywords: [String] = []
    public var categories: [String] = []
    public var sources: [String] = []
    /// Paper keys (or anything `ahub show` accepts).
    public var seeds: [String] = []

    public init(name: String, description: String, keywords: [String] = [], categories: [String] = [],
                sources: [String] = [], seeds: [String] = []) {
        self.name = name
        self.description = description
        self.keywords = keywords
        self.categories = categories
        self.sources = sources
        self.seeds = seeds
    }
}

/// Feedback on a paper in a feed.
public enum RadarSignal: String, Sendable, Codable, CaseIterable {
    case like, dislike, save, hide
    /// Likes and saves teach "more like this"; dislikes and hides "less".
    public var isPositive: Bool { self == .like || self == .save }

    /// The signals named by `lists`: each "save" or "like, save" (case aside; empty pieces skipped). Throws
    /// `UnknownRadarSignal` naming the first word that is none of them.
    public static func named(in lists: [String]) throws(UnknownRadarSignal) -> Set<RadarSignal> {
        var signals = Set<RadarSignal>()
        for piece in lists.flatMap({ $0.split(separator: ",") }) {
            let word = piece.trimmingCharacters(in: .whitespaces)
            guard !word.isEmpty else { continue }
            guard let signal = RadarSignal(rawValue: word.lowercased()) else { throw UnknownRadarSignal(word: word) }
            signals.insert(signal)
        }
        return signals
    }
}

/// A word given where a radar signal (like, dislike, save, hide) was asked for.
public struct UnknownRadarSignal: Error, Sendable {
    public var word: String
}

/// Which days a feed covers.
public enum FeedWindow: Sendable {
    /// Papers dated `day` (YYYY-MM-DD).
    case day(String)
    /// Papers dated within the last `n` days up to `today`.
    case days(Int, today: String)
    /// Every paper in the library (evaluation, a first look).
    case all
}

/// One paper of a feed, with why it is there.
public struct FeedItem: Sendable, Codable {
    public var rank: Int
    public var score: Double
    public var key: String
    public var title: String
    public var abstract: String
    public var authors: [String]
    public var source: String
    public var categories: [String]
    public var date: String?
    public var url: String?
    /// The paper's words that weigh most in the radar's model.
    public var terms: [String]
    /// The liked, saved or seed papers it is most like, with their cosine.
    public var resembles: [Resemblance]
    /// How well it matches the radar's description and keywords: hybrid search's score for them over the
    /// window, max-normalized (0…1; 0 outside its top list). A ranking feature, relative to the window's
    /// best: not a reason by itself (the best paper of a day without any match still scores 1).
    public var descriptionMatch: Double
    /// The description's and keywords' words the paper holds, as the paper writes them.
    public var descriptionTerms: [String]
    /// Cosine of the paper's embedding and the description's, when both have one.
    public var descriptionSimilarity: Double?
    /// Whether the description is a reason: the paper holds some of its words, or its meaning is close
    /// (`descriptionReason`). The CLI and the page say so by this field.
    public var matchesDescription: Bool
    /// The paper's category the model weighs most (its primary one when the model weighs none), and that
    /// weight.
    public var category: String?
    public var categoryWeight: Double
    /// How the model weighs the paper's source.
    public var sourceWeight: Double
    /// Whether the category's and the source's weights are reasons: for the paper, as large as a tenth of what
    /// the feed's strongest word adds (and `weightReason` at least), and not held by every candidate.
    public var categoryIsReason: Bool
    public var sourceIsReason: Bool
    /// The user's latest signal on the paper (like, dislike, save, hide), for a feed that shows rated papers
    /// again (`--all`); absent when it has none.
    public var signal: RadarSignal?
    /// The paper is one of the radar's seeds (the user's own papers; `--all` shows them).
    public var seed: Bool
    /// Picked to explore beyond the model's current taste.
    public var exploration: Bool
    /// Near-duplicates folded into this item (same title, or nearly the same text).
    public var duplicates: [String]
    /// Whether the paper's words, taken together, pull it toward the radar (the sum of each word's weight in the
    /// paper times the model's weight for it is positive), a reason or not. A paper whose words do not, with no
    /// other reason, is there only because the window holds little closer: not for "many slight matches" (one
    /// word the model likes among more it weighs against is no match).
    public var sharesWords: Bool

    public struct Resemblance: Sendable, Codable {
        public var key: String
        public var title: String
        public var similarity: Double
        /// What `similarity` measures: "words" (TF-IDF cosine) or "meaning" (embedding cosine). The two
        /// scales differ (a narrow topic's words from 0.15, a close meaning from 0.45), so each is named.
        public var by: String
    }

    /// The paper is there for the description when it holds some of its words, or when its meaning is this
    /// close to the description's (embedding cosine; an unrelated abstract sits near 0.1, one on the topic
    /// from 0.4 up). The CLI and the page give the reason by this rule.
    public static let descriptionReason = 0.4
    /// A model weight smaller than this (either way) on a category or source is never a reason.
    public static let weightReason = 0.005

    static func describes(terms: [String], similarity: Double?) -> Bool {
        !terms.isEmpty || (similarity ?? 0) >= descriptionReason
    }

    /// The model's words not already given as the description's (case aside): a reason said once.
    public var termsBeyondDescription: [String] {
        let described = Set(descriptionTerms.map { $0.lowercased() })
        return terms.filter { !described.contains($0.lowercased()) }
    }
}

public struct RadarFeed: Sendable, Codable {
    public var radar: String
    public var window: String
    /// Papers dated in the window, and those of them the feed could show (not seen before, not rated).
    public var inWindow: Int
    public var candidates: Int
    public var items: [FeedItem]
    /// When no paper is dated in the window: the day of the library's newest paper (absent when the library
    /// has no dated paper, or the window is every date), so a client can offer that day.
    public var newest: String?
    /// Set when the feed is handed out as a list (`--json`): `ahub brief --from-handle H` briefs it.
    public var handle: String?
}

public struct RadarSummary: Sendable, Codable {
    public var name: String
    public var description: String
    public var keywords: [String]
    public var categories: [String]
    public var sources: [String]
    public var seeds: Int
    public var feedback: [String: Int]
    public var createdAt: String
    /// Papers an imported radar named (as seeds or rated) that this library does not have yet: their seeds
    /// and feedback are kept and taken in when they come. Absent when none is awaited.
    public var awaiting: Int?
    /// What the API's create answers besides (a category or source no paper has yet); absent otherwise.
    public var warnings: [String]?
    /// What feedback answers besides: the papers it named (as given) that had that rating already, for which
    /// nothing was recorded; absent otherwise.
    public var unchanged: [String]?
}

/// What `radarUndo` did: the radar now, and each paper with the rating that counts for it now.
public struct RatingsTakenBack: Sendable, Codable {
    public var radar: RadarSummary
    public var papers: [Paper]

    public struct Paper: Sendable, Codable {
        /// The key as the request named it.
        public var key: String
        /// The paper's key in the library (`arxiv:2202.09076` for its DOI, its bare id or its title).
        public var libraryKey: String
        /// The rating before the one taken back, which counts again; nil when there was none.
        public var signal: String?
    }
}

/// The papers a radar's user rated (`ahub radar rated`, GET /api/radars/{name}/rated).
public struct RatedPapers: Sendable, Codable {
    public var radar: String
    /// The signals asked for; empty for all.
    public var signals: [String]
    /// How many papers have one of them as their last signal (all pages).
    public var total: Int
    public var papers: [RatedPaper]
}

public struct RatedPaper: Sendable, Codable {
    public var key: String
    public var title: String
    /// The paper's last signal on this radar.
    public var signal: String
    /// When it was given (ISO 8601, UTC).
    public var ratedAt: String
    /// The paper's own date, when it has one.
    public var date: String?
    public var source: String
    public var abstract: String
    public var authors: [String]
    public var categories: [String]
    public var url: String?
}

/// A radar's profile as its model weighs it now.
public struct RadarProfile: Sendable, Codable {
    public var summary: RadarSummary
    public var positiveTerms: [WeightedName]
    public var negativeTerms: [WeightedName]
    public var categories: [WeightedName]
    public var sources: [WeightedName]
    public var descriptionWeight: Double
    /// The radar's seeds, with whether the user has since disliked or hidden one (it then no longer speaks
    /// for the radar).
    public var seedPapers: [SeedPaper]

    public struct SeedPaper: Sendable, Codable {
        public var key: String
        public var title: String
        public var rejected: Bool
    }

    public struct WeightedName: Sendable, Codable {
        public var name: String
        public var weight: Double
        /// For a term (a stem, `trajectori`): the word the radar's description and papers write most for it
        /// (`trajectory`), when they hold it.
        public var word: String?
    }
}

extension Hub {
    // MARK: - Managing radars

    /// Whether a seed or rated paper not in the library reads as a key whose paper could arrive later
    /// (arxiv:2606.13857 or the bare id, a DOI, csl-zh:csl-test-0220), not as a title.
    static func readsAsKey(_ text: String) -> Bool {
        let trimmed = text.trimmingWhitespace()
        return !trimmed.contains(where: \.isWhitespace) && (trimmed.contains(":") || ArxivID(trimmed) != nil || PaperKey.normalizeDOI(trimmed) != nil)
    }

    /// The longest description (with the keywords) a radar takes, in characters.
    public static let maxDescriptionLength = 10_000

    /// Creates a radar from a description, keywords, categories, sources and seed papers; its cold-start
    /// model is built at once, so the first feed is already ranked.
    @discardableResult
    public func createRadar(_ given: RadarSpec) throws -> RadarSummary {
        try createRadar(given, log: [])
    }

    /// A radar with a feedback log already (an import's): the radar, its log and the model fitted to it are
    /// stored in one transaction. Liked or disliked papers say what to follow as well as a description does.
    func createRadar(_ given: RadarSpec, log: [FeedbackEvent], awaiting: [AwaitingPaper] = []) throws -> RadarSummary {
        // Blank keywords, categories, sources and seeds (`--category ""`) are nothing, not a value.
        var spec = given
        // Text is shown back in lists and feeds: control characters (an ESC, a NUL) become spaces, and bytes
        // that were not UTF-8 (U+FFFD once read) are refused rather than kept as a word nobody typed.
        for text in [spec.description] + spec.keywords where text.unicodeScalars.contains("\u{FFFD}") {
            throw HubError("the description and keywords must be valid UTF-8 text: \(text.debugDescription) is not")
        }
        // A description is read at every feed (its words ranked, its meaning embedded): a paragraph or an abstract,
        // not a book (4 MB of one had made each feed take 6 s).
        let length = spec.description.count + spec.keywords.reduce(0) { $0 + $1.count }
        guard length <= Self.maxDescriptionLength else {
            throw HubError("the description and keywords are \(length) characters long; a radar takes at most \(Self.maxDescriptionLength) "
                + "(a paragraph or two): to follow papers whole, give them as seeds")
        }
        let visible = { (text: String) in
            String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        }
        let clean = { (values: [String]) in values.map { visible($0).trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty } }
        // A keyword given twice (GPU, gpu) is one, as categories are: the first spelling stays.
        var seenKeywords = Set<String>()
        let keywords = clean(spec.keywords).filter { seenKeywords.insert($0.lowercased()).inserted }
        (spec.keywords, spec.categories, spec.sources, spec.seeds) = (keywords, Self.categoryNames(clean(spec.categories)), try sourceNames(clean(spec.sources)), clean(spec.seeds))
        let name = try Self.radarName(spec.name)
        // Keywords are words to follow. Search's syntax in one (`-survey`, `cat:cs.LG`) would be followed as a word,
        // in a keyword of its own or inside one of several words (`--keywords "graph -survey"`).
        for keyword in spec.keywords.flatMap({ $0.split { $0.isWhitespace || $0 == "," }.map(String.init) }) {
            if keyword.hasPrefix("-"), keyword.dropFirst().first?.isLetter == true {
                throw HubError("keyword \(keyword): a radar follows its keywords and excludes none; to see fewer papers on \(keyword.dropFirst()), "
                    + "dislike or hide them, and the radar learns it")
            }
            if let colon = keyword.firstIndex(of: ":") {
                switch keyword[..<colon].lowercased() {
                case "cat", "category": throw HubError("keyword \(keyword): give categories as categories (`--category \(keyword[colon...].dropFirst())`, in the API `categories`)")
                case "source": throw HubError("keyword \(keyword): give sources as sources (`--source \(keyword[colon...].dropFirst())`, in the API `sources`)")
                case let field where QueryParser.fieldNames.contains(field): throw HubError("keyword \(keyword): \(field): is search's, not a radar's; keywords are words to follow")
                default: break
                }
            }
        }
        let description = visible(spec.description).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty || !spec.keywords.isEmpty || !spec.seeds.isEmpty || !log.isEmpty else {
            throw HubError("describe the radar: what you follow, keywords or seed papers (`--describe`, `--keywords`, `--seed`, `--seed-file`; in the API `description`, `keywords`, `seeds`)")
        }
        let text = ([description] + spec.keywords).joined(separator: " ")
        if spec.seeds.isEmpty, log.isEmpty, analyzers.with({ QueryParser(analyzer: $0).plain(text) }).should.isEmpty {
            // A word too long to index (a pasted hash, a run of characters) is said, not called a stopword.
            // Named as given: the description, the keywords, or both.
            let what = description.isEmpty ? "the keywords have" : spec.keywords.isEmpty ? "the description has" : "the description and keywords have"
            let instead = description.isEmpty ? "give other keywords, a description or seed papers" : "describe it in other words, or add keywords or seed papers"
            if let long = text.split(whereSeparator: \.isWhitespace).first(where: { $0.utf8.count > Analyzer.maxWordBytes }) {
                throw HubError("\(what) no words to follow: \"\(long.prefix(24))…\" is \(long.utf8.count) bytes long, and words over "
                    + "\(Analyzer.maxWordBytes) bytes are not indexed; \(instead)")
            }
            throw HubError("\(what) no words to follow (only stopwords or punctuation): \(instead)")
        }
        var seeds: [Int64] = []
        var awaiting = awaiting
        for seed in spec.seeds {
            // A key, or a title as a seed file gives it (case, accents and punctuation aside).
            let byKey = try paper(seed).flatMap { try store.ids(for: [$0.paper.key])[$0.paper.key] }
            guard let id = try byKey ?? paperID(for: SeedReference(title: seed, location: "--seed")) else {
                try refuseSharedTitle(seed.trimmingWhitespace())
                // A key whose paper can come later (an arXiv id, a DOI) waits for it, as an imported radar's
                // seeds do, when the radar has something to follow meanwhile; a title is looked for here only.
                if log.isEmpty, Self.readsAsKey(seed), !description.isEmpty || !spec.keywords.isEmpty || spec.seeds.contains(where: { (try? paper($0)) != nil }) {
                    if !awaiting.contains(where: { $0.key == seed }) { awaiting.append(AwaitingPaper(key: seed, signal: nil, at: "")) }
                    continue
                }
                throw HubError("seed \(seed): no paper in the library has this key or title; search finds keys")
            }
            if !seeds.contains(id) { seeds.append(id) }
        }
        // Categories and sources as the library spells them (cs.CV, not CS.CV), so they weigh on its papers.
        // Each once: `CS.LG` and `cs.lg` are one category.
        let once = { (values: [String]) in
            values.reduce(into: [String]()) { kept, value in
                if !kept.contains(where: { $0.lowercased() == value.lowercased() }) { kept.append(value) }
            }
        }
        let categories = once(try spec.categories.map { try store.spelling(category: $0) ?? $0 })
        let sources = once(try spec.sources.map { try store.spelling(source: $0) ?? $0 })
        let record = RadarRecord(name: name, description: description, keywords: spec.keywords,
                                 categories: categories, sources: sources, seeds: seeds)
        let model = log.isEmpty ? try coldStart(record) : try fittedModel(record, log: log, now: Date())
        _ = try wrapStore {
            try store.createRadar(record, feedback: log, awaiting: awaiting, model: try JSONEncoder().encode(model), at: Self.now())
        }
        return try summary(try radarRecord(name))
    }

    /// Categories as given: no category has a space or a comma in it, so `"cs.LG cs.AI"` (one quoted argument,
    /// or one string in the API) is two.
    static func categoryNames(_ values: [String]) -> [String] {
        values.flatMap { $0.split { $0 == "," || $0.isWhitespace }.map(String.init) }
    }

    /// Sources as given, split as categories are (`"csl-zh,arxiv"` is two), except a value that is a source of
    /// the library as it stands (a file imported without a source is its own, and its name may hold a space).
    func sourceNames(_ values: [String]) throws -> [String] {
        try values.flatMap { value in try store.spelling(source: value) != nil ? [value] : Self.categoryNames([value]) }
    }

    /// The categories and sources no paper in the library has yet (a radar still weighs them when one comes).
    public func unknownFacets(categories: [String], sources: [String]) throws -> [String] {
        try Self.categoryNames(categories).filter { try store.spelling(category: $0) == nil }.map { "category \($0)" }
            + sourceNames(sources).filter { try store.spelling(source: $0) == nil }.map { "source \($0)" }
    }

    /// What a new radar's answer warns of: a category or source no paper has yet (often a typo), and search's
    /// syntax or a paper's link in the description, which a radar reads as words. Not refused: a description
    /// is free text ("methods -dash exact or approximate -dash", a cranfield query).
    public func createWarnings(_ radar: RadarSummary) throws -> [String] {
        // Seeds given by a key whose paper the library lacks yet: kept, said so (a mistyped id waits too).
        let awaited = radar.awaiting == nil ? [] : try store.awaiting(radarID: try radarRecord(radar.name, takingIn: false).id)
            .filter { $0.signal == nil }.map { "seed \($0.key) is not in this library yet; kept, and taken in when it comes (check the key if it never does)" }
        return try awaited + facetWarnings(categories: radar.categories, sources: radar.sources) + Self.descriptionWarnings(radar.description) + wordWarnings(radar)
    }

    /// A radar of words no paper here holds (a Chinese description over an English library, a typo) is said so
    /// at once: its feed can only rank papers by nothing until papers holding them arrive. (Made or imported: an
    /// imported radar with a seed or a liked or saved paper here has those to follow.)
    public func wordWarnings(_ radar: RadarSummary) throws -> [String] {
        let text = ([radar.description] + radar.keywords).joined(separator: " ")
        let query = analyzers.with { QueryParser(analyzer: $0).plain(text) }
        let liked = (radar.feedback["like"] ?? 0) + (radar.feedback["save"] ?? 0)
        guard radar.seeds == 0, liked == 0, !query.should.isEmpty else { return [] }
        if try store.count() == 0 {
            return ["the library has no papers yet: the radar's feed is empty until some are imported or fetched"]
        }
        guard try store.search(query, limit: 1).total == 0 else { return [] }
        return ["no paper in the library holds any of the radar's words yet (are they spelled as the papers spell them?): its feed "
                + "has nothing close to show until papers that do arrive (imported or fetched); seed papers give it a start"]
    }

    static func descriptionWarnings(_ description: String) -> [String] {
        var warnings: [String] = []
        for word in Set(description.split(whereSeparator: \.isWhitespace).map(String.init)).sorted() {
            let lower = word.lowercased()
            let field = word.firstIndex(of: ":").map { lower[..<$0] }
            if word.hasPrefix("-"), word.dropFirst().first?.isLetter == true {
                warnings.append("the description's \(word) is read as the word \(word.dropFirst()), not an exclusion: a radar excludes nothing; dislike or hide such papers and it learns")
            } else if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("doi:") || lower.hasPrefix("arxiv:")
                        || lower.range(of: #"^10\.[0-9]{4,}/"#, options: .regularExpression) != nil {
                warnings.append("the description's \(word) is read as words; to follow that paper, give it as a seed (`--seed KEY`, in the API `seeds`)")
            } else if let field, QueryParser.fieldNames.contains(String(field)) {
                warnings.append("the description's \(word) is read as words (\(field): is search's); categories and sources are given as such (`--category`, `--source`)")
            }
        }
        return warnings
    }

    /// The warning for each of them, as the CLI prints it and the API answers it.
    public func facetWarnings(categories: [String], sources: [String]) throws -> [String] {
        try unknownFacets(categories: categories, sources: sources).map { facet in
            // A name from `ahub sources` is no paper's source: no paper will ever come under it.
            if facet.hasPrefix("source "), let hint = try sourceNameHint(String(facet.dropFirst(7))) {
                return "no paper in the library has \(facet): \(hint)"
            }
            return "no paper in the library has \(facet) yet; the radar will favour it when one comes"
        }
    }

    /// One radar's summary, under the name it is stored by.
    public func radarSummary(_ name: String) throws -> RadarSummary {
        try summary(try radarRecord(name))
    }

    public func radarSummaries() throws -> [RadarSummary] {
        try store.radars().map { try summary(try takingIn($0)) }
    }

    /// Renames a radar; returns the new name as kept (trimmed, composed).
    @discardableResult
    public func renameRadar(_ name: String, to newName: String) throws -> String {
        let kept = try Self.radarName(newName)
        try wrapStore { try store.renameRadar(try radarRecord(name).name, to: kept) }
        return kept
    }

    /// Throws as `createRadar` would for `name`: not a name, or a radar's already (checked before a seed file is
    /// read, so its lines do not come before the refusal).
    public func checkNewRadarName(_ name: String) throws {
        let name = try Self.radarName(name)
        if let existing = try store.radar(named: name) { throw HubError("a radar named \(existing.name) exists already") }
    }

    /// A radar's name as given, trimmed: 1 to 100 characters, no tabs, line breaks or other control
    /// characters (a name is typed back on the command line and printed in lists).
    static func radarName(_ given: String) throws -> String {
        let name = typedName(given)
        // Blanks alone are a name given with nothing to see in it, said so (not as a name of no characters).
        if name.isEmpty, !given.isEmpty { throw HubError("a radar's name needs a visible character") }
        guard !name.isEmpty, name.count <= 100,
              !name.unicodeScalars.contains(where: { [.control, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) })
        else {
            throw HubError("a radar needs a name of 1 to 100 characters on one line, without tabs or control characters")
        }
        // A name is typed back and shown in lists: no text that is not there (bytes that were not UTF-8),
        // no marks that reorder what is shown (U+202E), no leading `-` (it reads as an option).
        if name.unicodeScalars.contains("\u{FFFD}") { throw HubError("a radar's name must be valid UTF-8 text") }
        if name.unicodeScalars.contains(where: { Self.directionMarks.contains($0.value) }) {
            throw HubError("a radar's name cannot hold marks that change the direction of text (U+200E, U+202A…U+202E, U+2066…U+2069)")
        }
        if name.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .format || $0.properties.isWhitespace }) {
            throw HubError("a radar's name needs a visible character")
        }
        if name.hasPrefix("-") { throw HubError("a radar's name cannot begin with - (it would read as an option)") }
        // `.` and `..` are path segments: /api/radars/.. is /api/ to every browser and HTTP library.
        if name == "." || name == ".." { throw HubError("a radar cannot be named . or .. (a web address reads them as folders)") }
        // /api/radars/import is the API's import, not a radar's page.
        if name.lowercased() == "import" { throw HubError("a radar cannot be named import (the API's /api/radars/import imports radars)") }
        // Invisible characters would make a second radar that looks like the first in every list. These
        // three mean nothing in a name; other format characters (a joiner in an emoji or a Persian word, a
        // soft hyphen) may, so they stay, and names compare without them (`foldedRadarName`).
        // (Looked for in the name as given: trimming takes U+200B off its ends as white space.)
        if given.unicodeScalars.contains(where: { [0xFEFF, 0x200B, 0x2060].contains($0.value) }) {
            throw HubError("a radar's name cannot hold invisible characters (U+FEFF, U+200B, U+2060)")
        }
        return name
    }

    /// Marks that change the direction of the text after them.
    public static let directionMarks: Set<UInt32> = [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    /// A name as typed to find a radar: trimmed and composed as names are kept (found regardless of case).
    static func typedName(_ given: String) -> String {
        given.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
    }

    /// Deletes a radar with its feedback; its name as stored.
    @discardableResult
    public func deleteRadar(_ name: String) throws -> String {
        let stored = try radarRecord(name, takingIn: false).name
        try wrapStore { try store.deleteRadar(stored) }
        return stored
    }

    /// The radar named (as names compare), once it has taken in what it awaited (`takingIn`) unless asked not to.
    func radarRecord(_ name: String, takingIn takes: Bool = true) throws -> RadarRecord {
        // SQLite reads a bound text up to its first NUL: `tmpz\0x` (`%00` in an address) would name tmpz.
        guard !name.utf8.contains(0), let radar = try store.radar(named: Self.typedName(name)) else {
            throw HubError(try noRadarsNamed([name]))
        }
        return takes ? try takingIn(radar) : radar
    }

    /// "no radar named X; radars: A, B" (or "no radars named X, Y; …"), said so that it holds for the CLI and the
    /// API alike.
    public func noRadarsNamed(_ names: [String]) throws -> String {
        let known = try store.radars().map(\.name)
        let listed = known.prefix(10).joined(separator: ", ") + (known.count > 10 ? " and \(known.count - 10) more" : "")
        let said = names.map { name in
            // One of no visible character (a zero-width space) is said by its code points, not as a blank; a name
            // pasted by mistake (a whole paragraph) is not echoed whole.
            let invisible = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.properties.generalCategory == .format || $0.properties.isWhitespace }
            return invisible ? "\"" + name.unicodeScalars.prefix(8).map { String(format: "\\u{%04X}", $0.value) }.joined() + "\" (no visible character)"
                : name.count > 80 ? "\"\(name.prefix(60))…\" (\(name.count) characters)" : name
        }
        return "no radar\(names.count == 1 ? "" : "s") named \(said.joined(separator: ", "))" + (known.isEmpty ? "; there is none yet" : "; radars: \(listed)")
    }

    /// The radar once it has taken in what it awaited for papers that have come since (the seeds and
    /// feedback of an imported radar whose papers this library lacked then): its model refitted to them.
    /// As it was when none has come: the keys are looked up again only once the library's papers change, and
    /// a library busy with another writer (a long fetch) leaves it to the next use.
    func takingIn(_ radar: RadarRecord) throws -> RadarRecord {
        let awaiting = try store.awaiting(radarID: radar.id)
        guard !awaiting.isEmpty else { return radar }
        let revision = try store.papersRevision()
        guard !radarCache.awaitedUnchanged(radar.id, revision: revision) else { return radar }
        var found: [String: Int64] = [:]
        for key in Set(awaiting.map(\.key)) {
            if let paper = try? paper(key), let id = try store.ids(for: [paper.paper.key])[paper.paper.key] { found[key] = id }
        }
        guard !found.isEmpty else {
            radarCache.awaitedLookedUp(radar.id, revision: revision)
            return radar
        }
        let date = Date()
        var fitted: (data: Data, model: RadarModel)?
        let took: Bool
        do {
            took = try wrapStore {
                try store.takeIn(radarID: radar.id, found: found) { seeds, log in
                    // New seeds make a new cold start: the stored prior is not reused.
                    var now = radar
                    now.seeds = seeds
                    let model = try fittedModel(now, log: log, now: date)
                    fitted = (try JSONEncoder().encode(model), model)
                    return fitted!.data
                }
            }
        } catch where SQLitePaperStore.isBusy(error) {
            return radar
        }
        if took, let fitted { radarCache.keep(radar.id, data: fitted.data, model: fitted.model) }
        return try store.radar(named: radar.name) ?? radar
    }

    func summary(_ radar: RadarRecord) throws -> RadarSummary {
        var counts: [String: Int] = [:]
        for signal in try latestSignals(radar).values { counts[signal.rawValue, default: 0] += 1 }
        let awaiting = Set(try store.awaiting(radarID: radar.id).map(\.key)).count
        return RadarSummary(name: radar.name, description: radar.description, keywords: radar.keywords,
                            categories: radar.categories, sources: radar.sources, seeds: radar.seeds.count,
                            feedback: counts, createdAt: radar.createdAt, awaiting: awaiting > 0 ? awaiting : nil)
    }

    /// The last signal for each paper, in the order the papers were first rated.
    func latestSignals(_ radar: RadarRecord) throws -> [Int64: RadarSignal] {
        var latest: [Int64: RadarSignal] = [:]
        for event in try store.feedback(radarID: radar.id) { latest[event.paperID] = RadarSignal(rawValue: event.signal) }
        return latest
    }

    // MARK: - Rated papers

    /// The papers a radar's user rated, each once with its last signal (a paper liked, then hidden, is
    /// hidden), the most recently rated first; only those whose last signal is one of `signals` when any is
    /// given (`[.save]`: the saved papers). `total` counts them all, before `offset` and `limit`.
    public func ratedPapers(_ name: String, signals: Set<RadarSignal> = [], limit: Int = 20,
                            offset: Int = 0) throws -> RatedPapers {
        let radar = try radarRecord(name)
        // Each paper's last event and its place in the log (the log's order is its time order).
        var last: [Int64: (event: FeedbackEvent, index: Int)] = [:]
        for (index, event) in try store.feedback(radarID: radar.id).enumerated() { last[event.paperID] = (event, index) }
        let chosen = last.filter { _, value in
            signals.isEmpty || RadarSignal(rawValue: value.event.signal).map(signals.contains) == true
        }.sorted { $0.value.index > $1.value.index }.map(\.value.event)
        let page = Array(chosen.dropFirst(max(0, offset)).prefix(max(0, limit)))
        let papers = try store.papers(ids: page.map(\.paperID))
        return RatedPapers(radar: radar.name, signals: RadarSignal.allCases.filter(signals.contains).map(\.rawValue),
                           total: chosen.count, papers: page.compactMap { event in
            papers[event.paperID].map {
                RatedPaper(key: $0.key.rawValue, title: $0.title, signal: event.signal, ratedAt: event.at, date: $0.date,
                           source: $0.source, abstract: $0.abstract, authors: $0.authors, categories: $0.categories, url: $0.url)
            }
        })
    }

    // MARK: - Feedback

    /// Records feedback on papers (keys as `ahub show` accepts them) and refits the radar's model at once.
    /// Rating a paper again replaces its earlier signal; every event stays in the log. A paper that has this
    /// rating already is left as it is and named in the summary's `unchanged`.
    @discardableResult
    public func radarFeedback(_ name: String, keys: [String], signal: RadarSignal, at date: Date = Date()) throws -> RadarSummary {
        try onRadar(name) {
            let radar = try radarRecord(name)
            guard !keys.isEmpty else { throw HubError("name the papers: ahub radar \(signal.rawValue) \(name) KEY…") }
            let papers = try feedbackPaperIDs(keys)
            let at = Self.timestamp(date)
            let events = papers.map { FeedbackEvent(paperID: $0.id, signal: signal.rawValue, at: at) }
            let unchanged = Set(try refitting(radar, at: date) { fit in try store.recordFeedback(radarID: radar.id, events, fit: fit) })
            var answer = try summary(radar)
            if !unchanged.isEmpty { answer.unchanged = papers.filter { unchanged.contains($0.id) }.map(\.key) }
            return answer
        }
    }

    /// Runs `work` on the radar `name`. Deleted or renamed by another writer after `work` looked it up (a
    /// rating sent while the radar is deleted), it fails as the lookup would have, "no radar named …", not
    /// with the write's constraint error (which the API answered as a 500).
    func onRadar<T>(_ name: String, _ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as HubError {
            throw error
        } catch {
            if (try? store.radar(named: Self.typedName(name))) == nil { _ = try radarRecord(name) }
            throw error
        }
    }

    /// Runs `change`, a write to the radar's log that stores the model `fit` makes of the log it leaves, in
    /// its transaction; then keeps that model in the cache. The cold start is the stored model's prior when
    /// it is for the current embedding model (no need to embed the description again); the fit itself always
    /// starts from it and the whole log.
    private func refitting<T>(_ radar: RadarRecord, at date: Date,
                              _ change: (_ fit: ([FeedbackEvent]) throws -> Data) throws -> T) throws -> T {
        let stored = try storedRadarModel(radar)
        var fitted: (data: Data, model: RadarModel)?
        let result = try change { log in
            let model = try fittedModel(radar, log: log, now: date, stored: stored)
            fitted = (try JSONEncoder().encode(model), model)
            return fitted!.data
        }
        if let fitted { radarCache.keep(radar.id, data: fitted.data, model: fitted.model) }
        return result
    }

    /// Takes back the last rating of each of these papers on the radar (a like or a save given by mistake,
    /// a paper no longer wanted in the saved list): that event leaves the log, the rating before it (if any)
    /// counts again, and the model is refitted at once, as if it had never been given. A paper left unrated
    /// comes back in today's feed (it was shown today); a paper not rated on the radar is named, and nothing
    /// is taken back.
    @discardableResult
    public func radarUndo(_ name: String, keys: [String], at date: Date = Date()) throws -> RatingsTakenBack {
        try onRadar(name) {
            let radar = try radarRecord(name)
            guard !keys.isEmpty else { throw HubError("name the papers: ahub radar undo \(name) KEY…") }
            let papers = try feedbackPaperIDs(keys, unchanged: "nothing was taken back")
            let unrated = try refitting(radar, at: date) { fit in
                try store.takeBackLastFeedback(radarID: radar.id, paperIDs: papers.map(\.id), at: Self.timestamp(date), fit: fit)
            }
            guard unrated.isEmpty else {
                let keys = papers.filter { unrated.contains($0.id) }.map(\.key)
                // A seed is no rating: said, with what stops the radar following it.
                let seeds = papers.filter { unrated.contains($0.id) && radar.seeds.contains($0.id) }.map(\.key)
                throw HubError("no rating of \(Self.named(keys)) on radar \(radar.name); nothing was taken back" + (seeds.isEmpty ? ""
                    : " (\(Self.named(seeds)) \(seeds.count == 1 ? "is a seed" : "are seeds") of the radar: hiding \(seeds.count == 1 ? "it" : "them") stops the radar following \(seeds.count == 1 ? "it" : "them"))"))
            }
            var now: [Int64: String] = [:]
            for event in try store.feedback(radarID: radar.id) { now[event.paperID] = event.signal }
            return RatingsTakenBack(radar: try summary(radar), papers: papers.map { .init(key: $0.key, libraryKey: $0.libraryKey, signal: now[$0.id]) })
        }
    }

    /// "no paper K in the library", or "no papers A, B and 3 more in the library": every key the user got
    /// wrong, not only the first.
    static func unknownPapers(_ keys: [String]) -> String {
        let unique = keys.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return "no paper\(unique.count > 1 ? "s" : "") \(named(unique)) in the library"
    }

    /// "A", or "A, B, C, D, E and 3 more": keys named in a message, each once.
    public static func named(_ keys: [String]) -> String {
        let unique = keys.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return unique.prefix(5).joined(separator: ", ") + (unique.count > 5 ? " and \(unique.count - 5) more" : "")
    }

    /// The papers keys name, each once however it is spelled (`arxiv:2501.07954`, `2501.07954v1`, its URL).
    public func feedbackPapers(_ keys: [String]) throws -> [Int64] {
        try feedbackPaperIDs(keys).map(\.id)
    }

    /// The same, each id with the first key given for it and its paper's key in the library (`arxiv:2501.07954`
    /// for `2501.07954v1` or a title); `unchanged` ends the message of a key amiss.
    func feedbackPaperIDs(_ keys: [String], unchanged: String = "nothing was recorded") throws -> [(key: String, id: Int64, libraryKey: String)] {
        var papers: [(key: String, id: Int64, libraryKey: String)] = [], missing: [String] = []
        for key in keys {
            guard !key.allSatisfy(\.isWhitespace) else { throw HubError("a paper key is empty; \(unchanged)") }
            // A key, or a title as `show` and `--seed` take one (case, accents and punctuation aside).
            guard let found = try paper(keyOrTitle: key), let id = try store.ids(for: [found.paper.key])[found.paper.key] else {
                missing.append(key)
                continue
            }
            let libraryKey = found.paper.key
            if !papers.contains(where: { $0.id == id }) { papers.append((key, id, libraryKey.rawValue)) }
        }
        if !missing.isEmpty { throw HubError(Self.unknownPapers(missing) + "; \(unchanged)") }
        return papers
    }

    /// The radar's model: the stored one, or rebuilt from the cold start and the feedback log when missing
    /// or made for another embedding model.
    func radarModel(_ radar: RadarRecord) throws -> RadarModel {
        let before = try store.radarModel(radarID: radar.id)
        if let model = storedRadarModel(radar, data: before) { return model }
        let log = try store.feedback(radarID: radar.id)
        let model = try fittedModel(radar, log: log, now: Date())
        // Stored only over the model read before: feedback given meanwhile stored its own, fitted to the
        // longer log, and that one stays.
        try store.saveRadarModel(radarID: radar.id, try JSONEncoder().encode(model), at: Self.now(), replacing: before)
        return model
    }

    /// The stored model when it is readable and made for the current embedding model.
    func storedRadarModel(_ radar: RadarRecord) throws -> RadarModel? {
        storedRadarModel(radar, data: try store.radarModel(radarID: radar.id))
    }

    /// The same, from the stored bytes already read.
    func storedRadarModel(_ radar: RadarRecord, data: Data?) -> RadarModel? {
        let embedding = (try? semantic.model().modelID) ?? ""
        guard let data, let model = radarCache.model(radar.id, data: data), model.embeddingModel == embedding,
              model.analyzer == Analyzer.version else { return nil }
        return model
    }

    /// The cold start (`stored`'s prior when it was made leaving out the same seeds, else made from the
    /// radar), then the feedback log: the last signal per paper, each aged from its event, in the order of
    /// those last signals (a refit reads the most recent ones).
    func fittedModel(_ radar: RadarRecord, log: [FeedbackEvent], now: Date, stored: RadarModel? = nil,
                     learning: RadarModel.Learning = .init()) throws -> RadarModel {
        var last: [Int64: (event: FeedbackEvent, position: Int)] = [:]
        for (position, event) in log.enumerated() { last[event.paperID] = (event, position) }
        let order = last.sorted { $0.value.position < $1.value.position }.map(\.key)
        // A seed the user has since disliked or hidden no longer speaks for them: the cold start is made again
        // without it (the last signal counts, for seeds too), and with it again once it is liked again.
        let rejected = Self.rejectedSeeds(radar) { id in last[id].map { !(RadarSignal(rawValue: $0.event.signal)?.isPositive ?? false) } ?? false }
        var model: RadarModel
        if let stored, let leftOut = stored.priorLeavesOut, Set(leftOut) == rejected {
            model = RadarModel(prior: stored.prior, embeddingModel: stored.embeddingModel)
            model.priorLeavesOut = stored.priorLeavesOut
        } else {
            model = try coldStart(radar, leaving: rejected)
        }
        guard !order.isEmpty else { return model }
        // Ages count back from the newest event (not from the clock): the same log gives the same model
        // whenever it is fitted, and a radar left alone for months keeps what it learnt.
        let newest = log.compactMap { Self.date(fromTimestamp: $0.at) }.max() ?? now
        let reference = min(now, newest)
        let examples = try radarExamples(order, match: [:])
        let labelled = examples.map { x -> (x: RadarExample, liked: Bool, ageDays: Double) in
            let event = last[x.id]!.event
            let age = Self.date(fromTimestamp: event.at).map { max(0, reference.timeIntervalSince($0) / 86_400) } ?? 0
            return (x, RadarSignal(rawValue: event.signal)?.isPositive ?? false, age)
        }
        model.fit(labelled, space: termVectors, learning: learning)
        return model
    }

    /// The model before feedback: the description and keywords weigh through the match feature (hybrid
    /// search for them), and also as TF-IDF terms and an embedding; seeds add their terms and embeddings
    /// (Rocchio: the mean of the seeds); categories and sources named by the user get a positive weight.
    func coldStart(_ radar: RadarRecord, leaving rejected: Set<Int64> = []) throws -> RadarModel {
        let text = Self.radarText(radar)
        let embedder = try? semantic.model()
        let seeds = try radarExamples(radar.seeds.filter { !rejected.contains($0) }, match: [:])
        var prior = IndexedWeights(RadarModel.Weights(), space: termVectors)
        if !text.isEmpty {
            var dense: [Float] = []
            if embedder != nil, (try? modelReads(text)) == true, let vector = try? semantic.embedQuery(text) { dense = vector }
            let description = RadarExample(id: 0, match: 0, terms: try termVectors.vector(text, hub: self), dense: dense,
                                           categories: [], source: "")
            prior.add(description, times: 0.5)
        }
        prior.addMean(of: seeds, times: 1)
        for category in radar.categories { prior.categories[category] = 0.3 }
        for source in radar.sources { prior.sources[source] = 0.3 }
        var model = RadarModel(prior: prior.weights(space: termVectors), embeddingModel: embedder?.modelID ?? "")
        model.priorLeavesOut = rejected.sorted()
        return model
    }

    /// Seeds whose last signal is negative (disliked or hidden since).
    static func rejectedSeeds(_ radar: RadarRecord, isNegative: (Int64) -> Bool) -> Set<Int64> {
        Set(radar.seeds.filter(isNegative))
    }

    /// The text that describes a radar: its description and keywords.
    static func radarText(_ radar: RadarRecord) -> String {
        ([radar.description] + radar.keywords).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Features of papers for the learner, in the order of `ids` (papers gone from the library are skipped).
    func radarExamples(_ ids: [Int64], match: [Int64: Double]) throws -> [RadarExample] {
        let found = zip(ids, try termVectors.features(ids, hub: self)).compactMap { id, f in f.map { (id, $0) } }
        let dense = semantic.vectors(for: found.map(\.0), library: store)
        return zip(found, dense).map { paper, dense in
            RadarExample(id: paper.0, match: match[paper.0] ?? 0, terms: paper.1.terms, dense: dense,
                         categories: paper.1.categories, source: paper.1.source)
        }
    }

    // MARK: - Feeds

    /// The radar's ranked feed for a window: papers dated in it, minus those shown on an earlier day and their
    /// copies (unless `includeSeen`) and the seeds and rated papers with their copies (unless `includeRated`, which
    /// follows `includeSeen` when not given), scored by the radar's model, near-duplicates folded, picked for
    /// diversity (MMR), one slot in ten exploring below the top. Shown papers are recorded.
    public func radarFeed(_ name: String, window: FeedWindow, limit: Int = 10, includeSeen: Bool = false,
                          includeRated: Bool? = nil, today: String = Hub.today(), record: Bool = true) throws -> RadarFeed {
        try onRadar(name) {
            let radar = try radarRecord(name)
            let model = try radarModel(radar)
            var (since, until, label): (String?, String?, String)
            switch window {
            case .day(let day): (since, until, label) = (day, day, day)
            case .days(let n, let today):
                let first = Self.day(today, minus: max(n, 1) - 1)
                (since, until, label) = (first, today, first == today ? today : "\(first)…\(today)")
            case .all: (since, until, label) = (nil, nil, "all")
            }
            var candidates = try store.candidateIDs(since: since, until: until)
            let inWindow = candidates.count
            // The seeds (the user's own papers) and the rated papers, first rated first.
            var rated: [Int64] = []
            var ratedSet = Set<Int64>()
            for id in radar.seeds + (try store.feedback(radarID: radar.id)).map(\.paperID) where ratedSet.insert(id).inserted {
                rated.append(id)
            }
            var known: [Int64] = []
            if !(includeRated ?? includeSeen) {
                // Rated papers and seeds are not news, nor are their copies (the same paper from another source).
                known = Array(rated.suffix(Self.knownLimit))
                candidates.removeAll { ratedSet.contains($0) }
            }
            if !includeSeen {
                // Neither are papers shown on an earlier day, nor the copies of the latest of them that came since
                // (a journal's or another server's version of a preprint the user saw yesterday).
                let shownBefore = try store.shownNewestFirst(radarID: radar.id, before: today)
                let shownSet = Set(shownBefore)
                candidates.removeAll { shownSet.contains($0) }
                let knownSet = Set(known)
                known += shownBefore.lazy.filter { !knownSet.contains($0) }.prefix(Self.shownCopiesLimit)
            }
            let picked = try rankFeed(radar, model: model, candidates: candidates, since: since, until: until, limit: limit,
                                      known: known, rated: ratedSet)
            // Papers folded into an item were shown with it.
            if record { try store.markShown(radarID: radar.id, picked.flatMap { [$0.example.id] + $0.duplicates }, at: today) }
            let items = try feedItems(picked, radar: radar, model: model, candidates: candidates)
            let newest = inWindow == 0 && since != nil ? try store.newestDate() : nil
            return RadarFeed(radar: radar.name, window: label, inWindow: inWindow, candidates: candidates.count, items: items,
                             newest: newest)
        }
    }

    /// Records a feed made with `record: false` as shown (its papers and the copies folded into them), once
    /// it has reached the user.
    public func recordShown(_ feed: RadarFeed, today: String = Hub.today()) throws {
        let radar = try radarRecord(feed.radar)
        let keys = feed.items.flatMap { [$0.key] + $0.duplicates }.map { PaperKey(rawValue: $0) }
        let ids = try store.ids(for: keys)
        try store.markShown(radarID: radar.id, keys.compactMap { ids[$0] }, at: today)
    }

    struct PickedPaper {
        var example: RadarExample
        var score: Double
        var exploration: Bool
        var duplicates: [Int64]
    }

    /// The seeds and the most recently first-rated papers whose copies a feed leaves out.
    static let knownLimit = 1_000
    /// The most recently shown papers whose copies a feed leaves out (50 days of a feed of 10; each is compared
    /// with the feed's best 50 candidates).
    static let shownCopiesLimit = 500

    /// At least this many papers make the background a radar's liked papers are set against: a day's few
    /// candidates are topped up with the library's most recent other papers (not `rated`).
    static let backgroundPapers = 2_000

    /// Scores every candidate, folds near-duplicates, leaves out copies of `known` papers, and picks `limit`
    /// by MMR with one exploration slot.
    func rankFeed(_ radar: RadarRecord, model: RadarModel, candidates: [Int64], since: String?, until: String?,
                  limit: Int, known: [Int64] = [], rated: Set<Int64> = []) throws -> [PickedPaper] {
        guard !candidates.isEmpty, limit > 0 else { return [] }
        let match = try descriptionMatch(radar, since: since, until: until, depth: max(Self.fusionDepth, min(candidates.count, 1_000)))
        let features = try termVectors.features(candidates, hub: self)
        let present = candidates.indices.filter { features[$0] != nil }
        var w = IndexedWeights(model.weights, space: termVectors)
        for i in present { w.reserve(features[i]!.terms) }
        // Once something is liked, the background's mean TF-IDF is set against the liked papers (as
        // arxiv-sanity's SVM sets them against every paper): subtracted from the term weights, κ times. The
        // background is the candidates, topped up from the library: the mean of a day's five papers, three
        // of them on the radar's topic, would count the topic itself as background.
        let kappa = RadarModel.Learning().background
        if model.positives > 0, kappa > 0 {
            var backgroundTerms = present.map { features[$0]!.terms }
            if backgroundTerms.count < Self.backgroundPapers {
                let taken = Set(candidates).union(rated)
                let more = try store.recentIDs(limit: Self.backgroundPapers + taken.count).lazy.filter { !taken.contains($0) }
                    .prefix(Self.backgroundPapers - backgroundTerms.count)
                backgroundTerms += try termVectors.features(Array(more), hub: self).compactMap { $0?.terms }
            }
            for terms in backgroundTerms { w.reserve(terms) }
            var background = [Double](repeating: 0, count: w.terms.count)
            background.withUnsafeMutableBufferPointer { b in
                for terms in backgroundTerms {
                    for k in 0..<terms.ids.count { b[Int(terms.ids[k])] += Double(terms.values[k]) }
                }
            }
            let share = kappa / Double(max(backgroundTerms.count, 1))
            for j in background.indices where background[j] != 0 { w.terms[j] -= share * background[j] }
        }
        let dense = semantic.scores(w.dense, ids: candidates, library: store)
        let scored = present.map { i -> (index: Int, score: Double) in
            let paper = features[i]!
            var score = w.bias + w.match * (match[candidates[i]] ?? 0) + w.termScore(paper.terms) + Double(dense?[i] ?? 0)
            if !w.categories.isEmpty { for category in paper.categories { score += w.categories[category] ?? 0 } }
            if !w.sources.isEmpty { score += w.sources[paper.source] ?? 0 }
            return (i, score)
        }.sorted { $0.score != $1.score ? $0.score > $1.score : candidates[$0.index] < candidates[$1.index] }
        let best = Array(scored.prefix(limit * 5))
        let poolDense = semantic.vectors(for: best.map { candidates[$0.index] }, library: store)
        let pool = zip(best, poolDense).map { entry, dense -> (x: RadarExample, score: Double) in
            let paper = features[entry.index]!, id = candidates[entry.index]
            return (RadarExample(id: id, match: match[id] ?? 0, terms: paper.terms, dense: dense, categories: paper.categories,
                                 source: paper.source), entry.score)
        }
        let titles = Dictionary(best.map { (candidates[$0.index], features[$0.index]!.titleKey) }, uniquingKeysWith: { a, _ in a })
        // Each remaining paper with its greatest similarity to those picked so far, kept up to date one pick at
        // a time (recomputed over every pick, a feed of 200 took 8 s).
        var rest = pool.map { (x: $0.x, score: $0.score, redundancy: 0.0) }
        if !known.isEmpty {
            let knownTerms = try termVectors.features(known, hub: self).compactMap { $0?.terms }
            let copies = Self.copies(rest.map(\.x.terms), of: knownTerms, threshold: Self.knownDuplicateSimilarity)
            rest = zip(rest, copies).filter { !$0.1 }.map(\.0)
        }
        var picked: [PickedPaper] = []
        let exploreSlot = limit >= 10 ? limit - 1 : nil
        let top = rest.first?.score ?? 0, bottom = rest.last?.score ?? 0
        let span = max(top - bottom, 1e-9)
        while picked.count < limit, !rest.isEmpty {
            var best = 0
            let exploring = picked.count == exploreSlot && rest.count > 1
            if exploring {
                // Exploration: not the best remaining paper but one of the next `limit` below it, chosen by a
                // hash of the radar and the candidates, so the same feed asked twice is the same feed.
                let upper = min(rest.count, limit + 1)
                let hash = Evaluator.fnv1a(radar.name + "#" + String(rest.count))
                best = 1 + Int(hash % UInt64(upper - 1))
            } else {
                var bestValue = -Double.infinity
                for (index, candidate) in rest.enumerated() {
                    let relevance = (candidate.score - bottom) / span
                    let value = Self.mmrLambda * relevance - (1 - Self.mmrLambda) * candidate.redundancy
                    if value > bestValue { bestValue = value; best = index }
                }
            }
            let chosen = rest.remove(at: best)
            // Near-duplicates of the chosen paper fold into it.
            var duplicates: [Int64] = []
            rest.removeAll { other in
                let same = Self.isDuplicate(chosen.x, other.x, sameTitle: titles[other.x.id].map { !$0.isEmpty && $0 == titles[chosen.x.id] } ?? false)
                if same { duplicates.append(other.x.id) }
                return same
            }
            picked.append(PickedPaper(example: chosen.x, score: chosen.score, exploration: exploring, duplicates: duplicates))
            if picked.count < limit {
                for k in rest.indices { rest[k].redundancy = max(rest[k].redundancy, Self.similarity(chosen.x, rest[k].x)) }
            }
        }
        return picked
    }

    /// Whether each candidate has a TF-IDF cosine of at least `threshold` with one of `known`. Each candidate is
    /// spread into a dense array once and every known vector read against it (a merge of the two id lists per
    /// pair took 15 ms for a feed's 50 candidates against 500 papers); the products are summed in the merge's
    /// order, so the cosines are the same to the bit.
    static func copies(_ candidates: [SparseVector], of known: [SparseVector], threshold: Double) -> [Bool] {
        let largest = (candidates + known).compactMap(\.ids.last).max().map { Int($0) } ?? -1
        var dense = [Float](repeating: 0, count: largest + 1)
        return dense.withUnsafeMutableBufferPointer { spread in
            candidates.map { candidate in
                for k in candidate.ids.indices { spread[Int(candidate.ids[k])] = candidate.values[k] }
                defer { for id in candidate.ids { spread[Int(id)] = 0 } }
                return known.contains { vector in
                    vector.ids.withUnsafeBufferPointer { ids in
                        vector.values.withUnsafeBufferPointer { values in
                            var sum: Float = 0
                            for k in 0..<ids.count { sum += spread[Int(ids[k])] * values[k] }
                            return Double(sum) >= threshold
                        }
                    }
                }
            }
        }
    }

    /// MMR's balance of relevance against redundancy with what is already picked.
    static let mmrLambda = 0.9
    /// Two papers are one as far as a feed goes when their words are nearly the same (TF-IDF cosine ≥ 0.8: the
    /// same paper from two sources, or an edited abstract), or when they share a title and much of their
    /// words (≥ 0.5). A shared title alone is not enough: Cranfield has ten pairs of different reports under
    /// one title. Embeddings are not asked: two papers on one narrow topic pass 0.9 there, and folding them
    /// hid relevant papers (README: Radars).
    static func isDuplicate(_ a: RadarExample, _ b: RadarExample, sameTitle: Bool) -> Bool {
        let cosine = a.terms.dot(b.terms)
        return cosine >= duplicateSimilarity || (sameTitle && cosine >= sameTitleSimilarity)
    }

    static let duplicateSimilarity = 0.8
    /// A candidate this close to a paper the user rated or seeded is that paper again (another source's copy,
    /// another version) and is left out. Stricter than folding within a feed: Cranfield holds different
    /// reports near 0.8 apart, and leaving them out lost relevant papers (found in 50: 9.02 with none left
    /// out, 8.96 by the folding rule, 8.99 at 0.8, 9.04 at 0.9).
    static let knownDuplicateSimilarity = 0.9
    static let sameTitleSimilarity = 0.5

    /// TF-IDF cosine, or embedding cosine when both have one, whichever is higher.
    static func similarity(_ a: RadarExample, _ b: RadarExample) -> Double {
        var s = a.terms.dot(b.terms)
        if !a.dense.isEmpty, a.dense.count == b.dense.count { s = max(s, Double(IndexedWeights.dot(a.dense, b.dense))) }
        return s
    }

    /// The radar's description and keywords searched (hybrid when the model reads them, else keyword) over
    /// the window: each paper's fused score, max-normalized to 0…1.
    func descriptionMatch(_ radar: RadarRecord, since: String?, until: String?, depth: Int) throws -> [Int64: Double] {
        let text = Self.radarText(radar)
        guard !text.isEmpty else { return [:] }
        // The same text over the same window of the same library ranks the same: kept until papers or
        // vectors change.
        let key = [text, since ?? "", until ?? "", String(depth), String(try store.papersRevision()),
                   String(try store.vectorsRevision()), String(embeddingAvailable)].joined(separator: "\u{1}")
        return try radarCache.match(key) { try rankDescription(text, since: since, until: until, depth: depth) }
    }

    private func rankDescription(_ text: String, since: String?, until: String?, depth: Int) throws -> [Int64: Double] {
        var query = analyzers.with { QueryParser(analyzer: $0).plain(text) }
        query.after = since
        query.before = until
        let mode: SearchMode = embeddingAvailable ? .hybrid : .keyword
        // A paper without the description's words keeps the lowest match's keyword part, as search once
        // gave it: with 0 the few literal matches of a day outweigh what the dislikes teach (RadarTests,
        // dislikesAloneMoveTheModelBeforeAnyLike), for one paper more in 50 on cranfield (9.05 against 9.04).
        let ranked = try ranking(query, text: text, mode: mode, depth: min(depth, SQLitePaperStore.maxPage), shortListsComplete: false, quotesAreExact: false).ranked
        guard let top = ranked.first?.score, top > 0 else { return [:] }
        return Dictionary(ranked.map { ($0.id, $0.score / top) }, uniquingKeysWith: { a, _ in a })
    }

    func feedItems(_ picked: [PickedPaper], radar: RadarRecord, model: RadarModel, candidates: [Int64]) throws -> [FeedItem] {
        guard !picked.isEmpty else { return [] }
        // A source or category every candidate has decided nothing, however the model weighs it (a radar that
        // asked for csl-zh in a library of csl-zh papers): no reason then.
        let pool = try termVectors.features(candidates, hub: self).compactMap { $0 }
        let poolSources = Set(pool.map(\.source))
        let pickedCategories = Set(picked.flatMap(\.example.categories))
        var holding: [String: Int] = [:]
        for paper in pool { for category in paper.categories where pickedCategories.contains(category) { holding[category, default: 0] += 1 } }
        let hits = try store.hits(picked.map { (id: $0.example.id, score: $0.score) })
        let signals = try latestSignals(radar)
        let rejected = Self.rejectedSeeds(radar) { signals[$0].map { !$0.isPositive } ?? false }
        let likedIDs = radar.seeds.filter { !rejected.contains($0) }
            + signals.filter { $0.value.isPositive && !radar.seeds.contains($0.key) }.map(\.key).sorted()
        let liked = try radarExamples(Array(likedIDs.prefix(200)), match: [:])
        let likedRows = Dictionary(try store.featureRows(liked.map(\.id)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let duplicateKeys = try store.featureRows(picked.flatMap(\.duplicates)).reduce(into: [Int64: String]()) { $0[$1.id] = $1.key.rawValue }
        // The description's words, and its embedding when the model reads it (cached since the ranking).
        let text = Self.radarText(radar)
        // Of the description's words, those that single a paper out: not the filler of abstracts ("paper",
        // "new", "study"), not a number, and held by at most a fifth of the library.
        let describedTokens = analyzers.with { $0.tokens(text, mode: .document) }
        let describedTerms = Array(Set(describedTokens.map(\.term))).sorted()
        // A Chinese word ICU's dictionary does not know comes as lone characters (建模 as 建, 模): the
        // description's runs of them, each a reason where a paper writes the run as one.
        let describedRuns = Self.ideographRuns(describedTokens)
        let describedShare = try termVectors.share(describedTerms, hub: self)
        // A lone Chinese character is most often a piece of a longer word the dictionary does not know (学 of
        // 园艺学, 率 of 固色率): a reason only where the description writes it as a word by itself.
        let standalone = Set(text.split { !$0.isLetter && !$0.isNumber }.compactMap { chunk -> String? in
            let terms = analyzers.with { $0.tokens(String(chunk), mode: .document) }
            return terms.count == 1 ? terms[0].term : nil
        })
        let filler = reasonFiller()
        let described = Set(zip(describedTerms, describedShare).filter { term, share in
            share <= Self.describedShare && Self.isReasonWord(term) && Hub.isLabelWord(term) && !filler.contains(term)
                && (!Self.isLoneIdeograph(term) || standalone.contains(term))
        }.map(\.0))
        let descriptionVector = text.isEmpty || !embeddingAvailable || (try? modelReads(text)) != true
            ? [] : (try? semantic.embedQuery(text)) ?? []
        // The model's words are held to the same, but for the share: a word most papers of a narrow library have
        // ("training" among papers on training) may still be what the user liked, and its weight times its
        // TF-IDF already ranks it after the words that single the paper out.
        let words = zip(picked, hits).map { item, hit in
            paperWords(hit.paper, vector: item.example.terms, model: model, described: described, runs: describedRuns) { term in
                !filler.contains(term) && !Self.isLoneIdeograph(term) && Hub.isLabelWord(term)
                    && (!Self.isMeasurement(term) || described.contains(term))
            }
        }
        // A word is a reason when it adds at least a tenth of what the feed's strongest word adds: a paper
        // that shares only "study" or "used" with the radar is not there for those words. The strongest is
        // read off the papers not rated or seeded: with --all, a liked paper's own words would set the bar.
        let unrated = picked.indices.filter { signals[picked[$0].example.id] == nil && !radar.seeds.contains(picked[$0].example.id) }
        let strongest = (unrated.isEmpty ? Array(picked.indices) : unrated).compactMap { words[$0].terms.first?.adds }.max() ?? 0
        let facetBar = max(FeedItem.weightReason, Self.reasonShare * strongest)
        return zip(picked, hits).enumerated().map { index, pair in
            let (item, hit) = pair
            let paper = hit.paper
            let resembles = liked.compactMap { x -> (x: RadarExample, s: (value: Double, by: String))? in
                guard x.id != item.example.id, let s = Self.resemblance(x, item.example) else { return nil }
                return (x, s)
            }
            .sorted { $0.s.value > $1.s.value }.prefix(2)
            .compactMap { pair in
                likedRows[pair.x.id].map { FeedItem.Resemblance(key: $0.key.rawValue, title: $0.title, similarity: pair.s.value, by: pair.s.by) }
            }
            // A reason says why the paper is there: a category or source the model weighs against it is none.
            let weighed = paper.categories.map { (name: $0, weight: model.weights.categories[$0] ?? 0) }
                .filter { $0.weight >= FeedItem.weightReason }.max { $0.weight < $1.weight }
            let sourceWeight = model.weights.sources[paper.source] ?? 0
            let category = weighed?.name ?? paper.categories.first
            let similarity = descriptionVector.isEmpty || item.example.dense.count != descriptionVector.count
                ? nil : Double(IndexedWeights.dot(item.example.dense, descriptionVector))
            return FeedItem(
                rank: index + 1, score: item.score, key: paper.key.rawValue, title: paper.title, abstract: paper.abstract,
                authors: paper.authors, source: paper.source, categories: paper.categories, date: paper.date, url: paper.url,
                terms: words[index].terms.filter { $0.adds >= Self.reasonShare * strongest }.map(\.word), resembles: Array(resembles),
                descriptionMatch: item.example.match, descriptionTerms: words[index].described, descriptionSimilarity: similarity,
                matchesDescription: FeedItem.describes(terms: words[index].described, similarity: similarity),
                category: category, categoryWeight: weighed?.weight ?? 0, sourceWeight: sourceWeight,
                categoryIsReason: (weighed?.weight ?? 0) >= facetBar && (holding[category ?? ""] ?? 0) < pool.count,
                sourceIsReason: sourceWeight >= facetBar && poolSources.count > 1,
                signal: signals[item.example.id], seed: radar.seeds.contains(item.example.id),
                exploration: item.exploration, duplicates: item.duplicates.compactMap { duplicateKeys[$0] },
                sharesWords: zip(termVectors.names(item.example.terms.ids), item.example.terms.values)
                    .reduce(0.0) { $0 + Double($1.1) * (model.weights.terms[$1.0] ?? 0) } > 0)
        }
    }

    /// The share of the feed's strongest word a word must add to be given as a reason.
    static let reasonShare = 0.1

    /// How much a feed paper resembles a liked or seed paper, when enough to say so: TF-IDF cosine from 0.15
    /// (two abstracts sharing a narrow topic's words; unrelated ones sit below 0.1), embedding cosine from
    /// 0.45 (all-MiniLM-L6-v2 puts any two papers of one broad field, two quantum-physics papers as a
    /// quantum paper and one on random walks, near 0.35–0.4); the larger of those that pass, with its measure
    /// ("words" or "meaning").
    static func resemblance(_ a: RadarExample, _ b: RadarExample) -> (value: Double, by: String)? {
        let words = a.terms.dot(b.terms)
        var passing: (value: Double, by: String)? = words >= 0.15 ? (words, "words") : nil
        if !a.dense.isEmpty, a.dense.count == b.dense.count {
            let meaning = Double(IndexedWeights.dot(a.dense, b.dense))
            if meaning >= 0.45, meaning > passing?.value ?? 0 { passing = (meaning, "meaning") }
        }
        return passing
    }

    /// Words that are never a reason: Latin abbreviations of prose (`e.g.`, `et al.`).
    static let proseAbbreviations: Set<String> = ["e.g", "i.e", "et", "al", "etc", "cf", "viz", "vs"]

    /// A word that can be a reason: it has a letter and is no prose abbreviation.
    static func isReasonWord(_ term: String) -> Bool {
        term.unicodeScalars.contains(where: \.properties.isAlphabetic) && !proseAbbreviations.contains(term)
    }

    /// Units of measurement, as the analyzer leaves them: what a liked paper measured in is no reason.
    static let unitWords: Set<String> = [
        "kg", "mg", "μg", "ug", "ng", "g", "l", "ml", "μl", "ul", "mm", "cm", "km", "nm", "μm", "um", "m", "s", "ms",
        "min", "h", "hr", "d", "mol", "mmol", "μmol", "umol", "kda", "da", "hz", "khz", "mhz", "ghz", "w", "kw", "mw",
        "v", "kv", "mv", "ppm", "ppb", "rpm", "wt", "vol", "℃", "°c",
    ]

    /// A measurement rather than a word: a unit (`kg`, `min`) or a number written with its unit (`40mg`,
    /// `2min`, `5000r`). A reason among a liked paper's words only where the description writes it (`5g`,
    /// `3d` may be what the user follows).
    static func isMeasurement(_ term: String) -> Bool {
        unitWords.contains(term) || term.unicodeScalars.first?.properties.generalCategory == .decimalNumber
    }

    /// One Chinese (or Japanese) character alone.
    static func isLoneIdeograph(_ term: String) -> Bool {
        term.unicodeScalars.count == 1 && term.unicodeScalars.first!.properties.isIdeographic
    }

    /// Words of abstracts and titles that say nothing of why a paper is there, beyond the labels' filler:
    /// connectives, counts and the vocabulary of reporting ("we find", "several aspects"), and the framing
    /// of Chinese titles (探讨, 浅谈, 现状与对策).
    static let reasonFillerWords = Hub.abstractFiller.union([
        "although", "though", "whether", "thus", "therefore", "moreover", "furthermore", "respectively", "due", "able",
        "research", "find", "finds", "found", "finding", "findings", "aspect", "aspects", "three", "four", "five",
        "several", "various", "different", "many", "provide", "provides", "including", "include", "includes",
        "make", "makes", "allow", "allows", "achieve", "achieves", "existing", "recent", "recently", "current",
        "often", "significant", "significantly", "important", "investigate", "investigated", "investigates",
        "regarding", "give", "gives", "giving", "help", "helps", "end", "non", "set", "previously", "essentially",
        "directly", "discuss", "discusses", "common", "commonly", "particular", "particularly", "especially",
        "mainly", "usually", "further", "given", "whose", "within", "without", "toward", "towards", "upon",
        "will", "would", "could", "might", "near", "nearly", "expected", "expect", "expects",
        "describe", "describes", "described", "introduce", "introduces", "introduced", "follow", "follows",
        "followed", "following", "future", "success", "successful", "successfully", "challenge", "challenges",
        "challenging", "typically", "typical", "can", "cannot", "ii", "iii", "iv", "made", "keep", "keeps", "kept",
        "either", "neither", "become", "becomes", "became", "focus", "focuses", "focused", "enable", "enables",
        "enabled", "enabling", "number", "suggest", "suggests", "suggested", "increased", "identify", "identifies",
        "identified", "apply", "applies", "applied", "frequently", "additionally", "additional", "overall",
        "finally", "importantly", "notably", "instead", "whereas", "hence", "simply", "easily", "possible", "possibly",
        "need", "needs", "better", "best", "https", "http", "www", "com", "org", "html",
        "用于", "观察", "联合", "差异", "效果", "影响", "平均", "较大", "较小", "指标", "试验", "处理", "表明", "分别",
        "因素", "情况", "以及", "及其", "一种", "问题", "探讨", "浅谈", "初探", "浅析", "现状", "对策", "概述", "我国",
        "较好", "较高", "可以", "常用", "适合", "提高", "新的", "属于", "进入", "具有", "采用", "利用", "主要",
        "不同", "相关", "重要", "一定", "存在", "能够", "良好", "显著", "明显", "中的", "其中", "对于", "关于", "之间",
        "之一", "方面", "已经", "介绍", "发展", "几年", "随着", "详细", "人们", "开始", "不断", "讨论", "其他", "高于",
        "达到", "目前", "近年", "一些", "同时", "可能", "需要", "作为", "根据", "得到", "发现", "认为", "国外", "国内", "它的",
        "加大", "条件下",
    ])

    /// The filler in the analyzer's form (stems: "studies" is "studi", "using" is "use"), so that it is
    /// recognised in analyzed terms; analyzed once, not on every feed.
    func reasonFiller() -> Set<String> {
        radarCache.filler {
            Set(analyzers.with { analyzer in Self.reasonFillerWords.flatMap { analyzer.tokens($0, mode: .document).map(\.term) } })
        }
    }

    /// A description's word held by more of the library than this says nothing of why a paper is there.
    static let describedShare = 0.2

    /// Of a paper's words, as written in it: those that add most to its score (the model's weight times the
    /// word's TF-IDF in the paper, so a word every paper has says little), with what each adds, and those
    /// of the description (`described`, analyzed terms) it holds. Numbers and prose abbreviations are no
    /// reason.
    func paperWords(_ paper: Paper, vector: SparseVector, model: RadarModel, described: Set<String> = [], runs: [[String]] = [],
                    count: Int = 5, reason: (String) -> Bool = { _ in true }) -> (terms: [(word: String, adds: Double)], described: [String]) {
        let names = termVectors.names(vector.ids)
        let best = zip(names, vector.values).compactMap { name, value -> (term: String, adds: Double)? in
            let adds = (model.weights.terms[name] ?? 0) * Double(value)
            guard adds > 0, Self.isReasonWord(name), reason(name) else { return nil }
            return (name, adds)
        }.sorted { $0.adds != $1.adds ? $0.adds > $1.adds : $0.term < $1.term }.prefix(count)
        guard !best.isEmpty || !described.isEmpty || !runs.isEmpty else { return ([], []) }
        let text = paper.title + "\n" + paper.abstract
        let bytes = Array(text.utf8)
        var surface: [String: String] = [:]
        var order: [String] = []
        let tokens = analyzers.with { $0.tokens(text, mode: .document) }
        // Where the paper first writes each of the description's runs of lone characters, as one word.
        var runAt: [(at: Int, written: String)] = []
        for run in runs {
            let first = tokens.indices.first { i in
                i + run.count <= tokens.count && run.indices.allSatisfy { k in
                    tokens[i + k].term == run[k] && (k == 0 || tokens[i + k - 1].end == tokens[i + k].start)
                }
            }
            if let i = first {
                runAt.append((i, String(decoding: bytes[tokens[i].start..<tokens[i + run.count - 1].end], as: UTF8.self)))
            }
        }
        var firstAt: [String: Int] = [:]
        for (i, token) in tokens.enumerated() {
            if firstAt[token.term] == nil { firstAt[token.term] = i }
            let written = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
            guard let seen = surface[token.term] else {
                surface[token.term] = written
                order.append(token.term)
                continue
            }
            // A capital that only starts a title or a sentence is no part of the word: the paper's lower-case
            // spelling is shown when it has one ("efficient", not "Efficient"; "GPU" and "Themis" as written).
            if seen != written, written == written.lowercased(), seen.lowercased() == written { surface[token.term] = written }
        }
        // A word the paper writes only inside hyphenated words ("multi" of multi-agent, "fine" of fine-tuning)
        // is shown as the first of them: "fine" alone is not what the paper says.
        // (Read off the bytes, not the tokens: a stopword is no token, and "number-of-function-evaluations" is one word.)
        var compound: [String: String] = [:], alone: [String: String] = [:]
        for token in tokens {
            let (start, end) = Self.hyphenated(bytes, token.start, token.end)
            if start == token.start && end == token.end {
                // Spelt as it is written alone ("structure", not the "structured" of semi-structured), lower case
                // when the paper has it so.
                let written = String(decoding: bytes[start..<end], as: UTF8.self)
                if let seen = alone[token.term], seen == written || written != written.lowercased() || seen.lowercased() != written { continue }
                alone[token.term] = written
            } else if compound[token.term] == nil {
                compound[token.term] = String(decoding: bytes[start..<end], as: UTF8.self)
            }
        }
        var shown = Set<String>()
        let terms = best.compactMap { best -> (word: String, adds: Double)? in
            guard let written = alone[best.term] ?? compound[best.term] ?? surface[best.term],
                  shown.insert(written.lowercased()).inserted else { return nil }
            return (written, best.adds)
        }
        // The description's words as the model's are shown: a piece of hyphenated words as the whole ("human" of
        // human-to-robot), each once (human and robot of human-to-robot are one).
        var describedShown = Set<String>()
        let words = order.filter { described.contains($0) }.compactMap { term -> (at: Int, written: String)? in
            guard let written = alone[term] ?? compound[term] ?? surface[term], describedShown.insert(written.lowercased()).inserted else { return nil }
            return (firstAt[term] ?? 0, written)
        }
        return (terms,
                (words + runAt).sorted { $0.at < $1.at }.prefix(count).map(\.written))
    }

    /// The bytes of the hyphenated word a token is written in (`multi-agent` for the `multi` at 0..<5), or the
    /// token's own when it stands alone.
    static func hyphenated(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (start: Int, end: Int) {
        let hyphen = UInt8(ascii: "-")
        func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) }
        var start = start, end = end
        while start >= 2, bytes[start - 1] == hyphen, isWordByte(bytes[start - 2]) {
            start -= 1
            while start > 0, isWordByte(bytes[start - 1]) { start -= 1 }
        }
        while end + 1 < bytes.count, bytes[end] == hyphen, isWordByte(bytes[end + 1]) {
            end += 1
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        }
        return (start, end)
    }

    /// Runs of two or more lone Chinese characters written together (no space or punctuation between): the
    /// pieces of words the dictionary does not know, as term sequences.
    static func ideographRuns(_ tokens: [Analyzer.Token]) -> [[String]] {
        var runs: [[String]] = [], current: [String] = []
        var end = -1
        for token in tokens {
            if isLoneIdeograph(token.term), current.isEmpty || token.start == end {
                current.append(token.term)
            } else {
                if current.count > 1 { runs.append(current) }
                current = isLoneIdeograph(token.term) ? [token.term] : []
            }
            end = token.end
        }
        if current.count > 1 { runs.append(current) }
        return runs.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    // MARK: - Profile

    public func radarProfile(_ name: String, top: Int = 10) throws -> RadarProfile {
        let radar = try radarRecord(name)
        let model = try radarModel(radar)
        func ranked(_ weights: [String: Double], positive: Bool) -> [RadarProfile.WeightedName] {
            weights.filter { positive ? $0.value > 0 : $0.value < 0 }
                .sorted { $0.value != $1.value ? (positive ? $0.value > $1.value : $0.value < $1.value) : $0.key < $1.key }
                .prefix(top).map { RadarProfile.WeightedName(name: $0.key, weight: $0.value) }
        }
        func all(_ weights: [String: Double]) -> [RadarProfile.WeightedName] {
            weights.filter { $0.value != 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top).map { RadarProfile.WeightedName(name: $0.key, weight: $0.value) }
        }
        // The model weighs every term, but the words listed are those a feed gives as reasons: not a lone Chinese
        // character (most often a piece of a word the dictionary lacks, 牙 of 牙周), a number, a unit or a
        // measurement (200, mg, 40mg, 2min) the description does not write, nor the filler of abstracts (显著, 差异,
        // "typically").
        let filler = reasonFiller()
        let described = Set(analyzers.with { $0.tokens(Self.radarText(radar), mode: .document) }.map(\.term))
        let terms = model.weights.terms.filter {
            !Self.isLoneIdeograph($0.key) && Self.isReasonWord($0.key) && !filler.contains($0.key)
                && (!Self.isMeasurement($0.key) || described.contains($0.key))
                // Nor a lone Latin letter (the x of x-ray, listed beside x-ray), which no feed gives as a reason either.
                && !($0.key.count == 1 && $0.key.first!.isASCII)
        }
        var positive = ranked(terms, positive: true), negative = ranked(terms, positive: false)
        let words = try termWords(Set((positive + negative).map(\.name)), radar: radar)
        // Each word once: a second piece of one hyphenated word (the "task" of multi-task) is shown as its stem.
        var shown = Set<String>()
        for k in positive.indices { positive[k].word = words[positive[k].name].flatMap { shown.insert($0.lowercased()).inserted ? $0 : nil } }
        for k in negative.indices { negative[k].word = words[negative[k].name].flatMap { shown.insert($0.lowercased()).inserted ? $0 : nil } }
        let signals = try latestSignals(radar)
        let rows = Dictionary(try store.featureRows(radar.seeds).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let seeds = radar.seeds.compactMap { id in
            rows[id].map { RadarProfile.SeedPaper(key: $0.key.rawValue, title: $0.title, rejected: signals[id].map { !$0.isPositive } ?? false) }
        }
        return RadarProfile(summary: try summary(radar), positiveTerms: positive,
                            negativeTerms: negative, categories: all(model.weights.categories),
                            sources: all(model.weights.sources), descriptionWeight: model.weights.match, seedPapers: seeds)
    }

    /// For each of `terms` (the analyzer's stems): the word written most often for it in the radar's
    /// description and keywords, its seeds and the papers it rated (the 200 most recent).
    func termWords(_ terms: Set<String>, radar: RadarRecord) throws -> [String: String] {
        guard !terms.isEmpty else { return [:] }
        let log = try store.feedback(radarID: radar.id).map(\.paperID)
        var ids: [Int64] = [], taken = Set<Int64>()
        for id in radar.seeds + log.reversed() where taken.insert(id).inserted && ids.count < 200 { ids.append(id) }
        let texts = [Self.radarText(radar)] + (try store.hits(ids.map { (id: $0, score: 0) })).map { $0.paper.title + "\n" + $0.paper.abstract }
        // A word written only inside hyphenated words is shown as the commonest of them, as feeds show it
        // ("multi-task", not "multi").
        var alone: [String: [String: Int]] = [:], compound: [String: [String: Int]] = [:]
        analyzers.with { analyzer in
            for text in texts {
                let bytes = Array(text.utf8)
                for token in analyzer.tokens(text, mode: .document) where terms.contains(token.term) {
                    let (start, end) = Self.hyphenated(bytes, token.start, token.end)
                    let whole = start == token.start && end == token.end
                    let written = String(decoding: bytes[start..<end], as: UTF8.self)
                    if whole { alone[token.term, default: [:]][written, default: 0] += 1 } else { compound[token.term, default: [:]][written, default: 0] += 1 }
                }
            }
        }
        func commonest(_ forms: [String: Int]) -> String? { forms.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key }
        return alone.compactMapValues(commonest).merging(compound.compactMapValues(commonest)) { alone, _ in alone }
    }

    // MARK: - Dates

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC (a formatter object costs more than the whole feedback update).
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }

    /// Reads a timestamp as `timestamp` writes it, or another ISO 8601 form: extended or basic
    /// (`2026-01-01T10:30:00Z`, `20260101T103000Z`), `T` or a space between day and time, seconds and their
    /// fractions optional, a zone as `Z`, `±HH:MM`, `±HHMM` or `±HH` (none: UTC), or a day alone (its
    /// midnight, UTC). Nil for anything else: no day of the calendar (2026-02-30), no time of a day (25:61),
    /// or more text after the time. A leap second (:60) is read as :59.
    static func date(fromTimestamp text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ count: Int) -> Int32? {
            guard i + count <= b.count else { return nil }
            var value: Int32 = 0
            for k in i..<i + count {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                value = value * 10 + Int32(b[k] - 48)
            }
            i += count
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard i < b.count, b[i] == byte else { return false }
            i += 1
            return true
        }
        // The day; the basic form has no dashes, and then neither has the time colons.
        guard let year = digits(4) else { return nil }
        let extended = take(45)  // -
        guard let month = digits(2), !extended || take(45), let day = digits(2),
              CalendarDate.isValid(year: Int(year), month: Int(month), day: Int(day)) else { return nil }
        var (hour, minute, second, offset): (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        if i < b.count {
            guard take(84) || take(116) || take(32) else { return nil }  // T, t or a space
            guard let h = digits(2), !extended || take(58), let m = digits(2), h < 24, m < 60 else { return nil }
            (hour, minute) = (h, m)
            if i < b.count, b[i] == 58 || (!extended && b[i] >= 48 && b[i] <= 57) {
                if extended { i += 1 }
                guard let s = digits(2), s <= 60 else { return nil }
                second = min(s, 59)
                if take(46) || take(44) {  // . or , and the fraction (dropped: the log keeps whole seconds)
                    let from = i
                    while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                    guard i > from else { return nil }
                }
            }
            if take(90) || take(122) {  // Z, z
            } else if i < b.count, b[i] == 43 || b[i] == 45 {  // + or -
                let sign: Int32 = b[i] == 45 ? -1 : 1
                i += 1
                guard let zh = digits(2), zh <= 14 else { return nil }
                var zm: Int32 = 0
                if i < b.count {
                    _ = take(58)
                    guard let m = digits(2), m < 60 else { return nil }
                    zm = m
                }
                offset = sign * (zh * 3_600 + zm * 60)
            }
            guard i == b.count else { return nil }
        }
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (year - 1900, month - 1, day)
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (hour, minute, second)
        return Date(timeIntervalSince1970: TimeInterval(Int(timegm(&parts)) - Int(offset)))
    }

    static func now() -> String { timestamp(Date()) }

    /// Today in UTC, YYYY-MM-DD.
    public static func today(_ date: Date = Date()) -> String {
        String(timestamp(date).prefix(10))
    }

    /// YYYY-MM-DD naming a day of the calendar (not 2026-02-30).
    public static func isDay(_ text: String) -> Bool {
        guard text.range(of: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#, options: .regularExpression) != nil else { return false }
        // ASCII digits only: `\d` would pass ２０２６ or ٢٠٢٦, which Int() does not read.
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return false }
        return CalendarDate.isValid(year: parts[0], month: parts[1], day: parts[2])
    }

    static func day(_ day: String, minus days: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        guard let date = formatter.date(from: day) else { return day }
        return formatter.string(from: date.addingTimeInterval(-Double(days) * 86_400))
    }

    func wrapStore<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw HubError(error.message)
        }
    }
}

/// A radar as a file, for moving it between machines: what the user said, its seeds and its feedback log,
/// all by paper key. The model is rebuilt from them on import.
public struct RadarExport: Sendable, Codable {
    /// The file `ahub radar export` writes and GET /api/radars/{name}/export answers, byte for byte: keys
    /// sorted, indented, one newline at the end; the same radar is the same file (it diffs, it can be committed).
    public func fileData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public var format = "academichub-radar"
    public var version = RadarExport.readableVersion
    /// The version this build writes and reads.
    public static let readableVersion = 1

    /// What is wrong with a file's version (a JSON number, 1.5 too), or nil when this build reads it.
    public static func versionProblem(_ version: Double) -> String? {
        let readable = Double(readableVersion)
        guard version != readable else { return nil }
        let given = String(format: "%g", version)
        return version > readable
            ? "this radar was exported by a newer AcademicHub (file version \(given)); this one reads version \(readableVersion): update ahub here"
            : "not a radar export this AcademicHub reads (file version \(given); it reads version \(readableVersion))"
    }
    public var name: String
    public var description: String
    public var keywords: [String]
    public var categories: [String]
    public var sources: [String]
    public var seeds: [String]
    public var feedback: [Event]

    public struct Event: Sendable, Codable {
        public var key: String
        public var signal: String
        public var at: String
    }

    /// An export's bytes read back: JSON as JSON first (UTF-8, where it breaks, a field given twice), then
    /// what the file is (a Zotero export is not "missing keywords"), then its version, then its fields.
    public static func read(_ data: Data) throws -> RadarExport {
        // JSON between machines is UTF-8 (RFC 8259): a file saved as Latin-1 or GBK is named as such, not as bad JSON.
        let invalid = Hub.firstInvalidUTF8(data)
        if invalid < data.count { throw HubError("not UTF-8 (from byte \(invalid) on): a radar export is JSON in UTF-8") }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw HubError("empty: a radar export is the JSON object `ahub radar export` (GET /api/radars/NAME/export) writes")
        }
        if let problem = JSONValue.syntaxProblem(in: data) {
            // Papers in JSON Lines (one object a line) are what `ahub import` reads, not a radar: said so.
            let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if lines.count > 1, lines.allSatisfy({ $0.hasPrefix("{") && $0.hasSuffix("}") }) {
                throw HubError("not a radar export: this is JSON Lines, one record a line (papers are imported with `ahub import`); "
                    + "a radar export is the one JSON object `ahub radar export` writes")
            }
            throw HubError("not valid JSON: \(problem)")
        }
        // A field given twice (an export edited by hand, the corrected value added below the old) is the user's to settle.
        switch JSONValue.laxity(in: data) {
        case .repeatedKey(let key, let place)?:
            throw HubError("the field \"\(key)\" is given twice" + (place == "the top level" ? "" : " in \(place)") + "; keep the one you mean")
        case .trailingComma(let line, let column)?:
            throw HubError("not valid JSON: a comma before a closing bracket at \(JSONValue.place(line: line, column: column, in: data))")
        case nil: break
        }
        struct Kind: Decodable { var format: String?; var version: Double? }
        if let kind = try? JSONDecoder().decode(Kind.self, from: data) {
            if kind.format != "academichub-radar" {
                throw HubError("not an AcademicHub radar export (format \(kind.format ?? "not given"), version \(kind.version.map { String(format: "%g", $0) } ?? "not given"))")
            }
            if let version = kind.version, let problem = versionProblem(version) { throw HubError(problem) }
        }
        do {
            return try JSONDecoder().decode(RadarExport.self, from: data)
        } catch {
            throw HubError("not a radar export: \(HubError.describing(error))")
        }
    }
}

/// A file written or trimmed by hand may leave out what it has none of: keywords, categories, sources, seeds,
/// feedback (empty), the description (empty), an event's time (the import's, in the file's order) and the
/// name (the import's).
extension RadarExport {
    private enum CodingKeys: String, CodingKey, CaseIterable { case format, version, name, description, keywords, categories, sources, seeds, feedback }

    public init(from decoder: any Decoder) throws {
        try Self.refuseUnknownFields(decoder, CodingKeys.self, of: "a radar export")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        version = try c.decode(Int.self, forKey: .version)
        // No name: the import's own (`--name`, `?name=`) names it, and without one the import says so.
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        sources = try c.decodeIfPresent([String].self, forKey: .sources) ?? []
        seeds = try c.decodeIfPresent([String].self, forKey: .seeds) ?? []
        feedback = try c.decodeIfPresent([Event].self, forKey: .feedback) ?? []
    }
}

/// Any field of a JSON object, by its name.
private struct Field: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension RadarExport {
    /// A field the file has that the format does not (`descripton`, hand-typed) is refused by name, as the API
    /// refuses one in a body: read past, it would leave the radar without what the user wrote.
    static func refuseUnknownFields<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, _ keys: Keys.Type, of what: String) throws {
        guard let fields = try? decoder.container(keyedBy: Field.self) else { return }
        let known = Keys.allCases.map(\.stringValue)
        guard let unknown = fields.allKeys.map(\.stringValue).filter({ !known.contains($0) }).sorted().first else { return }
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [Field(stringValue: unknown)],
                                                debugDescription: "no such field in \(what) (its fields are \(known.joined(separator: ", ")))"))
    }
}

extension RadarExport.Event {
    private enum CodingKeys: String, CodingKey, CaseIterable { case key, signal, at }

    public init(from decoder: any Decoder) throws {
        try RadarExport.refuseUnknownFields(decoder, CodingKeys.self, of: "a feedback event")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        signal = try c.decode(String.self, forKey: .signal)
        // A time written as a number (seconds?) or anything else is not one: the import takes it as now, and says so.
        if !c.contains(.at) || (try? c.decodeNil(forKey: .at)) == true {
            at = ""
        } else if let text = try? c.decode(String.self, forKey: .at) {
            at = text
        } else if let number = try? c.decode(Double.self, forKey: .at) {
            at = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
        } else {
            at = "(not text)"
        }
    }
}

extension Hub {
    /// The offset of the first byte that is not part of a valid UTF-8 sequence (0-based); `data.count` when all are.
    public static func firstInvalidUTF8(_ data: Data) -> Int {
        var decoder = UTF8()
        var iterator = data.makeIterator()
        var offset = 0
        while true {
            let before = offset
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return before
            }
        }
    }

    public func exportRadar(_ name: String) throws -> RadarExport {
        let radar = try radarRecord(name)
        let log = try store.feedback(radarID: radar.id)
        let keys = try store.featureRows(Array(Set(radar.seeds + log.map(\.paperID)))).reduce(into: [Int64: String]()) { $0[$1.id] = $1.key.rawValue }
        // What the radar still awaits goes with it, the events among the log's by time: nothing is lost by
        // moving a radar on before its papers came.
        let awaiting = try store.awaiting(radarID: radar.id)
        var feedback: [RadarExport.Event] = []
        var waiting = awaiting.filter { $0.signal != nil }[...]
        for event in log {
            guard let key = keys[event.paperID] else { continue }
            while let first = waiting.first, first.at < event.at {
                feedback.append(.init(key: first.key, signal: first.signal!, at: first.at))
                waiting = waiting.dropFirst()
            }
            feedback.append(.init(key: key, signal: event.signal, at: event.at))
        }
        feedback += waiting.map { .init(key: $0.key, signal: $0.signal!, at: $0.at) }
        return RadarExport(name: radar.name, description: radar.description, keywords: radar.keywords, categories: radar.categories,
                           sources: radar.sources, seeds: radar.seeds.compactMap { keys[$0] } + awaiting.filter { $0.signal == nil }.map(\.key),
                           feedback: feedback)
    }

    /// Creates a radar from an export (under `name` when given); what it says of papers this library lacks is
    /// kept until they come (`takingIn`), with a line each. The feedback log keeps its times; the model is fitted to it.
    public func importRadar(_ export: RadarExport, name: String? = nil) throws -> (summary: RadarSummary, skipped: [String]) {
        let (summary, skipped) = try importRadarWhole(export, name: name)
        // One line per skipped event could run to thousands: the first 20, and how many more.
        guard skipped.count > Self.skippedShown else { return (summary, skipped) }
        return (summary, Array(skipped.prefix(Self.skippedShown)) + ["… and \(skipped.count - Self.skippedShown) more"])
    }

    /// Lines an import says of what it skipped, at most.
    static let skippedShown = 20

    private func importRadarWhole(_ export: RadarExport, name: String?) throws -> (summary: RadarSummary, skipped: [String]) {
        guard export.format == "academichub-radar" else {
            throw HubError("not an AcademicHub radar export (its format is \(export.format), not academichub-radar)")
        }
        if let problem = RadarExport.versionProblem(Double(export.version)) { throw HubError(problem) }
        if let name, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw HubError("the name given to the import is empty: give a name, or none to take the file's"
                + (export.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : " (\(export.name))"))
        }
        guard !(name ?? export.name).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HubError("the file names no radar: give its name to the import (`ahub radar import FILE --name NAME`, or ?name= in the API)")
        }
        var skipped: [String] = []
        var seeds: [String] = []
        // Seeds and events on papers this library lacks are kept, and taken in when the papers come.
        var awaiting: [(paper: AwaitingPaper, date: Date)] = []
        // A paper this library lacks is said once, as a seed and with how many events name it.
        var absent: [String: Int] = [:], absentOrder: [String] = [], absentSeeds: Set<String> = []
        let now = Date()
        // A paper is named by its key, or by its title (a file edited by hand), as `--seed` names one. What
        // names none here waits for its paper only when it is a key: a title or stray text would wait forever,
        // and the user be told their rating is kept when it never counts.
        func paperNamed(_ text: String) throws -> Int64? {
            if let found = try paper(text) { return try store.ids(for: [found.paper.key])[found.paper.key] }
            return try paperID(for: SeedReference(title: text, location: "import"))
        }
        func awaitable(_ text: String, as what: String) throws {
            guard Self.readsAsKey(text) else {
                throw HubError("\(what) \"\(text.prefix(80))\": no paper in this library has this key or title, and it does not read as a key whose paper could arrive later "
                    + "(keys look like arxiv:2606.13857, doi:10.1038/…, csl-zh:csl-test-0220); correct it or take it out of the file")
            }
        }
        for key in export.seeds {
            if try paperNamed(key) != nil { seeds.append(key) } else {
                try awaitable(key, as: "seed")
                absentSeeds.insert(key)
                absentOrder.append(key)
                awaiting.append((AwaitingPaper(key: key, signal: nil, at: ""), .distantPast))
            }
        }
        var events: [(event: FeedbackEvent, date: Date)] = []
        // An event that repeats the paper's previous one (signal and time; a file grown by a script) is one event:
        // it says nothing more, and 60,000 of them took 24 s to store. Like, dislike, like at one time ends liked.
        var lastOn: [String: String] = [:], repeated = 0
        for event in export.feedback {
            let said = event.signal + "\u{0}" + event.at
            guard lastOn.updateValue(said, forKey: event.key) != said else { repeated += 1; continue }
            guard let signal = RadarSignal(rawValue: event.signal.trimmingCharacters(in: .whitespaces).lowercased()) else {
                skipped.append("feedback \(event.signal) on \(event.key) is not a signal (like, dislike, save, hide); skipped")
                continue
            }
            let id = try paperNamed(event.key)
            if id == nil { try awaitable(event.key, as: "feedback on") }
            // What the user said counts even when its time is lost: an event without a readable time is taken
            // as now, in the file's order (so the file's last word on a paper stays the last). A time still to
            // come (a clock ahead where the file was made) is taken as now too: otherwise it would sort after,
            // and outweigh, everything the user says here from now on.
            var date = Self.date(fromTimestamp: event.at) ?? now
            if event.at.isEmpty {
                skipped.append("feedback \(event.signal) on \(event.key) has no time; taken as now")
            } else if Self.date(fromTimestamp: event.at) == nil {
                skipped.append("feedback \(event.signal) on \(event.key) at \(event.at) is not a time; taken as now")
            } else if date > now {
                skipped.append("feedback \(event.signal) on \(event.key) at \(event.at) is in the future; taken as now")
                date = now
            }
            guard let id else {
                if absent[event.key] == nil, !absentSeeds.contains(event.key) { absentOrder.append(event.key) }
                absent[event.key, default: 0] += 1
                awaiting.append((AwaitingPaper(key: event.key, signal: signal.rawValue, at: Self.timestamp(date)), date))
                continue
            }
            events.append((FeedbackEvent(paperID: id, signal: signal.rawValue, at: Self.timestamp(date)), date))
        }
        if repeated > 0 {
            skipped.append("\(repeated) feedback event\(repeated == 1 ? " repeats" : "s repeat") another (the same paper, signal and time); taken once")
        }
        skipped += absentOrder.map { key in
            let count = absent[key] ?? 0
            let events = "\(count) event\(count == 1 ? "" : "s")"
            let kept = "not in this library yet; kept, and taken in when it comes"
            guard absentSeeds.contains(key) else { return "feedback on \(key) (\(events)) is for a paper \(kept)" }
            return count == 0 ? "seed \(key) is \(kept)" : "seed \(key) and its feedback (\(events)) are for a paper \(kept)"
        }
        // The log in time order, whatever the file's: the last signal on a paper is the latest one.
        func inOrder<T>(_ items: [(T, Date)]) -> [T] {
            items.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0)
        }
        let log = inOrder(events)
        // A file written before descriptions had to be UTF-8 may hold U+FFFD: a space here, and said.
        let readable = { (text: String) in text.replacingOccurrences(of: "\u{FFFD}", with: " ") }
        if ([export.description] + export.keywords).contains(where: { $0.contains("\u{FFFD}") }) {
            skipped.append("the description or keywords held bytes that were not UTF-8 (U+FFFD); they are spaces here")
        }
        let spec = RadarSpec(name: name ?? export.name, description: readable(export.description), keywords: export.keywords.map(readable),
                             categories: export.categories, sources: export.sources, seeds: seeds)
        let text = ([export.description] + export.keywords).joined().trimmingCharacters(in: .whitespacesAndNewlines)
        let papers = Set(export.seeds + export.feedback.map(\.key)).count
        let importFirst = "(import \(papers == 1 ? "it" : "them") first: `ahub import`, `ahub fetch`)"
        if text.isEmpty, seeds.isEmpty, log.isEmpty {
            throw HubError("nothing of radar \(spec.name) can be made here: it has no description or keywords, and "
                + (papers == 0 ? "no seed or rated paper"
                    : papers == 1 ? "the paper it was seeded with or rated is not in this library \(importFirst)"
                    : "none of the \(papers) papers it was seeded with or rated is in this library \(importFirst)"))
        }
        // The radar, its log, what it awaits and its model in one transaction: an import is there whole or not at all.
        let summary = try createRadar(spec, log: log, awaiting: inOrder(awaiting))
        return (summary, skipped)
    }
}

/// What feeds reuse between calls in one process: decoded models (by their stored bytes) and the rankings
/// of radars' descriptions (by text, window and library revision).
final class RadarCache: @unchecked Sendable {
    private let lock = NSLock()
    private var models: [Int64: (data: Data, model: RadarModel)] = [:]
    private var matches: [String: [Int64: Double]] = [:]
    private var filler: Set<String>?

    /// The reason filler in the analyzer's form, made once per process (the analyzer does not change in one).
    func filler(_ make: () -> Set<String>) -> Set<String> {
        if let made = lock.withLock({ filler }) { return made }
        let made = make()
        lock.withLock { filler = made }
        return made
    }

    /// The model stored as `data`, decoded once; nil when it does not decode.
    func model(_ radarID: Int64, data: Data) -> RadarModel? {
        if let cached = lock.withLock({ models[radarID] }), cached.data == data { return cached.model }
        guard let model = try? JSONDecoder().decode(RadarModel.self, from: data) else { return nil }
        lock.withLock { models[radarID] = (data, model) }
        return model
    }

    /// Remembers a model just stored as `data`.
    func keep(_ radarID: Int64, data: Data, model: RadarModel) {
        lock.withLock { models[radarID] = (data, model) }
    }

    /// The papers revision at which a radar's awaited keys were last looked up and none had come.
    private var awaitedChecked: [Int64: Int64] = [:]

    /// Whether the library's papers are as they were when the radar's awaited keys were last looked up in vain.
    func awaitedUnchanged(_ radarID: Int64, revision: Int64) -> Bool {
        lock.withLock { awaitedChecked[radarID] == revision }
    }

    func awaitedLookedUp(_ radarID: Int64, revision: Int64) {
        lock.withLock { awaitedChecked[radarID] = revision }
    }

    func match(_ key: String, make: () throws -> [Int64: Double]) rethrows -> [Int64: Double] {
        if let cached = lock.withLock({ matches[key] }) { return cached }
        let made = try make()
        lock.withLock {
            if matches.count >= 64 { matches.removeAll(keepingCapacity: true) }
            matches[key] = made
        }
        return made
    }
}
