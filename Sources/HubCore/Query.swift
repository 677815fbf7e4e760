/// A parsed search query: what to match in the text and which filters the results must pass.
///
/// Built by `QueryParser`; compiled to a safe FTS5 expression by `fts5Expression()`. Nothing the user
/// typed reaches FTS5 except inside double-quoted strings, with every quote doubled.
public struct Query: Sendable, Hashable {
    public enum Clause: Sendable, Hashable {
        /// One word as typed (its analyzer terms are OR-ed).
        case word(String)
        /// Words that must appear next to each other, in order.
        case phrase(String)
        /// Index terms that start with this text.
        case prefix(String)
        /// Any one of the alternatives.
        case anyOf([Clause])
    }

    /// Clauses that rank results; a paper needs to match only one of them.
    public var should: [Clause] = []
    /// Clauses that exclude a paper when they match (`-word`).
    public var exclude: [Clause] = []
    /// `author:NAME`: each must match the authors field.
    public var authors: [String] = []
    /// `cat:NAME`: the paper is in one of these categories.
    public var categories: [String] = []
    /// `source:NAME`: the paper came from one of these sources.
    public var sources: [String] = []
    /// `after:YYYY-MM-DD`, inclusive.
    public var after: String?
    /// `before:YYYY-MM-DD`, inclusive.
    public var before: String?
    /// `-author:NAME`: papers whose authors match are left out.
    public var excludedAuthors: [String] = []
    /// `-cat:NAME`: papers in any of these categories are left out.
    public var excludedCategories: [String] = []
    /// `-source:NAME`: papers from any of these sources are left out.
    public var excludedSources: [String] = []
    /// Words, phrases and prefixes past `QueryParser.maxTerms`, which do not rank (said to the user).
    public var unranked = 0

    public init() {}

    /// True when the query ranks by text (it has words to score); otherwise only filters apply.
    public var hasText: Bool { !should.isEmpty }

    /// True when every word that ranks was given in quotes (`"message passing"`, `"GNN" OR "graph network"`):
    /// the query asks for that wording, not for what is near it.
    public var onlyPhrases: Bool {
        func quoted(_ c: Clause) -> Bool {
            switch c {
            case .phrase: return true
            case .word, .prefix: return false
            case .anyOf(let cs): return cs.allSatisfy(quoted)
            }
        }
        return hasText && should.allSatisfy(quoted)
    }

    public var hasFilters: Bool {
        !authors.isEmpty || !categories.isEmpty || !sources.isEmpty || after != nil || before != nil
            || !excludedAuthors.isEmpty || !excludedCategories.isEmpty || !excludedSources.isEmpty
    }

    /// The words of the query that rank papers, for showing and highlighting.
    public var rankingText: String {
        func text(_ c: Clause) -> String {
            switch c {
            case .word(let w), .phrase(let w), .prefix(let w): return w
            case .anyOf(let cs): return cs.map(text).joined(separator: " ")
            }
        }
        return should.map(text).joined(separator: " ")
    }

    /// The FTS5 MATCH expression, or nil when nothing in the text part is searchable.
    ///
    /// Shape: `{title authors abstract} : (should…) AND authors : (…) NOT (excluded…)`. Each word or phrase
    /// goes in as a quoted FTS5 string, which FTS5 hands to our tokenizer, so it meets the index's terms.
    public func fts5Expression() -> String? {
        let ranked = should.compactMap(Self.compile)
        let authorParts = authors.map { "authors : " + Self.quote($0) }
        var parts: [String] = []
        if !ranked.isEmpty { parts.append("(" + ranked.joined(separator: " OR ") + ")") }
        parts.append(contentsOf: authorParts)
        guard !parts.isEmpty else { return nil }
        var expression = parts.joined(separator: " AND ")
        if let excluded = fts5ExclusionExpression() {
            expression = "(" + expression + ") NOT (" + excluded + ")"
        }
        return expression
    }

    /// What `-excluded` words and phrases and `-author:` filters match, as one FTS5 expression; nil when
    /// there are none. A query with only filters applies it as `NOT IN (… MATCH …)`.
    public func fts5ExclusionExpression() -> String? {
        let excluded = exclude.compactMap(Self.compile) + excludedAuthors.map { "authors : " + Self.quote($0) }
        return excluded.isEmpty ? nil : excluded.joined(separator: " OR ")
    }

    /// The `author:` filters alone, as one FTS5 expression (for scans that rank by something else, such as
    /// vectors); nil when there are none.
    public func fts5AuthorExpression() -> String? {
        authors.isEmpty ? nil : authors.map { "authors : " + Self.quote($0) }.joined(separator: " AND ")
    }

    private static func compile(_ clause: Clause) -> String? {
        switch clause {
        case .word(let w), .phrase(let w): return quote(w)
        case .prefix(let p): return quote(p) + " *"
        case .anyOf(let cs):
            let inner = cs.compactMap(compile)
            return inner.isEmpty ? nil : "(" + inner.joined(separator: " OR ") + ")"
        }
    }

    /// An FTS5 string: every character stands for itself, `"` doubled.
    static func quote(_ text: String) -> String {
        "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
