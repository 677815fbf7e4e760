/// Parses what a user types into a `Query`.
///
/// Language: bare words, `"exact phrases"`, `-excluded` words or phrases, `OR` between clauses, `prefix*`,
/// and filters `author:`, `cat:` (or `category:`), `source:`, `after:YYYY[-MM[-DD]]`, `before:…`; the first
/// three negated (`-cat:cs.CG`) leave out what they match. Bare words
/// are OR-ed: a paper need not hold every word, BM25 puts those that hold more first. Any other `name:value`
/// is read as plain words, so FTS5 syntax typed by a user (`NEAR`, `AND`, `column:`) is searched for, never run.
public struct QueryParser {
    /// Longest query accepted, in characters.
    public static let maxLength = 4_000
    /// Most distinct terms a query may rank by; longer texts keep their first terms.
    public static let maxTerms = 64

    private let analyzer: Analyzer

    public init(analyzer: Analyzer) {
        self.analyzer = analyzer
    }

    /// Parses the query language.
    public func parse(_ text: String) throws(QueryError) -> Query {
        guard text.count <= Self.maxLength else {
            throw QueryError("the query is \(text.count) characters long; the limit is \(Self.maxLength)", column: Self.maxLength + 1)
        }
        var query = Query()
        var seen = Set<String>()
        let typed = Array(text)
        let chars = typed.map(Self.operatorForm)
        var i = 0
        var pendingOr: Int?  // column of an OR still waiting for its right-hand side
        var lastWasClause = false
        var lastStopword: String?  // the word just read, when the analyzer left nothing of it
        var lastFilter: (Field, Bool)?  // the filter just read (`cat:cs.LG`), and whether negated
        var overlong: String?  // a word the index cannot hold (over `Analyzer.maxWordBytes`)
        var rankingTerms = 0  // words, phrases and prefixes ranked so far, those inside OR groups included
        var pendingNot: Int?  // column of a NOT still waiting for what it leaves out

        while i < chars.count {
            if chars[i].isWhitespace { i += 1; continue }
            let column = i + 1
            let stopwordBefore = lastStopword, filterBefore = lastFilter
            lastStopword = nil
            lastFilter = nil
            var negate = false
            // (Two hyphens are no minus: `--verbose`, `attention --the missing piece` are text, as the CLI says.)
            if chars[i] == "-" && i + 1 < chars.count && !chars[i + 1].isWhitespace && chars[i + 1] != "-" {
                negate = true
                i += 1
            }
            // `NOT survey`, as other search engines write `-survey` (the stopword "not" had left it a word to find).
            if pendingNot != nil { negate = true; pendingNot = nil }
            var added: [Query.Clause] = []
            if chars[i] == "\"" {
                let (phrase, next) = try readQuoted(chars, from: i, typed: typed)
                i = next
                added = phraseClauses(phrase)
            } else {
                var j = i
                while j < chars.count && !chars[j].isWhitespace && chars[j] != "\"" { j += 1 }
                var word = String(chars[i..<j])
                i = j
                if !negate && word == "NOT" {
                    pendingNot = column
                    continue
                }
                if !negate && word == "OR" {
                    // `cat:cs.LG OR cat:cs.AI`: filters are not ORed; named twice, cat: and source: are either already.
                    if let (field, negated) = filterBefore { throw Self.orBetweenFilters(field, negated: negated, column: column) }
                    guard lastWasClause else {
                        throw QueryError(stopwordBefore.map { before in
                            // `' OR 1=1`: a mark is no stopword.
                            let kind = before.contains { $0.isLetter || $0.isNumber } ? "a stopword" : "punctuation"
                            return "OR needs a word before it; \"\(before)\" is \(kind), which search leaves out"
                        } ?? "OR needs a word before it", column: column)
                    }
                    pendingOr = column
                    lastWasClause = false
                    continue
                }
                if let colon = word.firstIndex(of: ":"), let field = Field(rawValue: word[..<colon].lowercased()) {
                    var value = String(word[word.index(after: colon)...])
                    if value.isEmpty, i < chars.count, chars[i] == "\"" {
                        let (quoted, next) = try readQuoted(chars, from: i, typed: typed)
                        value = quoted
                        i = next
                    }
                    // `speech cat:cs.CL OR cat:cs.SD`: an OR waiting for its word gets a filter.
                    if let or = pendingOr { throw Self.orBetweenFilters(field, negated: negate, column: or) }
                    try apply(field, value: value, negated: negate, column: column, to: &query)
                    lastFilter = (field, negate)
                    continue
                }
                if word.hasSuffix("*") {
                    word = String(word.drop { $0 == "*" }.dropLast())
                    let stem = analyzer.terms(word, mode: .prefix)
                    guard !word.isEmpty, !stem.isEmpty else {
                        throw QueryError("a * must end the beginning of a word, as in diffus*", column: column)
                    }
                    // `self-super*`: the words before the last are plain, the last one a prefix.
                    var surfaces = surfaceWords(word)
                    // `an*`, `the*`: a stopword as typed, but the beginning of analysis, theory.
                    if surfaces.isEmpty { surfaces = [word] }
                    added = surfaces.dropLast().map { Query.Clause.word($0) }
                    if let last = surfaces.last { added.append(prefixClause(last)) }
                } else {
                    // `te*st`, `a*b`: the index has no wildcard inside a word; searching its pieces (as it had) is
                    // a search for something else.
                    if let star = word.firstIndex(of: "*"), word.contains(where: { $0.isLetter || $0.isNumber }) {
                        throw QueryError("a * must end the beginning of a word, as in diffus*; \(word) has one inside (quote it to search for its words)",
                                         column: column + (negate ? 1 : 0) + word.distance(from: word.startIndex, to: star))
                    }
                    added = surfaceWords(word).map { Query.Clause.word($0) } + compoundPhrases(word).map { Query.Clause.phrase($0) }
                    if added.isEmpty, !negate {
                        lastStopword = word
                        if word.utf8.count > Analyzer.maxWordBytes { overlong = overlong ?? word }
                    }
                }
            }
            if negate {
                // `-self-supervised`, `-深度学习`: exclude the word as written, its pieces in order, not
                // every paper holding any one piece.
                // (A negated prefix, `-self-super*`, keeps its pieces: a phrase cannot end in a prefix here.)
                let plainPieces = added.allSatisfy { clause in
                    switch clause {
                    case .word, .phrase: return true
                    case .prefix, .anyOf: return false
                    }
                }
                if added.count > 1, plainPieces {
                    added = [.phrase(added.compactMap { if case .word(let w) = $0 { w } else { nil } }.joined(separator: " "))]
                }
                query.exclude.append(contentsOf: added)
                continue
            }
            added = added.filter { clause in
                // Repeated words would count twice in BM25; keep each once.
                guard case .word(let w) = clause else { return true }
                let key = analyzer.terms(w).joined(separator: " ")
                return seen.insert(key).inserted
            }
            // Past the cap, words no longer rank, but filters and exclusions after them still apply.
            let kept = max(0, Self.maxTerms - rankingTerms)
            if added.count > kept { query.unranked += added.count - kept; added = Array(added.prefix(kept)) }
            if added.isEmpty {
                // `model OR models`: the right side is already in the query; the OR is satisfied.
                if pendingOr != nil { pendingOr = nil; lastWasClause = true }
                continue
            }
            rankingTerms += added.count
            if pendingOr != nil, let previous = query.should.popLast() {
                query.should.append(.anyOf(flatten(previous) + added))
            } else {
                query.should.append(contentsOf: added)
            }
            pendingOr = nil
            lastWasClause = true
        }
        if let column = pendingOr { throw QueryError("OR needs a word after it", column: column) }
        if let column = pendingNot { throw QueryError("NOT needs a word after it, which it leaves out (as -word does)", column: column) }
        if !query.hasText && !query.hasFilters {
            if !query.exclude.isEmpty {
                throw QueryError("a query needs something to find besides -exclusions", column: 1)
            }
            if let overlong {
                throw QueryError("\"\(overlong.prefix(24))…\" is \(overlong.utf8.count) bytes long; words over \(Analyzer.maxWordBytes) bytes are not indexed, so it cannot match", column: 1)
            }
            throw QueryError("nothing to search for: the query has only stopwords, punctuation or operators", column: 1)
        }
        return query
    }

    /// The ASCII operator a character typed by a Chinese (or Japanese) input method, or pasted from a word
    /// processor, stands for: the full-width forms (`＂－：＊`, and letters, so `ＯＲ` is OR), curly and corner
    /// quotes (`“…”`, `「…」`, `『…』`) and the minus sign `−`; a NUL is a space. One character for one, so columns
    /// stay true.
    public static func operatorForm(_ c: Character) -> Character {
        guard c.unicodeScalars.count == 1, let v = c.unicodeScalars.first?.value else { return c }
        switch v {
        case 0xFF01...0xFF5E: return Character(Unicode.Scalar(v - 0xFEE0)!)
        case 0x201C, 0x201D, 0x300C, 0x300D, 0x300E, 0x300F: return "\""
        case 0x2212: return "-"
        // A NUL reads as a space, as it does in imported text (SQLite would end a bound text there).
        case 0x0000: return " "
        default: return c
        }
    }

    /// Reads `text` as plain words: no operators, no filters (`ahub eval` runs judged queries this way).
    public func plain(_ text: String) -> Query {
        var query = Query()
        var seen = Set<String>()
        for token in tokenSurfaces(text) where seen.insert(token.term).inserted {
            query.should.append(.word(token.surface))
            if query.should.count >= Self.maxTerms { break }
        }
        query.should.append(contentsOf: compoundPhrases(text).prefix(max(0, Self.maxTerms - query.should.count)).map { .phrase($0) })
        return query
    }

    // MARK: - Pieces

    enum Field: String, CaseIterable {
        case author, authors, cat, category, source, after, before
    }

    /// Filters are not ORed: what to write instead.
    static func orBetweenFilters(_ field: Field, negated: Bool, column: Int) -> QueryError {
        if negated {
            return QueryError("OR joins words, not filters: -\(field.rawValue): named twice leaves out both", column: column)
        }
        switch field {
        case .cat, .category, .source:
            return QueryError("OR joins words, not filters: name \(field.rawValue): twice for either (\(field.rawValue):A \(field.rawValue):B)", column: column)
        case .author, .authors:
            return QueryError("OR joins words, not filters: author: named twice means both authors; search once for each", column: column)
        case .after, .before:
            return QueryError("OR joins words, not filters: after: and before: both hold", column: column)
        }
    }

    /// The fields a query may name before a colon (`author:`, `cat:`, …).
    public static let fieldNames = Set(Field.allCases.map(\.rawValue))

    private func apply(_ field: Field, value: String, negated: Bool, column: Int, to query: inout Query) throws(QueryError) {
        guard !value.trimmingWhitespace().isEmpty else {
            throw QueryError("\(field.rawValue): needs a value, as in \(field.example)", column: column)
        }
        if negated {
            switch field {
            case .author, .authors: query.excludedAuthors.append(value)
            case .cat, .category: query.excludedCategories.append(value)
            case .source: query.excludedSources.append(value.lowercased())
            case .after: throw QueryError("-after: is not a filter; before: keeps what is not after a day", column: column)
            case .before: throw QueryError("-before: is not a filter; after: keeps what is not before a day", column: column)
            }
            return
        }
        switch field {
        case .author, .authors: query.authors.append(value)
        case .cat, .category: query.categories.append(value)
        case .source: query.sources.append(value.lowercased())
        case .after:
            guard let day = Self.day(value, end: false) else {
                throw QueryError("after: wants a date as YYYY-MM-DD, YYYY-MM or YYYY, not \"\(value)\"", column: column)
            }
            // Two `after:` both hold: the later day (`after:2026 after:2020` is after:2026, not the last typed).
            query.after = query.after.map { max($0, day) } ?? day
        case .before:
            guard let day = Self.day(value, end: true) else {
                throw QueryError("before: wants a date as YYYY-MM-DD, YYYY-MM or YYYY, not \"\(value)\"", column: column)
            }
            query.before = query.before.map { min($0, day) } ?? day
        }
        if let after = query.after, let before = query.before, after > before {
            throw QueryError("after:\(after) is later than before:\(before), so no paper can match; swap them?", column: column)
        }
    }

    /// `2026`, `2026-06`, `2026-06-15` → a day; a partial date means its first day (or last, with `end`).
    public static func day(_ text: String, end: Bool) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) })
        else { return nil }
        guard parts.dropFirst().allSatisfy({ $0.count == 2 }) else { return nil }
        let numbers = parts.map { Int($0) ?? 0 }
        if parts.count >= 2 && !(1...12).contains(numbers[1]) { return nil }
        if parts.count == 3 && !CalendarDate.isValid(year: numbers[0], month: numbers[1], day: numbers[2]) { return nil }
        switch parts.count {
        case 1: return "\(parts[0])-" + (end ? "12-31" : "01-01")
        case 2:
            // The month's own last day, as a message may name it (`before:2026-02` is 2026-02-28).
            let last = (28...31).last { CalendarDate.isValid(year: numbers[0], month: numbers[1], day: $0) } ?? 31
            return "\(parts[0])-\(parts[1])-" + (end ? String(last) : "01")
        default: return text
        }
    }

    /// The phrase opened at `start`; `typed`, the query as typed, names the closing quote a message asks for
    /// (an input method's 「 is closed by 」, not by ").
    private func readQuoted(_ chars: [Character], from start: Int, typed: [Character]) throws(QueryError) -> (String, Int) {
        var j = start + 1
        while j < chars.count && chars[j] != "\"" { j += 1 }
        guard j < chars.count else {
            let closing: [Character: Character] = ["“": "”", "「": "」", "『": "』"]
            let close = start < typed.count ? closing[typed[start]] ?? "\"" : "\""
            throw QueryError("the quote here is never closed; add a closing \(close) or remove it", column: start + 1)
        }
        return (String(chars[(start + 1)..<j]), j + 1)
    }

    /// A phrase keeps its words in order; one that holds no searchable word adds nothing.
    private func phraseClauses(_ phrase: String) -> [Query.Clause] {
        analyzer.terms(phrase).isEmpty ? [] : [.phrase(phrase)]
    }

    private func flatten(_ clause: Query.Clause) -> [Query.Clause] {
        if case .anyOf(let cs) = clause { return cs }
        return [clause]
    }

    /// The pieces of a typed word that the analyzer keeps, as written: `BP神经网络` → `BP`, `神经`, `网络`.
    /// Each goes to FTS5 as its own string, so a paper need not hold the pieces side by side.
    private func surfaceWords(_ word: String) -> [String] {
        var seen = Set<String>()
        return tokenSurfaces(word).filter { seen.insert($0.term).inserted }.map(\.surface)
    }

    /// The index holds stems, so `diffusion*` must also be looked up as `diffus*`: the typed letters for
    /// partial words (`analy*`, whose "stem" `anali` is no prefix of anything), the stem for whole ones.
    private func prefixClause(_ word: String) -> Query.Clause {
        guard let stem = analyzer.terms(word, mode: .query).last, let typed = analyzer.terms(word, mode: .prefix).last,
              stem != typed
        else { return .prefix(word) }
        return .anyOf([.prefix(word), .prefix(stem)])
    }

    /// Words written without spaces between them (`三维建模` → `三维`, `建模`; `C反应蛋白`) are one
    /// compound: besides its pieces, the query ranks by the compound as a phrase, so papers holding it
    /// intact come before those holding its pieces apart.
    func compoundPhrases(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        let tokens = analyzer.tokens(text)
        var phrases: [String] = []
        var runStart = 0
        func close(_ end: Int) {
            let run = tokens[runStart..<end]
            if let first = run.first, let last = run.last, run.count >= 2 {
                phrases.append(String(decoding: bytes[first.start..<last.end], as: UTF8.self))
            }
        }
        for k in tokens.indices.dropFirst() where tokens[k].start != tokens[k - 1].end {
            close(k)
            runStart = k
        }
        if !tokens.isEmpty { close(tokens.count) }
        return phrases
    }

    private func tokenSurfaces(_ text: String) -> [(term: String, surface: String)] {
        let bytes = Array(text.utf8)
        return analyzer.tokens(text).map { token in
            (token.term, String(decoding: bytes[token.start..<token.end], as: UTF8.self))
        }
    }
}

extension QueryParser.Field {
    var example: String {
        switch self {
        case .author, .authors: return "author:hinton"
        case .cat, .category: return "cat:cs.CL"
        case .source: return "source:arxiv"
        case .after: return "after:2026-06-01"
        case .before: return "before:2026-06-30"
        }
    }
}

/// A query the parser cannot read: the message says what is wrong, `column` (1-based) where.
public struct QueryError: Error, Hashable, CustomStringConvertible {
    public var message: String
    public var column: Int

    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "query error at column \(column): \(message)" }
}
