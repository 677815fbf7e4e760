import Foundation
import HubCore

/// arXiv API responses (Atom 1.0 with `arxiv:` and `opensearch:`), and arXiv's Atom announcement feeds.
///
/// Per entry: the `<id>` URL gives the id and version; `arxiv:primary_category` comes first among the
/// categories; `arxiv:doi`, `arxiv:journal_ref` and `arxiv:comment` are kept. The API reports a bad
/// query as a feed with one entry whose id is `…/api/errors#…`: that entry becomes a rejection carrying the
/// error's summary, never a paper. Text is plain (LaTeX included); only whitespace is collapsed.
enum ArxivAtomParser {
    static func parse(_ data: Data, origin: String) throws(FeedError) -> ParsedFeed {
        let reader = try XMLFeedReader(data: data, entryName: "entry", origin: origin)
        let total = reader.header?.string("totalResults", .openSearch).flatMap { Int($0.trimmingWhitespace()) }
        let (papers, rejections) = reader.readEntries(entry)
        return ParsedFeed(format: .arxivAtom, papers: papers, rejections: rejections, totalResults: total)
    }

    static func entry(_ node: XMLTreeNode) -> XMLFeedReader.Outcome {
        let id = node.string("id", .atomOrNone)?.trimmingWhitespace() ?? ""
        if id.contains("arxiv.org/api/errors") {
            let summary = FeedText.collapseWhitespace(node.string("summary", .atomOrNone) ?? "")
            return .rejected("arXiv API error: " + (summary.isEmpty ? id : summary))
        }
        guard let arxiv = ArxivDraftID.parse(id) else {
            return .rejected(id.isEmpty ? "no <id>" : "no arXiv id in <id>\(id)</id>")
        }

        var draft = PaperDraft(source: "arxiv")
        draft.arxivID = id
        draft.nativeID = arxiv.base
        draft.version = arxiv.version
        draft.title = node.string("title", .atomOrNone) ?? ""
        draft.abstract = node.string("summary", .atomOrNone) ?? ""
        draft.authors = node.children("author", .atomOrNone).compactMap { $0.string("name", .atomOrNone) }
        if draft.authors.isEmpty {
            // arXiv's Atom announcement feeds list authors as RSS does: one comma-separated dc:creator.
            draft.authors = node.children("creator", .dc).flatMap { AuthorNames.commaSeparated($0.deepText) }
        }
        var categories: [String] = []
        if let primary = node.child("primary_category", .arxiv)?.attribute("term") { categories.append(primary) }
        categories += node.children("category", .atomOrNone).compactMap { $0.attribute("term") }
        draft.categories = categories
        draft.announceType = node.string("announce_type", .arxiv)
        if draft.announceType != nil {
            // Announcement feed: <published> is the day this version was announced.
            draft.announced = node.string("published", .atomOrNone) ?? node.string("updated", .atomOrNone)
        } else {
            draft.published = node.string("published", .atomOrNone)
            draft.updated = node.string("updated", .atomOrNone)
        }
        draft.doi = node.string("doi", .arxiv) ?? node.string("DOI", .arxiv)
        draft.journalRef = node.string("journal_ref", .arxiv) ?? node.string("journal_reference", .arxiv)
        draft.comment = node.string("comment", .arxiv)
        draft.url = AtomLinks.alternate(node) ?? (id.hasPrefix("http") ? id : nil)
        return XMLFeedReader.Outcome(draft.build())
    }
}

/// Atom `<link>` choice shared by the Atom parsers.
enum AtomLinks {
    /// `rel="alternate"`, or a link without `rel` (which means alternate).
    static func alternate(_ node: XMLTreeNode) -> String? {
        for link in node.children("link", .atomOrNone) {
            let rel = link.attribute("rel") ?? "alternate"
            if rel == "alternate", let href = link.attribute("href"), !href.isEmpty { return href }
        }
        return nil
    }
}
