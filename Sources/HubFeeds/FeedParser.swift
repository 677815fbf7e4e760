import Foundation
import HubCore

/// Reads any supported feed or file into papers, one bad record costing only itself.
public enum FeedParser {
    /// Detects the format from the content's first 64 KB, never from a file name.
    public static func detect(_ data: Data) -> FeedFormat? {
        FormatDetector.detect(UTF16Input.utf8(data))
    }

    /// Parses `data` in the format its content shows.
    ///
    /// - Parameter origin: the file path or URL it came from. Rejections do not repeat it (the caller
    ///   knows which file it parsed), but a BEIR corpus takes its collection name from the folder that holds
    ///   it (`…/eval/scifact/corpus.jsonl` → source `scifact`), and JSON Lines without a `source` field take
    ///   the file's name.
    /// - Throws: ``FeedError`` when the format is unknown or the document is unreadable as a whole.
    public static func parse(_ data: Data, origin: String) throws -> ParsedFeed {
        guard let format = detect(data) else {
            throw FeedError(
                .unknownFormat,
                "\(origin): not a format HubFeeds reads (arXiv API Atom, arXiv RSS, bioRxiv/medRxiv JSON, Nature RSS, "
                    + "RSS 1.0/2.0, Atom, JSON Lines, BEIR corpus); it begins: \(FormatDetector.preview(data))"
            )
        }
        return try parse(data, origin: origin, as: format)
    }

    /// Whether the document ends as its format says it must: an XML root element closed, a bioRxiv response
    /// that is whole JSON. A response cut off by the network fails this even when every entry it holds
    /// parses, so a paged harvest never takes half a page for a whole one.
    /// `data` as UTF-8: UTF-16 (with a byte-order mark, or XML or JSON without one) converted, a UTF-8
    /// byte-order mark dropped.
    public static func utf8(_ data: Data) -> Data {
        let converted = UTF16Input.utf8(data)
        return converted.starts(with: [0xEF, 0xBB, 0xBF]) ? converted.dropFirst(3) : converted
    }

    /// How `data` begins, for a message: its first line, or what kind of binary file it is.
    public static func preview(_ data: Data) -> String {
        FormatDetector.preview(data)
    }

    /// `scheme://user:password@host/…` without `user:password@` (to the authority's last `@`, as URLs are
    /// read); any other text as it is.
    public static func withoutCredentials(_ address: String) -> String {
        guard let scheme = address.range(of: "://") else { return address }
        let authority = address[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return address }
        return String(address[..<scheme.upperBound] + address[address.index(after: at)...])
    }

    public static func isComplete(_ data: Data) -> Bool {
        FormatDetector.isComplete(UTF16Input.utf8(data))
    }

    /// Parses `data` as `format`, for callers that already know it.
    /// A feed's user and password stay out of what is made from its address (links resolved against it,
    /// rejections naming it): those are stored and shown to readers the feed's owner did not give them to.
    public static func parse(_ data: Data, origin: String, as format: FeedFormat) throws -> ParsedFeed {
        let data = UTF16Input.utf8(data)
        let origin = withoutCredentials(origin)
        switch format {
        case .arxivAtom: return try ArxivAtomParser.parse(data, origin: origin)
        case .arxivOAI: return try ArxivOAIParser.parse(data, origin: origin)
        case .atom: return try AtomParser.parse(data, origin: origin)
        case .arxivRSS: return try RSSParser.parse(data, origin: origin, arxiv: true)
        case .rss:
            if FormatDetector.rootName(data) == "RDF" {
                return try RDFParser.parse(data, origin: origin, nature: false)
            }
            return try RSSParser.parse(data, origin: origin, arxiv: false)
        case .natureRDF: return try RDFParser.parse(data, origin: origin, nature: true)
        case .bioRxivJSON: return try BioRxivParser.parse(data, origin: origin)
        case .jsonLines: return JSONLinesParser.parse(data, origin: origin)
        case .beirCorpus: return JSONLinesParser.parseBEIR(data, origin: origin)
        }
    }
}
