import Foundation
import Testing
@testable import AcademicHub

/// The extractive briefing of the seed papers (46 real papers from the product's seed pages; the SPES paper
/// appears on two pages and is one paper in the library), in English and in Chinese.
@Suite(.serialized) struct BriefingTests {
    static let library: Result<ScratchHub, Error> = Result {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("seed-papers.jsonl")])
        _ = try scratch.hub.embedMissing()
        return scratch
    }

    /// Every seed line's key, in file order (the SPES paper twice).
    func seedKeys(_ hub: Hub) throws -> [String] {
        let lines = try String(contentsOfFile: fixture("seed-papers.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 47)
        return try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let title = object["title"] as! String
            return try #require(try hub.search("\"\(title)\"", limit: 1).hits.first { $0.paper.title == title }).paper.key.rawValue
        }
    }

    @Test(arguments: [BriefLanguage.en, .zh]) func seedPapersBriefing(language: BriefLanguage) throws {
        let hub = try Self.library.get().hub
        let keys = try seedKeys(hub)
        let briefing = try hub.brief(.papers(keys), language: language, limit: 200)
        #expect(briefing.papers.count == 46, "the SPES paper, on two pages, counts once")
        let cited = briefing.themes.flatMap(\.papers)
        #expect(cited.sorted() == Array(1...46), "every paper in exactly one theme")
        #expect(briefing.themes.count >= 2 && briefing.themes.allSatisfy { !$0.papers.isEmpty && !$0.label.isEmpty })
        #expect(briefing.bridges.contains { bridge in
            Set(bridge.papers.map { briefing.papers[$0 - 1].source }).count == 2
        }, "a bridge between two sources")
        #expect(briefing.bridges.allSatisfy { $0.similarity >= Hub.bridgeFloor.meaning })
        #expect(!briefing.readFirst.isEmpty)
        // Two papers of different fields with nothing in common make no bridge, and the briefing says why.
        let apart = try hub.brief(.papers([try #require(keys.first { $0.hasPrefix("nature:") }), keys[0]]), language: language)
        #expect(apart.bridges.isEmpty)
        #expect(apart.markdown.contains(language == .en ? "No two papers from different fields are alike enough" : "不构成桥梁"))
        let markdown = briefing.markdown
        switch language {
        case .en:
            #expect(markdown.hasPrefix("# Cross-disciplinary briefing") && markdown.contains("## Bridges across fields"))
        case .zh:
            #expect(markdown.hasPrefix("# 交叉领域文献简报") && markdown.contains("## 跨领域桥梁") && markdown.contains("## 优先阅读"))
            #expect(!markdown.contains("## Themes"))
        }
        // Titles as written, each paper listed under its number.
        for paper in briefing.papers { #expect(markdown.contains("[\(paper.number)] \(paper.title)")) }
        // Stored, and read back the same.
        let stored = try hub.briefing(id: try #require(briefing.id))
        #expect(stored.markdown == markdown && stored.language == language)
        #expect(try hub.briefings().contains { $0.id == briefing.id && $0.papers == 46 })
        // Deterministic: the same papers give the same themes.
        let again = try hub.brief(.papers(keys), language: language, limit: 200)
        #expect(again.themes.map(\.papers) == briefing.themes.map(\.papers))
    }

    @Test func aListHandedOutBySearchIsBriefedByItsHandle() throws {
        let scratch = try Self.library.get()
        func ahub(_ arguments: [String]) throws -> String {
            let run = try runAhub(arguments, library: scratch.path)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            return run.stdout
        }
        let search = try ahub(["search", "language models", "--json", "--limit", "12"])
        let object = try JSONSerialization.jsonObject(with: Data(search.utf8)) as! [String: Any]
        let handle = try #require(object["handle"] as? String)
        let keys = (object["results"] as! [[String: Any]]).map { $0["key"] as! String }
        let json = try ahub(["brief", "--from-handle", handle, "--json"])
        let briefing = try JSONDecoder().decode(Briefing.self, from: Data(json.utf8))
        #expect(briefing.papers.map(\.key) == keys)
        #expect(briefing.input.hasPrefix("search: language models"))
        let list = try ahub(["brief", "list"])
        #expect(list.contains("search: language models"))
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(try ahub(["brief", "list", "--json"]).utf8)) as? [[String: Any]])
        #expect(listed.contains { $0["id"] as? Int64 == briefing.id && ($0["input"] as? String)?.hasPrefix("search: language models") == true && $0["papers"] as? Int == keys.count },
                "\(listed)")
        let shown = try ahub(["brief", "show", String(try #require(briefing.id))])
        #expect(shown == briefing.markdown)
        // A radar's feed hands out a handle too.
        _ = try ahub(["radar", "create", "lm", "--describe", "large language models"])
        let feed = try JSONSerialization.jsonObject(with: Data(try ahub(["radar", "feed", "lm", "--any-date", "--json"]).utf8)) as! [String: Any]
        let feedHandle = try #require(feed["handle"] as? String)
        #expect(try ahub(["brief", "--from-handle", feedHandle, "--lang", "zh"]).hasPrefix("# 交叉领域文献简报"))
    }

    /// Chinese abstracts end sentences with an ASCII full stop and no space; "C.I.B-19" is not two sentences.
    @Test func chineseSentencesEndingInAFullStopAreSplit() throws {
        let line = try #require(try String(contentsOfFile: fixture("eval/csl-zh/corpus.jsonl"), encoding: .utf8).split(separator: "\n").first)
        let text = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["text"] as? String
        let sentences = Hub.sentences(try #require(text))
        #expect(sentences.count == 2, "\(sentences)")
        #expect(sentences.first?.hasSuffix("(C.I.B-19)的性能缺陷.") == true)
        #expect(sentences.last?.hasPrefix("该染料最适合70℃染色") == true)
        // After a sign, a bracket or a unit too (csl-test-0024: "…为(37.7±8.4)％.组织分布试验…"); 37.7 stays whole.
        let lines = try String(contentsOfFile: fixture("eval/csl-zh/corpus.jsonl"), encoding: .utf8).split(separator: "\n")
        let cannabidiol = try #require(lines.first { $0.contains("\"csl-test-0024\"") })
        let abstract = try #require(try JSONSerialization.jsonObject(with: Data(cannabidiol.utf8)) as? [String: Any])["text"] as? String
        let split = Hub.sentences(try #require(abstract))
        let at = try #require(split.firstIndex { $0.hasSuffix("(37.7±8.4)％.") }, "\(split)")
        #expect(at + 1 < split.count && split[at + 1].hasPrefix("组织分布试验"), "\(split)")
    }

    /// A key sentence is quoted without the abstract's own reference marks: in a briefing, papers are cited by
    /// number, and csl-test-0656's "…神经系统疾病[1]." read as citing the briefing's paper [1].
    @Test func aKeySentenceDropsTheAbstractsReferenceMarks() throws {
        let lines = try String(contentsOfFile: fixture("eval/csl-zh/corpus.jsonl"), encoding: .utf8).split(separator: "\n")
        let line = try #require(lines.first { $0.contains("\"csl-test-0656\"") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let abstract = try #require(record["text"] as? String)
        let scratch = try ScratchHub()
        let sentence = try #require(scratch.hub.keySentence(abstract, weights: ["神经": 1, "疾病": 1]))
        #expect(sentence.hasSuffix("导致一些神经系统疾病.") && !sentence.contains("[1]"), "\(sentence)")
        #expect(Hub.withoutReferenceMarks("as shown before [2, 5] and [7–9], in 2019 [a]") == "as shown before and, in 2019 [a]")
    }

    /// ICU's dictionary cuts unknown Chinese technical words into characters (掺杂 into 掺 and 杂): a theme
    /// is labelled by words when it has them, and a bridge's shared terms are words.
    @Test func chineseThemesAreLabelledByWords() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("eval/csl-zh/corpus.jsonl")])
        let keys = (0..<20).map { String(format: "csl-zh:csl-test-%04d", $0) }
        let briefing = try scratch.hub.brief(.papers(keys), language: .zh, limit: 20)
        let lone = { (word: String) in word.unicodeScalars.count == 1 && word.unicodeScalars.first!.properties.isIdeographic }
        #expect(briefing.themes.count > 1 && briefing.themes.allSatisfy { !$0.terms.isEmpty })
        #expect(briefing.themes.flatMap(\.terms).filter(lone).isEmpty, "\(briefing.themes.map(\.terms))")
        #expect(briefing.bridges.flatMap(\.terms).filter(lone).isEmpty, "\(briefing.bridges.map(\.terms))")
        // No paper has a vector (the model cannot read Chinese): said as none, not as some.
        #expect(briefing.notices.contains("这些论文都没有向量：主题按词语（潜在语义分析）划分。"), "\(briefing.notices)")
        // One source, no categories: not said to be "one field" (a user test found papers on memory, gears and beef
        // said so).
        let english = try scratch.hub.brief(.papers(keys), language: .en, limit: 20)
        #expect(english.bridges.isEmpty && english.markdown.contains("These papers come from one source and carry no category to tell their fields apart.")
                && !english.markdown.contains("come from one field"), "\(english.markdown)")
        // Papers on mice: a Roman numeral (ⅱ, of 2型糖尿病's Ⅱ) or a unit (mg) names no theme.
        let mice = try scratch.hub.brief(.query("小鼠"), language: .zh, limit: 30)
        let numeral = { (word: String) in word.unicodeScalars.allSatisfy { $0.properties.generalCategory == .letterNumber } }
        #expect(mice.themes.count > 1 && !mice.themes.flatMap(\.terms).contains { numeral($0) || ($0 == $0.lowercased() && Hub.isMeasurement($0)) },
                "\(mice.themes.map(\.terms))")
    }

    /// Labels keep a word's case unless a sentence's capital is all it has (a user test found O_2 as "o_2"); a bridge
    /// or label word is one the papers write on its own, not a piece of hyphenated words ("multi" of multi-pass and
    /// multi-step).
    @Test func labelsAndBridgesAreWordsAsWritten() throws {
        #expect(Hub.labelForm("O_2") == "O_2" && Hub.labelForm("Training") == "training" && Hub.labelForm("DNA") == "DNA"
                && Hub.labelForm("mRNA") == "mRNA" && Hub.labelForm("graph") == "graph")
        let hub = try Self.library.get().hub
        let keys = try seedKeys(hub)
        let briefing = try hub.brief(.papers(keys), limit: 200)
        let papers = try keys.compactMap { try hub.paper($0)?.paper }
        // Each word as the papers it speaks of write it: a bridge's by one of its two papers, a theme's by one of
        // its own (a user test found "meeting on correctly" for two papers that write "correct" and "correcting",
        // the form a third paper wrote).
        let groups = briefing.bridges.map { ($0.terms, $0.papers) } + briefing.themes.map { ($0.terms, $0.papers) }
        #expect(!briefing.bridges.isEmpty && !groups.flatMap(\.0).isEmpty)
        for (words, numbers) in groups {
            for word in words {
                let alone = "(?i)(?<![\\p{L}\\p{N}-])" + NSRegularExpression.escapedPattern(for: word) + "(?![\\p{L}\\p{N}-])"
                #expect(numbers.map { papers[$0 - 1] }.contains { ($0.title + " " + $0.abstract).range(of: alone, options: .regularExpression) != nil },
                        "\(word) in \(numbers)")
            }
        }
    }

    /// The same over the feed fixtures, unembedded (themes by LSA): there the old rule, a term's first form in the
    /// whole list, labelled a theme "tests" and a bridge "test" that none of their papers write.
    @Test func labelsAreWordsTheirOwnPapersWrite() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles(["arxiv-api", "arxiv-rss", "arxiv-oai", "biorxiv", "medrxiv", "nature"].map { fixture($0) })
        for query in ["language models", "learning"] {
            let b = try scratch.hub.brief(.query(query), limit: 50)
            #expect(b.themes.count > 2 && !b.bridges.isEmpty)
            for (words, numbers) in b.bridges.map({ ($0.terms, $0.papers) }) + b.themes.map({ ($0.terms, $0.papers) }) {
                for word in words {
                    let alone = "(?i)(?<![\\p{L}\\p{N}_-])" + NSRegularExpression.escapedPattern(for: word) + "(?![\\p{L}\\p{N}_-])"
                    #expect(numbers.map { b.papers[$0 - 1] }.contains { ($0.title + " " + $0.abstract).range(of: alone, options: .regularExpression) != nil },
                            "\(query): \(word) in \(numbers)")
                }
            }
        }
    }

    @Test func badInputGetsAClearMessage() throws {
        let hub = try Self.library.get().hub
        #expect(throws: HubError.self) { try hub.brief(.handle("Lnothing")) }
        #expect(throws: HubError.self) { try hub.brief(.papers(["arxiv:0000.00000"])) }
        #expect(throws: HubError.self) { try hub.briefing(id: 999_999) }
        #expect { try hub.brief(.query("speech cat:none.XX")) } throws: { "\($0)" == #"no papers match "speech cat:none.XX": nothing to brief"# }
        // A query in quotes is not quoted twice; a phrase no paper holds finds nothing, by meaning neither.
        #expect { try hub.brief(.query(#""zzqx flurb""#)) } throws: { "\($0)" == #"no papers match '"zzqx flurb"': nothing to brief"# }
        let run = try runAhub(["brief", "--query", "x", "--papers", "y"], library: try Self.library.get().path)
        // Two lists for one briefing: said as two, not as none.
        #expect(run.status != 0 && run.stderr.contains("give only one of --radar, --query, --similar, --papers, --from-handle"), "\(run.stderr)")
        let none = try runAhub(["brief", "--lang", "zh"], library: try Self.library.get().path)
        #expect(none.status != 0 && none.stderr.contains("give one of --radar"), "\(none.stderr)")
    }

    /// A query no paper holds the words of is briefed on the nearest papers by meaning, and says so, as
    /// search does; a query whose words are there says nothing of the kind.
    @Test func aQueryMatchingNoWordSaysTheListIsByMeaning() throws {
        let hub = try Self.library.get().hub
        let byMeaning = try hub.brief(.query("zzqqxx"), limit: 5)
        #expect(byMeaning.notices.contains("No paper holds these words: these are the nearest by meaning."), "\(byMeaning.notices)")
        #expect(byMeaning.markdown.contains("nearest by meaning"))
        // A list like a paper is labelled "similar to" it (it read "like arxiv:…", as a rating does).
        let key = try #require(byMeaning.papers.first?.key)
        #expect(try hub.brief(.similar(key), limit: 5).input == "similar to \(key)")
        let byWords = try hub.brief(.query("language models"), limit: 5)
        #expect(!byWords.notices.contains { $0.contains("nearest by meaning") })
    }

    /// `--json --out` writes the structure to the file; `brief delete` with an unknown id deletes nothing.
    @Test func jsonToAFileAndDeletesWholeOrNotAtAll() throws {
        let scratch = try ScratchHub.copy(of: try Self.library.get())
        let file = scratch.directory.appendingPathComponent("brief.json")
        let made = try runAhub(["brief", "--query", "language models", "--limit", "5", "--json", "--out", file.path], library: scratch.path)
        #expect(made.status == 0, "\(made)")
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let id = try #require(written["id"] as? Int)
        let refused = try runAhub(["brief", "delete", String(id), "999999"], library: scratch.path)
        #expect(refused.status != 0 && refused.stderr.contains("no briefing 999999"), "\(refused)")
        #expect(try scratch.hub.briefing(id: Int64(id)).id == Int64(id), "nothing was deleted")
        let twice = try runAhub(["brief", "delete", String(id), String(id)], library: scratch.path)
        #expect(twice.status == 0 && twice.stdout == "briefing \(id) deleted\n", "\(twice)")
    }
}
