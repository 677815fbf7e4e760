import Foundation
import GRDB
import HubCore

/// The library: papers, their versions and the full-text index, in one SQLite file (WAL mode).
///
/// Writes go through `upsert`, one transaction per batch: a process killed mid-import leaves every
/// committed batch whole and the rest absent, and importing again completes it.
public final class SQLitePaperStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating when missing) the library at `path`. `tokenizer` only matters for a new library.
    public init(path: String, tokenizer: TextTokenizer = .ahub) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError("cannot create the library folder \(directory.path): \(error.localizedDescription)")
        }
        var config = Configuration()
        config.prepareDatabase { db in
            db.add(tokenizer: AnalyzerTokenizer.self)
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        config.busyMode = .timeout(10)
        do {
            pool = try Self.openPool(path: path, configuration: config, tokenizer: tokenizer)
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN, !Self.writable(path) {
                throw StoreError("cannot open the library \(path): it is read-only here, and SQLite writes beside it even to read "
                    + "(its write-ahead log); make the file and its folder writable, or copy it somewhere that is")
            }
            if Self.isBusy(error) {
                // Another process holds a write lock for longer than SQLite waits (its message, "database is
                // locked", read as a damaged file).
                throw StoreError("the library \(path) is busy: another process has held it locked for longer than this waits "
                    + "(a long write, or a program holding a transaction open); try again when it is done")
            }
            throw StoreError("cannot open the library \(path): \(error.message ?? "\(error)")")
        }
    }

    /// Opens the pool and brings the library up to date. Several processes making one new library at once
    /// can meet SQLITE_BUSY where no busy handler waits (the switch to WAL, a step's first lock): tried again
    /// for up to 30 s, as the busy timeout would have waited.
    static func openPool(path: String, configuration: Configuration, tokenizer: TextTokenizer) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrate(pool, Schema.migrator(tokenizer: tokenizer), path: path)
                try reindexIfTheAnalyzerChanged(pool)
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(50_000)
            }
        }
    }

    /// Brings the schema up to date. Each step is one transaction, but which steps are missing is read
    /// before them: two processes opening a new library at once would both create its tables, and the
    /// second fail. A step that fails while another process has applied steps meanwhile is looked at
    /// again. A library with steps this code does not know was made by a newer ahub and is refused.
    static func migrate(_ pool: DatabasePool, _ migrator: DatabaseMigrator, path: String) throws {
        if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
            let unknown = try pool.read { try migrator.appliedIdentifiers($0) }.subtracting(migrator.migrations).sorted()
            throw StoreError("the library \(path) was made by a newer ahub (schema \(unknown.joined(separator: ", ")), which this one "
                + "does not know); open it with that version, or make a new library")
        }
        // Up to date (nearly always): the migrator is not run, since it takes the write lock even when it has
        // nothing to do. (Opening can still wait for that lock: GRDB writes once to a library whose WAL file
        // is empty, as after the last connection closed.)
        if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
        for attempt in 1... {
            let before = try pool.read { try migrator.appliedIdentifiers($0) }
            do {
                try migrator.migrate(pool)
                return
            } catch let error as DatabaseError {
                let after = try pool.read { try migrator.appliedIdentifiers($0) }
                guard after != before, attempt < 20 else { throw error }
            }
        }
    }

    /// Whether this process may write the file (or create it) and its folder, as SQLite needs.
    static func writable(_ path: String) -> Bool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let manager = FileManager.default
        return manager.isWritableFile(atPath: folder) && (!manager.fileExists(atPath: path) || manager.isWritableFile(atPath: path))
    }

    /// What the index was built with. A new stemmer, stopword list or ICU release (its dictionary and
    /// normalization data) tokenizes differently; FTS5 forgets a replaced paper's old text by tokenizing it
    /// again, so an index built by another analyzer would keep stale terms. It is rebuilt from `papers` instead.
    static var analyzerSignature: String { "analyzer \(Analyzer.version), icu \(Analyzer.icuVersion)" }

    private static func reindexIfTheAnalyzerChanged(_ pool: DatabasePool) throws {
        // Read first: every `ahub search` opens the library, and must not wait for an import's write lock.
        let signature = "SELECT value FROM meta WHERE name = 'analyzer'"
        guard try pool.read({ try String.fetchOne($0, sql: signature) }) != analyzerSignature else { return }
        try pool.write { db in
            let recorded = try String.fetchOne(db, sql: signature)
            guard recorded != analyzerSignature else { return }
            let tokenizer = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'tokenizer'")
            if recorded != nil, tokenizer == TextTokenizer.ahub.rawValue {
                try db.execute(sql: "INSERT INTO papers_fts(papers_fts) VALUES('rebuild')")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO meta(name, value) VALUES('analyzer', ?)", arguments: [analyzerSignature])
        }
    }

    // MARK: - Writing

    public enum UpsertOutcome: Sendable, Equatable {
        case new, updated, unchanged
        /// Nothing changed, but the record's title is another than the stored paper's under its key (two documents
        /// given one id): the stored paper was kept, which an import says.
        case keptStored(title: String)
    }

    /// Stores a batch of papers in one transaction and says, for each, whether it was new, updated or
    /// already known. Papers with the same key inside one batch merge in order. A paper stored under
    /// another key with the same DOI is the same work (see `sameWork(as:in:)`): the two merge into one.
    public func upsert(_ papers: [Paper]) throws -> [UpsertOutcome] {
        try pool.write { db in
            try papers.map { try upsert($0, in: db) }
        }
    }

    func upsert(_ incoming: Paper, in db: Database) throws -> UpsertOutcome {
        let incoming = try titleKeyed(incoming, in: db)
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM papers WHERE key = ?"), arguments: [incoming.key.rawValue])
            ?? sameWork(as: incoming, in: db)
        guard let existing else {
            let id = try insert(incoming, in: db)
            try recordVersion(incoming, paperID: id, in: db)
            return .new
        }
        let id: Int64 = existing["id"]
        let stored = Self.paper(from: existing)
        switch stored.merging(incoming).keyed(by: incoming, from: stored) {
        case .unchanged:
            if try recordVersion(incoming, paperID: id, in: db) { return .updated }
            // Under a source's own id (a BEIR `_id`, a JSON Lines `id`), a record of another title, punctuation and case
            // aside, is most likely another document given that id. (Under an arXiv id or a DOI it is the same work
            // worded by another feed, which changes nothing, as it should.)
            func letters(_ title: String) -> String { String(title.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }) }
            let ownID = !incoming.key.rawValue.hasPrefix("arxiv:") && !incoming.key.rawValue.hasPrefix("doi:") && incoming.doi == nil
            let differs = ownID && !incoming.title.isEmpty && letters(incoming.title) != letters(stored.title) && incoming.version == nil
            return differs ? .keptStored(title: stored.title) : .unchanged
        case .olderVersion:
            return try recordVersion(incoming, paperID: id, in: db) ? .updated : .unchanged
        case .updated(let merged):
            try replace(id: id, old: stored, new: merged, in: db)
            try recordVersion(incoming, paperID: id, in: db)
            return .updated
        }
    }

    /// A record with no id is keyed by its title's slug, which stops at 80 characters, so two works whose
    /// titles begin alike ("A comprehensive single-cell transcriptomic atlas of the developing human brain
    /// reveals …") would meet under one key and the second be taken for the first. When the paper under the
    /// slug has another title in full, the incoming one is keyed by the slug and a hash of its whole title:
    /// the same key each time it comes, and the first keeps its own.
    private func titleKeyed(_ incoming: Paper, in db: Database) throws -> Paper {
        let slug = PaperKey.slug(incoming.title)
        guard slug.count >= PaperKey.slugLimit, incoming.nativeID == slug, incoming.key.rawValue == incoming.source.lowercased() + ":" + slug,
              let title = try String.fetchOne(db.cachedStatement(sql: "SELECT title FROM papers WHERE key = ?"), arguments: [incoming.key.rawValue]),
              PaperKey.slug(title, limit: .max) != PaperKey.slug(incoming.title, limit: .max) else { return incoming }
        var keyed = incoming
        keyed.nativeID = slug + "-" + PaperKey.hash(PaperKey.slug(incoming.title, limit: .max))
        keyed.key = PaperKey(rawValue: incoming.source.lowercased() + ":" + keyed.nativeID)
        return keyed
    }

    /// The stored record of the work `incoming` describes under another key: the one paper that carries
    /// its DOI (an arXiv paper with its journal DOI, met again in the journal's feed, or the other way
    /// round) under a title of mostly the same words. Two arXiv papers are two works whatever DOI they give
    /// (several may give their proceedings volume's), a DOI that several papers carry names none of them,
    /// and a title of other words (the volume's own record, a DOI given by mistake) is another work.
    private func sameWork(as incoming: Paper, in db: Database) throws -> Row? {
        if let row = try sameTitledArxivWork(as: incoming, in: db) { return row }
        guard let doi = incoming.doi else { return nil }
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM papers WHERE doi = ? LIMIT 2"), arguments: [doi])
        guard rows.count == 1, let row = rows.first else { return nil }
        let key = PaperKey(rawValue: row["key"])
        guard !(key.isArxiv && incoming.key.isArxiv) else { return nil }
        return Self.titlesAgree(row["title"], incoming.title) ? row : nil
    }

    /// An arXiv paper met once without its id (a digest's record, kept under its title's slug,
    /// `arxiv:temporal-difference-…`) and once with it: the record with the id finds the slug's, and a slug's
    /// record finds the one arXiv paper of that title.
    /// Both ways the titles must be the same (case aside) and long enough to single a paper out, and only one
    /// arXiv paper may have it: slugs stop at 80 characters, and titles such as "Preface" are shared.
    private func sameTitledArxivWork(as incoming: Paper, in db: Database) throws -> Row? {
        guard incoming.source.lowercased() == "arxiv" else { return nil }
        let slug = PaperKey.slug(incoming.title)
        guard slug.count >= 12 else { return nil }
        let arxivPapers = { () throws -> [Row] in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM papers WHERE title = ? COLLATE NOCASE LIMIT 5"), arguments: [incoming.title])
                .filter { PaperKey(rawValue: $0["key"]).isArxiv }
        }
        if incoming.key.isArxiv {
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM papers WHERE key = ?"), arguments: ["arxiv:" + slug]),
                  (row["title"] as String).lowercased() == incoming.title.lowercased(), try arxivPapers().isEmpty else { return nil }
            return row
        }
        guard incoming.key.rawValue == "arxiv:" + slug, incoming.doi == nil else { return nil }
        let rows = try arxivPapers()
        return rows.count == 1 ? rows[0] : nil
    }

    /// Whether two titles name one work: at least 60 % of the words of each are in the other (case, accents
    /// and punctuation aside), so a journal's edits of capitals, hyphens or a word or two still agree.
    static func titlesAgree(_ a: String, _ b: String) -> Bool {
        func words(_ title: String) -> Set<String> {
            Set(title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .split { !$0.isLetter && !$0.isNumber }.map(String.init))
        }
        let (x, y) = (words(a), words(b))
        guard !x.isEmpty, !y.isEmpty else { return false }
        let shared = Double(x.intersection(y).count)
        return shared >= 0.6 * Double(x.count) && shared >= 0.6 * Double(y.count)
    }

    private func insert(_ paper: Paper, in db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO papers(key, source, native_id, version, title, authors, abstract, categories,
                               published, updated, date, doi, url, announce_type, journal_ref, comment)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: Self.columns(of: paper))
        let id = db.lastInsertedRowID
        try indexText(of: paper, id: id, in: db)
        try indexCategories(paper.categories, id: id, in: db)
        return id
    }

    private func replace(id: Int64, old: Paper, new: Paper, in db: Database) throws {
        // External-content FTS5 forgets a row only when told the exact text it indexed.
        try db.cachedStatement(sql: """
            INSERT INTO papers_fts(papers_fts, rowid, title, authors, abstract) VALUES('delete', ?, ?, ?, ?)
            """).execute(arguments: [id, old.title, Self.authorsText(old.authors), old.abstract])
        var arguments = Self.columns(of: new)
        arguments += [id]
        try db.cachedStatement(sql: """
            UPDATE papers SET key = ?, source = ?, native_id = ?, version = ?, title = ?, authors = ?, abstract = ?,
                categories = ?, published = ?, updated = ?, date = ?, doi = ?, url = ?, announce_type = ?,
                journal_ref = ?, comment = ?
            WHERE id = ?
            """).execute(arguments: arguments)
        try indexText(of: new, id: id, in: db)
        if old.title != new.title || old.abstract != new.abstract {
            // The text changed: its embedding no longer describes it (`ahub embed` makes a new one).
            try db.execute(sql: "DELETE FROM vectors WHERE paper_id = ?", arguments: [id])
        }
        if old.categories != new.categories {
            try db.execute(sql: "DELETE FROM paper_categories WHERE paper_id = ?", arguments: [id])
            try indexCategories(new.categories, id: id, in: db)
        }
    }

    private func indexText(of paper: Paper, id: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO papers_fts(rowid, title, authors, abstract) VALUES (?, ?, ?, ?)")
            .execute(arguments: [id, paper.title, Self.authorsText(paper.authors), paper.abstract])
    }

    private func indexCategories(_ categories: [String], id: Int64, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO paper_categories(category, paper_id) VALUES (?, ?)")
        for category in categories { try statement.execute(arguments: [category, id]) }
    }

    /// Keeps one row per version seen; returns true when this version was new to the history.
    @discardableResult
    private func recordVersion(_ paper: Paper, paperID: Int64, in db: Database) throws -> Bool {
        // A record that names no version (OAI-PMH's, a journal feed's) of a text already kept under a version is
        // that version met again, not one more: `show` would list a dateless twin of v5.
        if (paper.version ?? "").isEmpty, try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM paper_versions WHERE paper_id = ? AND version <> '' AND title = ? AND abstract = ?)
            """), arguments: [paperID, paper.title, paper.abstract]) == true {
            return false
        }
        // The other order: the numbered version of a text kept without one takes its place in the history.
        if let version = paper.version, !version.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM paper_versions WHERE paper_id = ? AND version = '' AND title = ? AND abstract = ?")
                .execute(arguments: [paperID, paper.title, paper.abstract])
        }
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO paper_versions(paper_id, version, date, title, abstract, source)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [paperID, paper.version ?? "", paper.date, paper.title, paper.abstract, paper.source])
        return db.changesCount > 0
    }

    static func columns(of paper: Paper) -> StatementArguments {
        [
            paper.key.rawValue, paper.source, paper.nativeID, paper.version, paper.title,
            authorsText(paper.authors), paper.abstract, categoriesJSON(paper.categories),
            paper.published, paper.updated, paper.date, paper.doi, paper.url, paper.announceType,
            paper.journalRef, paper.comment,
        ]
    }

    static func authorsText(_ authors: [String]) -> String { authors.joined(separator: "; ") }

    static func categoriesJSON(_ categories: [String]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: categories, options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func paper(from row: Row) -> Paper {
        let authors: String = row["authors"]
        let categoriesText: String = row["categories"]
        let categories = (try? JSONSerialization.jsonObject(with: Data(categoriesText.utf8))) as? [String] ?? []
        return Paper(
            key: PaperKey(rawValue: row["key"]), source: row["source"], nativeID: row["native_id"],
            version: row["version"], title: row["title"], abstract: row["abstract"],
            authors: authors.isEmpty ? [] : authors.components(separatedBy: "; "), categories: categories,
            published: row["published"], updated: row["updated"], doi: row["doi"], url: row["url"],
            announceType: row["announce_type"], journalRef: row["journal_ref"], comment: row["comment"])
    }

    // MARK: - Reading

    /// The papers with these ids, by id (an id no paper has is left out).
    public func papers(ids: [Int64]) throws -> [Int64: Paper] {
        try pool.read { db in
            // 500 at a time: within the 999 variables of an older SQLite.
            try stride(from: 0, to: ids.count, by: 500).reduce(into: [:]) { papers, start in
                papers.merge(try Self.paperRows(db, ids: Array(ids[start..<min(start + 500, ids.count)])).mapValues(Self.paper(from:))) { a, _ in a }
            }
        }
    }

    /// The paper stored under `key`, with every version seen (oldest first).
    public func paper(key: PaperKey) throws -> StoredPaper? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM papers WHERE key = ?", arguments: [key.rawValue])
            else { return nil }
            let id: Int64 = row["id"]
            let versions = try Row.fetchAll(
                db, sql: "SELECT version, date, source, seen_at FROM paper_versions WHERE paper_id = ? ORDER BY seen_at, length(version), version",
                arguments: [id]
            ).map { PaperVersion(version: $0["version"], date: $0["date"], source: $0["source"], seenAt: $0["seen_at"]) }
            return StoredPaper(paper: Self.paper(from: row), addedAt: row["added_at"], versions: versions)
        }
    }

    /// Every paper's key, in key order.
    public func keys() throws -> [PaperKey] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT key FROM papers ORDER BY key").map(PaperKey.init(rawValue:)) }
    }

    public func count() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM papers") ?? 0 }
    }

    public func meta(_ name: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = ?", arguments: [name]) }
    }

    public func setMeta(_ name: String, _ value: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)", arguments: [name, value])
        }
    }

    public var tokenizer: TextTokenizer {
        get throws { try meta("tokenizer").flatMap(TextTokenizer.init(rawValue:)) ?? .ahub }
    }
}

public struct StoredPaper: Sendable, Hashable {
    public var paper: Paper
    public var addedAt: String
    public var versions: [PaperVersion]
}

public struct PaperVersion: Sendable, Hashable, Codable {
    public var version: String
    public var date: String?
    public var source: String
    public var seenAt: String
}

/// A failure of the library itself (open, read, write), with what to do about it.
public struct StoreError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension SQLitePaperStore {
    /// Checks the database file and the full-text index against the papers; throws what is wrong.
    public func checkIntegrity() throws {
        try pool.read { db in
            let result = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard result == ["ok"] else { throw StoreError("integrity check failed: \(result.joined(separator: "; "))") }
        }
        try pool.write { db in
            do {
                try db.execute(sql: "INSERT INTO papers_fts(papers_fts, rank) VALUES('integrity-check', 1)")
            } catch {
                throw StoreError("the full-text index disagrees with the papers: \(error)")
            }
        }
    }
}

extension SQLitePaperStore {
    /// Whether an error is the disk (or the file system's quota) full.
    public static func isDiskFull(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.resultCode == .SQLITE_FULL
    }

    /// Whether an error is SQLite waiting in vain for another connection's lock (another process writing
    /// for longer than the busy timeout): worth retrying, not a fault.
    public static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }
}
