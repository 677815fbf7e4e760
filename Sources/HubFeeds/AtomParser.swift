import Foundation
import HubCore

/// Any Atom 1.0 feed that is not arXiv's.
///
/// The source is the host of the feed's alternate link, without `www.`. `type="html"` text is display
/// markup and is stripped of tags and entities; `type="xhtml"` arrives as elements whose text is joined;
/// `type="text"` (the default) is kept as written.
enum AtomParser {
    static func parse(_ data: Data, origin: String) throws(FeedError) -> ParsedFeed {
        let reader = try XMLFeedReader(data: data, entryName: "entry", origin: origin)
        let feedLink = reader.header.flatMap(AtomLinks.alternate)
        let feedSource = feedLink.flatMap(SourceName.host)
        let base = FeedLink.base(feedLink: feedLink, origin: origin)
        let (papers, rejections) = reader.readEntries { entry($0, feedSource: feedSource, origin: origin, base: base) }
        return ParsedFeed(format: .atom, papers: papers, rejections: rejections)
    }

    static func entry(_ node: XMLTreeNode, feedSource: String?, origin: String, base: String? = nil) -> XMLFeedReader.Outcome {
        let id = node.string("id", .atomOrNone)?.trimmingWhitespace()
        let written = AtomLinks.alternate(node)
        let link = FeedLink.resolved(written, base: base)
        var draft = PaperDraft(source: feedSource ?? link.flatMap(SourceName.host) ?? SourceName.fromOrigin(origin))
        draft.title = text(node.child("title", .atomOrNone))
        draft.abstract = text(node.child("summary", .atomOrNone) ?? node.child("content", .atomOrNone))
        draft.authors = node.children("author", .atomOrNone).compactMap { $0.string("name", .atomOrNone) }
        if draft.authors.isEmpty { draft.authors = node.children("creator", .dc).map(\.deepText) }
        draft.categories = node.children("category", .atomOrNone).compactMap { $0.attribute("term") }
        draft.published = node.string("published", .atomOrNone) ?? node.string("date", .dc)
        draft.updated = node.string("updated", .atomOrNone)
        draft.url = link
        draft.arxivID = [id, link].compactMap { $0 }.first { $0.lowercased().contains("arxiv.org") }
        draft.doi = DOIText.find(in: [node.string("doi", .prism), node.string("identifier", .dc), id, link])
        draft.nativeID = id ?? link ?? written
        return XMLFeedReader.Outcome(draft.build())
    }

    /// An Atom text construct read by its `type`.
    private static func text(_ node: XMLTreeNode?) -> String {
        guard let node else { return "" }
        switch node.attribute("type") ?? "text" {
        case "html", "text/html": return FeedText.fromHTML(node.deepText)
        case "xhtml": return FeedText.decodeEntities(node.deepText)
        default: return node.deepText
        }
    }
}

/// An item's link as an address: a relative one (`/posts/x`) resolved against the feed's own link, or the address
/// the feed was fetched from; one that cannot be resolved (a file's feed of relative links) is no address.
enum FeedLink {
    static func isAbsoluteHTTP(_ text: String?) -> Bool {
        guard let scheme = text.flatMap({ URLComponents(string: $0.trimmingWhitespace())?.scheme })?.lowercased() else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// The base for a feed's relative links: its own link when absolute, else the address it came from.
    static func base(feedLink: String?, origin: String) -> String? {
        [feedLink?.trimmingWhitespace(), origin].compactMap { $0 }.first(where: isAbsoluteHTTP)
    }

    /// `link` whole: as it is when it has a scheme, resolved against `base` when relative, nil when it cannot be.
    static func resolved(_ link: String?, base: String?) -> String? {
        guard let link = link?.trimmingWhitespace(), !link.isEmpty else { return nil }
        if URLComponents(string: link)?.scheme != nil { return link }
        guard let base, let url = URL(string: base), let whole = URL(string: link, relativeTo: url)?.absoluteString,
              isAbsoluteHTTP(whole) else { return nil }
        return whole
    }
}

/// Source names for feeds that are not one of the known publishers.
enum SourceName {
    /// `https://www.sciencedirect.com/…` → `sciencedirect.com`.
    static func host(_ link: String) -> String? {
        guard let host = URLComponents(string: link.trimmingWhitespace())?.host?.lowercased(), !host.isEmpty else {
            return nil
        }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// The file's name without extension (`…/my-library.jsonl` → `my-library`), for records naming no source.
    static func fromOrigin(_ origin: String) -> String {
        let url = origin.contains("://") ? URL(string: origin) : URL(fileURLWithPath: origin)
        let stem = url?.deletingPathExtension().lastPathComponent ?? ""
        return stem.isEmpty || stem == "/" ? "import" : stem.lowercased()
    }
}

/// DOIs in the places feeds put them: `doi:10.…`, `https://doi.org/10.…`, or a bare `10.…/…`.
enum DOIText {
    static func find(in candidates: [String?]) -> String? {
        for candidate in candidates.compactMap({ $0 }) {
            if let doi = PaperKey.normalizeDOI(candidate) { return doi }
        }
        return nil
    }
}
