import Foundation
import HubCore

/// The kinds of source `ahub sources add` knows, each with its real endpoint as the default base URL.
public enum SourceKind: String, Codable, CaseIterable, Sendable {
    /// Daily announcements of one or more categories: `rss.arxiv.org/rss/cs.CL+cs.LG`.
    case arxivRSS = "arxiv-rss"
    /// The search API, paged with `start`/`max_results`, newest submissions first: backfill.
    case arxivAPI = "arxiv-api"
    /// OAI-PMH `ListRecords` in the `arXiv` format, paged by resumption tokens: bulk harvest.
    case arxivOAI = "arxiv-oai"
    /// `api.biorxiv.org/details/biorxiv/<from>/<to>/<cursor>`, 100 records a page.
    case biorxiv
    /// The same API on the medRxiv server.
    case medrxiv
    /// A Nature journal's RSS 1.0 feed, `www.nature.com/<journal>.rss`.
    case nature
    /// Any other RSS feed.
    case rss
    /// Any other Atom feed.
    case atom

    public var defaultBaseURL: String? {
        switch self {
        case .arxivRSS: return "https://rss.arxiv.org/rss"
        case .arxivAPI: return "https://export.arxiv.org/api/query"
        case .arxivOAI: return "https://oaipmh.arxiv.org/oai"
        case .biorxiv, .medrxiv: return "https://api.biorxiv.org"
        case .nature: return "https://www.nature.com"
        case .rss, .atom: return nil
        }
    }

    /// Harvested page by page within a date window (the others are one feed document each).
    public var isPaged: Bool {
        switch self {
        case .arxivAPI, .arxivOAI, .biorxiv, .medrxiv: return true
        case .arxivRSS, .nature, .rss, .atom: return false
        }
    }
}

/// What a source fetches. Which fields matter depends on the kind; `validate()` says what is missing.
public struct SourceSpec: Codable, Sendable, Equatable {
    public var kind: SourceKind
    /// arxiv-rss: the feed's categories; arxiv-api: `cat:` terms OR'd together; arxiv-oai: kept papers must
    /// have one; biorxiv/medrxiv: the API's `category` (e.g. `neuroscience`).
    public var categories: [String]
    /// arxiv-api: a search query in arXiv's syntax (`ti:transformer AND cat:cs.CL`).
    public var query: String?
    /// arxiv-api: fetch these ids (`id_list`).
    public var ids: [String]
    /// arxiv-oai: the OAI set (`cs`, `math`, `physics:astro-ph`).
    public var set: String?
    /// nature: the journal's feed name (`nature`, `natmachintell`, `ncomms`).
    public var journal: String?
    /// rss/atom: the feed URL.
    public var url: String?
    /// Replaces the kind's default endpoint (a mirror, a proxy, a test server).
    public var baseURL: String?
    /// arxiv-api: results per request (arXiv allows up to 2000; 100 keeps responses quick).
    public var pageSize: Int?
    /// arxiv-api: most records one harvest reads (default 1000 without a date window).
    public var limit: Int?
    /// Windowed kinds: the first harvest starts at this day (YYYY-MM-DD); default a week back.
    public var since: String?

    public init(kind: SourceKind, categories: [String] = [], query: String? = nil, ids: [String] = [], set: String? = nil,
                journal: String? = nil, url: String? = nil, baseURL: String? = nil, pageSize: Int? = nil,
                limit: Int? = nil, since: String? = nil) {
        self.kind = kind
        self.categories = categories
        self.query = query
        self.ids = ids
        self.set = set
        self.journal = journal
        self.url = url
        self.baseURL = baseURL
        self.pageSize = pageSize
        self.limit = limit
        self.since = since
    }

    /// Throws a message naming what the kind needs and is missing or malformed.
    public func validate() throws(SourceSpecError) {
        func fail(_ message: String) -> SourceSpecError { SourceSpecError(message: "\(kind.rawValue): \(message)") }
        switch kind {
        case .arxivRSS:
            if categories.isEmpty { throw fail("give one or more categories (--category cs.CL)") }
        case .arxivAPI:
            if query == nil && ids.isEmpty && categories.isEmpty {
                throw fail("give a query (--query 'ti:transformer'), categories (--category cs.CL) or ids (--id 2401.00001)")
            }
        case .arxivOAI:
            if set == nil && categories.isEmpty { throw fail("give an OAI set (--set cs) or categories") }
        case .biorxiv, .medrxiv:
            // The API takes one `category`: a second would be listed and never fetched.
            if categories.count > 1 { throw fail("one category per source (the API takes one); add a source for each of \(categories.joined(separator: ", "))") }
        case .nature:
            break
        case .rss, .atom:
            guard let url else { throw fail("give the feed's http(s) URL (--url https://…)") }
            guard Self.isHTTP(url) else { throw fail("--url must be an http(s) address with a host (a port, if any, from 1 to 65535), not '\(url)'") }
        }
        // An option the kind does not read is refused, not dropped: the user meant something by it.
        let reads: [(option: String, given: Bool, kinds: Set<SourceKind>)] = [
            ("--category", !categories.isEmpty, [.arxivRSS, .arxivAPI, .arxivOAI, .biorxiv, .medrxiv]),
            ("--query", query != nil, [.arxivAPI]), ("--id", !ids.isEmpty, [.arxivAPI]), ("--set", set != nil, [.arxivOAI]),
            ("--journal", journal != nil, [.nature]), ("--url", url != nil, [.nature, .rss, .atom]),
            ("--page-size", pageSize != nil, [.arxivAPI]), ("--limit", limit != nil, [.arxivAPI]),
            ("--since", since != nil, [.arxivAPI, .arxivOAI, .biorxiv, .medrxiv]),
        ]
        for (option, given, kinds) in reads where given && !kinds.contains(kind) {
            throw fail("\(option) is not read by this kind (it is for \(kinds.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        if let query, query.allSatisfy(\.isWhitespace) { throw fail("--query is empty: give arXiv's search words, such as 'ti:transformer'") }
        // arXiv ids as arXiv writes them (2401.00001, hep-th/9901001, with a version or not): another word
        // would only come back as arXiv's "incorrect id format" at fetch time.
        for id in ids where ArxivID(id) == nil || id.contains(where: \.isWhitespace) {
            throw fail("--id takes an arXiv id such as 2401.00001 or hep-th/9901001, not '\(id)'")
        }
        if let journal, journal.isEmpty || !journal.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            throw fail("--journal is a journal's feed name such as natmachintell, not '\(journal)'")
        }
        // What goes into a URL path or query is checked here, not escaped there: `cs.CL/../x` is no category.
        for category in categories where !Self.isName(category, extra: "._-") {
            // bioRxiv's and medRxiv's categories are words (Infectious Diseases): their API writes them with _.
            if kind == .biorxiv || kind == .medrxiv, Self.isName(category.replacingOccurrences(of: " ", with: "_"), extra: "._-") {
                throw fail("--category takes \(kind.rawValue)'s category with _ for its spaces, as its API writes it: "
                    + "'\(category.lowercased().replacingOccurrences(of: " ", with: "_"))', not '\(category)'")
            }
            throw fail("--category takes a category's name such as cs.CL, q-bio.NC or neuroscience, not '\(category)'")
        }
        if let set, !Self.isName(set, extra: ":._-") { throw fail("--set takes an OAI set such as cs or physics:astro-ph, not '\(set)'") }
        // A category outside the set would be filtered out of every page: the source would never keep a paper.
        if let set, let setGroup = set.split(separator: ":").first.map({ $0.lowercased() }) {
            for category in categories {
                if let group = Self.arxivGroup(of: category), group != setGroup {
                    throw fail("--category \(category) is in arXiv's \(group) group, outside the set \(set): no paper of it would be kept "
                        + "(leave out --set and the categories' group is harvested)")
                }
            }
        }
        if baseURL != nil, kind == .rss || kind == .atom { throw fail("--base-url is not read by this kind: --url is the whole feed's address") }
        if url != nil, journal != nil { throw fail("give --url or --journal, not both: --url is the whole feed's address") }
        for (option, address) in [("--url", url), ("--base-url", baseURL)] {
            if let address, address.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
                throw fail("\(option) cannot hold spaces or control characters (write a space as %20): '\(address)'")
            }
        }
        if let baseURL, !Self.isHTTP(baseURL) { throw fail("--base-url must be an http(s) URL, not '\(baseURL)'") }
        // The kind's own paths and query go after the base: `…?key=k` would end up as `…?key=k/cs.CL`.
        if let baseURL, baseURL.contains("?") || baseURL.contains("#") {
            throw fail("--base-url is what the kind's own paths and query follow; it cannot hold a query string (?…) or a #fragment: '\(baseURL)'")
        }
        if let since, FeedDay(since) == nil { throw fail("--since must be a day, YYYY-MM-DD, not '\(since)'") }
        if let since, let message = FeedDay.future(since) { throw fail(message) }
        if let pageSize, !(1...2000).contains(pageSize) { throw fail("--page-size must be 1…2000") }
        if let limit, limit < 1 { throw fail("--limit must be at least 1") }
    }

    /// ASCII letters and digits, and the `extra` punctuation, not first.
    static func isName(_ text: String, extra: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || extra.contains($0)) }
    }

    static func isHTTP(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else { return false }
        // A port past 65535 (`:99999`) is no address: every fetch would fail on it, backing off for ever.
        if let port = components.port, !(1...65_535).contains(port) { return false }
        return (scheme == "http" || scheme == "https") && components.host?.isEmpty == false
    }

    public var base: String {
        var base = baseURL ?? kind.defaultBaseURL ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// arxiv-api's search: the query, the categories' `cat:` terms OR'd, or both (`(query) AND (cat:A OR cat:B)`;
    /// the categories had been dropped beside a query, and every paper it found kept).
    public var arxivSearch: String {
        let terms = categories.map { "cat:\($0)" }.joined(separator: " OR ")
        guard let query, !query.isEmpty else { return terms }
        return terms.isEmpty ? query : "(\(query)) AND (\(terms))"
    }

    /// arxiv-oai: the set a harvest asks for. Without `--set`, the arXiv group all the categories lie in
    /// (`cs.CL` and `cs.LG`: `cs`; `quant-ph` and `hep-th`: `physics`), so that a source of a few categories does
    /// not read all of arXiv to keep them; nil when they span groups (the whole archive, filtered here).
    public var harvestSet: String? {
        if let set { return set }
        let groups = Set(categories.map(Self.arxivGroup))
        guard groups.count == 1, let group = groups.first else { return nil }
        return group
    }

    /// The arXiv group (an OAI set in both arXiv's old and new OAI interfaces) a category's archive belongs
    /// to: `cs.CL` → `cs`, `astro-ph.GA` and `quant-ph` → `physics`; nil for a name arXiv has no archive of.
    public static func arxivGroup(of category: String) -> String? {
        let archive = category.split(separator: ".", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        if ["cs", "econ", "eess", "math", "q-bio", "q-fin", "stat"].contains(archive) { return archive }
        let physics = ["astro-ph", "cond-mat", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nlin",
                       "nucl-ex", "nucl-th", "physics", "quant-ph"]
        return physics.contains(archive) ? "physics" : nil
    }

    /// One line saying what the source fetches, for `sources list`.
    public var summary: String {
        switch kind {
        case .arxivRSS: return categories.joined(separator: "+")
        case .arxivAPI:
            if !ids.isEmpty { return "ids " + ids.joined(separator: ",") }
            return arxivSearch
        case .arxivOAI:
            let set = self.set ?? harvestSet.map { "\($0) (the categories' group)" } ?? "- (all of arXiv)"
            return "set \(set)" + (categories.isEmpty ? "" : " categories " + categories.joined(separator: ","))
        case .biorxiv, .medrxiv: return categories.isEmpty ? "all categories" : categories.joined(separator: ",")
        case .nature: return url ?? "\(journal ?? "nature").rss"
        case .rss, .atom: return url ?? ""
        }
    }
}

public struct SourceSpecError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A calendar day, YYYY-MM-DD, in UTC.
public struct FeedDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let date: Date

    /// Why a harvest cannot start on `text`, a day after today (UTC), where a typo (2062 for 2026) would send a
    /// window that ends before it starts, find nothing and pass for done; nil for any other day.
    public static func future(_ text: String, now: Date = Date()) -> String? {
        guard let day = FeedDay(text), day.date > now else { return nil }
        return "--since \(text) is after today; a harvest starts on a day that has come"
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var components = DateComponents()
        components.year = y
        components.month = m
        components.day = d
        guard let date = FeedDay.calendar.date(from: components),
            FeedDay.calendar.component(.day, from: date) == d
        else { return nil }
        self.date = date
    }

    public init(_ date: Date) {
        self.date = FeedDay.calendar.startOfDay(for: date)
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public func adding(days: Int) -> FeedDay {
        FeedDay(FeedDay.calendar.date(byAdding: .day, value: days, to: date)!)
    }

    public var description: String {
        let c = FeedDay.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// `YYYYMMDD`, as arXiv's `submittedDate:[…]` wants it.
    var compact: String { description.replacingOccurrences(of: "-", with: "") }

    public static func < (a: FeedDay, b: FeedDay) -> Bool { a.date < b.date }
}
