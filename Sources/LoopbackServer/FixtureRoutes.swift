import Foundation

/// Answers as the real sources do, from the recorded responses in `Fixtures/`: the arXiv API (by
/// `index.tsv`), arXiv RSS, arXiv OAI-PMH (resumption tokens), the bioRxiv/medRxiv details API and a Nature
/// feed. Single-document feeds carry an ETag and Last-Modified and answer a matching conditional GET with 304.
public struct FixtureRoutes: Sendable {
    public let root: URL
    private let arxivAPI: [String: (file: String, status: Int)]

    /// `root` is the package's `Fixtures/` folder.
    public init(root: URL) throws {
        self.root = root
        var table: [String: (String, Int)] = [:]
        let index = try String(contentsOf: root.appendingPathComponent("arxiv-api/index.tsv"), encoding: .utf8)
        for line in index.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let status = Int(fields[1]), let url = URLComponents(string: String(fields[2])) else { continue }
            var query: [String: String] = [:]
            for item in url.queryItems ?? [] { query[item.name] = item.value ?? "" }
            table[Self.arxivKey(query)] = (String(fields[0]), status)
        }
        arxivAPI = table
    }

    /// The arXiv API pages are told apart by query, ids and page; sort order and date windows are not part
    /// of the recording, so they are not part of the key.
    static func arxivKey(_ query: [String: String]) -> String {
        var search = query["search_query"] ?? ""
        if let window = search.range(of: " AND submittedDate:") { search = String(search[..<window.lowerBound]) }
        if search.hasPrefix("("), search.hasSuffix(")") { search = String(search.dropFirst().dropLast()) }
        return [search, query["id_list"] ?? "", query["start"] ?? "0", query["max_results"] ?? "10"].joined(separator: "|")
    }

    public func answer(_ request: LoopbackServer.Request) -> LoopbackServer.Action {
        let path = request.path
        if path.hasSuffix("/api/query") {
            guard let (name, status) = arxivAPI[Self.arxivKey(request.query)] else { return notFound(request) }
            return file("arxiv-api/" + name, status: status, type: "application/atom+xml; charset=utf-8", request: request, validators: false)
        }
        if path.hasSuffix("/oai") {
            if let token = request.query["resumptionToken"] {
                guard token.hasPrefix("seeds|"), let n = Int(token.dropFirst(6)), n % 8 == 0 else {
                    return .respond(status: 200, headers: [("Content-Type", "text/xml")], body: Data("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-06-19T20:00:00Z</responseDate>\
                        <request verb="ListRecords">https://oaipmh.arxiv.org/oai</request>\
                        <error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error></OAI-PMH>
                        """.utf8))
                }
                return file("arxiv-oai/seeds-page\(n / 8).xml", status: 200, type: "text/xml", request: request, validators: false)
            }
            if request.query["set"] == "physics:astro-ph" {
                return file("arxiv-oai/listrecords-astro-ph-2013-04-03.xml", status: 200, type: "text/xml", request: request, validators: false)
            }
            return file("arxiv-oai/seeds-page0.xml", status: 200, type: "text/xml", request: request, validators: false)
        }
        if path.contains("/details/biorxiv/") {
            return file("biorxiv/details-page0.json", status: 200, type: "application/json", request: request, validators: false)
        }
        if path.contains("/details/medrxiv/") {
            return file("medrxiv/details-page0.json", status: 200, type: "application/json", request: request, validators: false)
        }
        if path.hasSuffix(".rss") {
            return file("nature/nature.rss", status: 200, type: "application/rss+xml", request: request, validators: true)
        }
        if path.contains("/rss/") {
            let feed = path.components(separatedBy: "/rss/").last ?? ""
            return file("arxiv-rss/\(feed).xml", status: 200, type: "application/rss+xml", request: request, validators: true)
        }
        return notFound(request)
    }

    /// The bytes of a fixture file (for tests that serve them their own way).
    public func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relativePath))
    }

    private func file(_ relative: String, status: Int, type: String, request: LoopbackServer.Request, validators: Bool) -> LoopbackServer.Action {
        guard let body = try? data(relative) else { return notFound(request) }
        guard validators else { return .respond(status: status, headers: [("Content-Type", type)], body: body) }
        // A strong validator from the content, and a fixed date: the same file always validates the same.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let etag = "\"\(String(hash, radix: 16))\""
        let modified = "Tue, 16 Jun 2026 04:00:00 GMT"
        let headers = [("Content-Type", type), ("ETag", etag), ("Last-Modified", modified)]
        if request.headers["if-none-match"] == etag { return .respond(status: 304, headers: headers, body: Data()) }
        return .respond(status: status, headers: headers, body: body)
    }

    private func notFound(_ request: LoopbackServer.Request) -> LoopbackServer.Action {
        .respond(status: 404, headers: [("Content-Type", "text/plain")], body: Data("no fixture for \(request.target)\n".utf8))
    }
}
