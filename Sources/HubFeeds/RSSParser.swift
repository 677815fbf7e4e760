import Foundation
import HubCore

/// RSS 2.0: arXiv's announcement feeds and anyone else's.
///
/// arXiv (`rss.arxiv.org/rss/<cat>`): the description opens with "arXiv:ID Announce Type: T Abstract:",
/// which the shared rules strip while keeping the id, version and announce type (`arxiv:announce_type`
/// wins when present); `guid` is `oai:arXiv.org:IDvN`; `dc:creator` is one comma-separated string; text is
/// plain, so it is not stripped of markup.
///
/// Others: the source is the channel link's host without `www.`; descriptions (or `content:encoded`) are
/// display HTML, stripped of tags and entities; `dc:creator` elements are one author each.
enum RSSParser {
    static func parse(_ data: Data, origin: String, arxiv: Bool) throws(FeedError) -> ParsedFeed {
        let reader = try XMLFeedReader(data: data, entryName: "item", origin: origin)
        let channelLink = reader.header?.child("channel", .none)?.string("link", .none)
        let feedSource = channelLink.flatMap(SourceName.host)
        let base = FeedLink.base(feedLink: channelLink, origin: origin)
        let (papers, rejections) = reader.readEntries { node in
            arxiv ? arxivItem(node) : item(node, feedSource: feedSource, origin: origin, base: base)
        }
        return ParsedFeed(format: arxiv ? .arxivRSS : .rss, papers: papers, rejections: rejections)
    }

    static func arxivItem(_ node: XMLTreeNode) -> XMLFeedReader.Outcome {
        var draft = PaperDraft(source: "arxiv")
        let guid = node.string("guid", .none)
        let link = node.string("link", .none)
        draft.arxivID = [guid, link].compactMap { $0 }.first { ArxivDraftID.parse($0) != nil }
        draft.title = node.string("title", .none) ?? ""
        draft.abstract = node.string("description", .none) ?? ""
        draft.authors = node.children("creator", .dc).flatMap { AuthorNames.commaSeparated($0.deepText) }
        draft.categories = node.children("category", .none).map(\.deepText)
        draft.announced = node.string("pubDate", .none) ?? node.string("date", .dc)
        draft.announceType = node.string("announce_type", .arxiv)
        draft.doi = node.string("DOI", .arxiv) ?? node.string("doi", .arxiv)
        draft.journalRef = node.string("journal_reference", .arxiv) ?? node.string("journal_ref", .arxiv)
        draft.url = link?.trimmingWhitespace()
        return XMLFeedReader.Outcome(draft.build())
    }

    static func item(_ node: XMLTreeNode, feedSource: String?, origin: String, base: String? = nil) -> XMLFeedReader.Outcome {
        let guid = node.string("guid", .none)?.trimmingWhitespace()
        let written = node.string("link", .none)?.trimmingWhitespace()
        // A relative link (`/posts/x`) is made whole against the channel's link or the feed's address.
        let link = FeedLink.resolved(written, base: base)
        var draft = PaperDraft(source: feedSource ?? link.flatMap(SourceName.host) ?? SourceName.fromOrigin(origin))
        draft.title = FeedText.fromHTML(node.string("title", .none) ?? node.string("title", .dc) ?? "")
        let description = node.string("description", .none) ?? ""
        let encoded = node.string("encoded", .content) ?? ""
        draft.abstract = FeedText.fromHTML(description.trimmingWhitespace().isEmpty ? encoded : description)
        draft.authors = node.children("creator", .dc).map(\.deepText)
            + node.children("author", .none).map { RSSParser.authorName($0.deepText) }
        draft.categories = node.children("category", .none).map(\.deepText) + node.children("subject", .dc).map(\.deepText)
        draft.published = node.string("pubDate", .none) ?? node.string("date", .dc)
        draft.url = link
        draft.arxivID = [guid, link].compactMap { $0 }.first { $0.lowercased().contains("arxiv.org") }
        draft.doi = DOIText.find(in: [node.string("doi", .prism), node.string("identifier", .dc), guid, link])
        draft.nativeID = guid ?? link ?? written
        return XMLFeedReader.Outcome(draft.build())
    }

    /// RSS 2.0 `<author>` is "email (Name)"; the name when there is one.
    static func authorName(_ text: String) -> String {
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            return String(text[text.index(after: open)..<close])
        }
        return text
    }
}
