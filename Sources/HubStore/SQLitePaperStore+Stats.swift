import Foundation
import GRDB

public struct LibraryStats: Sendable, Hashable, Codable {
    public struct Count: Sendable, Hashable, Codable {
        public var name: String
        public var papers: Int
    }

    public var path: String
    public var papers: Int
    public var versions: Int
    public var bySource: [Count]
    public var byCategory: [Count]
    public var byMonth: [Count]
    /// The database file and its write-ahead log, in bytes.
    public var bytes: Int64
}

extension SQLitePaperStore {
    public func stats() throws -> LibraryStats {
        func counts(_ db: Database, _ sql: String) throws -> [LibraryStats.Count] {
            try Row.fetchAll(db, sql: sql).map { LibraryStats.Count(name: $0[0] ?? "unknown", papers: $0[1]) }
        }
        return try pool.read { db in
            let papers = try Int.fetchOne(db, sql: "SELECT count(*) FROM papers") ?? 0
            let versions = try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_versions") ?? 0
            let bySource = try counts(db, "SELECT source, count(*) FROM papers GROUP BY source ORDER BY 2 DESC, 1")
            let byCategory = try counts(
                db, "SELECT category, count(*) FROM paper_categories GROUP BY category ORDER BY 2 DESC, 1")
            let byMonth = try counts(
                db, "SELECT substr(date, 1, 7), count(*) FROM papers GROUP BY 1 ORDER BY 1 DESC")
            var bytes: Int64 = 0
            for suffix in ["", "-wal"] {
                let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
                bytes += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            }
            return LibraryStats(
                path: path, papers: papers, versions: versions, bySource: bySource, byCategory: byCategory,
                byMonth: byMonth, bytes: bytes)
        }
    }
}
