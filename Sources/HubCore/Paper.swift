/// One version of a scholarly work as a source announced it.
///
/// Text fields hold what the source sent (LaTeX, entities and all, after the
/// arXiv RSS prefix is stripped); the analyzer decides what reaches the index.
public struct Paper: Sendable, Hashable, Codable {
    /// Longest title accepted, in UTF-8 bytes; real titles stay under 500.
    public static let maxTitleBytes = 2_000
    /// Longest abstract accepted, in UTF-8 bytes: twenty times the longest real abstracts. Beyond it a
    /// record is rejected rather than indexed, since FTS5's snippet() costs the square of a field's matches.
    public static let maxAbstractBytes = 100_000
    /// Canonical identity of the work; every version shares it.
    public var key: PaperKey
    /// Where this record came from: `arxiv`, `biorxiv`, `medrxiv`, `nature`, a feed's host, `beir:NAME`.
    public var source: String
    /// The source's own id for the work (`2606.15062`, `10.1101/2026.06.11.123456`, a feed's guid).
    public var nativeID: String
    /// `v2` for arXiv, `2` for bioRxiv; nil when the source has no versions.
    public var version: String?
    public var title: String
    public var abstract: String
    public var authors: [String]
    /// Primary category first.
    public var categories: [String]
    /// Day the work was first announced, `YYYY-MM-DD`.
    public var published: String?
    /// Day this version was announced, `YYYY-MM-DD`.
    public var updated: String?
    public var doi: String?
    public var url: String?
    /// arXiv RSS announce type: `new`, `cross`, `replace`, `replace-cross`.
    public var announceType: String?
    public var journalRef: String?
    public var comment: String?

    public init(
        key: PaperKey, source: String, nativeID: String, version: String? = nil,
        title: String, abstract: String, authors: [String] = [], categories: [String] = [],
        published: String? = nil, updated: String? = nil, doi: String? = nil, url: String? = nil,
        announceType: String? = nil, journalRef: String? = nil, comment: String? = nil
    ) {
        self.key = key
        self.source = source
        self.nativeID = nativeID
        self.version = version
        self.title = title
        self.abstract = abstract
        self.authors = authors
        self.categories = categories
        self.published = published
        self.updated = updated
        self.doi = doi
        self.url = url
        self.announceType = announceType
        self.journalRef = journalRef
        self.comment = comment
    }

    /// The day this record stands for in a date filter: the announcement of this version, else the first.
    public var date: String? { updated ?? published }
}
