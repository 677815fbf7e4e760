import Foundation
import HubCore
import HubFeeds
import HubStore
import Testing
@testable import AcademicHub

/// Semantic and hybrid search on the seed papers, with the real model (installed by scripts/setup).
@Suite(.serialized) struct SemanticTests {
    /// The seed papers, embedded once for the suite.
    static let library: Result<ScratchHub, Error> = Result {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("seed-papers.jsonl")])
        let report = try scratch.hub.embedMissing(batch: 16)
        guard report.embedded == 46 else { throw HubError("embedded \(report.embedded)") }
        return scratch
    }

    @Test func findsAPaperByMeaningNotWords() throws {
        let hub = try Self.library.get().hub
        let results = try hub.search("mothers who feel sorrow when nursing their baby does not work out", mode: .semantic, limit: 3)
        #expect(results.mode == "semantic")
        #expect(results.hits.first?.paper.title.hasPrefix("Preventing postpartum depression through mitigating breastfeeding grief") == true,
                "\(results.hits.map(\.paper.title))")
        #expect(results.hits.first.map { $0.score > 0.3 && $0.score <= 1 } == true, "a cosine")
    }

    @Test func filtersApplyToTheVectorScan() throws {
        let hub = try Self.library.get().hub
        let results = try hub.search("deep learning for proteins source:biorxiv", mode: .semantic, limit: 10)
        #expect(!results.hits.isEmpty && results.hits.allSatisfy { $0.paper.source == "biorxiv" })
        #expect(results.hits.count == 3, "every bioRxiv seed, nothing else")
        let dated = try hub.search("language models before:2026-06-15", mode: .hybrid, limit: 50)
        #expect(dated.hits.allSatisfy { ($0.paper.date ?? "") <= "2026-06-15" })
        // Negated filters leave out what they match, and author: holds in the vector scan too (it had
        // been applied to the keyword list alone). The seed papers carry no authors.
        let elsewhere = try hub.search("deep learning for proteins -source:biorxiv", mode: .semantic, limit: 50)
        // Filters alone list the papers they keep in every mode (hybrid and semantic had found none).
        for mode in Hub.SearchMode.allCases {
            let listed = try hub.search("source:biorxiv", mode: mode, limit: 10)
            #expect(listed.total == 3 && listed.hits.allSatisfy { $0.paper.source == "biorxiv" }, "\(mode)")
        }
        let everywhere = try hub.search("deep learning for proteins", mode: .semantic, limit: 50)
        #expect(elsewhere.hits.map(\.paper.key) == everywhere.hits.filter { $0.paper.source != "biorxiv" }.map(\.paper.key))
        #expect(elsewhere.hits.count == everywhere.hits.count - 3)
        let category = try #require(elsewhere.hits.first?.paper.categories.first)
        for mode in Hub.SearchMode.allCases {
            let without = try hub.search("language models -cat:\(category)", mode: mode, limit: 50)
            #expect(!without.hits.isEmpty && !without.hits.contains { $0.paper.categories.contains(category) }, "\(mode)")
            #expect(try hub.search("language models author:Hinton", mode: mode, limit: 50).hits.isEmpty, "\(mode)")
        }
    }

    /// The operators an input method types mean what the ASCII ones mean by meaning too: the embedder reads the
    /// same words (the full-width minus and colon had been embedded as text). Two hyphens are a word, not a minus.
    @Test func typedOperatorsMeanTheSameByMeaning() throws {
        let hub = try Self.library.get().hub
        let ascii = #""language models" -survey cat:cs.CL diffusion*"#
        for typed in ["“language models” －survey cat：cs.CL diffusion＊", "「language models」 −survey ｃａｔ：cs.CL diffusion*"] {
            for mode in [Hub.SearchMode.semantic, .hybrid] {
                let expected = try hub.search(ascii, mode: mode, limit: 50), got = try hub.search(typed, mode: mode, limit: 50)
                #expect(!expected.hits.isEmpty && got.hits.map(\.paper.key) == expected.hits.map(\.paper.key)
                        && got.hits.map(\.score) == expected.hits.map(\.score), "\(typed) \(mode)")
            }
        }
        #expect(Hub.semanticText("speech --recognition -survey cat：cs.CL category:cs.SD") == "speech --recognition")
    }

    @Test func hybridFusesBothLists() throws {
        let hub = try Self.library.get().hub
        let hybrid = try hub.search("energy consumption when training large models", mode: .hybrid, limit: 5)
        #expect(hybrid.mode == "hybrid")
        #expect(hybrid.hits.first?.paper.title.hasPrefix("Kareus: Joint Reduction of Dynamic and Static Energy") == true,
                "\(hybrid.hits.map(\.paper.title))")
        let keyword = try hub.search("energy consumption when training large models", mode: .keyword, limit: 5)
        #expect(keyword.mode == "keyword")
        // The words are marked in the hybrid list as in the keyword one, in the papers that hold them.
        let top = try #require(hybrid.hits.first)
        #expect(top.highlightedTitle.contains(Highlight.open + "Energy" + Highlight.close), "\(top.highlightedTitle)")
        #expect(hybrid.hits.allSatisfy { hit in hit.scores["keyword"] != nil || !hit.snippet.contains(Highlight.open) })
    }

    /// A word one paper holds: that paper leads, and the papers without it have only their semantic half
    /// (at most 0.5), not the one keyword hit's score lent to them all.
    @Test func oneKeywordHitLendsItsScoreToNoOne() throws {
        let hub = try Self.library.get().hub
        let hybrid = try hub.search("kicked", mode: .hybrid, limit: 10)
        #expect(hybrid.mode == "hybrid" && hybrid.hits.first?.paper.key.rawValue == "arxiv:2606.13857", "\(hybrid.hits.map(\.paper.title))")
        let withoutTheWord = hybrid.hits.filter { $0.scores["keyword"] == nil }
        #expect(!withoutTheWord.isEmpty && withoutTheWord.allSatisfy { $0.score <= 0.5 }, "\(withoutTheWord.map(\.score))")
    }

    /// Words no paper holds: hybrid gives the nearest by meaning as semantic search does, with their cosines,
    /// and says so (mode semantic); fused, the nearest of unrelated papers had scored a perfect 1.
    @Test func hybridWithoutAWordMatchIsTheMeaningListAsItIs() throws {
        let hub = try Self.library.get().hub
        #expect(try hub.search("xyzzyqq", mode: .keyword, limit: 5).total == 0)
        let hybrid = try hub.search("xyzzyqq", mode: .hybrid, limit: 5)
        let semantic = try hub.search("xyzzyqq", mode: .semantic, limit: 5)
        #expect(hybrid.mode == "semantic" && !hybrid.hits.isEmpty)
        #expect(hybrid.hits.map(\.paper.key) == semantic.hits.map(\.paper.key))
        #expect(hybrid.hits.allSatisfy { $0.score == $0.scores["semantic"] && $0.scores["fused"] == nil })
        #expect(hybrid.hits.first.map { $0.score < 0.5 } == true, "a far cosine, not 1: \(hybrid.hits.map(\.score))")
        #expect(!hybrid.notices.contains { $0.kind == "filtered" })
        // Words papers hold, every one of them left out by an exclusion or a filter: the meaning list of the
        // papers kept, said as such (it had said no paper holds the words).
        let holders = try hub.search("kicked", mode: .keyword, limit: 5).total
        for query in ["kicked -kicked", "kicked source:biorxiv"] {
            let filtered = try hub.search(query, mode: .hybrid, limit: 5)
            #expect(filtered.mode == "semantic" && !filtered.hits.isEmpty, "\(query)")
            #expect(filtered.notices.contains(SearchNotice(kind: "filtered", count: holders,
                message: "\(holders) paper\(holders == 1 ? " holds" : "s hold") these words, but the query's filters and exclusions leave \(holders == 1 ? "it" : "them all") out.")),
                "\(query): \(filtered.notices)")
        }
    }

    /// Words all in quotes ask for that wording: hybrid lists the papers that hold it, ordered by words and
    /// meaning together (it had added every paper near in meaning, as for unquoted words); a phrase no paper
    /// holds finds nothing, not the nearest papers by meaning.
    @Test func quotedWordsAloneAreExactInHybrid() throws {
        let hub = try Self.library.get().hub
        let loose = try hub.search("language models", mode: .hybrid, limit: 50)
        #expect(loose.hits.contains { $0.scores["keyword"] == nil }, "unquoted words also list papers near in meaning")
        let keyword = try hub.search(#""language models""#, mode: .keyword, limit: 50)
        let exact = try hub.search(#""language models""#, mode: .hybrid, limit: 50)
        #expect(exact.mode == "hybrid" && keyword.total > 1)
        #expect(Set(exact.hits.map(\.paper.key)) == Set(keyword.hits.map(\.paper.key)) && exact.total == keyword.total,
                "\(exact.hits.map(\.paper.title))")
        #expect(exact.hits.allSatisfy { $0.scores["keyword"] != nil && $0.scores["semantic"] != nil && $0.scores["fused"] != nil })
        // Either of two phrases, with a filter; the meaning list keeps the filter.
        let either = try hub.search(#""language models" OR "protein" -cat:cs.CL"#, mode: .hybrid, limit: 50)
        let eitherByWords = try hub.search(#""language models" OR "protein" -cat:cs.CL"#, mode: .keyword, limit: 50)
        #expect(!either.hits.isEmpty && Set(either.hits.map(\.paper.key)) == Set(eitherByWords.hits.map(\.paper.key)))
        let nowhere = try hub.search(#""kicked language models""#, mode: .hybrid, limit: 10)
        #expect(nowhere.total == 0 && nowhere.hits.isEmpty && nowhere.mode == "hybrid")
        // Unquoted, the same words still reach for meaning where no paper holds them all.
        #expect(try hub.search("xyzzyqq kicked", mode: .hybrid, limit: 50).hits.contains { $0.scores["keyword"] == nil })
    }

    /// Hybrid goes on past the lists ranked 1,000 deep with the rest of the papers holding the words: it finds
    /// every paper keyword search finds, under one total on every page (a user test found "cell" stopping at
    /// 1,437 of its 2,530 on scifact). Unembedded here, so hybrid holds exactly the papers with the word.
    @Test func hybridFindsEveryPaperHoldingTheWords() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("eval/scifact/corpus.jsonl")])
        let words = try scratch.hub.search("cell", mode: .keyword, limit: 1).total
        #expect(words > 2 * SQLitePaperStore.maxPage)
        var keys: [String] = [], totals = Set<Int>()
        for offset in stride(from: 0, through: words, by: SQLitePaperStore.maxPage) {
            let page = try scratch.hub.search("cell", mode: .hybrid, limit: SQLitePaperStore.maxPage, offset: offset)
            #expect(page.mode == "hybrid")
            keys += page.hits.map(\.paper.key.rawValue)
            totals.insert(page.total)
        }
        #expect(totals == [words] && keys.count == words && Set(keys).count == words, "\(totals), \(keys.count) listed of \(words)")
    }

    /// Paging through a hybrid search past the first 100 of each list: every page a slice of one order, no
    /// paper twice, none skipped (the fusion depth had followed the offset).
    @Test func hybridPagesAreSlicesOfOneOrder() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("arxiv-api")])
        _ = try scratch.hub.embedMissing(batch: 32)
        let whole = try scratch.hub.search("software testing", mode: .hybrid, limit: 300)
        #expect(whole.hits.count > 100, "the semantic list is full, so the deeper lists are asked: \(whole.hits.count)")
        var paged: [String] = []
        for offset in stride(from: 0, to: whole.total, by: 10) {
            let page = try scratch.hub.search("software testing", mode: .hybrid, limit: 10, offset: offset)
            paged += page.hits.map(\.paper.key.rawValue)
        }
        #expect(paged == whole.hits.map(\.paper.key.rawValue))
        #expect(Set(paged).count == paged.count)
        // One total on every page, in each mode: it had counted the head alone (100) until a page went past it
        // (then 137), so a pager stopped early; the head's last page had stopped there too.
        for mode in [Hub.SearchMode.hybrid, .semantic] {
            let all = try scratch.hub.search("software testing", mode: mode, limit: 1_000).total
            let totals = try [0, 90, 120].map { try scratch.hub.search("software testing", mode: mode, limit: 10, offset: $0).total }
            #expect(all > 100 && totals == [all, all, all], "\(mode): \(totals) against \(all)")
        }
        // An offset near Int.max is past the last page in every mode, not an arithmetic overflow.
        for mode in [Hub.SearchMode.hybrid, .semantic, .keyword] {
            let far = try scratch.hub.search("software testing", mode: mode, limit: 10, offset: Int.max - 9)
            #expect(far.hits.isEmpty, "\(mode)")
        }
    }

    /// Papers the model cannot read are counted as such, not passed off as embedded for meaning.
    @Test func papersTheModelCannotReadAreCounted() throws {
        let scratch = try ScratchHub()
        let folder = scratch.directory.appendingPathComponent("csl")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: fixture("eval/csl-zh/corpus.jsonl"), encoding: .utf8).split(separator: "\n").prefix(3)
        try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("corpus.jsonl"))
        _ = try scratch.hub.importFiles([folder.appendingPathComponent("corpus.jsonl").path, fixture("nature")])
        let report = try scratch.hub.embedMissing()
        #expect(report.embedded == 4 && report.unreadable == 3, "\(report)")
    }

    @Test func embeddingIsIncrementalAndFollowsNewText() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("nature")])
        #expect(try scratch.hub.embedMissing().embedded == 1)
        #expect(try scratch.hub.embedMissing().embedded == 0, "nothing left to embed")
        let semantic = try scratch.hub.search("whales", mode: .semantic)
        #expect(semantic.hits.count == 1)
        // A new version with other text drops the stale vector; embedding again restores it.
        _ = try scratch.hub.importFiles([fixture("arxiv-api")])
        // Stopped (Ctrl-C) between batches: what is done stays done, the rest comes next time.
        let stop = CancellationFlag()
        let stopped = try scratch.hub.embedMissing(batch: 4, cancel: stop) { done, _ in if done >= 4 { stop.set() } }
        #expect(stopped.stopped && stopped.embedded == 4)
        #expect(try scratch.hub.embedMissing().embedded > 1)
        var paper = try #require(try scratch.hub.store.paper(key: PaperKey(rawValue: "arxiv:2104.12255"))).paper
        paper.version = "v9"
        paper.abstract += " A later version says more."
        paper.updated = "2026-07-01"
        #expect(try scratch.hub.store.upsert([paper]) == [.updated])
        #expect(try scratch.hub.store.countWithoutVectors(model: "all-MiniLM-L6-v2") == 1)
        #expect(try scratch.hub.embedMissing().embedded == 1)
        #expect(try scratch.hub.search("whales", mode: .semantic).hits.first?.paper.source == "nature")
    }

    /// `ahub serve` holds the vectors in memory while `ahub import` (another process) adds papers and their
    /// vectors: two hubs on one file stand for the two processes. The one that loaded first catches up.
    @Test func vectorsAnotherProcessStoredAreSeen() throws {
        let server = try ScratchHub()
        _ = try server.hub.importFiles([fixture("nature")])
        _ = try server.hub.embedMissing()
        #expect(try server.hub.search("whales", mode: .semantic).hits.count == 1, "the store is built")

        let cli = try Hub(libraryPath: server.path)
        _ = try cli.importFiles([fixture("arxiv-api")])
        #expect(try cli.embedMissing().embedded > 1)
        let query = "testing software with generated test cases"
        let expected = try cli.search(query, mode: .semantic, limit: 5).hits.map(\.paper.key)
        #expect(expected.count == 5)
        #expect(try server.hub.search(query, mode: .semantic, limit: 5).hits.map(\.paper.key) == expected)

        // A paper embedded again (new text) and a paper whose vector is gone: the store is built afresh.
        var paper = try #require(try cli.store.paper(key: expected[0])).paper
        paper.version = "v9"
        paper.abstract = "Humpback whales sing long songs in the ocean."
        paper.updated = "2026-07-01"
        #expect(try cli.store.upsert([paper]) == [.updated])
        let withoutIt = try cli.search(query, mode: .semantic, limit: 5).hits.map(\.paper.key)
        #expect(!withoutIt.contains(expected[0]))
        #expect(try server.hub.search(query, mode: .semantic, limit: 5).hits.map(\.paper.key) == withoutIt,
                "its stale vector is no longer read")
        #expect(try cli.embedMissing().embedded == 1)
        let whales = try server.hub.search("whales singing", mode: .semantic, limit: 2).hits.map(\.paper.key)
        #expect(whales.contains(expected[0]), "\(whales)")
    }

    @Test func moreLikeThisByMeaningAndTerms() throws {
        let hub = try Self.library.get().hub
        let kareus = try #require(try hub.search("Kareus energy", limit: 1).hits.first).paper
        let similar = try hub.similar(kareus.key.rawValue, limit: 5)
        #expect(similar.mode == "similar")
        #expect(similar.hits.count == 5)
        #expect(similar.hits.allSatisfy { $0.scores["fused"] == $0.score && $0.scores["terms"] != nil && $0.scores["semantic"] != nil })
        #expect(!similar.hits.contains { $0.paper.key == kareus.key }, "itself excluded")
        // Energy in large-model training is nearest, among the seeds, to pretraining an LLM on distributed GPUs.
        #expect(similar.hits.contains { $0.paper.title.hasPrefix("Pretraining A Large Language Model using Distributed GPUs") },
                "\(similar.hits.map(\.paper.title))")

        // The paper listed on both digest pages is one paper: it never appears as like itself.
        let pretraining = try #require(try hub.search("\"Memory-Efficient Decentralize\"", limit: 1).hits.first).paper
        let like = try hub.similar(pretraining.key.rawValue, limit: 45)
        #expect(!like.hits.contains { $0.paper.title == pretraining.title })
        #expect(throws: HubError.self) { try hub.similar("arxiv:0000.00000") }
    }

    @Test func moreLikeThisWithoutVectorsUsesTerms() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("arxiv-api")])
        let paper = try #require(try scratch.hub.search("testing", limit: 1).hits.first).paper
        let similar = try scratch.hub.similar(paper.key.rawValue, limit: 3)
        #expect(similar.mode == "similar-terms" && similar.hits.count == 3)
        #expect(similar.hits.allSatisfy { $0.scores["fused"] == $0.score && ($0.scores["terms"] ?? 0) > 0 && $0.scores["semantic"] == nil },
                "\(similar.hits.map(\.scores))")
    }

    @Test func fusionWeighsNormalizedScores() {
        let keyword: [(id: Int64, score: Double)] = [(1, 10), (2, 5)]
        let semantic: [(id: Int64, score: Double)] = [(3, 0.9), (2, 0.7), (4, 0.4)]
        let fused = Hub.fuse(keyword: keyword, semantic: semantic, semanticWeight: 0.5)
        // Semantic floor 0.4/0.9, keyword floor 0.5. 3: 0.25 + 0.5 = 0.75; 1: 0.5 + 0.222 = 0.722;
        // 2: 0.25 + 0.389 = 0.639; 4: 0.25 + 0.222 = 0.472.
        #expect(fused.map(\.id) == [3, 1, 2, 4])
        let blind = Hub.fuse(keyword: keyword, semantic: semantic, semanticWeight: 0)
        #expect(blind.map(\.id) == [1, 2], "weight 0: keyword order, no semantic-only papers")
        #expect(Hub.fuse(keyword: [], semantic: semantic, semanticWeight: 0).map(\.id) == [3, 2, 4], "no keyword hits: semantic")
        // Lists shorter than the depth asked hold every paper that matched: missing from one is 0 there.
        // 1: 0.5 + 0 = 0.5; 3: 0 + 0.5 = 0.5 (ties by id); 2: 0.25 + 0.389 = 0.639; 4: 0 + 0.222.
        let complete = Hub.fuse(keyword: keyword, semantic: semantic, semanticWeight: 0.5, depth: 100)
        #expect(complete.map(\.id) == [2, 1, 3, 4])
        // One keyword hit no longer lends its score to the papers without the words.
        let single = Hub.fuse(keyword: [(7, 3)], semantic: [(8, 0.9), (7, 0.3)], semanticWeight: 0.5, depth: 100)
        #expect(single.first?.id == 7, "\(single)")
        // A paper without a vector is ranked by its words alone: the best keyword match, not embedded yet,
        // is not put below what the meaning list holds (1: 0.5 + 0.5 = 1 against 3's 0.5 + 0.25 · 0.5).
        let unembedded = Hub.fuse(keyword: keyword, semantic: semantic, semanticWeight: 0.5, depth: 100, unembedded: [1])
        #expect(unembedded.map(\.id) == [1, 2, 3, 4] && unembedded[0].score == 1, "\(unembedded)")
    }

    @Test func aQueryTheModelCannotReadRanksByTFIDF() throws {
        let hub = try Self.library.get().hub
        #expect(try hub.modelReads("deep learning models"))
        #expect(try !hub.modelReads("深度学习 模型"))
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("eval/csl-zh/corpus.jsonl")])
        let semantic = try scratch.hub.search("三维建模", mode: .semantic, limit: 5)
        #expect(!semantic.hits.isEmpty && semantic.hits.allSatisfy { $0.scores.keys.sorted() == ["tfidf"] })
        #expect(semantic.hits.map(\.score) == semantic.hits.map(\.score).sorted(by: >))
        let hybrid = try scratch.hub.search("三维建模", mode: .hybrid, limit: 5)
        #expect(hybrid.hits.first.map { Set($0.scores.keys).isSuperset(of: ["keyword", "tfidf", "fused"]) } == true)
        #expect(hybrid.hits.allSatisfy { $0.score == $0.scores["fused"] })
    }
}

@Suite struct SimilarEvaluationTests {
    @Test func readsTheDisciplineOfEveryCSLDocument() throws {
        let labels = try Evaluator.labels(URL(fileURLWithPath: fixture("eval/csl-zh/corpus.jsonl")), field: "discipline")
        #expect(labels.count == 1000)
        #expect(labels["csl-test-0000"] == "纺织科学与工程")
        #expect(try Evaluator.labels(URL(fileURLWithPath: fixture("eval/scifact/corpus.jsonl")), field: "discipline").isEmpty)
    }
}
