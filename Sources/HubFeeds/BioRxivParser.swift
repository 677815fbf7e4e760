import Foundation
import HubCore

/// bioRxiv/medRxiv `api.biorxiv.org/details/<server>/<interval>/<cursor>` responses.
///
/// `{"messages": [{"status", "interval", "cursor", "count", "total", …}], "collection": [record, …]}`; the API
/// writes some counts as strings ("total": "109"), so both are read. Per record: the source is its `server`
/// lowercased; the key is the DOI (`doi:10.1101/…`), or `biorxiv:<slug of the title>` when the DOI is empty;
/// `authors` "Last, F.; Last, F." become ["F. Last", …]; `version` "1" makes `date` the first announcement,
/// a later version only this version's; a `published` journal DOI goes to `journalRef` as a doi.org link.
/// Titles and abstracts may carry HTML/JATS tags and entities, which are stripped.
///
/// A response cut short (a dropped connection) is not lost: when the whole does not parse, each complete
/// record of `collection` is parsed on its own and the cut one is rejected.
enum BioRxivParser {
    static func parse(_ data: Data, origin: String) throws(FeedError) -> ParsedFeed {
        var bytes = [UInt8](data)
        if !bytes.withUnsafeBytes(UTF8Repair.isValid) {
            bytes = bytes.withUnsafeBytes(UTF8Repair.repaired)
        }
        let defaultServer = origin.lowercased().contains("medrxiv") ? "medrxiv" : "biorxiv"
        var papers: [Paper] = []
        var rejections: [Rejection] = []

        if let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] {
            let records = object["collection"] as? [Any] ?? []
            for (index, record) in records.enumerated() {
                collect(.success(record), index: index, server: defaultServer, into: &papers, &rejections)
            }
            return ParsedFeed(format: .bioRxivJSON, papers: papers, rejections: rejections, totalResults: total(object["messages"]))
        }

        // Salvage: the document as a whole is broken.
        guard let salvage = JSONSalvage(bytes: bytes) else {
            throw FeedError(.unreadable, "\(origin): not valid JSON and no \"collection\" array found")
        }
        for (index, record) in salvage.collection.enumerated() {
            collect(record, index: index, server: defaultServer, into: &papers, &rejections)
        }
        return ParsedFeed(format: .bioRxivJSON, papers: papers, rejections: rejections, totalResults: total(salvage.messages))
    }

    private static func collect(
        _ record: Result<Any, RecordProblem>, index: Int, server: String,
        into papers: inout [Paper], _ rejections: inout [Rejection]
    ) {
        let location = "entry \(index + 1)"
        switch record.flatMap({ paper($0, defaultServer: server) }) {
        case .success(let paper): papers.append(paper)
        case .failure(let problem): rejections.append(Rejection(location: location, reason: problem.reason))
        }
    }

    /// `messages[0].total`, a number or a numeric string.
    private static func total(_ messages: Any?) -> Int? {
        guard let first = (messages as? [Any])?.first as? [String: Any] else { return nil }
        return JSONValue.int(first["total"])
    }

    static func paper(_ value: Any, defaultServer: String) -> Result<Paper, RecordProblem> {
        guard let record = value as? [String: Any] else { return .failure(RecordProblem("not a JSON object")) }
        let server = JSONValue.first(record, "server")?.lowercased() ?? defaultServer
        var draft = PaperDraft(source: server)
        draft.title = FeedText.fromHTML(JSONValue.string(record["title"]) ?? "")
        draft.abstract = FeedText.fromHTML(JSONValue.string(record["abstract"]) ?? "")
        draft.authors = AuthorNames.lastCommaFirst(JSONValue.string(record["authors"]) ?? "")
        if let category = JSONValue.first(record, "category") { draft.categories = [category] }
        let doi = JSONValue.first(record, "doi").flatMap(PaperKey.normalizeDOI)
        draft.doi = doi
        draft.nativeID = doi
        draft.version = JSONValue.first(record, "version")
        draft.announced = JSONValue.first(record, "date")
        if let doi {
            let host = server == "medrxiv" ? "www.medrxiv.org" : "www.biorxiv.org"
            draft.url = "https://\(host)/content/\(doi)" + (draft.version.map { "v\($0)" } ?? "")
        }
        if let published = JSONValue.first(record, "published"), published.uppercased() != "NA",
            let journalDOI = PaperKey.normalizeDOI(published)
        {
            draft.journalRef = "https://doi.org/\(journalDOI)"
        }
        return draft.build()
    }
}

/// Reads what it can of a JSON object that does not parse as a whole: the `messages` array and each complete
/// object of the `collection` array, found by a scan that respects strings and escapes.
struct JSONSalvage {
    var messages: Any?
    /// One element per object started in `collection`: its value, or why it could not be read.
    var collection: [Result<Any, RecordProblem>] = []

    init?(bytes: [UInt8]) {
        guard let collectionStart = JSONSalvage.arrayStart(after: "\"collection\"", in: bytes) else { return nil }
        if let messagesStart = JSONSalvage.arrayStart(after: "\"messages\"", in: bytes),
            let end = JSONSalvage.valueEnd(bytes, from: messagesStart)
        {
            messages = try? JSONSerialization.jsonObject(with: Data(bytes[messagesStart..<end]))
        }
        var i = collectionStart + 1
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x5D { break }  // "]"
            if b == 0x7B {  // "{"
                if let end = JSONSalvage.valueEnd(bytes, from: i) {
                    let record = Data(bytes[i..<end])
                    do {
                        collection.append(.success(try JSONSerialization.jsonObject(with: record)))
                    } catch {
                        collection.append(.failure(RecordProblem("invalid JSON: \(JSONValue.syntaxProblem(error, in: record))")))
                    }
                    i = end
                    continue
                }
                collection.append(.failure(RecordProblem("truncated: the response ends inside this record")))
                break
            }
            i += 1
        }
    }

    /// Index of the `[` that opens the value of `key`.
    private static func arrayStart(after key: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(key.utf8)
        guard bytes.count >= needle.count else { return nil }
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], Array(bytes[i..<(i + needle.count)]) == needle {
                var j = i + needle.count
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x0A || bytes[j] == 0x0D || bytes[j] == 0x09 || bytes[j] == 0x3A {
                    j += 1
                }
                if j < bytes.count, bytes[j] == 0x5B { return j }
            }
            i += 1
        }
        return nil
    }

    /// Index just past the object or array opening at `from`, or nil when the input ends first.
    private static func valueEnd(_ bytes: [UInt8], from: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        var i = from
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == 0x5C {
                    escaped = true
                } else if b == 0x22 {
                    inString = false
                }
            } else if b == 0x22 {
                inString = true
            } else if b == 0x7B || b == 0x5B {
                depth += 1
            } else if b == 0x7D || b == 0x5D {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }
}
