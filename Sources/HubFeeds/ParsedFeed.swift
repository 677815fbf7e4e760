import HubCore

/// What one file or response held.
public struct ParsedFeed: Sendable {
    public var format: FeedFormat
    /// In input order; a paper may appear more than once (a feed can list one work twice).
    public var papers: [Paper]
    public var rejections: [Rejection]
    /// The source's own count of matching records across all pages: arXiv's `opensearch:totalResults`,
    /// bioRxiv's `total`. Nil when the format has none.
    public var totalResults: Int?
    /// OAI-PMH: the token that asks for the next page; nil on the last page.
    public var resumptionToken: String?
    /// Records in the response, papers or not (deleted OAI records included): a page with none is the end.
    public var records: Int?

    public init(format: FeedFormat, papers: [Paper], rejections: [Rejection] = [], totalResults: Int? = nil) {
        self.format = format
        self.papers = papers
        self.rejections = rejections
        self.totalResults = totalResults
    }
}
