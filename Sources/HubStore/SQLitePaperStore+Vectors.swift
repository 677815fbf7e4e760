import Foundation
import GRDB
import HubCore

/// A paper's text as an embedder reads it.
public struct PaperText: Sendable {
    public var id: Int64
    public var title: String
    public var abstract: String
}

extension SQLitePaperStore {
    /// Papers with no vector from `model`, oldest first.
    public func papersWithoutVectors(model: String, limit: Int) throws -> [PaperText] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, title, abstract FROM papers p
                    WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.model = ? AND v.paper_id = p.id)
                    ORDER BY id LIMIT ?
                    """,
                arguments: [model, limit]
            ).map { PaperText(id: $0["id"], title: $0["title"], abstract: $0["abstract"]) }
        }
    }

    public func countWithoutVectors(model: String) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM papers p WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.model = ? AND v.paper_id = p.id)",
                arguments: [model]) ?? 0
        }
    }

    /// Stores vectors (float32) for papers, one transaction.
    public func storeVectors(_ vectors: [(id: Int64, vector: [Float])], model: String) throws {
        try pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO vectors(paper_id, model, dimension, type, data) VALUES (?, ?, ?, 'float32', ?)")
            for (id, vector) in vectors {
                let data = vector.withUnsafeBufferPointer { Data(buffer: $0) }
                try statement.execute(arguments: [id, model, vector.count, data])
            }
        }
    }

    /// Every vector of `model` stored in a row after `row` (0: all of them), in storage order, handed to
    /// `body` with its row and paper id straight from SQLite's row buffer (no copy: 1 M vectors stream
    /// through without holding their float32 form). Rows of another dimension are skipped. Returns the
    /// vectors' revision as of the same read.
    @discardableResult
    public func forEachVector(
        model: String, dimension: Int, after row: Int64 = 0,
        _ body: (_ row: Int64, _ paperID: Int64, UnsafeBufferPointer<Float>) throws -> Void
    ) throws -> Int64 {
        try pool.read { db in
            let revision = try Self.vectorsRevision(db)
            let cursor = try Row.fetchCursor(
                // `+model`: read the table in its own order (one sequential pass), not through the key.
                db, sql: "SELECT rowid, paper_id, data FROM vectors WHERE rowid > ? AND +model = ? AND dimension = ?",
                arguments: [row, model, dimension])
            var aligned = [Float](repeating: 0, count: dimension)
            while let row = try cursor.next() {
                let rowID: Int64 = row[0], id: Int64 = row[1]
                try row.withUnsafeData(atIndex: 2) { data in
                    guard let data, data.count == dimension * 4 else { return }
                    try aligned.withUnsafeMutableBytes { target in
                        _ = data.copyBytes(to: target)  // SQLite's buffer need not be 4-byte aligned
                        try body(rowID, id, UnsafeBufferPointer(target.bindMemory(to: Float.self)))
                    }
                }
            }
            return revision
        }
    }

    /// A number that changes whenever a vector is stored or removed (triggers keep it).
    public func vectorsRevision() throws -> Int64 {
        try pool.read { try Self.vectorsRevision($0) }
    }

    private static func vectorsRevision(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'vectors_revision'") ?? 0
    }

    public func vectorCount(model: String, dimension: Int) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM vectors WHERE model = ? AND dimension = ?",
                             arguments: [model, dimension]) ?? 0
        }
    }

    /// The papers the query's filters admit (source, category, dates, exclusions); nil when it has none.
    public func filteredIDs(_ query: Query) throws -> Set<Int64>? {
        var (filterSQL, arguments) = Self.filters(query)
        if let excluded = query.fts5ExclusionExpression() {
            filterSQL += " AND p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
            arguments += [excluded]
        }
        if let authors = query.fts5AuthorExpression() {
            filterSQL += " AND p.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
            arguments += [authors]
        }
        guard !filterSQL.isEmpty else { return nil }
        return try pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT p.id FROM papers p WHERE 1\(filterSQL)", arguments: arguments))
        }
    }

    /// Every paper the query's text matches (its words, phrases and prefixes, author: and exclusions; not
    /// the other filters, which `filteredIDs` gives), unranked and uncapped.
    public func matchingIDs(_ query: Query) throws -> Set<Int64> {
        guard let match = query.fts5Expression() else { return [] }
        return try pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?", arguments: [match]))
        }
    }

    /// Hits for papers ranked elsewhere (by vectors, by fusion), in the order given. `scores` holds each
    /// paper's score in every list it came from; with `match` (the query's FTS5 expression), the words it
    /// matches are marked in the papers that hold them, as keyword search marks them.
    public func hits(_ ranked: [(id: Int64, score: Double)], scores: [Int64: [String: Double]] = [:], match: String? = nil) throws -> [SearchHit] {
        try pool.read { db in
            let rows = try Self.paperRows(db, ids: ranked.map(\.id))
            let marked = try match.map { try Self.marked(db, ids: ranked.map(\.id), match: $0) } ?? [:]
            return ranked.compactMap { item in
                guard let row = rows[item.id] else { return nil }
                let paper = Self.paper(from: row)
                let (title, snippet) = marked[item.id] ?? (paper.title, Self.lead(of: paper.abstract))
                return SearchHit(paper: paper, score: item.score, highlightedTitle: title, snippet: snippet, scores: scores[item.id] ?? [:])
            }
        }
    }

    /// The dimension of `model`'s vectors, nil when it has none.
    public func vectorDimension(model: String) throws -> Int? {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT dimension FROM vectors WHERE model = ? LIMIT 1", arguments: [model]) }
    }

    /// Whether any paper has a vector from `model`.
    public func hasVectors(model: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM vectors WHERE model = ?)", arguments: [model]) ?? false
        }
    }

    /// How many papers hold each term (as the index spells terms).
    public func documentFrequencies(_ terms: [String]) throws -> [String: Int] {
        guard !terms.isEmpty else { return [:] }
        return try pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT term, doc FROM papers_vocab WHERE term IN (\(Self.placeholders(terms.count)))",
                arguments: StatementArguments(terms))
            return Dictionary(rows.map { ($0["term"] as String, $0["doc"] as Int) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// The stored vector of a paper, if it has one from `model`.
    public func vector(paperID: Int64, model: String) throws -> [Float]? {
        try pool.read { db in
            guard let data = try Data.fetchOne(
                db, sql: "SELECT data FROM vectors WHERE model = ? AND paper_id = ?", arguments: [model, paperID])
            else { return nil }
            return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
    }

    /// Row ids of papers by key (for hybrid fusion of keyword hits, which carry papers).
    public func ids(for keys: [PaperKey]) throws -> [PaperKey: Int64] {
        guard !keys.isEmpty else { return [:] }
        return try pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, id FROM papers WHERE key IN (\(Self.placeholders(keys.count)))",
                arguments: StatementArguments(keys.map(\.rawValue)))
            return Dictionary(rows.map { (PaperKey(rawValue: $0["key"]), $0["id"] as Int64) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
