import Foundation
import GRDB

/// A stored briefing's summary line.
public struct BriefingRecord: Sendable, Codable {
    public var id: Int64
    public var createdAt: String
    public var provider: String
    public var language: String
    public var input: String
    public var papers: Int
}

extension SQLitePaperStore {
    public func saveList(handle: String, kind: String, input: String, keys: [String], at: String) throws {
        let json = String(decoding: try JSONEncoder().encode(keys), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO result_lists(handle, kind, input, keys, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [handle, kind, input, json, at])
        }
    }

    /// A list handed out earlier: its kind, what it was (the query, the radar…) and its paper keys.
    public func list(handle: String) throws -> (kind: String, input: String, keys: [String])? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT kind, input, keys FROM result_lists WHERE handle = ?", arguments: [handle]) else {
                return nil
            }
            return (row["kind"], row["input"], Self.decodeList(row["keys"]))
        }
    }

    public func saveBriefing(createdAt: String, provider: String, language: String, input: String, papers: Int, body: String) throws -> Int64 {
        // Ids are never given twice: after the newest is deleted, `brief show N` must not show another
        // briefing under the number a user noted. The highest id ever given is kept in `meta`.
        try pool.write { db in
            let given = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'briefings.last-id'") ?? 0
            let highest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM briefings") ?? 0
            let id = max(given, highest) + 1
            try db.execute(sql: "INSERT INTO briefings(id, created_at, provider, language, input, papers, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, createdAt, provider, language, input, papers, body])
            try db.execute(sql: "INSERT OR REPLACE INTO meta(name, value) VALUES ('briefings.last-id', ?)", arguments: [String(id)])
            return id
        }
    }

    public func briefingRecords() throws -> [BriefingRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, created_at, provider, language, input, papers FROM briefings ORDER BY id").map {
                BriefingRecord(id: $0["id"], createdAt: $0["created_at"], provider: $0["provider"], language: $0["language"],
                               input: $0["input"], papers: $0["papers"])
            }
        }
    }

    public func briefingBody(id: Int64) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT body FROM briefings WHERE id = ?", arguments: [id]) }
    }

    /// Removes a briefing; false when there was none with this id.
    public func deleteBriefing(id: Int64) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM briefings WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
