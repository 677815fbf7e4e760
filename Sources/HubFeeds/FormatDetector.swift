import Foundation

/// Tells formats apart by what the content says about itself within its first 64 KB.
///
/// XML: the root element (`feed`, `rss`, `rdf:RDF`) and the namespaces or hosts it declares (arXiv's
/// `arxiv.org/schemas/atom`, `rss.arxiv.org`, `nature.com`). JSON: a bioRxiv response is one object with
/// `messages` and `collection`; anything else that opens with an object is JSON Lines, a BEIR corpus when
/// its first record has `_id` and a `title` or a `text`.
enum FormatDetector {
    static let window = 64 * 1024

    static func detect(_ data: Data) -> FeedFormat? {
        let head = headText(data)
        guard let first = head.first else { return nil }
        if first == "<" { return detectXML(head) }
        if first == "{" { return detectJSON(head, whole: data.count <= window) }
        // A JSON array of records (what many tools write instead of JSON Lines): read as its lines would be.
        if first == "[", head.dropFirst().drop(while: { $0.isWhitespace }).first.map({ $0 == "{" || $0 == "]" }) ?? true { return .jsonLines }
        return nil
    }

    /// The window as text, BOM and leading whitespace dropped. Invalid UTF-8 becomes U+FFFD, which is
    /// harmless to the markers looked for.
    private static func headText(_ data: Data) -> Substring {
        let text = String(decoding: data.prefix(window), as: UTF8.self)
        var s = Substring(text)
        if s.hasPrefix("\u{FEFF}") { s = s.dropFirst() }
        return s.drop(while: { $0.isWhitespace })
    }

    // MARK: XML

    private static func detectXML(_ head: Substring) -> FeedFormat? {
        guard let root = rootElement(head) else { return nil }
        let local = root.name.split(separator: ":").last.map(String.init) ?? root.name
        switch local {
        case "feed":
            return head.contains("arxiv.org/schemas/atom") ? .arxivAtom : .atom
        case "rss":
            // arXiv's RSS declares the arXiv namespace (for announce_type) and links to rss.arxiv.org.
            return head.contains("arxiv.org/schemas/atom") || head.contains("rss.arxiv.org") ? .arxivRSS : .rss
        case "OAI-PMH":
            return .arxivOAI
        case "RDF":
            guard head.contains("purl.org/rss/1.0") else { return nil }
            return head.contains("nature.com") ? .natureRDF : .rss
        default:
            return nil
        }
    }

    /// The local name of the document's root element, for dispatching between RSS 2.0 and RSS 1.0.
    static func rootName(_ data: Data) -> String? {
        guard let root = rootElement(headText(data)) else { return nil }
        return root.name.split(separator: ":").last.map(String.init)
    }

    /// The first element start tag, past the XML declaration, comments, processing instructions and DOCTYPE.
    private static func rootElement(_ head: Substring) -> (name: String, tag: Substring)? {
        var s = head
        while let lt = s.firstIndex(of: "<") {
            let rest = s[lt...]
            if rest.hasPrefix("<?") {
                guard let end = rest.range(of: "?>") else { return nil }
                s = rest[end.upperBound...]
            } else if rest.hasPrefix("<!--") {
                guard let end = rest.range(of: "-->") else { return nil }
                s = rest[end.upperBound...]
            } else if rest.hasPrefix("<!") {
                guard let end = rest.firstIndex(of: ">") else { return nil }
                s = rest[rest.index(after: end)...]
            } else {
                let nameStart = rest.index(after: lt)
                let name = rest[nameStart...].prefix(while: { !$0.isWhitespace && $0 != ">" && $0 != "/" })
                guard !name.isEmpty else { return nil }
                let tagEnd = rest.firstIndex(of: ">") ?? rest.endIndex
                return (String(name), rest[lt..<tagEnd])
            }
        }
        return nil
    }

    // MARK: JSON

    private static func detectJSON(_ head: Substring, whole: Bool) -> FeedFormat? {
        // Lines end at "\n" (a "\r\n" is one Character, so split on the byte).
        let newline = head.utf8.firstIndex(of: 0x0A)
        let firstLine = newline.map { head[..<$0] } ?? head
        let complete = newline != nil || whole
        if head.contains("\"messages\""), head.contains("\"collection\"") || head.contains("\"cursor\"") {
            // A bioRxiv response is a single object; JSON Lines with a "messages" field would have a complete
            // first line that does not mention "collection".
            if !(complete && !firstLine.contains("\"collection\"") && lineIsObject(firstLine)) {
                return .bioRxivJSON
            }
        }
        if let object = firstObject(firstLine, complete: complete) {
            // A BEIR document may lack a title (or its text): `_id` with either is a corpus.
            return object["_id"] != nil && (object["title"] != nil || object["text"] != nil) ? .beirCorpus : .jsonLines
        }
        // A first line longer than the window: judge by the keys it opens with.
        if firstLine.contains("\"_id\"") && (firstLine.contains("\"title\"") || firstLine.contains("\"text\"")) { return .beirCorpus }
        return .jsonLines
    }

    private static func lineIsObject(_ line: Substring) -> Bool {
        firstObject(line, complete: true) != nil
    }

    private static func firstObject(_ line: Substring, complete: Bool) -> [String: Any]? {
        guard complete else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    static func isComplete(_ data: Data) -> Bool {
        guard let format = detect(data) else { return false }
        switch format {
        case .bioRxivJSON:
            // A stray invalid byte in one title is repaired by the parser; only the JSON's syntax says whether
            // the response is whole.
            let bytes = data.withUnsafeBytes { UTF8Repair.isValid($0) ? nil : Data(UTF8Repair.repaired($0)) }
            return (try? JSONSerialization.jsonObject(with: bytes ?? data)) != nil
        case .jsonLines, .beirCorpus:
            return true
        case .arxivAtom, .arxivOAI, .arxivRSS, .natureRDF, .rss, .atom:
            guard let root = rootElement(headText(data)) else { return false }
            // The last bytes must be the root's end tag, `</name>` with optional whitespace before `>`.
            let tail = String(decoding: data.suffix(512), as: UTF8.self)
            let trimmed = tail.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.hasSuffix(">"), let open = trimmed.range(of: "</", options: .backwards) else { return false }
            let name = trimmed[open.upperBound...].dropLast().trimmingCharacters(in: .whitespaces)
            return name == root.name
        }
    }

    /// The first characters of the content, for an error message.
    /// How the content begins, for a message: its first line, or what kind of binary file it is (its
    /// bytes would only garble the message and the terminal).
    static func preview(_ data: Data, length: Int = 80) -> String {
        let head = data.prefix(512)
        let magic: [([UInt8], String)] = [([0x1F, 0x8B], "gzip-compressed data"), ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive"),
                                          (Array("%PDF".utf8), "a PDF document"), ([0x42, 0x5A, 0x68], "bzip2-compressed data"),
                                          ([0xFD, 0x37, 0x7A, 0x58, 0x5A], "xz-compressed data"), ([0x89, 0x50, 0x4E, 0x47], "a PNG image")]
        for (prefix, name) in magic where head.starts(with: prefix) { return "\(name) (\(data.count) bytes)" }
        let text = String(decoding: head, as: UTF8.self)
        let odd = text.unicodeScalars.filter { $0 == "\u{FFFD}" || ($0.value < 0x20 && !"\t\n\r".unicodeScalars.contains($0)) }.count
        if odd * 10 > text.unicodeScalars.count { return "binary data (\(data.count) bytes)" }
        let line = text.split(whereSeparator: \.isNewline).first.map { String($0.prefix(length)) } ?? ""
        return line.isEmpty ? "(empty)" : "'\(line)'"
    }
}
