import Foundation
import HubCore
import HubStore

/// The one entry point the CLI and the server share: every rule of the product lives behind it.
public final class Hub: Sendable {
    public let store: SQLitePaperStore
    let analyzers: AnalyzerPool
    let semantic: SemanticIndex
    let termVectors = TermVectors()
    let radarCache = RadarCache()
    /// Handles of result lists this process has stored (a list's handle is its content's hash).
    let storedLists = StoredLists()

    /// Opens (creating when missing) the library at `libraryPath`.
    public init(libraryPath: String, tokenizer: TextTokenizer = .ahub) throws {
        analyzers = try AnalyzerPool()
        let store = try SQLitePaperStore(path: libraryPath, tokenizer: tokenizer)
        self.store = store
        semantic = SemanticIndex { try Hub.makeEmbedder(store.settings()) }
    }

    /// `$AHUB_LIBRARY`, else `$XDG_DATA_HOME/academichub/library.sqlite`, else
    /// `~/.local/share/academichub/library.sqlite`.
    public static func defaultLibraryPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["AHUB_LIBRARY"], !path.isEmpty { return path }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/academichub/library.sqlite"
    }

    // MARK: - Search

    /// Parses the query language (see `QueryParser`); a `QueryError` says what is wrong and where.
    public func parse(_ text: String) throws(QueryError) -> Query {
        try analyzers.with { analyzer throws(QueryError) in try QueryParser(analyzer: analyzer).parse(text) }
    }

    /// Keyword search: BM25 over title, authors and abstract, filters applied.
    public func search(_ text: String, limit: Int = 10, offset: Int = 0) throws -> SearchResults {
        let query = try parse(text)
        let page = try store.search(query, limit: limit, offset: offset)
        return SearchResults(query: text, mode: "keyword", total: page.total, offset: offset, hits: page.hits)
    }

    // MARK: - Papers

    /// The paper under a key, accepting what people paste: `arxiv:2606.15062`, `2606.15062v2`,
    /// `https://arxiv.org/abs/2606.15062`, a DOI or DOI URL.
    public func paper(_ text: String) throws -> StoredPaper? {
        // Every "no paper X" message repeats the key: one pasted by mistake (a whole abstract) is named by its length.
        guard text.utf8.count <= Self.maxKeyBytes else {
            throw HubError("no paper key is \(text.utf8.count) bytes long (keys look like arxiv:2606.13857 or doi:10.1038/…); it begins \"\(text.prefix(40))…\"")
        }
        // SQLite reads a bound text up to its first NUL: `arxiv:2605.30456\0junk` would name that paper.
        if text.utf8.contains(0) { return nil }
        for key in Self.candidateKeys(text) {
            if let found = try store.paper(key: key) { return found }
        }
        // A DOI also names a paper kept under another key (an arXiv paper with its journal DOI).
        if let doi = PaperKey.normalizeDOI(text.trimmingWhitespace()), let id = try store.paperID(doi: doi),
           let key = try store.featureRows([id]).first?.key {
            return try store.paper(key: key)
        }
        // A source's own id without its source (`csl-test-0220` for `csl-zh:csl-test-0220`), when one paper has it;
        // with its source, in any case (`CSL-ZH:CSL-TEST-0220`).
        let bare = text.trimmingWhitespace()
        if !bare.isEmpty, !bare.contains(":") {
            let keys = try store.keys(nativeID: bare)
            if keys.count == 1 { return try store.paper(key: keys[0]) }
        } else if let colon = bare.firstIndex(of: ":"), colon != bare.startIndex, bare.index(after: colon) != bare.endIndex {
            let source = bare[..<colon].lowercased() + ":"
            let keys = try store.keys(nativeID: String(bare[bare.index(after: colon)...]), limit: 50).filter { $0.rawValue.hasPrefix(source) }
            if keys.count == 1 { return try store.paper(key: keys[0]) }
        }
        // A key copied with the sentence's full stop after it, or an address copied percent-encoded
        // (`https://doi.org/10.1145%2F3395363.3397376`).
        if let cleaned = Self.cleanedKey(bare) { return try paper(cleaned) }
        return nil
    }

    /// A query as a message quotes it: in double quotes, or in single ones when it has its own double quotes
    /// (`No papers match '"protein folding"'`, not `""protein folding""`).
    public static func quoted(_ text: String) -> String {
        text.contains("\"") ? "'\(text)'" : "\"\(text)\""
    }

    /// A key as copied from a sentence or an address bar, made plain: a full stop, comma or semicolon after
    /// it dropped, percent-encoding decoded; nil when there is nothing to clean.
    static func cleanedKey(_ text: String) -> String? {
        if let last = text.last, ".,;".contains(last), text.count > 1 { return String(text.dropLast()) }
        if text.contains("%"), let decoded = text.removingPercentEncoding, decoded != text { return decoded }
        return nil
    }

    /// A paper by key (as `paper(_:)` reads one) or by its title as `--seed` and ratings match one (case,
    /// accents, punctuation and Traditional characters aside; a title two papers share names neither). A
    /// title of a few letters names a paper only when it is that paper's whole title ("Transformers").
    public func paper(keyOrTitle text: String) throws -> StoredPaper? {
        if let found = try paper(text) { return found }
        let title = text.trimmingWhitespace()
        guard !title.isEmpty else { return nil }
        let ids = try papersTitled(title)
        if let shared = try sharedTitle(title, ids) { throw HubError(shared + "; name one by its key") }
        guard let id = ids.first, let key = try store.featureRows([id]).first?.key else {
            // A source's own id that papers of two sources have (`csl-test-0278`): "no paper" would be untrue.
            // (Also copied with the sentence's full stop after it.)
            for id in [title] + (Self.cleanedKey(title).map { [$0] } ?? []) where !id.contains(":") {
                let keys = try store.keys(nativeID: id, limit: 6)
                if keys.count > 1 {
                    throw HubError("\(keys.count > 5 ? "more than 5" : "\(keys.count)") papers have the id \(id): "
                        + "\(Self.named(keys.prefix(5).map(\.rawValue))); name one by its key")
                }
            }
            return nil
        }
        return try store.paper(key: key)
    }

    /// Throws when more than one paper has `title` (`papersTitled`), naming them: such a title names neither, and
    /// "no paper" would be untrue.
    func refuseSharedTitle(_ title: String) throws {
        if let shared = try sharedTitle(title, try papersTitled(title)) { throw HubError(shared + "; name one by its key") }
    }

    /// "2 papers have the title "…": KEYS" when `ids`, the papers `title` names, are more than one; nil otherwise.
    func sharedTitle(_ title: String, _ ids: [Int64]) throws -> String? {
        guard ids.count > 1 else { return nil }
        let keys = try store.featureRows(ids).map(\.key.rawValue)
        return "\(ids.count > 5 ? "more than 5" : "\(ids.count)") papers have the title \"\(title.prefix(80))\": \(Self.named(Array(keys.prefix(5))))"
    }

    /// What to tell someone who asked for a version (`2606.13857v1`) about the paper shown: the library keeps the
    /// text of one version, the latest it saw. Nil when no version was asked or it is the one kept.
    public static func versionNotice(asked key: String, shown stored: StoredPaper) -> String? {
        var typed = key.trimmingWhitespace()
        while ArxivID(typed) == nil, let cleaned = cleanedKey(typed) { typed = cleaned }
        guard let asked = ArxivID(typed)?.version, asked != stored.paper.version else { return nil }
        let kept = stored.paper.version ?? "the paper"
        guard stored.versions.contains(where: { $0.version == asked }) else {
            return "version \(asked) is not in the library; showing \(kept) as kept"
        }
        return "\(asked) is an earlier version; the library keeps the text of \(kept), the latest it saw"
    }

    /// Whether a file can be written at `path` (whole, by replacing it): not a folder, in a folder that
    /// exists and can be written. For `--out`, `--run` and the like, before the work that fills it.
    public static func checkWritable(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw HubError("cannot write \(path): it is a folder; name a file in it")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw HubError("cannot write \(path): there is no folder \(folder)")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw HubError("cannot write \(path): the folder \(folder) is not writable")
        }
    }

    /// Longer than any key, DOI or arXiv URL (DOIs run to about 300 characters).
    static let maxKeyBytes = 1_000

    static func candidateKeys(_ text: String) -> [PaperKey] {
        let trimmed = text.trimmingWhitespace()
        var keys = [PaperKey(rawValue: trimmed)]
        if let id = ArxivID(trimmed) { keys.append(PaperKey(rawValue: "arxiv:" + id.base)) }
        if let doi = PaperKey.normalizeDOI(trimmed) { keys.append(PaperKey(rawValue: "doi:" + doi)) }
        if trimmed.lowercased().hasPrefix("arxiv:"), let id = ArxivID(String(trimmed.dropFirst(6))) {
            keys.append(PaperKey(rawValue: "arxiv:" + id.base))
        }
        // Keys keep their source in lower case (`csl-zh:…`); one typed `CSL-ZH:…` names the same paper.
        if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].contains(where: \.isUppercase) {
            keys.append(PaperKey(rawValue: trimmed[..<colon].lowercased() + trimmed[colon...]))
        }
        return keys
    }

    public func stats() throws -> LibraryStats { try store.stats() }
}

/// A ranked list as the CLI and the API present it.
public struct SearchResults: Sendable {
    public var query: String
    public var mode: String
    public var total: Int
    public var offset: Int
    public var hits: [SearchHit]
    /// Words, phrases and prefixes past the query's cap, which did not rank (`Query.unranked`).
    public var unranked = 0
    /// What a user should know of the list besides its papers (`SearchNotice`).
    public var notices: [SearchNotice] = []
}

/// A fact about a search's list that its papers do not show: `unranked` (words past the query's cap, not
/// searched for), `undated` (papers a date filter left out, said when nothing matched), `unembedded` (papers
/// with no vector, which meaning cannot find), `nomodel` (the model missing), `key` (the query is a paper's key and
/// the list that paper), `nofacet` (nothing matched, and no paper has a category or source the query names), `filtered` (a hybrid search fell back to meaning because the
/// filters and exclusions left out every paper holding its words). `count` is how many; `message` says it in English (the page
/// says it in its language by `kind`).
public struct SearchNotice: Sendable, Codable, Equatable {
    public var kind: String
    public var count: Int
    public var message: String
}

/// Analyzers are not thread-safe and cost ICU set-up to open: keep a few and lend them out.
final class AnalyzerPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Analyzer]

    /// Opens the first analyzer now, so a broken ICU install fails here with its message.
    init() throws { idle = [try Analyzer()] }

    func with<T, E: Error>(_ body: (Analyzer) throws(E) -> T) throws(E) -> T {
        lock.lock()
        let analyzer = idle.popLast()
        lock.unlock()
        // The first analyzer opened, so ICU works: another opens the same way.
        let lent = analyzer ?? (try! Analyzer())
        defer {
            lock.lock()
            idle.append(lent)
            lock.unlock()
        }
        return try body(lent)
    }
}
