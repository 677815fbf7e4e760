import Foundation

/// Where a harvest stands. Stored with each committed page, so a killed harvest resumes at the next page.
public struct HarvestCursor: Codable, Sendable, Equatable {
    /// The date window (YYYY-MM-DD, both ends included); nil where the kind has none.
    public var from: String?
    public var until: String?
    /// arxiv-api `start`, bioRxiv's cursor.
    public var offset: Int
    /// OAI-PMH resumption token for the next page.
    public var token: String?
    /// Records read so far in this harvest (for `limit`).
    public var fetched: Int

    public init(from: String? = nil, until: String? = nil, offset: Int = 0, token: String? = nil, fetched: Int = 0) {
        self.from = from
        self.until = until
        self.offset = offset
        self.token = token
        self.fetched = fetched
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    public init?(json: String?) {
        guard let json, let cursor = try? JSONDecoder().decode(HarvestCursor.self, from: Data(json.utf8)) else { return nil }
        self = cursor
    }
}

/// The URLs of a source's harvest, page by page: pure functions of the spec and the cursor, so that a
/// resumed harvest asks for exactly the page an uninterrupted one would have.
public enum HarvestPlanner {
    /// How far back a new window reaches past the previous harvest's end: arXiv's submission dates and
    /// bioRxiv's posting dates run behind the day a paper appears.
    static let overlapDays = 2
    static let defaultSinceDays = 7
    static let defaultLimitWithoutWindow = 1000

    /// A new harvest. `since` (the user's) wins; then the end of the last complete harvest; then the spec's
    /// own `since`; then a week back.
    public static func begin(_ spec: SourceSpec, watermark: String?, since: String?, today: FeedDay) -> HarvestCursor {
        guard spec.kind.isPaged else { return HarvestCursor() }
        if spec.kind == .arxivAPI, !spec.ids.isEmpty { return HarvestCursor() }
        let from: FeedDay?
        if let since = since.flatMap(FeedDay.init) {
            from = since
        } else if let mark = watermark.flatMap(FeedDay.init) {
            from = mark.adding(days: -overlapDays)
        } else if let first = spec.since.flatMap(FeedDay.init) {
            from = first
        } else if spec.kind == .arxivAPI {
            // A query's first harvest takes its newest results, up to `limit`, with no window.
            from = nil
        } else {
            from = today.adding(days: -defaultSinceDays)
        }
        return HarvestCursor(from: from?.description, until: from == nil ? nil : today.description)
    }

    /// The URL of the cursor's page.
    public static func url(_ spec: SourceSpec, _ cursor: HarvestCursor) -> String {
        let base = spec.base
        switch spec.kind {
        case .arxivRSS:
            return "\(base)/\(spec.categories.joined(separator: "+"))"
        case .nature:
            return spec.url ?? "\(base)/\(spec.journal ?? "nature").rss"
        case .rss, .atom:
            return spec.url ?? base
        case .arxivAPI:
            var search = spec.arxivSearch
            if spec.ids.isEmpty, let from = cursor.from.flatMap(FeedDay.init), let until = cursor.until.flatMap(FeedDay.init) {
                let window = "submittedDate:[\(from.compact)0000 TO \(until.compact)2359]"
                search = search.isEmpty ? window : "(\(search)) AND \(window)"
            }
            if !spec.ids.isEmpty { search = spec.query ?? "" }
            return base + query([
                ("search_query", search), ("id_list", spec.ids.joined(separator: ",")),
                ("sortBy", "submittedDate"), ("sortOrder", "descending"),
                ("start", String(cursor.offset)), ("max_results", String(pageSize(spec))),
            ])
        case .arxivOAI:
            if let token = cursor.token {
                return base + query([("verb", "ListRecords"), ("resumptionToken", token)])
            }
            var items = [("verb", "ListRecords"), ("metadataPrefix", "arXiv")]
            if let from = cursor.from { items.append(("from", from)) }
            if let until = cursor.until { items.append(("until", until)) }
            if let set = spec.harvestSet { items.append(("set", set)) }
            return base + query(items)
        case .biorxiv, .medrxiv:
            let server = spec.kind.rawValue
            let path = "\(base)/details/\(server)/\(cursor.from ?? "")/\(cursor.until ?? "")/\(cursor.offset)"
            guard let category = spec.categories.first else { return path }
            return path + query([("category", category)])
        }
    }

    /// The cursor after a page was read, or nil when that page was the last.
    public static func advance(_ spec: SourceSpec, _ cursor: HarvestCursor, page: ParsedFeed) -> HarvestCursor? {
        guard spec.kind.isPaged else { return nil }
        let records = page.records ?? (page.papers.count + page.rejections.count)
        var next = cursor
        next.fetched += records
        switch spec.kind {
        case .arxivOAI:
            guard let token = page.resumptionToken else { return nil }
            next.token = token
            return next
        case .arxivAPI:
            next.offset += records
            let limit = spec.limit ?? (cursor.from == nil && spec.ids.isEmpty ? defaultLimitWithoutWindow : Int.max)
            if records == 0 || next.fetched >= limit { return nil }
            if let total = page.totalResults, next.offset >= total { return nil }
            return next
        case .biorxiv, .medrxiv:
            next.offset += records
            if records == 0 { return nil }
            if let total = page.totalResults, next.offset >= total { return nil }
            return next
        default:
            return nil
        }
    }

    /// The watermark a complete harvest leaves: the end of its window (today for an open-ended one).
    public static func watermark(_ cursor: HarvestCursor, today: FeedDay) -> String {
        cursor.until ?? today.description
    }

    static func pageSize(_ spec: SourceSpec) -> Int { spec.pageSize ?? 100 }

    private static func query(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves '+' and ':' as they are; arXiv reads '+' as a space, so spell it out.
        let encoded = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        return "?" + encoded
    }
}
