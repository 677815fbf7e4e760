import Foundation
import GRDB
import HubCore

/// A radar as stored: what the user said it is about, and its seeds.
public struct RadarRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var description: String
    public var keywords: [String]
    public var categories: [String]
    public var sources: [String]
    public var seeds: [Int64]
    public var createdAt: String

    public init(id: Int64 = 0, name: String, description: String, keywords: [String] = [], categories: [String] = [],
                sources: [String] = [], seeds: [Int64] = [], createdAt: String = "") {
        self.id = id
        self.name = name
        self.description = description
        self.keywords = keywords
        self.categories = categories
        self.sources = sources
        self.seeds = seeds
        self.createdAt = createdAt
    }
}

/// One feedback event of the log; the last event for a paper is what counts.
public struct FeedbackEvent: Sendable, Hashable, Codable {
    public var paperID: Int64
    public var signal: String
    /// ISO 8601, UTC.
    public var at: String

    public init(paperID: Int64, signal: String, at: String) {
        self.paperID = paperID
        self.signal = signal
        self.at = at
    }
}

/// A seed (no signal) or a feedback event an imported radar named by a key this library had no paper for
/// yet: kept until the paper comes.
public struct AwaitingPaper: Sendable, Hashable, Codable {
    public var key: String
    /// nil for a seed.
    public var signal: String?
    /// The event's time (ISO 8601, UTC); empty for a seed.
    public var at: String

    public init(key: String, signal: String?, at: String) {
        self.key = key
        self.signal = signal
        self.at = at
    }
}

/// What the radar's learner needs of a paper.
public struct PaperFeatureRow: Sendable {
    public var id: Int64
    public var key: PaperKey
    public var title: String
    public var abstract: String
    public var categories: [String]
    public var source: String
    public var date: String?
}

extension SQLitePaperStore {
    static func decodeList(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }

    static func encodeList(_ list: [String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// A name as names compare: canonically composed, case folded (Unicode's, where SQLite's NOCASE folds
    /// ASCII alone: `CAFÉ` is `café`, and `café` typed with a combining accent is too), without invisible
    /// format characters (U+200C/U+200D joiners, U+00AD soft hyphen, U+061C, …): names that look the same
    /// are the same name.
    static func foldedRadarName(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        // (Tag characters, U+E0020…U+E007F, spell which flag an emoji is: they stay.)
        scalars.append(contentsOf: name.precomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .format || (0xE0020...0xE007F).contains($0.value)
        })
        return String(scalars).folding(options: .caseInsensitive, locale: nil)
    }

    /// The stored name equal to `name` as names compare, if any.
    private static func storedRadarName(_ db: Database, _ name: String) throws -> String? {
        if let exact = try String.fetchOne(db, sql: "SELECT name FROM radars WHERE name = ?", arguments: [name]) { return exact }
        let folded = foldedRadarName(name)
        return try String.fetchAll(db, sql: "SELECT name FROM radars").first { foldedRadarName($0) == folded }
    }

    /// Creates a radar with its feedback log (an import's) and its model, in one write transaction: a radar
    /// is there whole or not at all. Its name must be new (names compare without regard to case).
    @discardableResult
    public func createRadar(_ radar: RadarRecord, feedback: [FeedbackEvent] = [], awaiting: [AwaitingPaper] = [],
                            model: Data, at: String) throws -> Int64 {
        try pool.write { db in
            if let existing = try Self.storedRadarName(db, radar.name) {
                throw StoreError("a radar named \(existing) exists already")
            }
            try db.execute(
                sql: "INSERT INTO radars(name, description, keywords, categories, sources) VALUES (?, ?, ?, ?, ?)",
                arguments: [radar.name, radar.description, Self.encodeList(radar.keywords), Self.encodeList(radar.categories),
                            Self.encodeList(radar.sources)])
            let id = db.lastInsertedRowID
            for seed in radar.seeds {
                try db.execute(sql: "INSERT OR IGNORE INTO radar_seeds(radar_id, paper_id) VALUES (?, ?)", arguments: [id, seed])
            }
            for event in feedback {
                try db.execute(sql: "INSERT INTO radar_feedback(radar_id, paper_id, signal, at) VALUES (?, ?, ?, ?)",
                               arguments: [id, event.paperID, event.signal, event.at])
            }
            for paper in awaiting {
                try db.execute(sql: "INSERT INTO radar_awaiting(radar_id, key, signal, at) VALUES (?, ?, ?, ?)",
                               arguments: [id, paper.key, paper.signal, paper.at])
            }
            try db.execute(sql: "INSERT INTO radar_models(radar_id, state, updated_at) VALUES (?, ?, ?)", arguments: [id, model, at])
            return id
        }
    }

    /// The seeds and events the radar awaits, in the order they were kept.
    public func awaiting(radarID: Int64) throws -> [AwaitingPaper] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT key, signal, at FROM radar_awaiting WHERE radar_id = ? ORDER BY rowid", arguments: [radarID])
                .map { AwaitingPaper(key: $0["key"], signal: $0["signal"], at: $0["at"]) }
        }
    }

    /// Takes in what the radar awaited for the papers that have come (`found`: the awaited key → the paper's
    /// id): seeds join its seeds, events its log, in time order with the events it has (the log's order is
    /// its time order), and the model `fit` makes of the seeds and log is stored, in one write transaction.
    /// What another writer took in first is not taken twice. Whether anything was taken in.
    public func takeIn(radarID: Int64, found: [String: Int64],
                       fit: (_ seeds: [Int64], _ log: [FeedbackEvent]) throws -> Data) throws -> Bool {
        try pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT rowid, key, signal, at FROM radar_awaiting WHERE radar_id = ? ORDER BY rowid",
                                        arguments: [radarID])
            let taken = rows.filter { found[$0["key"] as String] != nil }
            guard !taken.isEmpty else { return false }
            for row in taken where (row["signal"] as String?) == nil {
                try db.execute(sql: "INSERT OR IGNORE INTO radar_seeds(radar_id, paper_id) VALUES (?, ?)",
                               arguments: [radarID, found[row["key"] as String]!])
            }
            let arriving = taken.compactMap { row -> FeedbackEvent? in
                guard let signal: String = row["signal"] else { return nil }
                return FeedbackEvent(paperID: found[row["key"] as String]!, signal: signal, at: row["at"])
            }.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
            if !arriving.isEmpty {
                // The log written again in time order, the events it had first among those at the same time.
                var merged: [FeedbackEvent] = [], next = arriving[...]
                for event in try Self.log(db, radarID: radarID) {
                    while let first = next.first, first.at < event.at { merged.append(first); next = next.dropFirst() }
                    merged.append(event)
                }
                merged += next
                try db.execute(sql: "DELETE FROM radar_feedback WHERE radar_id = ?", arguments: [radarID])
                for event in merged {
                    try db.execute(sql: "INSERT INTO radar_feedback(radar_id, paper_id, signal, at) VALUES (?, ?, ?, ?)",
                                   arguments: [radarID, event.paperID, event.signal, event.at])
                }
            }
            let rowids = taken.map { $0["rowid"] as Int64 }
            try db.execute(sql: "DELETE FROM radar_awaiting WHERE rowid IN (\(Self.placeholders(rowids.count)))",
                           arguments: StatementArguments(rowids))
            let seeds = try Int64.fetchAll(db, sql: "SELECT paper_id FROM radar_seeds WHERE radar_id = ? ORDER BY paper_id", arguments: [radarID])
            try db.execute(sql: "INSERT OR REPLACE INTO radar_models(radar_id, state, updated_at) VALUES (?, ?, ?)",
                           arguments: [radarID, try fit(seeds, try Self.log(db, radarID: radarID)), arriving.last?.at ?? ""])
            return true
        }
    }

    public func radar(named name: String) throws -> RadarRecord? {
        try pool.read { db in
            guard let stored = try Self.storedRadarName(db, name) else { return nil }
            return try Self.radar(db, sql: "WHERE name = ?", [stored]).first
        }
    }

    public func radars() throws -> [RadarRecord] {
        try pool.read { db in try Self.radar(db, sql: "ORDER BY name", []) }
    }

    private static func radar(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [RadarRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM radars \(sql)", arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let seeds = try Int64.fetchAll(db, sql: "SELECT paper_id FROM radar_seeds WHERE radar_id = ? ORDER BY paper_id", arguments: [id])
            return RadarRecord(id: id, name: row["name"], description: row["description"], keywords: decodeList(row["keywords"]),
                               categories: decodeList(row["categories"]), sources: decodeList(row["sources"]), seeds: seeds,
                               createdAt: row["created_at"])
        }
    }

    public func renameRadar(_ name: String, to newName: String) throws {
        try pool.write { db in
            guard let stored = try Self.storedRadarName(db, name) else { throw StoreError("no radar named \(name)") }
            if let existing = try Self.storedRadarName(db, newName), existing != stored {
                throw StoreError("a radar named \(existing) exists already")
            }
            try db.execute(sql: "UPDATE radars SET name = ? WHERE name = ?", arguments: [newName, stored])
        }
    }

    /// Deletes a radar with its seeds, feedback, shown papers and model.
    public func deleteRadar(_ name: String) throws {
        try pool.write { db in
            guard let stored = try Self.storedRadarName(db, name) else { throw StoreError("no radar named \(name)") }
            try db.execute(sql: "DELETE FROM radars WHERE name = ?", arguments: [stored])
        }
    }

    /// Appends feedback events and stores the model `fit` makes from the whole log (the events included),
    /// in one write transaction: the log and the model never disagree, an event is never lost, and two
    /// writers (threads or processes) never fit on a log missing the other's event. An event giving a paper
    /// the rating it has already (liked twice) changes nothing and is not logged, so that an undo takes back
    /// the rating itself; the papers it names are returned, read in that transaction. When nothing is new,
    /// the model is not refitted.
    @discardableResult
    public func recordFeedback(radarID: Int64, _ events: [FeedbackEvent], fit: ([FeedbackEvent]) throws -> Data) throws -> [Int64] {
        try pool.write { db in
            let ids = events.map(\.paperID)
            let current = Dictionary(try Row.fetchAll(db, sql: """
                SELECT paper_id, signal FROM radar_feedback WHERE id IN
                    (SELECT MAX(id) FROM radar_feedback WHERE radar_id = ? AND paper_id IN (\(Self.placeholders(ids.count))) GROUP BY paper_id)
                """, arguments: StatementArguments([radarID] + ids)).map { ($0["paper_id"] as Int64, $0["signal"] as String) },
                uniquingKeysWith: { first, _ in first })
            let unchanged = events.filter { current[$0.paperID] == $0.signal }.map(\.paperID)
            let fresh = events.filter { current[$0.paperID] != $0.signal }
            guard !fresh.isEmpty else { return unchanged }
            // The log's order is its time order: an event stamped before another writer's, which took the lock
            // first, takes that writer's time (an export lists events by time, and an import refits in it).
            let latest = try String.fetchOne(db, sql: "SELECT MAX(at) FROM radar_feedback WHERE radar_id = ?", arguments: [radarID])
            for event in fresh {
                try db.execute(sql: "INSERT INTO radar_feedback(radar_id, paper_id, signal, at) VALUES (?, ?, ?, ?)",
                               arguments: [radarID, event.paperID, event.signal, max(event.at, latest ?? event.at)])
            }
            try Self.storeRefit(db, radarID: radarID, at: fresh.last?.at ?? "", fit: fit)
            return unchanged
        }
    }

    /// Takes back the last rating of each of these papers on the radar (the one before, if any, counts
    /// again) and stores the model `fit` makes of the log left, in one write transaction. The papers not rated
    /// on the radar, read in that transaction; when there are any, nothing is changed.
    public func takeBackLastFeedback(radarID: Int64, paperIDs: [Int64], at: String,
                                     fit: ([FeedbackEvent]) throws -> Data) throws -> [Int64] {
        try pool.write { db in
            let marks = Self.placeholders(paperIDs.count)
            // Each rated paper's last event.
            let rows = try Row.fetchAll(db, sql: """
                SELECT paper_id, MAX(id) AS last FROM radar_feedback WHERE radar_id = ? AND paper_id IN (\(marks)) GROUP BY paper_id
                """, arguments: StatementArguments([radarID] + paperIDs))
            let rated = Set(rows.map { $0["paper_id"] as Int64 }), last = rows.map { $0["last"] as Int64 }
            let unrated = paperIDs.filter { !rated.contains($0) }
            guard unrated.isEmpty else { return unrated }
            try db.execute(sql: "DELETE FROM radar_feedback WHERE id IN (\(Self.placeholders(last.count)))", arguments: StatementArguments(last))
            try Self.storeRefit(db, radarID: radarID, at: at, fit: fit)
            return []
        }
    }

    /// Stores the model `fit` makes of the radar's whole log, within the caller's transaction.
    private static func storeRefit(_ db: Database, radarID: Int64, at: String, fit: ([FeedbackEvent]) throws -> Data) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO radar_models(radar_id, state, updated_at) VALUES (?, ?, ?)",
                       arguments: [radarID, try fit(try log(db, radarID: radarID)), at])
    }

    private static func log(_ db: Database, radarID: Int64) throws -> [FeedbackEvent] {
        try Row.fetchAll(db, sql: "SELECT paper_id, signal, at FROM radar_feedback WHERE radar_id = ? ORDER BY id", arguments: [radarID])
            .map { FeedbackEvent(paperID: $0["paper_id"], signal: $0["signal"], at: $0["at"]) }
    }

    /// The feedback log, oldest first.
    public func feedback(radarID: Int64) throws -> [FeedbackEvent] {
        try pool.read { db in try Self.log(db, radarID: radarID) }
    }

    /// Stores a rebuilt model in place of `previous` (the stored model it was rebuilt from, nil for none),
    /// unless another writer stored one since (feedback fitted to a longer log, a radar made anew under the
    /// same id) or the radar is gone. Whether it was stored.
    @discardableResult
    public func saveRadarModel(radarID: Int64, _ model: Data, at: String, replacing previous: Data?) throws -> Bool {
        try pool.write { db in
            let current = try Data.fetchOne(db, sql: "SELECT state FROM radar_models WHERE radar_id = ?", arguments: [radarID])
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM radars WHERE id = ?)", arguments: [radarID]) ?? false
            guard exists, current == previous else { return false }
            try db.execute(sql: "INSERT OR REPLACE INTO radar_models(radar_id, state, updated_at) VALUES (?, ?, ?)",
                           arguments: [radarID, model, at])
            return true
        }
    }

    public func radarModel(radarID: Int64) throws -> Data? {
        try pool.read { db in try Data.fetchOne(db, sql: "SELECT state FROM radar_models WHERE radar_id = ?", arguments: [radarID]) }
    }

    /// Records that papers were shown in a feed (the first time counts). A feed shown again (a page
    /// reloaded) has nothing new and takes no write lock.
    public func markShown(radarID: Int64, _ paperIDs: [Int64], at: String) throws {
        guard !paperIDs.isEmpty else { return }
        let marks = Array(repeating: "?", count: paperIDs.count).joined(separator: ",")
        let known = try pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT paper_id FROM radar_shown WHERE radar_id = ? AND paper_id IN (\(marks))",
                                   arguments: StatementArguments([radarID] + paperIDs)))
        }
        let fresh = paperIDs.filter { !known.contains($0) }
        guard !fresh.isEmpty else { return }
        try pool.write { db in
            for id in fresh {
                try db.execute(sql: "INSERT OR IGNORE INTO radar_shown(radar_id, paper_id, shown_at) VALUES (?, ?, ?)",
                               arguments: [radarID, id, at])
            }
        }
    }

    /// Papers shown in a feed before `day` (YYYY-MM-DD).
    public func shown(radarID: Int64, before day: String) throws -> Set<Int64> {
        try pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT paper_id FROM radar_shown WHERE radar_id = ? AND shown_at < ?", arguments: [radarID, day]))
        }
    }

    /// Papers shown in a feed before `day`, the most recently shown first.
    public func shownNewestFirst(radarID: Int64, before day: String) throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT paper_id FROM radar_shown WHERE radar_id = ? AND shown_at < ? ORDER BY shown_at DESC, paper_id",
                               arguments: [radarID, day])
        }
    }

    /// The date of the library's newest dated paper (YYYY-MM-DD), from the date index.
    /// Papers without a date (a collection's records; a feed item without one): date filters leave them out.
    public func undatedCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM papers INDEXED BY papers_date WHERE date IS NULL") ?? 0 }
    }

    public func newestDate() throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT MAX(date) FROM papers INDEXED BY papers_date") }
    }

    /// The most recent papers by date (undated ones last), newest first, from the date index.
    public func recentIDs(limit: Int) throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM papers INDEXED BY papers_date ORDER BY date DESC, id DESC LIMIT ?",
                               arguments: [limit])
        }
    }

    /// Papers dated from `since` on (all papers when nil), restricted to `sources` when given.
    public func candidateIDs(since: String?, until: String? = nil, sources: [String] = []) throws -> [Int64] {
        // Read the ids from the small date index, never the table: a walk of `papers` reads every abstract's
        // pages (11 ms instead of 1 for 10,000 papers).
        var sql = sources.isEmpty ? "SELECT id FROM papers INDEXED BY papers_date WHERE 1" : "SELECT id FROM papers WHERE 1"
        var arguments: [any DatabaseValueConvertible] = []
        if let since { sql += " AND date >= ?"; arguments.append(since) }
        if let until { sql += " AND date <= ?"; arguments.append(until) }
        if !sources.isEmpty { sql += " AND source IN (\(Self.placeholders(sources.count)))"; arguments += sources }
        return try pool.read { db in try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).sorted() }
    }

    /// A number that changes whenever any paper is added, changed or removed (triggers keep it).
    public func papersRevision() throws -> Int64 {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'papers_revision'") ?? 0
        }
    }

    /// The fields the radar's learner reads, for these papers (missing ids are left out).
    public func featureRows(_ ids: [Int64]) throws -> [PaperFeatureRow] {
        guard !ids.isEmpty else { return [] }
        return try pool.read { db in
            var rows: [PaperFeatureRow] = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                rows += try Row.fetchAll(
                    db, sql: "SELECT id, key, title, abstract, categories, source, date FROM papers WHERE id IN (\(Self.placeholders(chunk.count)))",
                    arguments: StatementArguments(chunk)
                ).map { row in
                    PaperFeatureRow(id: row["id"], key: PaperKey(rawValue: row["key"]), title: row["title"], abstract: row["abstract"],
                                    categories: Self.decodeList(row["categories"]), source: row["source"], date: row["date"])
                }
            }
            return rows
        }
    }

    /// Paper ids for DOIs (lower-cased) and arXiv ids, and by exact title (case-insensitive).
    public func paperID(doi: String) throws -> Int64? {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM papers WHERE doi = ?", arguments: [doi.lowercased()]) }
    }

    /// A category or source as the library's papers spell it (`cs.CV` for `CS.CV`), or nil when no paper has it.
    public func spelling(category: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT category FROM paper_categories WHERE category = ? LIMIT 1", arguments: [category])
        }
    }

    /// Whether any paper has `category` as a search's `cat:` reads it (an archive alone, `cs`, stands for its categories).
    public func anyPaper(category: String) throws -> Bool {
        let (test, arguments) = Self.categoryMatch([category])
        return try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM papers p WHERE \(test))", arguments: arguments) ?? false
        }
    }

    public func spelling(source: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT source FROM papers WHERE source = ? COLLATE NOCASE LIMIT 1", arguments: [source])
        }
    }

    /// The keys of the papers (at most `limit`) whose source's own id is `nativeID` (`csl-test-0220` of
    /// `csl-zh:csl-test-0220`), case aside.
    public func keys(nativeID: String, limit: Int = 2) throws -> [PaperKey] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT key FROM papers WHERE native_id = ? COLLATE NOCASE LIMIT ?", arguments: [nativeID, limit])
                .map { PaperKey(rawValue: $0) }
        }
    }

    /// The papers of this title (case aside), at most two: enough to tell one from several.
    public func paperIDs(title: String, limit: Int = 2) throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM papers WHERE title = ? COLLATE NOCASE ORDER BY id LIMIT ?", arguments: [title, limit])
        }
    }
}
