import GRDB
import HubCore

/// One ranked paper.
public struct SearchHit: Sendable, Hashable {
    public var paper: Paper
    /// BM25, higher is better; 0 when only filters applied.
    public var score: Double
    /// The title with matched words between `Highlight.open` and `Highlight.close`.
    public var highlightedTitle: String
    /// The abstract's best passage, matched words marked the same way.
    public var snippet: String
    /// The score of each ranked list the paper came from (`keyword`, `semantic`, `tfidf`, `fused`).
    public var scores: [String: Double] = [:]

    public init(paper: Paper, score: Double, highlightedTitle: String, snippet: String, scores: [String: Double] = [:]) {
        self.paper = paper
        self.score = score
        self.highlightedTitle = highlightedTitle
        self.snippet = snippet
        self.scores = scores
    }
}

public struct SearchPage: Sendable, Hashable {
    public var hits: [SearchHit]
    /// Every paper the query matches, not just this page.
    public var total: Int
}

/// Markers around matched words in titles and snippets; presentation turns them into bold, `<mark>` or «».
public enum Highlight {
    public static let open = "\u{2}"
    public static let close = "\u{3}"

    /// Matched words in `<mark>`, everything else escaped: stored text keeps a feed's own markup (`<i>`,
    /// `&amp;`), which a page must show, never run.
    /// One pass over the UTF-8 bytes (Foundation's replacingOccurrences, six times, was most of a search
    /// request's time in the server).
    public static func html(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 64)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case 2: out.append(contentsOf: "<mark>".utf8)
            case 3: out.append(contentsOf: "</mark>".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension SQLitePaperStore {
    /// The matched words marked in the titles and in a snippet of the abstracts of `ids` that `match` (an
    /// FTS5 expression) matches; the others are not in the answer. Snippets cost a re-tokenization each:
    /// made for a page only, never for every match.
    static func marked(_ db: Database, ids: [Int64], match: String) throws -> [Int64: (title: String, snippet: String)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT rowid AS id,
                       highlight(papers_fts, 0, ?, ?) AS title,
                       snippet(papers_fts, 2, ?, ?, '…', 40) AS snippet
                FROM papers_fts WHERE papers_fts MATCH ? AND rowid IN (\(placeholders(ids.count)))
                """,
            arguments: StatementArguments(
                [Highlight.open, Highlight.close, Highlight.open, Highlight.close, match]
                    + ids.map { $0 as any DatabaseValueConvertible }))
        return rows.reduce(into: [:]) { $0[$1["id"]] = ($1["title"] ?? "", capped($1["snippet"] ?? "")) }
    }

    /// A snippet cut to about `limit` bytes around its first match. FTS5 counts a snippet in tokens, and text that
    /// makes none (a word too long to index: a sequence, a base64 blob) would come whole, 90,000 characters of it.
    static func capped(_ snippet: String, bytes limit: Int = 600) -> String {
        let bytes = Array(snippet.utf8)
        guard bytes.count > limit else { return snippet }
        let open = UInt8(ascii: "\u{2}"), close = UInt8(ascii: "\u{3}")
        var start = max(0, (bytes.firstIndex(of: open) ?? 0) - limit / 3)
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        var end = min(bytes.count, start + limit)
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        // A mark opened in the part kept is closed in it.
        if let opened = bytes[start..<end].lastIndex(of: open), !bytes[opened..<end].contains(close),
           let closed = bytes[opened...].firstIndex(of: close) {
            end = closed + 1
        }
        return (start > 0 ? "…" : "") + String(decoding: bytes[start..<end], as: UTF8.self) + (end < bytes.count ? "…" : "")
    }

    /// Ranks papers for a parsed query: BM25 over title, authors and abstract when it has words, newest
    /// first when it only filters.
    public func search(_ query: Query, limit: Int, offset: Int = 0, snippets: Bool = true) throws -> SearchPage {
        // SQLite reads a negative LIMIT as "no limit": a page is never more than this.
        let limit = min(max(limit, 0), Self.maxPage), offset = max(offset, 0)
        let match = query.fts5Expression()
        let (filterSQL, filterArguments) = Self.filters(query)
        return try pool.read { db in
            if let match {
                // Rank on the index alone: the sorter carries (rowid, score) for every match and papers are
                // read for the page only. A filter joins `papers` (by id) just to test its columns.
                let from = filterSQL.isEmpty
                    ? "FROM papers_fts WHERE papers_fts MATCH ?"
                    : "FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid WHERE papers_fts MATCH ?\(filterSQL)"
                let arguments: StatementArguments = [match] + filterArguments
                let top = try Row.fetchAll(
                    db, sql: "SELECT papers_fts.rowid AS id, \(Ranking.default.fts5RankFunction) AS rank \(from) ORDER BY rank LIMIT ? OFFSET ?",
                    arguments: arguments + [limit, offset])
                let total = top.isEmpty && offset == 0
                    ? 0
                    : try Int.fetchOne(db, sql: "SELECT count(*) \(from)", arguments: arguments) ?? 0
                let rows = try Self.paperRows(db, ids: top.map { $0["id"] as Int64 })
                let ranked = top.compactMap { hit -> (row: Row, rank: Double)? in
                    rows[hit["id"]].map { ($0, hit["rank"]) }
                }
                let marked = snippets ? try Self.marked(db, ids: ranked.map { $0.row["id"] as Int64 }, match: match) : [:]
                let hits = ranked.map { row, rank -> SearchHit in
                    let paper = Self.paper(from: row)
                    let id: Int64 = row["id"]
                    let (title, snippet) = marked[id] ?? (paper.title, Self.lead(of: paper.abstract))
                    return SearchHit(paper: paper, score: -rank, highlightedTitle: title, snippet: snippet)
                }
                return SearchPage(hits: hits, total: total)
            } else {
                var filterSQL = filterSQL
                var filterArguments = filterArguments
                if let excluded = query.fts5ExclusionExpression() {
                    filterSQL += " AND p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
                    filterArguments += [excluded]
                }
                let whereSQL = filterSQL.isEmpty ? "" : "WHERE 1" + filterSQL
                let rows = try Row.fetchAll(
                    db, sql: "SELECT p.* FROM papers p \(whereSQL) ORDER BY p.date DESC, p.id DESC LIMIT ? OFFSET ?",
                    arguments: filterArguments + [limit, offset])
                let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM papers p \(whereSQL)", arguments: filterArguments) ?? 0
                let hits = rows.map { row in
                    let paper = Self.paper(from: row)
                    return SearchHit(paper: paper, score: 0, highlightedTitle: paper.title, snippet: Self.lead(of: paper.abstract))
                }
                return SearchPage(hits: hits, total: total)
            }
        }
    }

    /// The ids and BM25 scores (higher is better) of the best `limit` matches, and nothing else: ranking
    /// for fusion and feeds, which read papers for their page only.
    public func rankedIDs(_ query: Query, limit: Int, offset: Int = 0) throws -> [(id: Int64, score: Double)] {
        guard let match = query.fts5Expression() else { return [] }
        let (filterSQL, filterArguments) = Self.filters(query)
        let from = filterSQL.isEmpty
            ? "FROM papers_fts WHERE papers_fts MATCH ?"
            : "FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid WHERE papers_fts MATCH ?\(filterSQL)"
        let arguments: StatementArguments = [match] + filterArguments + [min(max(limit, 0), Self.maxPage), max(offset, 0)]
        return try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT papers_fts.rowid AS id, \(Ranking.default.fts5RankFunction) AS rank \(from) ORDER BY rank LIMIT ? OFFSET ?",
                arguments: arguments
            ).map { (id: $0["id"], score: -($0["rank"] as Double)) }
        }
    }

    /// The largest page a search returns.
    public static let maxPage = 1_000

    /// The rows of `papers` with these ids, by id.
    static func paperRows(_ db: Database, ids: [Int64]) throws -> [Int64: Row] {
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM papers WHERE id IN (\(placeholders(ids.count)))", arguments: StatementArguments(ids))
        return Dictionary(rows.map { ($0["id"] as Int64, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// `?,?,…`: the inside of an `IN (…)` list of `count` arguments.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    /// ` AND …` clauses over `papers p` for the query's filters, with their arguments.
    static func filters(_ query: Query) -> (String, StatementArguments) {
        var sql = ""
        var arguments: StatementArguments = []
        if !query.sources.isEmpty {
            sql += " AND p.source IN (" + query.sources.map { _ in "?" }.joined(separator: ",") + ")"
            arguments += StatementArguments(query.sources)
        }
        if !query.categories.isEmpty {
            let (clause, values) = categoryMatch(query.categories)
            sql += " AND " + clause
            arguments += values
        }
        if !query.excludedSources.isEmpty {
            sql += " AND p.source NOT IN (" + query.excludedSources.map { _ in "?" }.joined(separator: ",") + ")"
            arguments += StatementArguments(query.excludedSources)
        }
        if !query.excludedCategories.isEmpty {
            let (clause, values) = categoryMatch(query.excludedCategories)
            sql += " AND NOT " + clause
            arguments += values
        }
        if let after = query.after {
            sql += " AND p.date >= ?"
            arguments += [after]
        }
        if let before = query.before {
            sql += " AND p.date <= ?"
            arguments += [before]
        }
        return (sql, arguments)
    }

    /// Whether paper `p` has one of `categories` (without regard to case); an arXiv archive alone (`cs`,
    /// `math`, `q-bio`: no dot) stands for all its categories (`cs.CL`, `cs.LG`, …) as well as itself.
    static func categoryMatch(_ categories: [String]) -> (String, StatementArguments) {
        var tests = ["c.category IN (\(placeholders(categories.count)))"]
        var arguments = StatementArguments(categories)
        for archive in categories where !archive.contains(".") {
            tests.append("c.category LIKE ? ESCAPE '\\'")
            let escaped = archive.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            arguments += [escaped + ".%"]
        }
        return ("EXISTS (SELECT 1 FROM paper_categories c WHERE c.paper_id = p.id AND (" + tests.joined(separator: " OR ") + "))", arguments)
    }

    /// The opening of an abstract, for results that matched no words.
    /// Reads only as far as it needs, over the UTF-8 bytes (splitting whole abstracts into Characters was
    /// a sixth of a radar feed's time in the server); whitespace runs become one space. Text without
    /// spaces (Chinese) stops after about `bytes`, at a character's start.
    public static func lead(of abstract: String, words: Int = 40, bytes: Int = 480) -> String {
        var out: [UInt8] = []
        var count = 0, inWord = false
        for byte in abstract.utf8 {
            if out.count >= bytes, byte & 0xC0 != 0x80 { return String(decoding: out, as: UTF8.self) + " …" }
            let space = byte == 0x20 || (0x09...0x0D).contains(byte)
            if space {
                inWord = false
                continue
            }
            if !inWord {
                if count == words { return String(decoding: out, as: UTF8.self) + " …" }
                if count > 0 { out.append(0x20) }
                count += 1
                inWord = true
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
