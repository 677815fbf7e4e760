/// The formats HubFeeds reads, told apart by content (see ``FeedParser/detect(_:)``).
public enum FeedFormat: String, Sendable, CaseIterable {
    /// arXiv API responses (`export.arxiv.org/api/query`): Atom 1.0 with `arxiv:` and `opensearch:`
    /// elements. arXiv's Atom announcement feeds (`rss.arxiv.org/atom/…`) read the same way.
    case arxivAtom
    /// arXiv announcement feeds (`rss.arxiv.org/rss/…`): RSS 2.0 with `arxiv:announce_type`.
    case arxivRSS
    /// arXiv OAI-PMH `ListRecords`/`GetRecord` responses in the `arXiv` metadata format
    /// (`oaipmh.arxiv.org/oai`), with their resumption token.
    case arxivOAI
    /// bioRxiv/medRxiv `api.biorxiv.org/details/…` responses: `{"messages": […], "collection": […]}`.
    case bioRxivJSON
    /// Nature journal feeds (`www.nature.com/<journal>.rss`): RSS 1.0 (RDF) with `dc:` and `prism:`.
    case natureRDF
    /// Any other RSS 2.0 feed, or RSS 1.0 (RDF) feed of another publisher.
    case rss
    /// Any other Atom 1.0 feed.
    case atom
    /// JSON Lines of papers: our own export (a `Paper` per line), the seed/digest layout, or any objects
    /// with a title.
    case jsonLines
    /// A BEIR corpus (`corpus.jsonl`: `_id`, `title`, `text`); the collection is named by its folder.
    case beirCorpus
}
