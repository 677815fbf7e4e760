import Foundation
import HubCore

/// arXiv's OAI-PMH responses in its `arXiv` metadata format (`verb=ListRecords&metadataPrefix=arXiv`).
///
/// Per record: `<id>` is the arXiv id without version (OAI carries no version), `<created>` the first
/// version's date and `<updated>` the latest one's, authors as `forenames keyname suffix`, `<categories>`
/// space-separated with the primary first. Records whose header says `status="deleted"` are skipped. The
/// `resumptionToken` after the records asks for the next page; an empty one ends the list. An OAI `<error>`
/// is the repository's answer: `noRecordsMatch` is an empty page, any other code an error with its text.
enum ArxivOAIParser {
    static func parse(_ data: Data, origin: String) throws(FeedError) -> ParsedFeed {
        let reader = try XMLFeedReader(data: data, entryName: "record", origin: origin)
        if let error = reader.header?.child("error", .any) {
            let code = error.attribute("code") ?? "error"
            if code == "noRecordsMatch" {
                var feed = ParsedFeed(format: .arxivOAI, papers: [], totalResults: 0)
                feed.records = 0
                return feed
            }
            var text = FeedText.collapseWhitespace(error.deepText)
            // The message is followed by more ("; retry in 10m"): its own full stop would double the punctuation.
            while text.hasSuffix(".") { text.removeLast() }
            throw FeedError(.sourceError, "\(origin): OAI-PMH error \(code)" + (text.isEmpty ? "" : ": \(text)"))
        }
        let list = reader.header?.child("ListRecords", .any) ?? reader.header?.child("GetRecord", .any)
        let tokenNode = list?.child("resumptionToken", .any)
        let token = tokenNode.map { FeedText.collapseWhitespace($0.deepText) }.flatMap { $0.isEmpty ? nil : $0 }
        let (papers, rejections) = reader.readEntries(record)
        var feed = ParsedFeed(
            format: .arxivOAI, papers: papers, rejections: rejections,
            totalResults: tokenNode?.attribute("completeListSize").flatMap { Int($0) })
        feed.resumptionToken = token
        feed.records = reader.splitter.entries.count
        return feed
    }

    static func record(_ node: XMLTreeNode) -> XMLFeedReader.Outcome {
        let header = node.child("header", .any)
        if header?.attribute("status") == "deleted" { return .skipped }
        guard let metadata = node.child("metadata", .any)?.child("arXiv", .any) else {
            let identifier = header?.string("identifier", .any) ?? "?"
            return .rejected("\(identifier): no arXiv metadata (harvest with metadataPrefix=arXiv)")
        }
        let id = metadata.string("id", .any)?.trimmingWhitespace() ?? ""
        guard let arxiv = ArxivDraftID.parse(id) else {
            return .rejected(id.isEmpty ? "no <id>" : "no arXiv id in <id>\(id)</id>")
        }
        var draft = PaperDraft(source: "arxiv")
        draft.arxivID = id
        draft.nativeID = arxiv.base
        draft.title = metadata.string("title", .any) ?? ""
        draft.abstract = metadata.string("abstract", .any) ?? ""
        draft.authors = metadata.child("authors", .any)?.children("author", .any).compactMap { author in
            let parts = ["forenames", "keyname", "suffix"].compactMap { author.string($0, .any)?.trimmingWhitespace() }
            let name = parts.filter { !$0.isEmpty }.joined(separator: " ")
            return name.isEmpty ? nil : name
        } ?? []
        draft.categories = (metadata.string("categories", .any) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        draft.published = metadata.string("created", .any)
        draft.updated = metadata.string("updated", .any)
        draft.doi = metadata.string("doi", .any)
        draft.journalRef = metadata.string("journal-ref", .any)
        draft.comment = metadata.string("comments", .any)
        draft.url = "https://arxiv.org/abs/\(arxiv.base)"
        return XMLFeedReader.Outcome(draft.build())
    }
}
