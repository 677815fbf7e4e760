import Foundation
import HubCore
import HubFeeds

/// A reference from a user's own library export (Zotero, Mendeley): what it can be matched by.
public struct SeedReference: Sendable, Hashable {
    public var doi: String?
    public var arxivID: String?
    public var title: String?
    /// Where it was in the file, for messages.
    public var location: String

    public init(doi: String? = nil, arxivID: String? = nil, title: String? = nil, location: String) {
        (self.doi, self.arxivID, self.title, self.location) = (doi, arxivID, title, location)
    }
}

/// Reads BibTeX (`.bib`), RIS (`.ris`) and CSL-JSON (`.json`) exports. An entry with neither DOI, arXiv id
/// nor title, or one that cannot be read, is reported and skipped; the rest are returned.
public enum SeedFile {
    /// Why a file that `FileManager` could not read is unreadable, said for a message.
    public static func whyUnreadable(_ path: String) -> String {
        var folder: ObjCBool = false
        return !FileManager.default.fileExists(atPath: path, isDirectory: &folder) ? "there is no such file"
            : folder.boolValue ? "it is a folder" : "it cannot be read (permissions)"
    }

    public static func read(_ path: String) throws -> (references: [SeedReference], problems: [String]) {
        guard let raw = FileManager.default.contents(atPath: path) else {
            throw HubError("cannot read the seed file \(path): \(whyUnreadable(path))")
        }
        // A byte-order mark (RIS from Windows tools has one) or UTF-16 would hide the first tag.
        let data = FeedParser.utf8(raw)
        let text = String(decoding: data, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = URL(fileURLWithPath: path).lastPathComponent
        if path.lowercased().hasSuffix(".json") || trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
            // A radar's own export is a radar to import, not a list of references.
            struct Kind: Decodable { var format: String? }
            if (try? JSONDecoder().decode(Kind.self, from: data))?.format == "academichub-radar" {
                throw HubError("\(path) is a radar export, not a reference list: `ahub radar import \(path)` makes the radar it holds")
            }
            return try cslJSON(data, name: name)
        }
        if path.lowercased().hasSuffix(".ris") || isRIS(trimmed) { return ris(text, name: name) }
        if path.lowercased().hasSuffix(".bib") || isBibTeX(trimmed) { return bibtex(text, name: name) }
        throw HubError("\(path): not a BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) export")
    }

    /// Text (trimmed) that opens as RIS does: a `TY  - ` tag first.
    static func isRIS(_ trimmed: String) -> Bool { risLine(String(trimmed.prefix { !$0.isNewline }))?.tag == "TY" }

    /// Text (trimmed) that opens as BibTeX does: an `@` entry first.
    static func isBibTeX(_ trimmed: String) -> Bool { trimmed.hasPrefix("@") }

    /// A reference from its fields, or a problem when nothing identifies it.
    /// `mentions`: fields that may name the arXiv paper in passing, as Google Scholar writes its journal
    /// (`arXiv preprint arXiv:2312.06056`) and people a note (`arXiv:2312.06056`).
    static func reference(doi: String?, eprint: String?, url: String?, title: String?, mentions: [String?] = [],
                          location: String) -> Result<SeedReference, HubError> {
        // A DOI may come as the URL alone (`https://doi.org/…`); arXiv's own DOI names the arXiv paper.
        let doi = (doi ?? url).flatMap { PaperKey.normalizeDOI($0) }
        var arxiv = eprint.flatMap { ArxivID($0)?.base }
        if arxiv == nil, let url, url.contains("arxiv.org") { arxiv = ArxivID(url)?.base }
        if arxiv == nil, let doi { arxiv = ArxivID(doi)?.base }
        if arxiv == nil { arxiv = mentions.lazy.compactMap { $0.flatMap(arxivMention) }.first }
        // An arXiv address in a note or `howpublished = {\url{https://arxiv.org/pdf/…}}`, as Google Scholar and
        // many .bib files write a preprint.
        if arxiv == nil { arxiv = mentions.lazy.compactMap { $0.flatMap(arxivAddress) }.first }
        // Braces (BibTeX) and rich-text tags (CSL-JSON from Zotero: `<i>…</i>`) are not part of the title; its
        // character references (`&amp;`) are the characters they name.
        let title = title.map { FeedParser.decodingEntities($0.replacingOccurrences(of: #"</?(i|b|sup|sub|sc|span)(\s[^>]*)?>"#, with: "", options: [.regularExpression, .caseInsensitive]))
            .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ") }.flatMap { $0.isEmpty ? nil : $0 }
        guard doi != nil || arxiv != nil || title != nil else {
            return .failure(HubError("\(location): no DOI, arXiv id or title; skipped"))
        }
        return .success(SeedReference(doi: doi, arxivID: arxiv, title: title, location: location))
    }

    /// The arXiv id of an arXiv address in a text (`arxiv.org/abs/ID`, `/pdf/ID.pdf`, `/html/ID`).
    static func arxivAddress(_ text: String) -> String? {
        text.split { $0.isWhitespace || $0 == "," || $0 == ";" }.lazy.filter { $0.contains("arxiv.org/") }
            .compactMap { ArxivID(String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".)]")))?.base }.first
    }

    /// The arXiv id a text names as `arXiv:ID` (the prefix in any case, blanks after the colon allowed).
    static func arxivMention(_ text: String) -> String? {
        guard let match = text.firstMatch(of: /(?i)arxiv:\s*([^\s,;]+)/) else { return nil }
        return ArxivID(String(match.1).trimmingCharacters(in: CharacterSet(charactersIn: ".)]")))?.base
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
        // Invalid UTF-8 (a stray Latin-1 byte in one note) is repaired, as in feeds, not a reason to refuse
        // the file.
        let repaired = Data(String(decoding: data, as: UTF8.self).utf8)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: repaired)
        } catch {
            throw HubError("\(name): not valid JSON (a CSL-JSON export is an array of items): \(JSONValue.syntaxProblem(error, in: repaired))")
        }
        // An array of items, as Zotero and Mendeley export it; an object holding one under "items" (as
        // citeproc-js takes them); or one item alone.
        if let wrapper = object as? [String: Any], let held = wrapper["items"], !(held is [Any]) {
            throw HubError("\(name): \"items\" is not a list of CSL-JSON items")
        }
        let items = object as? [Any] ?? ((object as? [String: Any])?["items"] as? [Any]) ?? [object]
        return collect(items.enumerated().map { index, item in
            guard let item = item as? [String: Any] else { return .failure(HubError("\(name): item \(index + 1) is not an object; skipped")) }
            // A field of the wrong kind is said as such, not as a field missing.
            if let wrong = ["DOI", "URL", "title", "arxiv"].first(where: { item[$0] != nil && !(item[$0] is String) }) {
                return .failure(HubError("\(name): item \(index + 1): its \(wrong) is not text; skipped"))
            }
            let eprint = (item["arxiv"] as? String) ?? (item["number"] as? String).flatMap { ArxivID($0) != nil ? $0 : nil }
            return reference(doi: item["DOI"] as? String, eprint: eprint, url: item["URL"] as? String, title: item["title"] as? String,
                             mentions: [item["container-title"] as? String, item["note"] as? String], location: "\(name): item \(index + 1)")
        })
    }

    static func ris(_ text: String, name: String) -> ([SeedReference], [String]) {
        var results: [Result<SeedReference, HubError>] = []
        var fields: [String: String] = [:]
        var start = 0
        var open = false
        var last: String?  // the tag a line without one continues (a title wrapped onto the next line)
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(raw)
            guard let (tag, value) = risLine(line) else {
                let more = line.trimmingCharacters(in: .whitespaces)
                if open, let last, !more.isEmpty, let before = fields[last] { fields[last] = before + " " + more }
                continue
            }
            last = nil
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
                                         mentions: ["JO", "JF", "T2", "N1"].map { fields[$0] }, location: "\(name): line \(start)"))
                (fields, open) = ([:], false)
                continue
            }
            if open, fields[tag] == nil { (fields[tag], last) = (value, tag) }
        }
        if open { results.append(.failure(HubError("\(name): line \(start): record not closed by ER at the end of the file; skipped"))) }
        return collect(results)
    }

    /// An RIS line's tag (upper-cased) and value: `TI  - Title` as the format writes it, and as tools and hands
    /// also do, `TI - Title` or `ti  - Title`; nil for a line without a tag.
    static func risLine(_ line: String) -> (tag: String, value: String)? {
        let chars = Array(line)
        guard chars.count >= 4, chars[0].isASCII, chars[0].isLetter, chars[1].isASCII, chars[1].isLetter || chars[1].isNumber else { return nil }
        var i = 2
        while i < chars.count, i < 4, chars[i] == " " { i += 1 }
        guard i > 2, i < chars.count, chars[i] == "-", i + 1 == chars.count || chars[i + 1] == " " else { return nil }
        return (String(chars[0...1]).uppercased(), String(chars[(i + 1)...]).trimmingCharacters(in: .whitespaces))
    }

    /// BibTeX entries: `@type{key, field = {value} | "value" | number, …}`, braces nested; `@comment`,
    /// `@string` and `@preamble` are not references.
    static func bibtex(_ text: String, name: String) -> ([SeedReference], [String]) {
        let chars = Array(text.unicodeScalars)
        var results: [Result<SeedReference, HubError>] = []
        var strings: [String: String] = [:]  // @string abbreviations, by lower-cased name
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
                // A line that starts a new entry ends one never closed: the rest of the file is read on. Inside
                // a field's braces such a line may be the field's own text (an abstract quoting BibTeX): it
                // is, when the entry still closes after it.
                if chars[i] == "\n", startsEntry(chars, after: i),
                   depth == 1 || !closes(chars, from: i, depth: depth, close: close) { break }
                depth += nesting(chars[i], close: close)
                if depth > 0 { body.unicodeScalars.append(chars[i]) }
                advance()
            }
            let kind = type.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if kind == "string", depth == 0 {
                strings.merge(bibtexFields(body, strings: strings, keyed: false)) { _, new in new }
                continue
            }
            if ["comment", "string", "preamble"].contains(kind) { continue }
            guard depth == 0 else {
                let end = i < chars.count ? "before the entry at line \(line + 1)" : "at the end of the file"
                results.append(.failure(HubError("\(name): line \(entryLine): entry not closed \(end); skipped")))
                continue
            }
            // Identifiers keep their characters (a URL's `~`, a DOI's `--`); only escapes and braces go.
            let raw = bibtexFields(body, strings: strings)
            let fields = raw.mapValues { value in
                value.replacing(/\\([_%&#$])/) { String($0.1) }.filter { $0 != "{" && $0 != "}" }
            }
            results.append(reference(doi: fields["doi"], eprint: fields["eprint"] ?? fields["arxivid"], url: fields["url"],
                                     title: raw["title"].map(latexText),
                                     mentions: ["journal", "journaltitle", "note", "howpublished"].map { fields[$0] },
                                     location: "\(name): line \(entryLine)"))
        }
        return collect(results)
    }

    /// Whether an entry open to `depth` at `index` comes back to depth 0 before the end of the text, looking no
    /// further than `closesWithin` characters (no entry is that long; a file of many broken entries would
    /// otherwise be read to its end once for each).
    static func closes(_ chars: [Unicode.Scalar], from index: Int, depth: Int, close: Unicode.Scalar) -> Bool {
        var depth = depth
        for c in chars[index..<min(chars.count, index + closesWithin)] {
            depth += nesting(c, close: close)
            if depth == 0 { return true }
        }
        return false
    }

    /// What a character does to the nesting of an entry closed by `close`: braces always count, parentheses
    /// too in an `@type(…)` entry.
    static func nesting(_ c: Unicode.Scalar, close: Unicode.Scalar) -> Int {
        if c == "{" || (close == ")" && c == "(") { return 1 }
        if c == "}" || (close == ")" && c == ")") { return -1 }
        return 0
    }

    static let closesWithin = 20_000

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

    /// `key, name = value, …` → lower-cased names and their values without the outer braces or quotes. A
    /// value may be parts joined by `#`: `{…}`, `"…"`, numbers and `@string` abbreviations. Without `keyed`
    /// the body has no leading key (an `@string`).
    static func bibtexFields(_ body: String, strings: [String: String] = [:], keyed: Bool = true) -> [String: String] {
        var fields: [String: String] = [:]
        let chars = Array(body.unicodeScalars)
        var i = 0
        if keyed {
            guard let comma = chars.firstIndex(of: ",") else { return [:] }
            i = comma + 1
        }
        func skipBlanks() { while i < chars.count, chars[i].properties.isWhitespace { i += 1 } }
        // One part of a value, `i` on its first character.
        func part() -> String {
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
                return value
            }
            while i < chars.count, chars[i] != ",", chars[i] != "#", !chars[i].properties.isWhitespace {
                value.unicodeScalars.append(chars[i])
                i += 1
            }
            return strings[value.lowercased()] ?? value
        }
        while i < chars.count {
            var name = ""
            while i < chars.count, chars[i] != "=" { name.unicodeScalars.append(chars[i]); i += 1 }
            i += 1
            skipBlanks()
            guard i < chars.count else { break }
            var value = part()
            while true {
                skipBlanks()
                guard i < chars.count, chars[i] == "#" else { break }
                i += 1
                skipBlanks()
                guard i < chars.count else { break }
                value += part()
            }
            while i < chars.count, chars[i] != "," { i += 1 }
            i += 1
            let key = name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if !key.isEmpty { fields[key] = value.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return fields
    }

    /// BibTeX's LaTeX as the text it prints: `\&` → &, `{\"o}` and `\"{o}` → ö, `\c{c}` → ç, `\ss` → ß,
    /// `$\omega$` and `{\textomega}` → ω, `--` → –, `~` → a space, `\emph{x}` → x, braces dropped (Zotero, JabRef and Google Scholar
    /// write titles this way).
    static func latexText(_ text: String) -> String {
        guard text.contains(where: { "\\{}~-`'$".contains($0) }) else { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        // The letter an accent applies to: `x`, `{x}`, `\i`, `{\i}`; nil when none follows.
        func accentBase() -> String? {
            var j = i
            while j < chars.count, chars[j] == " " { j += 1 }
            var braced = false
            if j < chars.count, chars[j] == "{" { braced = true; j += 1 }
            guard j < chars.count else { return nil }
            var base: String
            if chars[j] == "\\", j + 1 < chars.count, chars[j + 1] == "i" || chars[j + 1] == "j" {
                base = String(chars[j + 1]); j += 2
                if !braced, j < chars.count, chars[j] == " " { j += 1 }  // a control word ends at its space
            } else if chars[j].isLetter {
                base = String(chars[j]); j += 1
            } else { return nil }
            if braced {
                while j < chars.count, chars[j] == " " { j += 1 }
                guard j < chars.count, chars[j] == "}" else { return nil }
                j += 1
            }
            i = j
            return base
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                guard i + 1 < chars.count else { i += 1; continue }
                let next = chars[i + 1]
                if "&%$#_{}".contains(next) { out.append(next); i += 2; continue }
                if let mark = Self.accentMarks[next], !next.isLetter {
                    i += 2
                    if let base = accentBase() { out += (base + String(mark)).precomposedStringWithCanonicalMapping }
                    continue
                }
                guard next.isLetter else { out.append(next); i += 2; continue }
                var j = i + 1, command = ""
                while j < chars.count, chars[j].isLetter { command.append(chars[j]); j += 1 }
                i = j
                if command.count == 1, let mark = Self.accentMarks[command.first!], let base = accentBase() {
                    out += (base + String(mark)).precomposedStringWithCanonicalMapping
                } else if let letter = Self.latexLetters[command] ?? FeedParser.greekLetter(latex: command) {
                    out += letter
                    if i < chars.count, chars[i] == " " { i += 1 }  // `\ss l` is ßl
                }
                // Any other command (\emph, \textit, \mathrm…) is dropped; its argument stays.
            case "{", "}", "$":
                i += 1
            case "~":
                out.append(" "); i += 1
            case "-" where i + 1 < chars.count && chars[i + 1] == "-":
                let em = i + 2 < chars.count && chars[i + 2] == "-"
                out += em ? "—" : "–"
                i += em ? 3 : 2
            case "`" where i + 1 < chars.count && chars[i + 1] == "`":
                out += "“"; i += 2
            case "'" where i + 1 < chars.count && chars[i + 1] == "'":
                out += "”"; i += 2
            default:
                out.append(c); i += 1
            }
        }
        return out.precomposedStringWithCanonicalMapping
    }

    /// LaTeX accent commands and the combining marks they put on a letter.
    static let accentMarks: [Character: Character] = [
        "`": "\u{300}", "'": "\u{301}", "^": "\u{302}", "~": "\u{303}", "=": "\u{304}", "u": "\u{306}", ".": "\u{307}",
        "\"": "\u{308}", "r": "\u{30A}", "H": "\u{30B}", "v": "\u{30C}", "d": "\u{323}", "c": "\u{327}", "k": "\u{328}",
        "b": "\u{331}",
    ]

    /// LaTeX commands that stand for a letter or a sign.
    static let latexLetters: [String: String] = [
        "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł",
        "L": "Ł", "i": "ı", "j": "ȷ", "textendash": "–", "textemdash": "—", "textquoteright": "’",
        "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”", "textunderscore": "_",
        "textasciitilde": "~", "textbackslash": "\\", "S": "§", "P": "¶", "copyright": "©", "pounds": "£",
        "dots": "…", "ldots": "…", "textellipsis": "…",
    ]
}

extension Hub {
    /// The library's paper for a reference: by DOI, then arXiv id, then title (`papersTitled`); nil when none
    /// or more than one paper has the title.
    func paperID(for reference: SeedReference) throws -> Int64? {
        let ids = try papers(for: reference)
        return ids.count == 1 ? ids[0] : nil
    }

    /// The papers a reference names: its DOI's or arXiv id's paper, else those its title names.
    func papers(for reference: SeedReference) throws -> [Int64] {
        // A DOI copied with the sentence's full stop after it, or percent-encoded, as `show` takes a key.
        if let doi = reference.doi, let id = try store.paperID(doi: doi) ?? Self.cleanedKey(doi).flatMap({ try store.paperID(doi: $0) }) {
            return [id]
        }
        if let arxiv = reference.arxivID {
            let key = PaperKey(rawValue: "arxiv:" + arxiv)
            if let id = try store.ids(for: [key])[key] { return [id] }
        }
        // A title two papers share ("Editorial Board", "Preface") names neither: rating or seeding one of them
        // at random would be worse than saying so (`sharedTitle`).
        return try reference.title.map(papersTitled) ?? []
    }

    /// The papers `title` names (six at most): those with that title, case aside; when none has it, those with
    /// the same title written another way (accents, dashes, quotes, punctuation, spacing, Traditional
    /// characters): among the papers whose titles best match its words, each equal to it in letters and digits
    /// alone. A loose match needs a title long enough to single a paper out: 12 letters, or 5 Chinese
    /// characters (a word is two or three).
    func papersTitled(_ title: String) throws -> [Int64] {
        // SQLite reads a bound text up to its first NUL: `Title\0junk` would name the paper titled "Title".
        if title.utf8.contains(0) { return [] }
        let exact = try store.paperIDs(title: title, limit: 6)
        if !exact.isEmpty { return exact }
        let loose = looseTitle(title)
        let chinese = loose.unicodeScalars.filter(\.properties.isIdeographic).count
        guard loose.count >= 12 || chinese >= 5 else { return [] }
        let query = analyzers.with { QueryParser(analyzer: $0).plain(title) }
        let ranked = try ranking(query, text: title, mode: .keyword, depth: 20).ranked
        let rows = Dictionary(try store.featureRows(ranked.map(\.id)).map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        return Array(ranked.filter { rows[$0.id].map(looseTitle) == loose }.map(\.id).prefix(6))
    }

    /// A title's letters and digits, lower-cased, without accents, its Chinese characters Simplified.
    func looseTitle(_ title: String) -> String {
        analyzers.with { $0.simplified(title) }.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .filter { $0.isLetter || $0.isNumber }
    }

    /// A seed file's papers in the library, by key; its entries that could not be read or name no single paper
    /// (`problems`), and those read whole but not in the library (`missing`: most of a large export, as a
    /// rule, which a terminal lists only in part). Each is a line saying where and why.
    public func seedFile(_ path: String) throws -> (keys: [String], problems: [String], missing: [String]) {
        let (references, read) = try SeedFile.read(path)
        guard !references.isEmpty || !read.isEmpty else {
            throw HubError("\(path): no entries in it (a BibTeX export holds @article{…} entries, RIS TY - … ER - records, CSL-JSON a list of items)")
        }
        var keys: [String] = [], problems = read, missing: [String] = []
        for reference in references {
            let ids = try papers(for: reference)
            if ids.count == 1, let key = try store.featureRows(ids).first?.key.rawValue {
                if !keys.contains(key) { keys.append(key) }
            } else if ids.count > 1, let title = reference.title, let shared = try sharedTitle(title, ids) {
                // (As `--seed` and a rating by title say it: "not in the library" would be untrue.)
                problems.append("\(reference.location): \(shared); skipped (seed one with --seed KEY)")
            } else {
                let what = reference.doi.map { "doi \($0)" } ?? reference.arxivID.map { "arXiv \($0)" } ?? "\"\(reference.title ?? "")\""
                missing.append("\(reference.location): \(what) is not in the library; skipped")
            }
        }
        // In file order (the entries read whole came after those that could not be read): by line or item.
        func place(_ line: String) -> Int {
            guard let match = line.range(of: #"(line|item) [0-9]+"#, options: .regularExpression) else { return .max }
            return Int(line[match].split(separator: " ")[1]) ?? .max
        }
        let ordered = problems.enumerated().sorted { (place($0.element), $0.offset) < (place($1.element), $1.offset) }.map(\.element)
        return (keys, ordered, missing)
    }
}
