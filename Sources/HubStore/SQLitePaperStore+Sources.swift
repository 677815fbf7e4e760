import Foundation
import GRDB
import HubCore

/// A source as the library keeps it: what to fetch (`spec`, JSON the feeds layer defines), when, and how far
/// the harvest in progress has got.
public struct SourceRecord: Sendable, Hashable, Codable {
    public var name: String
    public var kind: String
    public var spec: String
    public var enabled: Bool
    public var interval: TimeInterval
    public var cursor: String?
    public var watermark: String?
    public var nextDue: String?
    public var lastAttempt: String?
    public var lastSuccess: String?
    public var lastError: String?
    public var failures: Int
    public var lastReport: String?
    public var createdAt: String

    public init(name: String, kind: String, spec: String, interval: TimeInterval) {
        self.name = name
        self.kind = kind
        self.spec = spec
        self.interval = interval
        enabled = true
        failures = 0
        createdAt = ""
    }

    init(row: Row) {
        name = row["name"]
        kind = row["kind"]
        spec = row["spec"]
        enabled = row["enabled"]
        interval = row["interval"]
        cursor = row["cursor"]
        watermark = row["watermark"]
        nextDue = row["next_due"]
        lastAttempt = row["last_attempt"]
        lastSuccess = row["last_success"]
        lastError = row["last_error"]
        failures = row["failures"]
        lastReport = row["last_report"]
        createdAt = row["created_at"]
    }
}

/// What a fetched page moves a source to, committed with the page's papers.
public struct SourceProgress: Sendable {
    /// The harvest's next position; nil when this page ended it.
    public var cursor: String?
    /// Set when a harvest completes: the end of its window.
    public var watermark: String?
    /// The response's validators, for a conditional GET next time.
    public var validators: HTTPValidators?

    public init(cursor: String?, watermark: String?, validators: HTTPValidators? = nil) {
        self.cursor = cursor
        self.watermark = watermark
        self.validators = validators
    }
}

public struct HTTPValidators: Sendable, Hashable {
    public var url: String
    public var etag: String?
    public var lastModified: String?

    public init(url: String, etag: String?, lastModified: String?) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
    }
}

extension SQLitePaperStore {
    // MARK: Sources

    public func sources() throws -> [SourceRecord] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM sources ORDER BY name").map(SourceRecord.init) }
    }

    public func source(named name: String) throws -> SourceRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE name = ?", arguments: [name]).map(SourceRecord.init)
        }
    }

    /// Adds a source; throws when the name is taken.
    public func addSource(_ source: SourceRecord) throws {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM sources WHERE name = ?", arguments: [source.name]) == true {
                throw StoreError("a source named '\(source.name)' exists already")
            }
            try db.execute(
                sql: "INSERT INTO sources(name, kind, spec, enabled, interval) VALUES (?, ?, ?, ?, ?)",
                arguments: [source.name, source.kind, source.spec, source.enabled, source.interval])
        }
    }

    /// Removes a source and its state; its papers stay. False when there was none.
    @discardableResult
    public func removeSource(named name: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM sources WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func setSourceEnabled(_ name: String, _ enabled: Bool) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "UPDATE sources SET enabled = ?, next_due = NULL WHERE name = ?", arguments: [enabled, name])
            return db.changesCount > 0
        }
    }

    /// Stores a page's papers and the source's new position in one transaction: a process killed at any
    /// point has either both or neither, so a resumed harvest neither skips nor repeats a committed page.
    public func commitPage(_ papers: [Paper], source name: String, progress: SourceProgress) throws -> [UpsertOutcome] {
        try pool.write { db in
            let outcomes = try papers.map { try upsert($0, in: db) }
            try db.execute(
                sql: "UPDATE sources SET cursor = ?, watermark = coalesce(?, watermark) WHERE name = ?",
                arguments: [progress.cursor, progress.watermark, name])
            if let validators = progress.validators {
                try store(validators, in: db)
            }
            return outcomes
        }
    }

    /// Starts a harvest (or drops one, with nil) without fetching anything.
    public func setCursor(_ cursor: String?, source name: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE sources SET cursor = ? WHERE name = ?", arguments: [cursor, name])
        }
    }

    public enum FetchOutcome: Sendable {
        /// The harvest ran to its end (or the feed was read, or not modified).
        case succeeded
        /// It failed with this error; the failure count grows.
        case failed(String)
        /// The user stopped it; it resumes next time, and nothing counts against the source.
        case stopped
    }

    /// Records how a fetch of the source ended and when it is due again.
    public func recordFetch(source name: String, attempt: Date, outcome: FetchOutcome, nextDue: Date, report: String?) throws {
        let (succeeded, failed, error): (Bool, Bool, String?) = switch outcome {
        case .succeeded: (true, false, nil)
        case .failed(let message): (false, true, message)
        case .stopped: (false, false, nil)
        }
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE sources SET last_attempt = ?, next_due = ?, last_report = coalesce(?, last_report),
                        last_success = CASE WHEN ? THEN ? ELSE last_success END,
                        last_error = CASE WHEN ? THEN ? WHEN ? THEN NULL ELSE last_error END,
                        failures = CASE WHEN ? THEN 0 WHEN ? THEN failures + 1 ELSE failures END
                    WHERE name = ?
                    """,
                arguments: [
                    ISO8601.string(attempt), ISO8601.string(nextDue), report, succeeded, ISO8601.string(attempt),
                    failed, error, succeeded, succeeded, failed, name,
                ])
        }
    }

    // MARK: Conditional GET

    public func validators(for url: String) throws -> HTTPValidators? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM http_cache WHERE url = ?", arguments: [url]).map {
                HTTPValidators(url: $0["url"], etag: $0["etag"], lastModified: $0["last_modified"])
            }
        }
    }

    private func store(_ validators: HTTPValidators, in db: Database) throws {
        if validators.etag == nil, validators.lastModified == nil {
            try db.execute(sql: "DELETE FROM http_cache WHERE url = ?", arguments: [validators.url])
        } else {
            try db.execute(
                sql: "INSERT OR REPLACE INTO http_cache(url, etag, last_modified) VALUES (?, ?, ?)",
                arguments: [validators.url, validators.etag, validators.lastModified])
        }
    }

    // MARK: Settings

    public func settings() throws -> [String: String] {
        try pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, value FROM settings").map {
                ($0["name"] as String, $0["value"] as String)
            })
        }
    }

    public func setSetting(_ name: String, _ value: String?) throws {
        try pool.write { db in
            if let value {
                try db.execute(sql: "INSERT OR REPLACE INTO settings(name, value) VALUES (?, ?)", arguments: [name, value])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE name = ?", arguments: [name])
            }
        }
    }
}

/// Timestamps as the library stores them: UTC, seconds, `Z`.
public enum ISO8601 {
    public static func string(_ date: Date) -> String {
        formatter().string(from: date)
    }

    public static func date(_ text: String) -> Date? {
        formatter().date(from: text)
    }

    private static func formatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }
}
