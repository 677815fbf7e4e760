import Testing
@testable import HubCore

@Suite struct QueryParserTests {
    let parser = QueryParser(analyzer: try! Analyzer())

    @Test(arguments: [
        ("graph neural networks", #"("graph" OR "neural" OR "networks")"#),
        (#""graph neural" networks"#, #"("graph neural" OR "networks")"#),
        ("graph -neural", #"(("graph")) NOT ("neural")"#),
        ("graph --neural", #"("graph" OR "neural")"#),
        ("graph NOT neural", #"(("graph")) NOT ("neural")"#),
        (#"graph NOT "neural nets""#, #"(("graph")) NOT ("neural nets")"#),
        ("graph not neural", #"("graph" OR "neural")"#),
        ("--verbose", #"("verbose")"#),
        ("graph OR neural", #"(("graph" OR "neural"))"#),
        ("diffus*", #"("diffus" *)"#),
        ("an*", #"("an" *)"#),
        ("the*", #"("the" *)"#),
        ("diffusion*", #"(("diffusion" * OR "diffus" *))"#),
        ("NEAR AND column: network", #"("NEAR" OR "column" OR "network")"#),
        (#"graph "" neural"#, #"("graph" OR "neural")"#),
        ("BP神经网络", #"("BP" OR "神经" OR "网络" OR "BP神经网络")"#),
    ])
    func compilesToQuotedFTS5(_ input: String, _ expected: String) throws {
        #expect(try parser.parse(input).fts5Expression() == expected)
    }

    @Test func filtersAreSeparatedFromText() throws {
        let q = try parser.parse("attention author:vaswani cat:cs.CL source:arXiv after:2026-06 before:2026")
        #expect(q.authors == ["vaswani"])
        #expect(q.categories == ["cs.CL"])
        #expect(q.sources == ["arxiv"])
        #expect(q.after == "2026-06-01")
        #expect(q.before == "2026-12-31")
        #expect(q.fts5Expression() == #"("attention") AND authors : "vaswani""#)
        // Given twice, dates both hold (the later after:, the earlier before:); categories and sources are
        // any of those named; authors all of them.
        let twice = try parser.parse("x after:2026 after:2020 before:2026-06 before:2027 cat:cs.SE cat:cs.LG")
        #expect(twice.after == "2026-01-01" && twice.before == "2026-06-30" && twice.categories == ["cs.SE", "cs.LG"], "\(twice.after ?? "") \(twice.before ?? "")")
    }

    /// A `*` inside a word is no wildcard the index has: said where it is, not searched as the word's pieces
    /// (`te*st` had been "te" OR "st").
    @Test func aStarInsideAWordIsRefused() throws {
        #expect(throws: QueryError("a * must end the beginning of a word, as in diffus*; te*st has one inside (quote it to search for its words)", column: 11)) {
            try parser.parse("network te*st")
        }
        #expect(throws: QueryError("a * must end the beginning of a word, as in diffus*; a*b has one inside (quote it to search for its words)", column: 5)) {
            try parser.parse("x -a*b")
        }
        #expect(try parser.parse(#"x "te*st""#).fts5Expression() == #"("x" OR "te*st")"#)
    }

    /// `NOT word` leaves the word out, as `-word` does (the stopword "not" had been dropped, and the word searched for).
    @Test func notLeavesTheNextWordOut() throws {
        #expect(try parser.parse("NOT survey graph").exclude == [.word("survey")])
        #expect(try parser.parse("graph NOT cat:cs.CG").excludedCategories == ["cs.CG"])
        #expect(throws: QueryError("NOT needs a word after it, which it leaves out (as -word does)", column: 7)) { try parser.parse("graph NOT") }
    }

    /// `-cat:cs.CG` leaves the category out; it had been read as the excluded words "cat cs cg".
    @Test func negatedFiltersLeaveOutWhatTheyMatch() throws {
        let q = try parser.parse(#"graph -cat:cs.CG -source:arXiv -author:"Le Cun""#)
        #expect(q.excludedCategories == ["cs.CG"] && q.excludedSources == ["arxiv"] && q.excludedAuthors == ["Le Cun"])
        #expect(q.exclude.isEmpty && q.categories.isEmpty)
        #expect(q.fts5Expression() == #"(("graph")) NOT (authors : "Le Cun")"#)
        #expect(try parser.parse("-cat:cs.CG").hasFilters)
        #expect(throws: QueryError.self) { try parser.parse("graph -after:2026") }
    }

    /// What a Chinese input method types for the operators is read as them: “phrase”, 「phrase」, －word,
    /// cat：x, ＯＲ, prefix＊; an error's column still counts the characters as typed.
    @Test func fullWidthAndTypographicOperators() throws {
        let ascii = try parser.parse(#""栽培技术" -玉米 cat:cs.LG graph OR neural diffus*"#)
        for typed in ["“栽培技术” －玉米 cat：cs.LG graph ＯＲ neural diffus＊", "「栽培技术」 −玉米 ｃａｔ：cs.LG graph OR neural diffus*"] {
            let q = try parser.parse(typed)
            #expect(q.fts5Expression() == ascii.fts5Expression(), "\(typed)")
            #expect(q.categories == ["cs.LG"] && q.exclude == ascii.exclude, "\(typed)")
        }
        // The closing quote named is the one that closes what was typed (it had said " for an input method's “ and 「).
        #expect(throws: QueryError("the quote here is never closed; add a closing ” or remove it", column: 4)) { try parser.parse("茶树 “栽培") }
        #expect(throws: QueryError("the quote here is never closed; add a closing 」 or remove it", column: 1)) { try parser.parse("「软件") }
        #expect(throws: QueryError("the quote here is never closed; add a closing \" or remove it", column: 3)) { try parser.parse("a \"b") }
        // An em dash, an apostrophe and a full stop are no operators.
        #expect(try parser.parse("neural —network").exclude.isEmpty)
        #expect(try parser.parse("Kahneman’s").hasText)
    }

    /// Dates that leave no day between them say so, not "no results".
    @Test func anAfterLaterThanBeforeIsAnError() throws {
        #expect(throws: QueryError("after:2026-07-01 is later than before:2026-06-30, so no paper can match; swap them?", column: 17)) {
            try parser.parse("x after:2026-07 before:2026-06")
        }
        #expect(try parser.parse("x after:2026-06-01 before:2026-06-01").after == "2026-06-01")
        // A month ends on its own last day (the message had named 2026-02-31), leap years too.
        #expect(throws: QueryError("after:2026-03-01 is later than before:2026-02-28, so no paper can match; swap them?", column: 23)) {
            try parser.parse("testing after:2026-03 before:2026-02")
        }
        #expect(try parser.parse("x before:2028-02").before == "2028-02-29")
    }

    @Test func quotedFilterValue() throws {
        #expect(try parser.parse(#"author:"Le Cun""#).authors == ["Le Cun"])
    }

    @Test func filterOnlyQueryHasNoText() throws {
        let q = try parser.parse("cat:quant-ph")
        #expect(!q.hasText)
        #expect(q.fts5Expression() == nil)
    }

    @Test(arguments: [
        (#"graph "neural"#, 7),
        ("OR graph", 1),
        ("graph OR", 7),
        ("after:yesterday", 1),
        ("before:2026-13-01", 1),
        ("author:", 1),
        ("the of and", 1),
        ("?!… ——", 1),
        ("-graph", 1),
        ("*", 1),
    ])
    func malformedQueriesPointAtTheProblem(_ input: String, _ column: Int) {
        #expect(throws: QueryError.self) { try parser.parse(input) }
        do {
            _ = try parser.parse(input)
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    /// `a OR b`: the OR has words on both sides as typed, but "a" is a stopword; the message says so.
    @Test func anOrAfterAStopwordSaysWhy() {
        #expect { try parser.parse("a OR graph") } throws: { "\($0)".contains("\"a\" is a stopword") }
        #expect((try? parser.parse("graph the OR neural")) != nil, "a word before the stopword still counts")
        // A mark is named as punctuation, not as a stopword (`' OR 1=1 --` had "'" called a stopword).
        #expect { try parser.parse("' OR 1=1 --") } throws: { "\($0)".contains("\"'\" is punctuation, which search leaves out") }
    }

    /// `cat:cs.LG OR cat:cs.AI`: filters are not ORed; the message says how to ask for either.
    @Test func anOrAfterAFilterSaysHowToAskForEither() throws {
        #expect(throws: QueryError("OR joins words, not filters: name cat: twice for either (cat:A cat:B)", column: 11)) {
            try parser.parse("cat:cs.LG OR cat:cs.AI")
        }
        #expect { try parser.parse("author:Smith OR author:Li") } throws: { "\($0)".contains("author: named twice means both authors") }
        // After words too, and whichever side the filter is on; negated filters are said as exclusions.
        #expect(throws: QueryError("OR joins words, not filters: name cat: twice for either (cat:A cat:B)", column: 18)) {
            try parser.parse("speech cat:cs.CL OR cat:cs.SD")
        }
        #expect { try parser.parse("graph cat:cs.LG OR neural") } throws: { "\($0)".contains("OR joins words, not filters") }
        #expect { try parser.parse("-cat:cs.LG OR -cat:cs.AI") } throws: { "\($0)".contains("-cat: named twice leaves out both") }
        #expect(try parser.parse("graph OR neural cat:cs.LG").categories == ["cs.LG"])
        #expect(try parser.parse("cat:cs.LG cat:cs.AI").categories == ["cs.LG", "cs.AI"])
    }

    @Test func aWordTooLongToIndexIsNamed() {
        #expect { try parser.parse(String(repeating: "x", count: 1_999)) } throws: { "\($0)".contains("is 1999 bytes long; words over 128 bytes are not indexed") }
    }

    @Test func tenThousandCharactersGetAClearError() {
        let long = String(repeating: "protein ", count: 1_250)
        #expect(throws: QueryError.self) { try parser.parse(long) }
    }

    @Test func repeatedWordsCountOnce() throws {
        #expect(try parser.parse("networks network Networks").should.count == 1)
    }

    @Test func plainTextIgnoresOperators() {
        let q = parser.plain(#"0-dimensional "biomaterials" show -inductive OR properties: author:x"#)
        #expect(q.authors.isEmpty)
        #expect(q.exclude.isEmpty)
        // 0, dimension, biomateri, show, induct, properti, author, x: "OR" is only a stopword here.
        #expect(q.should.count == 8)
    }
}

@Suite struct QueryParserEdgeTests {
    let parser = QueryParser(analyzer: try! Analyzer())

    @Test func anOverlongDateIsAnErrorNotACrash() throws {
        #expect(throws: QueryError.self) { try parser.parse("after:2026-99999999999999999999") }
        #expect(throws: QueryError.self) { try parser.parse("before:2026-1-123") }
        #expect(throws: QueryError.self) { try parser.parse("after:2026-02-30") }
        #expect(throws: QueryError.self) { try parser.parse("after:2023-02-29") }
        let leapDay = try parser.parse("after:2024-02-29")
        #expect(leapDay.after == "2024-02-29", "a leap day is a day")
        #expect(!CalendarDate.isValid(year: 1900, month: 2, day: 29) && CalendarDate.isValid(year: 2000, month: 2, day: 29))
    }

    @Test func orWithAWordAlreadyInTheQueryIsAccepted() throws {
        #expect(try parser.parse("model OR models").should.count == 1)
        #expect(try parser.parse("network OR networks graph").should.count == 2)
    }

    @Test func aNegatedCompoundExcludesThePhraseNotItsPieces() throws {
        #expect(try parser.parse("graph -self-supervised").exclude == [.phrase("self supervised")])
        #expect(try parser.parse("graph -深度学习").exclude == [.phrase("深度 学习")])
    }

    @Test func filtersAfterTheTermCapStillApply() throws {
        let words = (0..<80).map { "word\($0)x" }.joined(separator: " ")
        let query = try parser.parse(words + " cat:cs.LG -excluded")
        #expect(query.should.count == QueryParser.maxTerms && query.unranked == 16)
        #expect(try parser.parse("graph neural").unranked == 0)
        #expect(query.categories == ["cs.LG"])
        #expect(query.exclude.count == 1)
    }
}
