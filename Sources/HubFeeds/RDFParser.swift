import Foundation
import HubCore

/// RSS 1.0 (RDF): Nature's journal feeds, and other publishers' that use the same layout.
///
/// Items carry `dc:` and `prism:` metadata: `prism:doi` or `dc:identifier` ("doi:…") for the DOI,
/// `dc:creator` one author each, `dc:date`/`prism:publicationDate` for the day, `dc:source` as the citation.
/// Nature's `content:encoded` opens with a citation paragraph ("<p>Nature, Published online: …; doi:…</p>")
/// before the standfirst; that paragraph is dropped, and the rest, display HTML, stripped of tags and entities.
/// Without a DOI the native id is the article's id from its URL (`…/articles/d41586-026-01234-5`), and
/// without a URL the title's slug.
enum RDFParser {
    static func parse(_ data: Data, origin: String, nature: Bool) throws(FeedError) -> ParsedFeed {
        let reader = try XMLFeedReader(data: data, entryName: "item", origin: origin)
        let channel = reader.header?.child("channel", .rss1OrNone)
        let channelLink = channel?.string("link", .rss1OrNone) ?? channel?.attribute("about")
        let feedSource = nature ? "nature" : channelLink.flatMap(SourceName.host)
        let (papers, rejections) = reader.readEntries { node in
            item(node, feedSource: feedSource, origin: origin)
        }
        return ParsedFeed(format: nature ? .natureRDF : .rss, papers: papers, rejections: rejections)
    }

    static func item(_ node: XMLTreeNode, feedSource: String?, origin: String) -> XMLFeedReader.Outcome {
        let link = (node.string("link", .rss1OrNone) ?? node.string("url", .prism) ?? node.attribute("about"))?
            .trimmingWhitespace()
        let url = (link?.isEmpty ?? true) ? nil : link
        var draft = PaperDraft(source: feedSource ?? url.flatMap(SourceName.host) ?? SourceName.fromOrigin(origin))
        draft.title = FeedText.fromHTML(node.string("title", .dc) ?? node.string("title", .rss1OrNone) ?? "")
        let encoded = node.string("encoded", .content) ?? ""
        let description = node.string("description", .rss1OrNone) ?? ""
        let html = encoded.trimmingWhitespace().isEmpty ? description : encoded
        draft.abstract = FeedText.fromHTML(dropCitationParagraph(html))
        draft.authors = node.children("creator", .dc).map(\.deepText)
        draft.categories = node.children("subject", .dc).map(\.deepText) + node.children("section", .prism).map(\.deepText)
        draft.published =
            node.string("date", .dc) ?? node.string("publicationDate", .prism) ?? node.string("coverDate", .prism)
        draft.journalRef = node.string("source", .dc)
        draft.url = url
        draft.doi = DOIText.find(in: [node.string("doi", .prism), node.string("identifier", .dc)])
        if draft.doi == nil, let url, url.lowercased().contains("arxiv.org") { draft.arxivID = url }
        draft.nativeID = draft.doi ?? url.flatMap(articleID)
        return XMLFeedReader.Outcome(draft.build())
    }

    /// `https://www.nature.com/articles/d41586-026-01234-5` → `d41586-026-01234-5`.
    static func articleID(_ url: String) -> String? {
        guard let components = URLComponents(string: url) else { return nil }
        let last = components.path.split(separator: "/").last.map(String.init) ?? ""
        return last.isEmpty ? nil : last
    }

    /// Drops a leading `<p>…Published online…</p>`: Nature's citation line, not part of the abstract.
    static func dropCitationParagraph(_ html: String) -> String {
        let trimmed = html.drop(while: { $0.isWhitespace })
        guard trimmed.prefix(2).lowercased() == "<p", let close = trimmed.range(of: "</p>", options: .caseInsensitive)
        else { return html }
        let paragraph = trimmed[..<close.lowerBound]
        guard paragraph.count < 600, paragraph.localizedCaseInsensitiveContains("published online") else { return html }
        return String(trimmed[close.upperBound...])
    }
}
