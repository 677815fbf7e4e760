import Foundation
import HubCore

/// A reference from a user's own library export (Zotero, Mendeley): what it can be matched by.
public struct SeedReference: Sendable, Hashable {
    public var doi: String?
    public var arxivID: String?
    public var title: String?
    /// Where it was in the file, for messages.
    public var location: String
}

/// Reads BibTeX (`.bib`), RIS (`.ris`) and CSL-JSON (`.json`) exports. An entry with neither DOI, arXiv id
/// nor title, or one that cannot be read, is reported and skipped; the rest are returned.
public enum SeedFile {
    public static func read(_ path: String) throws -> (references: [SeedReference], problems: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw HubError("cannot read the seed file \(path)") }
        let text = String(decoding: data, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = URL(fileURLWithPath: path).lastPathComponent
        if path.lowercased().hasSuffix(".json") || trimmed.hasPrefix("[") || trimmed.hasPrefix("{") { return try cslJSON(data, name: name) }
        if path.lowercased().hasSuffix(".ris") || trimmed.hasPrefix("TY  -") { return ris(text, name: name) }
        if path.lowercased().hasSuffix(".bib") || trimmed.hasPrefix("@") { return bibtex(text, name: name) }
        throw HubError("\(path): not a BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) export")
    }

    /// A reference from its fields, or a problem when nothing identifies it.
    static func reference(doi: String?, eprint: String?, url: String?, title: String?, location: String) -> Result<SeedReference, HubError> {
        let doi = doi.flatMap { PaperKey.normalizeDOI($0) }
        var arxiv = eprint.flatMap { ArxivID($0)?.base }
        if arxiv == nil, let url, url.contains("arxiv.org") { arxiv = ArxivID(url)?.base }
        let title = title.map { $0.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ") }.flatMap { $0.isEmpty ? nil : $0 }
        guard doi != nil || arxiv != nil || title != nil else {
            return .failure(HubError("\(location): no DOI, arXiv id or title; skipped"))
        }
        return .success(SeedReference(doi: doi, arxivID: arxiv, title: title, location: location))
    }

    static func collect(_ results: [Result<SeedReference, HubError>]) -> ([SeedReference], [String]) {
        var references: [SeedReference] = [], problems: [String] = []
        for result in results {
            switch result {
            case .success(let reference): references.append(reference)
            case .failure(let error): problems.append(error.message)
            }
        }
        return (references, problems)
    }

    static func cslJSON(_ data: Data, name: String) throws -> ([SeedReference], [String]) {
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            throw HubError("\(name): not valid JSON (a CSL-JSON export is an array of items)")
        }
        let items = object as? [Any] ?? [object]
        return collect(items.enumerated().map { index, item in
            guard let item = item as? [String: Any] else { return .failure(HubError("\(name): item \(index + 1) is not an object; skipped")) }
            let eprint = (item["arxiv"] as? String) ?? (item["number"] as? String).flatMap { ArxivID($0) != nil ? $0 : nil }
            return reference(doi: item["DOI"] as? String, eprint: eprint, url: item["URL"] as? String, title: item["title"] as? String,
                             location: "\(name): item \(index + 1)")
        })
    }

    static func ris(_ text: String, name: String) -> ([SeedReference], [String]) {
        var results: [Result<SeedReference, HubError>] = []
        var fields: [String: String] = [:]
        var start = 0
        var open = false
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(raw)
            guard line.count >= 5, line.dropFirst(2).hasPrefix("  -") else { continue }
            let tag = String(line.prefix(2)), value = String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces)
            if tag == "TY" {
                if open { results.append(.failure(HubError("\(name): line \(start): record not closed by ER before the next TY; skipped"))) }
                (fields, start, open) = ([:], n + 1, true)
                continue
            }
            if tag == "ER" {
                guard open else {
                    results.append(.failure(HubError("\(name): line \(n + 1): ER without a TY before it; skipped")))
                    continue
                }
                results.append(reference(doi: fields["DO"], eprint: nil, url: fields["UR"], title: fields["TI"] ?? fields["T1"],
                                         location: "\(name): line \(start)"))
                (fields, open) = ([:], false)
                continue
            }
            if open, fields[tag] == nil { fields[tag] = value }
        }
        if open { results.append(.failure(HubError("\(name): line \(start): record not closed by ER at the end of the file; skipped"))) }
        return collect(results)
    }

    /// BibTeX entries: `@type{key, field = {value} | "value" | number, …}`, braces nested; `@comment`,
    /// `@string` and `@preamble` are not references.
    static func bibtex(_ text: String, name: String) -> ([SeedReference], [String]) {
        let chars = Array(text.unicodeScalars)
        var results: [Result<SeedReference, HubError>] = []
        var i = 0
        var line = 1
        func advance() { if chars[i] == "\n" { line += 1 }; i += 1 }
        while i < chars.count {
            guard chars[i] == "@" else { advance(); continue }
            let entryLine = line
            advance()
            var type = ""
            while i < chars.count, chars[i] != "{", chars[i] != "(" { type.unicodeScalars.append(chars[i]); advance() }
            guard i < chars.count else { break }
            // The entry's body up to its matching close.
            let close: Unicode.Scalar = chars[i] == "{" ? "}" : ")"
            advance()
            var depth = 1, body = ""
            while i < chars.count, depth > 0 {
                // A line that starts a new entry ends one never closed: the rest of the file is read on.
                if chars[i] == "\n", startsEntry(chars, after: i) { break }
                if chars[i] == "{" || (close == ")" && chars[i] == "(") { depth += 1 }
                if chars[i] == "}" || (close == ")" && chars[i] == ")") { depth -= 1 }
                if depth > 0 { body.unicodeScalars.append(chars[i]) }
                advance()
            }
            let kind = type.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if ["comment", "string", "preamble"].contains(kind) { continue }
            guard depth == 0 else {
                let end = i < chars.count ? "before the entry at line \(line + 1)" : "at the end of the file"
                results.append(.failure(HubError("\(name): line \(entryLine): entry not closed \(end); skipped")))
                continue
            }
            let fields = bibtexFields(body)
            results.append(reference(doi: fields["doi"], eprint: fields["eprint"] ?? fields["arxivid"], url: fields["url"],
                                     title: fields["title"], location: "\(name): line \(entryLine)"))
        }
        return collect(results)
    }

    /// Whether the line after the newline at `index` starts an entry: `@type{` or `@type(` after blanks.
    static func startsEntry(_ chars: [Unicode.Scalar], after index: Int) -> Bool {
        var j = index + 1
        while j < chars.count, chars[j] == " " || chars[j] == "\t" || chars[j] == "\r" { j += 1 }
        guard j < chars.count, chars[j] == "@" else { return false }
        j += 1
        let letters = j
        while j < chars.count, chars[j].properties.isAlphabetic { j += 1 }
        while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
        return j > letters && j < chars.count && (chars[j] == "{" || chars[j] == "(")
    }

    /// `key, name = value, …` → lower-cased names and their values without the outer braces or quotes.
    static func bibtexFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        let chars = Array(body.unicodeScalars)
        guard var i = chars.firstIndex(of: ",") else { return [:] }
        i += 1
        while i < chars.count {
            var name = ""
            while i < chars.count, chars[i] != "=" { name.unicodeScalars.append(chars[i]); i += 1 }
            i += 1
            while i < chars.count, chars[i] == " " || chars[i] == "\n" || chars[i] == "\t" || chars[i] == "\r" { i += 1 }
            guard i < chars.count else { break }
            var value = ""
            if chars[i] == "{" || chars[i] == "\"" {
                let quote = chars[i] == "\""
                var depth = 0
                i += 1
                while i < chars.count {
                    if chars[i] == "{" { depth += 1 }
                    if chars[i] == "}" { if depth == 0 && !quote { break }; depth -= 1 }
                    if quote, chars[i] == "\"", depth == 0 { break }
                    value.unicodeScalars.append(chars[i])
                    i += 1
                }
                i += 1
            } else {
                while i < chars.count, chars[i] != "," { value.unicodeScalars.append(chars[i]); i += 1 }
            }
            while i < chars.count, chars[i] != "," { i += 1 }
            i += 1
            let key = name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if !key.isEmpty { fields[key] = value.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return fields
    }
}

extension Hub {
    /// The library's paper for a reference: by DOI, then arXiv id, then exact title (case aside).
    func paperID(for reference: SeedReference) throws -> Int64? {
        if let doi = reference.doi, let id = try store.paperID(doi: doi) { return id }
        if let arxiv = reference.arxivID {
            let key = PaperKey(rawValue: "arxiv:" + arxiv)
            if let id = try store.ids(for: [key])[key] { return id }
        }
        if let title = reference.title { return try store.paperID(title: title) }
        return nil
    }

    /// Seeds from an export of the user's library: the keys matched, and a line for each entry skipped
    /// (unreadable, or not in the archive).
    public func seeds(fromFile path: String) throws -> (keys: [String], skipped: [String]) {
        let (references, problems) = try SeedFile.read(path)
        var keys: [String] = [], skipped = problems
        for reference in references {
            if let id = try paperID(for: reference), let key = try store.featureRows([id]).first?.key.rawValue {
                if !keys.contains(key) { keys.append(key) }
            } else {
                let what = reference.doi.map { "doi \($0)" } ?? reference.arxivID.map { "arXiv \($0)" } ?? "\"\(reference.title ?? "")\""
                skipped.append("\(reference.location): \(what) is not in the library; skipped")
            }
        }
        return (keys, skipped)
    }
}
