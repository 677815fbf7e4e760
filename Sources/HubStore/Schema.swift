import GRDB

/// The library's tables. SQLite is the single source of truth: every index and model is rebuilt from it.
enum Schema {
    /// How `papers_fts` tokenizes. `ahub` is ours; `porterUnicode61` is SQLite's stock tokenizer, kept for
    /// side-by-side measurement in benchmarks.
    static func migrator(tokenizer: TextTokenizer) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                CREATE TABLE papers (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    native_id TEXT NOT NULL,
                    version TEXT,
                    title TEXT NOT NULL,
                    authors TEXT NOT NULL,          -- "First Last; First Last": FTS5 indexes this column as is
                    abstract TEXT NOT NULL,
                    categories TEXT NOT NULL,       -- JSON array, primary first
                    published TEXT,                 -- YYYY-MM-DD, first announcement
                    updated TEXT,                   -- YYYY-MM-DD, this version's announcement
                    date TEXT,                      -- updated ?? published: what date filters see
                    doi TEXT,
                    url TEXT,
                    announce_type TEXT,
                    journal_ref TEXT,
                    comment TEXT,
                    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                );
                CREATE INDEX papers_date ON papers(date);
                CREATE INDEX papers_source ON papers(source);
                CREATE TABLE paper_categories (
                    category TEXT NOT NULL COLLATE NOCASE,
                    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
                    PRIMARY KEY (category, paper_id)
                ) WITHOUT ROWID;
                CREATE TABLE paper_versions (
                    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
                    version TEXT NOT NULL,          -- '' when the source has no versions
                    date TEXT,
                    title TEXT NOT NULL,
                    abstract TEXT NOT NULL,
                    source TEXT NOT NULL,
                    seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
                    PRIMARY KEY (paper_id, version)
                ) WITHOUT ROWID;
                """)
            try db.execute(sql: """
                CREATE VIRTUAL TABLE papers_fts USING fts5(
                    title, authors, abstract,
                    content='papers', content_rowid='id',
                    tokenize='\(tokenizer.fts5Name)'
                );
                """)
            try db.execute(sql: "INSERT INTO meta(name, value) VALUES('tokenizer', ?)", arguments: [tokenizer.rawValue])
        }
        migrator.registerMigration("v2-sources") { db in
            try db.execute(sql: """
                CREATE TABLE sources (
                    name TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    spec TEXT NOT NULL,             -- JSON: what to fetch (HubFeeds.SourceSpec)
                    enabled INTEGER NOT NULL DEFAULT 1,
                    interval REAL NOT NULL,         -- seconds between fetches
                    cursor TEXT,                    -- JSON: the harvest in progress, NULL when none
                    watermark TEXT,                 -- YYYY-MM-DD: the end of the last complete harvest's window
                    next_due TEXT,                  -- ISO 8601; NULL: due now
                    last_attempt TEXT,
                    last_success TEXT,
                    last_error TEXT,
                    failures INTEGER NOT NULL DEFAULT 0,
                    last_report TEXT,               -- JSON: what the last fetch did
                    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                );
                -- Conditional GET: the validators of the last response imported from each URL.
                CREATE TABLE http_cache (
                    url TEXT PRIMARY KEY,
                    etag TEXT,
                    last_modified TEXT,
                    stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                );
                CREATE TABLE settings (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-vectors") { db in
            try db.execute(sql: """
                -- Sentence embeddings, the source of truth for the in-memory vector store: float32, little-endian.
                CREATE TABLE vectors (
                    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
                    model TEXT NOT NULL,
                    dimension INTEGER NOT NULL,
                    type TEXT NOT NULL DEFAULT 'float32',
                    data BLOB NOT NULL,
                    PRIMARY KEY (model, paper_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-vocabulary") { db in
            // Document frequencies straight from the full-text index, for TF-IDF weights ("more like this").
            try db.execute(sql: "CREATE VIRTUAL TABLE papers_vocab USING fts5vocab(papers_fts, 'row')")
        }
        migrator.registerMigration("v5-vectors-rowid") { db in
            // A rowid table: a 1.5 KB vector fits in its leaf page (two to a 4 KB page), where a WITHOUT ROWID
            // row spills all but ~1 KB to an overflow page of its own: the file was 4.7 GB for 1 M vectors,
            // not 1.6, and loading them took 8.3 s, not ~2. Keyed by paper first: deleting a paper's vectors
            // (a new version, the cascade) is a lookup, not a scan. The index on model answers "has this model
            // any vectors" and counts without reading the vectors.
            try db.execute(sql: """
                CREATE TABLE vectors_rowid (
                    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
                    model TEXT NOT NULL,
                    dimension INTEGER NOT NULL,
                    type TEXT NOT NULL DEFAULT 'float32',
                    data BLOB NOT NULL,
                    PRIMARY KEY (paper_id, model)
                );
                INSERT INTO vectors_rowid(paper_id, model, dimension, type, data)
                    SELECT paper_id, model, dimension, type, data FROM vectors ORDER BY paper_id;
                DROP TABLE vectors;
                ALTER TABLE vectors_rowid RENAME TO vectors;
                CREATE INDEX vectors_model ON vectors(model, dimension);
                """)
        }
        migrator.registerMigration("v6-radars") { db in
            try db.execute(sql: """
                -- Personal feeds: what the user said, the seeds, the feedback log (the last event per paper
                -- counts; the model can be rebuilt from it), the papers already shown, and the learned model.
                CREATE TABLE radars (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    description TEXT NOT NULL,
                    keywords TEXT NOT NULL DEFAULT '[]',      -- JSON arrays
                    categories TEXT NOT NULL DEFAULT '[]',
                    sources TEXT NOT NULL DEFAULT '[]',
                    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                );
                CREATE TABLE radar_seeds (
                    radar_id INTEGER NOT NULL REFERENCES radars(id) ON DELETE CASCADE,
                    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
                    PRIMARY KEY (radar_id, paper_id)
                );
                CREATE TABLE radar_feedback (
                    id INTEGER PRIMARY KEY,
                    radar_id INTEGER NOT NULL REFERENCES radars(id) ON DELETE CASCADE,
                    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
                    signal TEXT NOT NULL CHECK (signal IN ('like', 'dislike', 'save', 'hide')),
                    at TEXT NOT NULL
                );
                CREATE INDEX radar_feedback_radar ON radar_feedback(radar_id);
                CREATE TABLE radar_shown (
                    radar_id INTEGER NOT NULL REFERENCES radars(id) ON DELETE CASCADE,
                    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
                    shown_at TEXT NOT NULL,
                    PRIMARY KEY (radar_id, paper_id)
                ) WITHOUT ROWID;
                CREATE TABLE radar_models (
                    radar_id INTEGER PRIMARY KEY REFERENCES radars(id) ON DELETE CASCADE,
                    state BLOB NOT NULL,
                    updated_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v7-papers-revision") { db in
            try db.execute(sql: """
                -- A counter that moves whenever a paper is added, changed or removed: in-memory caches of
                -- per-paper features (TF-IDF terms, categories) are trusted while it stands still.
                INSERT OR REPLACE INTO meta(name, value) VALUES ('papers_revision', '0');
                CREATE TRIGGER papers_revision_insert AFTER INSERT ON papers BEGIN
                    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'papers_revision';
                END;
                CREATE TRIGGER papers_revision_update AFTER UPDATE ON papers BEGIN
                    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'papers_revision';
                END;
                CREATE TRIGGER papers_revision_delete AFTER DELETE ON papers BEGIN
                    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'papers_revision';
                END;
                """)
        }
        migrator.registerMigration("v8-briefings") { db in
            try db.execute(sql: """
                -- Ranked lists handed out by `--json` (a search, a feed, a similar list), by handle, so a
                -- briefing can be made of the same papers later; and the briefings made.
                CREATE TABLE result_lists (
                    handle TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    input TEXT NOT NULL,
                    keys TEXT NOT NULL,                      -- JSON array of paper keys, in rank order
                    created_at TEXT NOT NULL
                );
                CREATE TABLE briefings (
                    id INTEGER PRIMARY KEY,
                    created_at TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    language TEXT NOT NULL,
                    input TEXT NOT NULL,
                    papers INTEGER NOT NULL,
                    body TEXT NOT NULL                       -- the briefing as JSON, Markdown included
                );
                """)
        }
        migrator.registerMigration("v9-vectors-revision") { db in
            try db.execute(sql: """
                -- A counter that moves whenever a vector is stored or removed: a process that holds the
                -- vectors in memory (`ahub serve`) catches up with the vectors another process (`ahub import`,
                -- `ahub embed`) stored. INSERT OR REPLACE fires the insert trigger.
                INSERT OR REPLACE INTO meta(name, value) VALUES ('vectors_revision', '0');
                CREATE TRIGGER vectors_revision_insert AFTER INSERT ON vectors BEGIN
                    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'vectors_revision';
                END;
                CREATE TRIGGER vectors_revision_update AFTER UPDATE ON vectors BEGIN
                    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'vectors_revision';
                END;
                CREATE TRIGGER vectors_revision_delete AFTER DELETE ON vectors BEGIN
                    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'vectors_revision';
                END;
                """)
        }
        migrator.registerMigration("v10-papers-doi") { db in
            // A paper met under another key (a journal's record of an arXiv paper, by its DOI) is found by
            // its DOI when it comes in, and a typed DOI finds it: both look the DOI up. DOIs are stored
            // lower-cased (`PaperKey.normalizeDOI`).
            try db.execute(sql: "CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL")
        }
        migrator.registerMigration("v11-radar-awaiting") { db in
            try db.execute(sql: """
                -- What an imported radar named that the library did not have yet: seeds (signal NULL) and
                -- feedback events, by the key the file gave, kept until the paper comes (the radar takes
                -- them in then) and exported meanwhile, so that nothing the user said is lost.
                CREATE TABLE radar_awaiting (
                    radar_id INTEGER NOT NULL REFERENCES radars(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    signal TEXT,
                    at TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX radar_awaiting_radar ON radar_awaiting(radar_id);
                """)
        }
        migrator.registerMigration("v12-papers-title") { db in
            // Titles looked up as typed, case aside: a seed file's references, and an arXiv digest's record
            // without an id meeting the paper stored under its id (one work, not two).
            try db.execute(sql: "CREATE INDEX papers_title ON papers(title COLLATE NOCASE)")
            // A source's own id typed without its source or in another case (`CSL-ZH:CSL-TEST-0220`).
            try db.execute(sql: "CREATE INDEX papers_native_id ON papers(native_id COLLATE NOCASE)")
        }
        return migrator
    }
}

/// The tokenizer of a library's full-text index, fixed when the library is created.
public enum TextTokenizer: String, Sendable {
    case ahub
    case porterUnicode61 = "porter-unicode61"

    var fts5Name: String {
        switch self {
        case .ahub: return "ahub"
        case .porterUnicode61: return "porter unicode61"
        }
    }
}

/// BM25 field weights (title, authors, abstract), tuned with `ahub eval` on the bundled collections.
public struct Ranking: Sendable, Hashable {
    public var title: Double
    public var authors: Double
    public var abstract: Double

    ///
    /// Title 4: measured with `ahub eval` (nDCG@10 for title 2 / 3 / 4 / 5 on scifact 0.690 / 0.697 / 0.695 /
    /// 0.693, cranfield 0.377 / 0.380 / 0.381 / –, csl-zh 0.643 / 0.647 / 0.647 / –). A title is a dozen words
    /// that the authors chose to name the topic; a match there says more than one in 200 words of abstract.
    public static let `default` = Ranking(title: 4.0, authors: 1.0, abstract: 1.0)

    public init(title: Double, authors: Double, abstract: Double) {
        self.title = title
        self.authors = authors
        self.abstract = abstract
    }

    /// The SQL that scores a row of `papers_fts`; lower is better, as FTS5 orders.
    var fts5RankFunction: String { "bm25(papers_fts, \(title), \(authors), \(abstract))" }
}
