import HubCore

/// What a parser read from one record, before the rules every format shares turn it into a `Paper`.
///
/// The rules live here so that no format applies them differently:
/// - the arXiv RSS announcement is stripped from the start of every abstract, and its id, version and
///   announce type fill whatever the record did not say itself;
/// - titles and abstracts are whitespace-collapsed; an empty title, or a title or abstract over
///   `Paper.maxTitleBytes` / `Paper.maxAbstractBytes`, rejects the record;
/// - the key is `PaperKey.canonical`: arXiv id, then DOI, then source + native id, the native id falling
///   back to `PaperKey.slug(title)`;
/// - the day a version was announced goes to `published` and `updated` for a first version (`v1`, `1`), to
///   `updated` alone for a later one (the first announcement is then unknown), and to `published` when the
///   source has no versions.
struct PaperDraft {
    var source: String
    /// Any text holding an arXiv id: a bare id, `arXiv:` id, abs/pdf URL or `oai:arXiv.org:` id.
    var arxivID: String?
    var doi: String?
    var nativeID: String?
    var version: String?
    var title = ""
    var abstract = ""
    var authors: [String] = []
    var categories: [String] = []
    var published: String?
    var updated: String?
    /// The day this version was announced, when the source gives only that (see the type's comment).
    var announced: String?
    var url: String?
    var announceType: String?
    var journalRef: String?
    var comment: String?
    /// Whether an arXiv id found in the abstract's announcement may decide the key. Off where the key is
    /// fixed by the format itself (BEIR collections, our own export).
    var keyFromAnnouncement = true
    /// A key decided by the format itself (our own export).
    var fixedKey: String?
    /// An empty title is allowed when there is text (BEIR documents): the record is rejected only when both are empty.
    var allowsEmptyTitle = false

    init(source: String) {
        self.source = source
    }

    /// The paper, or the reason the record cannot be one.
    func build() -> Result<Paper, RecordProblem> {
        let title = FeedText.collapseWhitespace(FeedText.repairingMojibake(self.title))
        var abstract = FeedText.collapseWhitespace(FeedText.repairingMojibake(self.abstract))
        let (announcement, rest) = ArxivAnnouncement.split(abstract)
        if announcement != nil { abstract = rest }
        if title.utf8.count > Paper.maxTitleBytes {
            return .failure(RecordProblem("title is \(FeedText.byteSize(title.utf8.count)) long; the limit is \(FeedText.byteSize(Paper.maxTitleBytes))"))
        }
        if abstract.utf8.count > Paper.maxAbstractBytes {
            return .failure(RecordProblem("abstract is \(FeedText.byteSize(abstract.utf8.count)) long; the limit is \(FeedText.byteSize(Paper.maxAbstractBytes))"))
        }
        if title.isEmpty {
            if !allowsEmptyTitle { return .failure(RecordProblem("empty title")) }
            if abstract.isEmpty { return .failure(RecordProblem("empty title and text")) }
        }

        var arxiv = arxivID.flatMap { ArxivDraftID.parse($0) }
        if arxiv == nil, keyFromAnnouncement, let announcement {
            arxiv = ArxivID(announcement.arxivID + (announcement.version ?? ""))
        }
        var version = nonEmpty(self.version) ?? arxiv?.version
        if version == nil, let announcement, arxiv?.base == announcement.arxivID {
            version = announcement.version
        }
        let announceType = nonEmpty(self.announceType)?.lowercased() ?? announcement?.announceType
        let doi = nonEmpty(self.doi).flatMap(PaperKey.normalizeDOI)
        let source = self.source.lowercased()
        let nativeID = nonEmpty(self.nativeID) ?? arxiv?.base ?? doi ?? PaperDraft.titleID(title.isEmpty ? abstract : title)
        let key: PaperKey
        if let fixedKey = nonEmpty(fixedKey) {
            key = PaperKey(rawValue: fixedKey)
        } else {
            key = PaperKey.canonical(arxivID: arxiv?.base, doi: doi, source: source, nativeID: nativeID)
        }

        var published = FeedDate.day(self.published)
        var updated = FeedDate.day(self.updated)
        if let day = FeedDate.day(announced) {
            switch version.map(PaperDraft.isFirstVersion) {
            case nil: published = published ?? day
            case true?:
                published = published ?? day
                updated = updated ?? day
            case false?: updated = updated ?? day
            }
        }

        return .success(
            Paper(
                key: key, source: source, nativeID: nativeID, version: version, title: title, abstract: abstract,
                authors: PaperDraft.unique(authors.map(FeedText.repairingMojibake)), categories: PaperDraft.unique(categories.map(PaperDraft.arxivCategoryCase)),
                published: published, updated: updated, doi: doi, url: nonEmpty(url),
                announceType: announceType, journalRef: nonEmpty(journalRef).map(FeedText.collapseWhitespace),
                comment: nonEmpty(comment).map(FeedText.collapseWhitespace)
            ))
    }

    static func isFirstVersion(_ version: String) -> Bool {
        version == "v1" || version == "1" || version == "V1"
    }

    /// `PaperKey.slug(title)`, or a hash of the title when it has no letter or digit to slug.
    static func titleID(_ title: String) -> String {
        let slug = PaperKey.slug(title)
        return slug.isEmpty ? "title-" + PaperKey.hash(title) : slug
    }

    /// Trimmed, empty ones dropped, first occurrence kept.
    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for value in values {
            let v = FeedText.collapseWhitespace(value)
            if !v.isEmpty, seen.insert(v).inserted { out.append(v) }
        }
        return out
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = s.replacingOccurrences(of: "\u{0}", with: "").trimmingWhitespace()
        return t.isEmpty ? nil : t
    }
}

/// Why one record was not imported; the parser adds where it was.
struct RecordProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// arXiv ids as feeds write them, including the OAI form `oai:arXiv.org:2203.01250v3`.
enum ArxivDraftID {
    static func parse(_ text: String) -> ArxivID? {
        var s = text.trimmingWhitespace()
        if s.lowercased().hasPrefix("oai:arxiv.org:") { s = String(s.dropFirst("oai:arxiv.org:".count)) }
        return ArxivID(s)
    }
}

extension PaperDraft {
    /// arXiv's own spelling of a category written in another case (the seed pages say `CS.CL`): archive in
    /// lower case, a two-letter subject class in upper case (`cs.CL`, `math.PR`, `q-bio.NC`), a longer one
    /// in lower case (`physics.optics`, `nlin.AO` stays as is). Anything not shaped like that is kept.
    static func arxivCategoryCase(_ category: String) -> String {
        let parts = category.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, arxivArchives.contains(parts[0].lowercased()),
              parts[1].allSatisfy({ $0.isASCII && $0.isLetter })
        else { return category }
        let subject = parts[1].count == 2 ? parts[1].uppercased() : parts[1].lowercased()
        return parts[0].lowercased() + "." + subject
    }

    static let arxivArchives: Set<String> = [
        "cs", "math", "stat", "eess", "econ", "q-bio", "q-fin", "physics", "astro-ph", "cond-mat", "nlin",
    ]
}
