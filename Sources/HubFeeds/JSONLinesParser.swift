import Foundation
import HubCore

/// JSON Lines: one object per line, each line parsed alone so that a bad one is rejected with its number
/// and the rest imported. Blank lines are skipped.
///
/// Three layouts:
/// - our own export: a `Paper` as `JSONEncoder` writes it (has `key` and `nativeID`), alone or as `ahub show
///   --json` wraps it (under `paper`); the key is kept;
/// - the seed/digest layout and other objects with a title: `source` (lowercased), `category` or
///   `categories`, `date` (the announcement day), `title`, `abstract` (or `summary`/`text`), `authors`,
///   `arxiv_id`, `version`, `doi`, `id`, `url`; without a `source` the file's name is the source; CSL-JSON
///   items (Zotero, Mendeley) read the same way, with their `DOI`, `URL`, `container-title`, `issued` and
///   `author` (`family`, `given` or `literal`);
/// - BEIR corpora (``parseBEIR(_:origin:)``): `_id`, `title`, `text`.
///
/// Text is taken literally (no entity decoding), so an export re-imports unchanged. Invalid UTF-8 inside a
/// line is repaired (U+FFFD) and the line kept; a line whose JSON is broken is rejected.
enum JSONLinesParser {
    static func parse(_ data: Data, origin: String) -> ParsedFeed {
        let defaultSource = SourceName.fromOrigin(origin)
        let (papers, rejections) = forEachObject(data) { object in
            if object["key"] != nil, object["nativeID"] != nil { return exported(object) }
            // `ahub show --json` (and GET /api/papers/KEY): the paper inside its record.
            if object["title"] == nil, let paper = object["paper"] as? [String: Any], paper["key"] != nil, paper["nativeID"] != nil {
                return exported(paper)
            }
            return record(object, defaultSource: defaultSource)
        }
        return ParsedFeed(format: .jsonLines, papers: papers, rejections: rejections)
    }

    /// A BEIR `corpus.jsonl`: the collection is the folder holding the file (`…/scifact/corpus.jsonl` →
    /// `scifact`), each document `<collection>:<_id>`. BEIR documents may lack a title; only a document with
    /// neither title nor text is rejected.
    static func parseBEIR(_ data: Data, origin: String) -> ParsedFeed {
        let collection = beirCollection(origin)
        let (papers, rejections) = forEachObject(data) { object in
            guard let id = JSONValue.string(object["_id"]), !id.isEmpty else {
                return .failure(RecordProblem("no _id"))
            }
            var draft = PaperDraft(source: collection)
            draft.nativeID = id
            draft.keyFromAnnouncement = false
            draft.allowsEmptyTitle = true
            draft.fixedKey = PaperKey.canonical(arxivID: nil, doi: nil, source: collection, nativeID: id).rawValue
            draft.title = JSONValue.string(object["title"]) ?? ""
            draft.abstract = JSONValue.string(object["text"]) ?? ""
            return draft.build()
        }
        return ParsedFeed(format: .beirCorpus, papers: papers, rejections: rejections)
    }

    static func beirCollection(_ origin: String) -> String {
        let url = origin.contains("://") ? URL(string: origin) : URL(fileURLWithPath: origin)
        let folder = url?.deletingLastPathComponent().lastPathComponent ?? ""
        if folder.isEmpty || folder == "/" || folder == "." || folder == ".." { return SourceName.fromOrigin(origin) }
        return folder.lowercased()
    }

    // MARK: Layouts

    /// Our own export: the fields of `Paper`'s Codable form, read from the same parse of the line.
    static func exported(_ o: [String: Any]) -> Result<Paper, RecordProblem> {
        guard let source = JSONValue.string(o["source"]), !source.isEmpty else {
            return .failure(RecordProblem("no source"))
        }
        var draft = PaperDraft(source: source)
        draft.fixedKey = JSONValue.string(o["key"])
        draft.keyFromAnnouncement = false
        draft.nativeID = JSONValue.string(o["nativeID"])
        draft.version = JSONValue.string(o["version"])
        draft.title = JSONValue.string(o["title"]) ?? ""
        draft.abstract = JSONValue.string(o["abstract"]) ?? ""
        draft.authors = JSONValue.strings(o["authors"])
        draft.categories = JSONValue.strings(o["categories"])
        draft.published = JSONValue.string(o["published"])
        draft.updated = JSONValue.string(o["updated"])
        draft.doi = JSONValue.string(o["doi"])
        draft.url = JSONValue.string(o["url"])
        draft.announceType = JSONValue.string(o["announceType"])
        draft.journalRef = JSONValue.string(o["journalRef"])
        draft.comment = JSONValue.string(o["comment"])
        return draft.build()
    }

    /// The seed layout and anything else with a title.
    static func record(_ o: [String: Any], defaultSource: String) -> Result<Paper, RecordProblem> {
        guard o["title"] != nil else { return .failure(RecordProblem("no title field")) }
        // A title that is a list or an object is said as such, not as an empty title.
        guard let title = JSONValue.string(o["title"]) else { return .failure(RecordProblem("the title is \(JSONValue.kind(o["title"])), not text")) }
        var draft = PaperDraft(source: JSONValue.first(o, "source") ?? defaultSource)
        draft.title = title
        draft.abstract = JSONValue.first(o, "abstract", "summary", "text", "description") ?? ""
        // A CSL-JSON item (Zotero's, Mendeley's) writes rich text in its title and abstract: `<i>`, `<sup>`,
        // `<span class="nocase">`, entities. Read as text, as a feed's HTML is (it had been shown raw).
        if o["type"] is String, ["issued", "container-title", "DOI", "URL", "author"].contains(where: { o[$0] != nil }) {
            draft.title = FeedText.fromHTML(draft.title)
            draft.abstract = FeedText.fromHTML(draft.abstract)
        }
        draft.authors = AuthorNames.fromJSON(o["authors"] ?? o["author"])
        // A list, or one string naming several ("cs.LG, cs.AI"; "cs.LG; cs.AI").
        draft.categories = (o["categories"] != nil ? JSONValue.strings(o["categories"]) : JSONValue.strings(o["category"]))
            .flatMap { $0.split(whereSeparator: { $0 == "," || $0 == ";" }) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        draft.arxivID = JSONValue.first(o, "arxiv_id", "arxivID", "arxiv")
        draft.version = JSONValue.first(o, "version")
        // CSL-JSON (Zotero's and Mendeley's export) names these in capitals.
        draft.doi = JSONValue.first(o, "doi", "DOI")
        draft.nativeID = JSONValue.first(o, "id", "nativeID")
        draft.url = JSONValue.first(o, "url", "link", "URL")
        // An arXiv address names the paper as its id would (`https://arxiv.org/abs/2005.14124v2`): the same
        // key as the paper from arXiv's own feeds, not a second paper under its title.
        if draft.arxivID == nil, let url = draft.url, url.lowercased().contains("arxiv.org/"), ArxivID(url) != nil {
            draft.arxivID = url
        }
        draft.announceType = JSONValue.first(o, "announce_type", "announceType")
        draft.journalRef = JSONValue.first(o, "journal_ref", "journalRef", "container-title")
        draft.comment = JSONValue.first(o, "comment")
        if let updated = JSONValue.first(o, "updated") { draft.updated = updated }
        if let published = JSONValue.first(o, "published") ?? cslDay(o["issued"]) {
            draft.published = published
        } else {
            draft.announced = JSONValue.first(o, "date")
        }
        return draft.build()
    }

    /// CSL-JSON's `issued` as a day: `{"date-parts": [[2022, 3, 1]]}` (numbers or strings) or `{"raw": "2022-03-01"}`.
    /// A year or a month alone is no day, and is left out as any undated record's date is.
    static func cslDay(_ value: Any?) -> String? {
        guard let issued = value as? [String: Any] else { return nil }
        if let parts = (issued["date-parts"] as? [Any])?.first as? [Any], parts.count >= 3 {
            let numbers = parts.prefix(3).compactMap { JSONValue.string($0).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
            guard numbers.count == 3 else { return nil }
            return String(format: "%04d-%02d-%02d", numbers[0], numbers[1], numbers[2])
        }
        return JSONValue.string(issued["raw"]).flatMap { $0.count == 10 ? $0 : nil }
    }

    // MARK: Lines

    /// Calls `read` with each line's object; collects papers and rejections (`line N: …`).
    static func forEachObject(
        _ data: Data, _ read: ([String: Any]) -> Result<Paper, RecordProblem>
    ) -> (papers: [Paper], rejections: [Rejection]) {
        var papers: [Paper] = []
        var rejections: [Rejection] = []
        if let items = wholeDocument(data) {
            // One JSON document instead of lines: each record is read as a line would be, named by its place.
            switch items {
            case .success(let items):
                for (index, item) in items.enumerated() {
                    let location = "item \(index + 1)"
                    guard let object = item as? [String: Any] else {
                        rejections.append(Rejection(location: location, reason: "not a JSON object"))
                        continue
                    }
                    switch read(object) {
                    case .success(let paper): papers.append(paper)
                    case .failure(let problem): rejections.append(Rejection(location: location, reason: problem.reason))
                    }
                }
            case .failure(let problem):
                rejections.append(Rejection(location: "the file", reason: problem.reason))
            }
            return (papers, rejections)
        }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let n = raw.count
            guard n > 0, let base = raw.baseAddress else { return }
            var start = 0
            var lineNumber = 0
            while start < n {
                lineNumber += 1
                let end: Int
                if let p = memchr(base + start, 0x0A, n - start) {
                    end = base.distance(to: UnsafeRawPointer(p))
                } else {
                    end = n
                }
                var line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                start = end + 1
                // Trim ASCII whitespace (a "\r" of CRLF, indentation); skip blank lines.
                while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 {
                    line = UnsafeRawBufferPointer(rebasing: line.dropLast())
                }
                var indent = 0
                while let first = line.first, first == 0x20 || first == 0x09 || first == 0x0D {
                    line = UnsafeRawBufferPointer(rebasing: line.dropFirst())
                    indent += 1
                }
                if line.isEmpty { continue }
                let location = "line \(lineNumber)"
                switch object(line, indent: indent) {
                case .success(let object):
                    switch read(object) {
                    case .success(let paper): papers.append(paper)
                    case .failure(let problem): rejections.append(Rejection(location: location, reason: problem.reason))
                    }
                case .failure(let problem):
                    rejections.append(Rejection(location: location, reason: problem.reason))
                }
            }
        }
        return (papers, rejections)
    }

    /// The records of a file that is one JSON document rather than lines: an array of records (its first
    /// character, after a byte-order mark and whitespace, is `[`), or one record pretty-printed over several
    /// lines; nil for JSON Lines. An array whose JSON is broken is one problem: unlike lines, its records
    /// cannot be told apart.
    private static func wholeDocument(_ data: Data) -> Result<[Any], RecordProblem>? {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let first = bytes.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }).first
        // One record written over several lines (pretty-printed): the whole file is that record. Lines that
        // are each a record do not parse as one object, and are read line by line.
        if first == UInt8(ascii: "{"), let end = bytes.firstIndex(of: 0x0A),
           bytes[end...].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
           let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] {
            return .success([object])
        }
        guard first == UInt8(ascii: "[") else { return nil }
        let whole = Data(bytes)
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: whole)
        } catch {
            let repaired = whole.withUnsafeBytes { UTF8Repair.isValid($0) ? nil : Data(UTF8Repair.repaired($0)) }
            guard let repaired, let again = try? JSONSerialization.jsonObject(with: repaired) else {
                return .failure(RecordProblem("invalid JSON (a JSON array of records, read whole): \(JSONValue.syntaxProblem(error, in: whole))"))
            }
            value = again
        }
        // RFC 8259 has no comma before a closing bracket; Foundation takes one, other readers of the file would not.
        if let comma = whole.withUnsafeBytes(JSONValue.trailingComma) {
            let (line, column) = JSONValue.lineAndColumn(of: whole.startIndex + comma, in: whole)
            return .failure(RecordProblem("invalid JSON (a JSON array of records, read whole): a comma before a closing bracket at "
                + JSONValue.place(line: line, column: column, in: whole)))
        }
        guard let records = value as? [Any] else { return .failure(RecordProblem("not a JSON array")) }
        return records.isEmpty ? .failure(RecordProblem("an empty JSON array: no records in it")) : .success(records)
    }

    /// One line's object (`indent`: the blanks trimmed before it, counted in the column an error is placed at).
    /// Invalid UTF-8 is repaired and the line parsed again before it is given up.
    private static func object(_ line: UnsafeRawBufferPointer, indent: Int) -> Result<[String: Any], RecordProblem> {
        let value: Any
        do {
            // A string, number or null alone is read, and refused below as no object (Foundation's own words for
            // it spoke of an option).
            value = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
        } catch {
            guard !UTF8Repair.isValid(line) else {
                return .failure(RecordProblem("invalid JSON: \(JSONValue.syntaxProblem(error, in: Data(line), columnsBefore: indent))"))
            }
            let repaired = Data(UTF8Repair.repaired(line))
            do {
                value = try JSONSerialization.jsonObject(with: repaired, options: [.fragmentsAllowed])
            } catch {
                return .failure(RecordProblem("invalid JSON: \(JSONValue.syntaxProblem(error, in: repaired, columnsBefore: indent))"))
            }
        }
        guard let object = value as? [String: Any] else {
            return .failure(RecordProblem("not a JSON object"))
        }
        if let comma = JSONValue.trailingComma(in: line) {
            let column = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<comma]), as: UTF8.self).count + 1
            return .failure(RecordProblem("invalid JSON: a comma before a closing bracket at column \(column + indent)"))
        }
        return .success(object)
    }
}
