import Foundation
import Testing
import GRDB
import HubCore
@testable import HubStore

/// A library in a fresh temporary folder, removed when the test ends.
final class TemporaryLibrary {
    let directory: URL
    let store: SQLitePaperStore

    init(tokenizer: TextTokenizer = .ahub) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-test-\(UUID().uuidString)")
        store = try SQLitePaperStore(path: directory.appendingPathComponent("library.sqlite").path, tokenizer: tokenizer)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

func paper(_ id: String, _ title: String, _ abstract: String, version: String? = "v1", categories: [String] = ["cs.CL"],
           date: String = "2026-06-16", authors: [String] = [], source: String = "arxiv") -> Paper {
    Paper(key: PaperKey(rawValue: "arxiv:\(id)"), source: source, nativeID: id, version: version, title: title,
          abstract: abstract, authors: authors, categories: categories, published: date)
}

@Suite struct SQLitePaperStoreTests {
    let parser = QueryParser(analyzer: try! Analyzer())

    @Test func highlightsAreEscapedHTML() {
        #expect(Highlight.html("a < b & \u{2}c\u{3} \"d\" 中文 <i>x</i>")
                == "a &lt; b &amp; <mark>c</mark> &quot;d&quot; 中文 &lt;i&gt;x&lt;/i&gt;")
        #expect(Highlight.html("") == "")
    }

    @Test func theLeadOfAnAbstract() {
        #expect(SQLitePaperStore.lead(of: "  One two\n\tthree  four ", words: 3) == "One two three …")
        #expect(SQLitePaperStore.lead(of: "One two", words: 3) == "One two")
        #expect(SQLitePaperStore.lead(of: "", words: 3) == "")
        let chinese = String(repeating: "三维建模", count: 100)
        let lead = SQLitePaperStore.lead(of: chinese)
        #expect(lead.hasSuffix(" …") && lead.utf8.count < 500 && chinese.hasPrefix(String(lead.dropLast(2))))
    }

    @Test func importTwiceChangesNothing() throws {
        let library = try TemporaryLibrary()
        let papers = [paper("2606.00001", "Sparse attention", "We study sparse attention."),
                      paper("2606.00002", "Dense retrieval", "Dense retrieval for question answering.")]
        #expect(try library.store.upsert(papers) == [.new, .new])
        #expect(try library.store.upsert(papers) == [.unchanged, .unchanged])
        #expect(try library.store.count() == 2)
    }

    /// A journal's record of an arXiv paper, found by the DOI the arXiv paper gives (Fixtures/arxiv-api:
    /// arXiv 2202.09076, published in STVR), merges into it, whichever came first; the arXiv key stays.
    @Test func aJournalRecordOfAnArxivPaperMergesIntoItByDOI() throws {
        var preprint = paper("2202.09076", "Improving Test Automation Maturity: a Multivocal Literature Review",
                             "Mature test automation is key for achieving software quality at speed.", categories: ["cs.SE"],
                             date: "2022-02-18")
        preprint.doi = "10.1002/stvr.1804"
        let doi = PaperKey(rawValue: "doi:10.1002/stvr.1804")
        // The journal's record as a feed without abstracts gives it: title, authors, DOI, the journal.
        let journal = Paper(key: doi, source: "wiley", nativeID: "10.1002/stvr.1804", version: nil,
                            title: preprint.title, abstract: "", authors: ["Yuqing Wang", "Mika V. Mäntylä"],
                            categories: ["Software Testing, Verification and Reliability"], doi: "10.1002/stvr.1804",
                            journalRef: "Journal of Software: Testing, Verification and Reliability (2022)")

        for order in [[preprint, journal], [journal, preprint]] {
            let library = try TemporaryLibrary()
            #expect(try library.store.upsert([order[0]]) == [.new])
            #expect(try library.store.upsert([order[1]]) == [.updated])
            #expect(try library.store.count() == 1)
            #expect(try library.store.paper(key: doi) == nil)
            let stored = try #require(try library.store.paper(key: preprint.key))
            // Under the arXiv key, the arXiv source, id and primary category.
            #expect(stored.paper.categories == ["cs.SE", "Software Testing, Verification and Reliability"])
            #expect(stored.paper.source == "arxiv" && stored.paper.nativeID == "2202.09076")
            #expect(stored.paper.journalRef == journal.journalRef)
            #expect(stored.paper.abstract == preprint.abstract)
            #expect(stored.paper.published == "2022-02-18")
            #expect(Set(stored.versions.map(\.source)) == ["arxiv", "wiley"])
            #expect(try library.store.paperID(doi: "10.1002/STVR.1804") != nil)
            // Met again, either record changes nothing.
            #expect(try library.store.upsert(order) == [.unchanged, .unchanged])
            #expect(try library.store.search(parser.parse("multivocal"), limit: 10).total == 1)
        }
    }

    /// Two arXiv papers are two works even when they give one DOI (a proceedings volume's), and a journal
    /// record with that DOI then names neither: it is kept as a paper of its own.
    @Test func aDOIThatSeveralPapersGiveMergesNothing() throws {
        let library = try TemporaryLibrary()
        var first = paper("2606.00001", "Sparse attention", "We study sparse attention.")
        var second = paper("2606.00002", "Dense retrieval", "Dense retrieval for question answering.")
        first.doi = "10.1109/icst.2026.00001"
        second.doi = first.doi
        #expect(try library.store.upsert([first, second]) == [.new, .new])
        let volume = Paper(key: PaperKey(rawValue: "doi:10.1109/icst.2026.00001"), source: "ieee", nativeID: "10.1109/icst.2026.00001",
                           version: nil, title: "Proceedings", abstract: "", published: "2026-06-16", doi: "10.1109/icst.2026.00001")
        #expect(try library.store.upsert([volume]) == [.new])
        #expect(try library.store.count() == 3)
        // One arXiv paper giving a DOI whose record has a title of other words: two works.
        var third = paper("2606.00003", "Sparse retrieval for long documents", "Sparse retrieval.")
        third.doi = "10.1109/icst.2026.00003"
        var other = volume
        (other.key, other.nativeID, other.doi) = (PaperKey(rawValue: "doi:10.1109/icst.2026.00003"), "10.1109/icst.2026.00003", third.doi)
        #expect(try library.store.upsert([third, other]) == [.new, .new])
        #expect(SQLitePaperStore.titlesAgree("Improving Test Automation Maturity: a Multivocal Literature Review",
                                             "Improving test automation maturity: A multivocal literature review"))
        #expect(SQLitePaperStore.titlesAgree("Café-based models", "Cafe based models, revisited"))
        #expect(!SQLitePaperStore.titlesAgree("Sparse retrieval for long documents", "Proceedings"))
        #expect(!SQLitePaperStore.titlesAgree("", "Proceedings"))
    }

    /// A digest's record without an id (kept under its title's slug) and an arXiv paper are one only under the
    /// same title: slugs stop at 80 characters, so two titles alike that far stay two papers; a short title
    /// ("Preface") never merges.
    @Test func aDigestRecordMergesOnlyUnderTheSameTitle() throws {
        let library = try TemporaryLibrary()
        func digest(_ title: String) -> Paper {
            var record = paper(PaperKey.slug(title), title, "Digest text.", version: nil)
            record.key = PaperKey(rawValue: "arxiv:" + PaperKey.slug(title))
            return record
        }
        let long = "Measurement of the inclusive jet cross-section in proton-proton collisions at a centre-of-mass energy of "
        #expect(PaperKey.slug(long + "8 TeV") == PaperKey.slug(long + "7 TeV"))
        #expect(try library.store.upsert([digest(long + "8 TeV")]) == [.new])
        #expect(try library.store.upsert([paper("2606.00011", long + "7 TeV", "Seven.")]) == [.new])
        #expect(try library.store.count() == 2)
        #expect(try library.store.upsert([digest("Preface")]) == [.new])
        #expect(try library.store.upsert([paper("2606.00012", "Preface", "Another preface.")]) == [.new])
        #expect(try library.store.count() == 4)
        // Two papers titled alike are both found by the title, so that neither is taken for it.
        #expect(try library.store.paperIDs(title: "PREFACE").count == 2)
        // The same title (case aside) is one paper, under the arXiv id.
        #expect(try library.store.upsert([digest("Sparse Attention For Long Documents")]) == [.new])
        #expect(try library.store.upsert([paper("2606.00013", "Sparse attention for long documents", "Sparse.")]) != [.new])
        #expect(try library.store.count() == 5 && library.store.paper(key: PaperKey(rawValue: "arxiv:2606.00013")) != nil)
    }

    /// Two records with no id whose titles share their first 80 characters (the slug's length) are two papers:
    /// the second is keyed by the slug and a hash of its whole title, the same when it comes again; the first
    /// keeps its key, and a record of the same title (case and punctuation aside) is still the first.
    @Test func titleKeyedPapersAlikeFor80CharactersStayTwo() throws {
        let library = try TemporaryLibrary()
        func record(_ title: String, _ abstract: String) -> Paper {
            let slug = PaperKey.slug(title)
            return Paper(key: PaperKey(rawValue: "biorxiv:" + slug), source: "biorxiv", nativeID: slug, version: nil, title: title,
                         abstract: abstract, authors: [], categories: [], published: "2026-06-16")
        }
        let long = "Measurement of the inclusive jet cross-section in proton-proton collisions at a centre-of-mass energy of "
        let eight = record(long + "8 TeV", "Eight."), seven = record(long + "7 TeV", "Seven.")
        #expect(eight.key == seven.key)
        #expect(try library.store.upsert([eight]) == [.new])
        #expect(try library.store.upsert([seven]) == [.new])
        #expect(try library.store.upsert([seven]) == [.unchanged])
        #expect(try library.store.upsert([record((long + "8 TeV").uppercased(), "Eight again.")]) == [.unchanged])
        #expect(try library.store.count() == 2)
        #expect(try library.store.paper(key: eight.key)?.paper.abstract == "Eight.")
        let hashed = PaperKey(rawValue: seven.key.rawValue + "-" + PaperKey.hash(PaperKey.slug(long + "7 TeV", limit: .max)))
        #expect(try library.store.paper(key: hashed)?.paper.abstract == "Seven.")
    }

    @Test func newerVersionUpdatesAndKeepsHistory() throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([paper("2606.00001", "Sparse attention", "First abstract.", version: "v1")])
        let outcome = try library.store.upsert([paper("2606.00001", "Sparse attention, revised", "Second abstract.", version: "v2", date: "2026-06-20")])
        #expect(outcome == [.updated])
        let stored = try #require(try library.store.paper(key: PaperKey(rawValue: "arxiv:2606.00001")))
        #expect(stored.paper.title == "Sparse attention, revised")
        #expect(stored.versions.map(\.version) == ["v1", "v2"])
        // The index follows the new text and forgets the old.
        #expect(try library.store.search(parser.parse("revised"), limit: 5).total == 1)
        #expect(try library.store.search(parser.parse("first"), limit: 5).total == 0)
        // An older version arriving late changes nothing.
        #expect(try library.store.upsert([paper("2606.00001", "Sparse attention", "First abstract.", version: "v1")]) == [.unchanged])
    }

    /// Records without versions (OAI-PMH, journals' feeds): one that says it was updated later brings its
    /// text; one no later leaves the first text as it was.
    @Test func aRecordRevisedInPlaceBringsItsText() throws {
        let library = try TemporaryLibrary()
        var first = paper("2606.55555", "Old title", "Old abstract.", version: nil)
        first.updated = "2026-06-10"
        _ = try library.store.upsert([first])
        var same = paper("2606.55555", "Other wording", "Other abstract.", version: nil)
        same.updated = "2026-06-10"
        #expect(try library.store.upsert([same]) == [.unchanged])
        var revised = paper("2606.55555", "New title", "New abstract.", version: nil)
        revised.updated = "2026-07-01"
        #expect(try library.store.upsert([revised]) == [.updated])
        let stored = try #require(try library.store.paper(key: PaperKey(rawValue: "arxiv:2606.55555")))
        #expect(stored.paper.title == "New title" && stored.paper.abstract == "New abstract." && stored.paper.date == "2026-07-01")
        #expect(try library.store.search(parser.parse("new"), limit: 5).total == 1)
        #expect(try library.store.search(parser.parse("old"), limit: 5).total == 0)
        #expect(try library.store.upsert([first]) == [.unchanged])
        // The same text stamped later (a feed's build time) is no revision: the date stays.
        var restamped = revised
        restamped.updated = "2026-08-01"
        #expect(try library.store.upsert([restamped]) == [.unchanged])
    }

    @Test func crossListingMergesCategories() throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([paper("2606.00001", "Sparse attention", "Text.", categories: ["cs.CL"])])
        #expect(try library.store.upsert([paper("2606.00001", "Sparse attention", "Text.", categories: ["cs.LG"])]) == [.updated])
        #expect(try library.store.search(parser.parse("cat:cs.lg"), limit: 5).total == 1)
        #expect(try library.store.search(parser.parse("cat:cs.CL"), limit: 5).total == 1)
    }

    @Test func bm25RanksTitleMatchesFirstAndFindsPartialMatches() throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([
            // Holds both words in its abstract only.
            paper("2606.00001", "A study of language", "Graph methods for neural parsing."),
            // Holds both words in its title: ranks first.
            paper("2606.00002", "Graph neural networks", "We propose a model."),
            // Holds one word: still found, ranked last.
            paper("2606.00003", "Neural machine translation", "Sequence models."),
            // Holds neither.
            paper("2606.00004", "Protein folding", "Structures."),
        ])
        let page = try library.store.search(parser.parse("graph neural"), limit: 10)
        #expect(page.total == 3)
        #expect(page.hits.map(\.paper.nativeID) == ["2606.00002", "2606.00001", "2606.00003"])
        #expect(page.hits[0].highlightedTitle.contains("\(Highlight.open)Graph\(Highlight.close)"))
    }

    /// `C++` is searched as itself: not every paper with a lone C, and highlighted whole.
    @Test func aLanguageNameFindsItselfNotTheLetter() throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([
            paper("2606.00021", "Template metaprogramming in C++", "Compile-time code in C++17."),
            paper("2606.00022", "Vitamin C and sleep", "Doses of vitamin C."),
            paper("2606.00023", "Asynchronous code in C#", "Tasks in C# and F#."),
        ])
        let cpp = try library.store.search(parser.parse("C++"), limit: 10)
        #expect(cpp.hits.map(\.paper.nativeID) == ["2606.00021"])
        #expect(cpp.hits.first?.highlightedTitle.contains("\(Highlight.open)C++\(Highlight.close)") == true)
        #expect(try library.store.search(parser.parse("C#"), limit: 10).hits.map(\.paper.nativeID) == ["2606.00023"])
        #expect(try library.store.search(parser.parse("vitamin C"), limit: 10).hits.first?.paper.nativeID == "2606.00022")
        #expect(try library.store.search(parser.parse("code -C#"), limit: 10).hits.map(\.paper.nativeID) == ["2606.00021"])
    }

    @Test func snippetHighlightsLandOnTheMatchedWords() throws {
        let library = try TemporaryLibrary()
        let abstract = "Les réseaux de neurones: we train $\\mathcal{O}(n)$ 神经网络 models on <b>graphs</b> quickly."
        _ = try library.store.upsert([paper("2606.00009", "Title", abstract)])
        let hit = try #require(try library.store.search(parser.parse("graphs"), limit: 1).hits.first)
        #expect(hit.snippet.contains("\(Highlight.open)graphs\(Highlight.close)"))
        let zh = try #require(try library.store.search(parser.parse("神经网络"), limit: 1).hits.first)
        #expect(zh.snippet.contains(Highlight.open + "神经"))
    }

    /// A word too long to index makes no token, so FTS5's snippet of 40 tokens took all of it: the snippet is cut
    /// to a few hundred bytes around its match, marks closed.
    @Test func aSnippetStaysShortBesideAnUnindexedWord() throws {
        let library = try TemporaryLibrary()
        let sequence = String(repeating: "ACGT", count: 20_000)
        _ = try library.store.upsert([paper("2606.00010", "Narwhal genome", "The assembled narwhal contig " + sequence + " ends here.")])
        let hit = try #require(try library.store.search(parser.parse("narwhal contig"), limit: 1).hits.first)
        #expect(hit.snippet.utf8.count < 700, "\(hit.snippet.utf8.count) bytes")
        #expect(hit.snippet.contains("\(Highlight.open)narwhal\(Highlight.close) \(Highlight.open)contig\(Highlight.close)") && hit.snippet.hasSuffix("…"))
        #expect(hit.snippet.filter { $0 == Character(Highlight.open) }.count == hit.snippet.filter { $0 == Character(Highlight.close) }.count)
    }

    @Test func filtersRestrictResults() throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([
            paper("2606.00001", "Graph models", "A.", date: "2026-06-10", authors: ["Ada Lovelace"]),
            paper("2606.00002", "Graph models two", "B.", date: "2026-06-20", authors: ["Alan Turing"], source: "biorxiv"),
        ])
        #expect(try library.store.search(parser.parse("graph after:2026-06-15"), limit: 5).hits.map(\.paper.nativeID) == ["2606.00002"])
        #expect(try library.store.search(parser.parse("graph before:2026-06-15"), limit: 5).hits.map(\.paper.nativeID) == ["2606.00001"])
        #expect(try library.store.search(parser.parse("graph author:turing"), limit: 5).hits.map(\.paper.nativeID) == ["2606.00002"])
        #expect(try library.store.search(parser.parse("source:biorxiv"), limit: 5).total == 1)
        #expect(try library.store.search(parser.parse("graph -two"), limit: 5).hits.map(\.paper.nativeID) == ["2606.00001"])
        // Only filters and an exclusion: the exclusion still applies.
        #expect(try library.store.search(parser.parse("cat:cs.CL -two"), limit: 5).hits.map(\.paper.nativeID) == ["2606.00001"])
        // A negative limit is not "no limit".
        #expect(try library.store.search(parser.parse("graph"), limit: -1).hits.isEmpty)
    }

    /// An arXiv archive alone is all its categories and itself: `cat:cs` is cs.CL, not math.CO, not csx;
    /// in exclusions too; LIKE's wildcards typed in a category are letters.
    @Test func anArchiveIsAllItsCategories() throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([
            paper("2606.00001", "Graph models", "A."),
            paper("2606.00002", "Graph models two", "B.", categories: ["cs"]),
            paper("2606.00003", "Graph models three", "C.", categories: ["math.CO"]),
            paper("2606.00004", "Graph models four", "D.", categories: ["csx"]),
        ])
        func ids(_ text: String) throws -> [String] { try library.store.search(parser.parse(text), limit: 10).hits.map(\.paper.nativeID).sorted() }
        #expect(try ids("graph cat:cs") == ["2606.00001", "2606.00002"])
        #expect(try ids("graph cat:CS") == ["2606.00001", "2606.00002"])
        #expect(try ids("graph -cat:cs") == ["2606.00003", "2606.00004"])
        #expect(try ids("graph cat:cs.CL") == ["2606.00001"])
        #expect(try ids("graph cat:c%").isEmpty && ids("graph cat:c_").isEmpty)
    }

    @Test(arguments: ["NEAR(a b)", "AND", "title: x", "\"unbalanced", "a OR OR b", "^start", "col:umn*", "{title}: x"])
    func userTypedFTS5SyntaxNeverReachesSQLiteRaw(_ text: String) throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([paper("2606.00001", "Near and far", "Columns of text.")])
        do {
            let query = try parser.parse(text)
            _ = try library.store.search(query, limit: 5)
        } catch is QueryError {
            // A clear parse error is an answer too.
        }
    }

    @Test func stockTokenizerLibraryWorksForComparison() throws {
        let library = try TemporaryLibrary(tokenizer: .porterUnicode61)
        _ = try library.store.upsert([paper("2606.00001", "Graph networks", "Text.")])
        #expect(try library.store.tokenizer == .porterUnicode61)
        #expect(try library.store.search(parser.parse("graph"), limit: 5).total == 1)
    }
}

@Suite struct AnalyzerSignatureTests {
    /// A library whose index another analyzer built (here: a recorded signature that differs) is
    /// re-indexed on open, and searching and the integrity check still hold.
    @Test func anIndexFromAnotherAnalyzerIsRebuiltOnOpen() throws {
        let library = try TemporaryLibrary()
        _ = try library.store.upsert([paper("2606.00001", "Graph networks", "Message passing.")])
        try library.store.setMeta("analyzer", "analyzer 0, icu 1.0")
        let reopened = try SQLitePaperStore(path: library.store.path)
        #expect(try reopened.meta("analyzer") == SQLitePaperStore.analyzerSignature)
        #expect(try reopened.search(QueryParser(analyzer: Analyzer()).parse("passing"), limit: 5).total == 1)
        try reopened.checkIntegrity()
    }
}

@Suite struct VectorTableMigrationTests {
    /// A library made before vectors moved to a rowid table keeps its vectors, and a new version of a paper
    /// still drops that paper's old vector.
    @Test func vectorsSurviveTheMoveToARowidTable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("library.sqlite").path
        var config = Configuration()
        config.prepareDatabase { $0.add(tokenizer: AnalyzerTokenizer.self) }
        let old = try DatabaseQueue(path: path, configuration: config)
        try Schema.migrator(tokenizer: .ahub).migrate(old, upTo: "v4-vocabulary")
        let vector: [Float] = [0.6, 0.8, 0]
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO papers(id, key, source, native_id, version, title, authors, abstract, categories)
                VALUES (1, 'arxiv:2606.00001', 'arxiv', '2606.00001', 'v1', 'Sparse attention', '', 'First.', '[]')
                """)
            try db.execute(sql: "INSERT INTO papers_fts(rowid, title, authors, abstract) VALUES (1, 'Sparse attention', '', 'First.')")
            try db.execute(sql: "INSERT INTO vectors(paper_id, model, dimension, data) VALUES (1, 'm', 3, ?)",
                           arguments: [vector.withUnsafeBufferPointer { Data(buffer: $0) }])
        }
        try old.close()

        let store = try SQLitePaperStore(path: path)
        var read: [(Int64, [Float])] = []
        try store.forEachVector(model: "m", dimension: 3) { _, id, vector in read.append((id, Array(vector))) }
        #expect(read.count == 1 && read[0].0 == 1 && read[0].1 == vector)
        #expect(try store.vectorCount(model: "m", dimension: 3) == 1)
        _ = try store.upsert([paper("2606.00001", "Sparse attention", "Second.", version: "v2")])
        #expect(try store.vectorCount(model: "m", dimension: 3) == 0)
    }
}

@Suite struct OpeningTests {
    func freshPath() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("library.sqlite").path)
    }

    /// Several processes (here connections) opening a new library at once all get it: whoever is second
    /// to a schema step finds it done and goes on, rather than failing on tables that exist.
    @Test func aNewLibraryOpenedFourTimesAtOnceOpensEveryTime() throws {
        for _ in 0..<8 {
            let (directory, path) = try freshPath()
            defer { try? FileManager.default.removeItem(at: directory) }
            let failures = LockedFailures()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do { _ = try SQLitePaperStore(path: path) } catch { failures.append("\(error)") }
            }
            #expect(failures.all.isEmpty, "\(failures.all)")
            let store = try SQLitePaperStore(path: path)
            #expect(try store.upsert([paper("2606.00001", "Graph networks", "Message passing.")]) == [.new])
        }
    }

    /// A library whose schema has steps this code does not know is refused by name, and left as it was.
    @Test func aLibraryFromANewerAhubIsRefused() throws {
        let (directory, path) = try freshPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try SQLitePaperStore(path: path).upsert([paper("2606.00001", "Graph networks", "Message passing.")])
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-future')") }
        try queue.close()
        #expect { try SQLitePaperStore(path: path) } throws: { "\($0)".contains("was made by a newer ahub (schema v99-future") }
    }
}

final class LockedFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}

@Suite struct BusyErrorTests {
    /// SQLite's busy and locked results are told apart from faults (the server answers 503 for them).
    @Test func busyAndLockedAreBusy() {
        #expect(SQLitePaperStore.isBusy(DatabaseError(resultCode: .SQLITE_BUSY)))
        #expect(SQLitePaperStore.isBusy(DatabaseError(resultCode: .SQLITE_LOCKED)))
        #expect(!SQLitePaperStore.isBusy(DatabaseError(resultCode: .SQLITE_CORRUPT)))
        #expect(!SQLitePaperStore.isBusy(CocoaError(.fileNoSuchFile)))
        #expect(SQLitePaperStore.isDiskFull(DatabaseError(resultCode: .SQLITE_FULL)) && !SQLitePaperStore.isDiskFull(DatabaseError(resultCode: .SQLITE_BUSY)))
    }
}
