import Foundation
import HubCore
@testable import HubFeeds
import Testing

@Suite struct JSONLinesTests {
    @Test func everySeedLineBecomesAPaperWithItsPrefixStripped() throws {
        let feed = try Fixtures.parse("seed-papers.jsonl")
        #expect(feed.format == .jsonLines)
        #expect(feed.rejections.isEmpty)
        #expect(feed.papers.count == 47)
        let seeds = try Fixtures.seeds()
        for (paper, seed) in zip(feed.papers, seeds) {
            #expect(paper.source == (seed["source"] as! String).lowercased())
            #expect(paper.categories == [PaperDraft.arxivCategoryCase(seed["category"] as! String)])  // in arXiv's own case
            #expect(paper.title == seed["title"] as? String)
            #expect(!paper.abstract.hasPrefix("arXiv:"))
            #expect(paper.date == seed["date"] as? String)
            if let id = seed["arxiv_id"] as? String {
                #expect(paper.key.rawValue == "arxiv:" + id)
                #expect(paper.version == seed["version"] as? String)
                #expect(paper.announceType != nil)
            }
        }
        #expect(Set(feed.papers.map(\.source)) == ["arxiv", "biorxiv", "medrxiv", "nature"])
    }

    /// Many tools write one JSON array rather than JSON Lines: its records are read as the lines would be,
    /// each problem named by the item's place; an array whose JSON is broken is refused whole, said so.
    @Test func aJSONArrayOfRecordsReadsAsItsLinesWould() throws {
        let data = try Fixtures.data("seed-papers.jsonl")
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        let array = "\u{FEFF}\n  [" + lines.prefix(3).joined(separator: ",\n") + ", 7, {\"title\": \"\"}]\n"
        let feed = try FeedParser.parse(Data(array.utf8), origin: "papers.json")
        #expect(feed.format == .jsonLines)
        let asLines = try FeedParser.parse(Data(lines.prefix(3).joined(separator: "\n").utf8), origin: "papers.jsonl")
        #expect(feed.papers.map(\.key) == asLines.papers.map(\.key) && feed.papers.count == 3)
        #expect(feed.papers.map(\.title) == asLines.papers.map(\.title))
        #expect(feed.rejections.map(\.location) == ["item 4", "item 5"], "\(feed.rejections)")
        #expect(feed.rejections.first?.reason == "not a JSON object")
        // A line of a string, null or an array alone is no object, said alike (Foundation's words spoke of an option).
        let values = lines.prefix(1).joined() + "\n\"string\"\nnull\n[1,2]\n"
        let odd = try FeedParser.parse(Data(values.utf8), origin: "values.jsonl")
        #expect(odd.papers.count == 1 && odd.rejections.map(\.reason) == Array(repeating: "not a JSON object", count: 3), "\(odd.rejections)")
        let broken = try FeedParser.parse(Data(("[" + lines.prefix(2).joined(separator: ",")).utf8), origin: "papers.json")
        #expect(broken.papers.isEmpty && broken.rejections.count == 1 && broken.rejections[0].location == "the file"
                && broken.rejections[0].reason.hasPrefix("invalid JSON (a JSON array of records, read whole)"), "\(broken.rejections)")
        let empty = try FeedParser.parse(Data("[]".utf8), origin: "empty.json")
        #expect(empty.papers.isEmpty && empty.rejections.map(\.reason) == ["an empty JSON array: no records in it"], "\(empty.rejections)")
        // A comma before a closing bracket, which Foundation takes and RFC 8259 does not: the array is refused
        // whole, a line alone, each placed (a comma inside a string is text).
        let comma = try FeedParser.parse(Data(("[\n" + lines[0] + ",\n{\"title\": \"B, }\",}]").utf8), origin: "comma.json")
        #expect(comma.papers.isEmpty && comma.rejections.map(\.reason)
                == ["invalid JSON (a JSON array of records, read whole): a comma before a closing bracket at line 3, column 17"], "\(comma.rejections)")
        let commaLine = try FeedParser.parse(Data((lines[0] + "\n  {\"title\": \"B\", \"authors\": [\"x\",],}\n").utf8), origin: "comma.jsonl")
        #expect(commaLine.papers.count == 1 && commaLine.rejections.map(\.location) == ["line 2"]
                && commaLine.rejections.first?.reason == "invalid JSON: a comma before a closing bracket at column 33", "\(commaLine.rejections)")
        // One record pretty-printed over several lines is that record, not a broken line each.
        let record = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let pretty = try JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted])
        let one = try FeedParser.parse(pretty, origin: "paper.json")
        #expect(one.papers.map(\.key) == [asLines.papers[0].key] && one.rejections.isEmpty, "\(one.rejections)")
    }

    @Test func theTwoSeedEntriesOfOnePaperGetTheSameKey() throws {
        let papers = try Fixtures.parse("seed-papers.jsonl").papers
        let pretraining = papers.filter { $0.title.hasPrefix("Pretraining A Large Language Model using Distributed GPUs") }
        #expect(pretraining.count == 2)
        #expect(pretraining[0].key == pretraining[1].key)
        #expect(pretraining[0].key.rawValue == "arxiv:" + PaperKey.slug(pretraining[0].title))
        // 47 entries, 46 distinct papers.
        #expect(Set(papers.map(\.key)).count == 46)
    }

    @Test func seedsAndTheirEnvelopesAgreeOnKeys() throws {
        let seeds = try Fixtures.parse("seed-papers.jsonl").papers
        let envelopes = try [Fixtures.arxivRSS, "biorxiv/details-page0.json", "medrxiv/details-page0.json", "nature/nature.rss"]
            .flatMap { try Fixtures.parse($0).papers }
        let seedKeys = Set(seeds.map(\.key))
        #expect(envelopes.count == 28)
        #expect(envelopes.allSatisfy { seedKeys.contains($0.key) })
        // Same text once the prefix is gone.
        for paper in envelopes {
            let seed = try #require(seeds.first { $0.key == paper.key })
            #expect(paper.abstract == seed.abstract)
            #expect(paper.announceType == seed.announceType)
        }
    }

    @Test func exportedPapersReimportUnchanged() throws {
        var papers = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m10_")).papers
        papers += try Fixtures.parse("seed-papers.jsonl").papers
        papers += try Fixtures.parse("eval/csl-zh/corpus.jsonl").papers.prefix(5)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let lines = try papers.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let feed = try FeedParser.parse(Data(lines.joined(separator: "\n").utf8), origin: "export.jsonl")
        #expect(feed.format == .jsonLines)
        #expect(feed.rejections.isEmpty)
        #expect(feed.papers == papers)
        // As `ahub show --json` prints one: the paper inside its record, pretty-printed.
        let shown = try JSONSerialization.data(withJSONObject: ["paper": try JSONSerialization.jsonObject(with: Data(lines[0].utf8)),
                                                                "addedAt": "2026-06-20T08:00:00Z", "versions": []], options: [.prettyPrinted])
        #expect(try FeedParser.parse(shown, origin: "shown.json").papers == [papers[0]])
    }

    @Test func linesWithoutASourceTakeTheFilesName() throws {
        let line = #"{"title": "Kareus: Joint Reduction of Dynamic and Static Energy in Large Model Training", "authors": ["A. Author"], "date": "2026-06-12"}"#
        let paper = try #require(try FeedParser.parse(Data(line.utf8), origin: "/home/me/My-Library.jsonl").papers.first)
        #expect(paper.source == "my-library")
        #expect(paper.key.rawValue == "my-library:kareus-joint-reduction-of-dynamic-and-static-energy-in-large-model-training")
        #expect(paper.published == "2026-06-12")
    }

    /// A record whose address is an arXiv page is that arXiv paper (not a second one under its title); a
    /// category string naming several is several.
    @Test func anArxivAddressIsTheIdAndCategoriesSplit() throws {
        let line = #"{"title": "Active Fuzzing for Testing and Securing Cyber-Physical Systems", "url": "https://arxiv.org/abs/2005.14124v2", "categories": "cs.CR, cs.LG; cs.SE"}"#
        let paper = try #require(try FeedParser.parse(Data(line.utf8), origin: "mine.jsonl").papers.first)
        #expect(paper.key.rawValue == "arxiv:2005.14124" && paper.version == "v2")
        #expect(paper.categories == ["cs.CR", "cs.LG", "cs.SE"])
        let elsewhere = #"{"title": "A blog post", "url": "https://example.org/abs/2005.14124"}"#
        #expect(try #require(try FeedParser.parse(Data(elsewhere.utf8), origin: "mine.jsonl").papers.first).key.rawValue == "mine:a-blog-post")
    }

    @Test func beirCorpusIsNamedByItsFolderAndKeyedById() throws {
        let feed = try Fixtures.parse("eval/scifact/corpus.jsonl")
        #expect(feed.format == .beirCorpus)
        #expect(feed.papers.count == 5183)
        #expect(feed.rejections.isEmpty)
        let first = try #require(feed.papers.first)
        #expect(first.key.rawValue == "scifact:4983")
        #expect(first.source == "scifact")
        #expect(first.nativeID == "4983")
        #expect(first.title.hasPrefix("Microstructural development of human newborn cerebral white matter"))
        #expect(Set(feed.papers.map(\.key)).count == 5183)
    }

    @Test func chineseBeirCorpusKeepsItsText() throws {
        let feed = try Fixtures.parse("eval/csl-zh/corpus.jsonl")
        #expect(feed.papers.count == 1000)
        let first = try #require(feed.papers.first)
        #expect(first.key.rawValue == "csl-zh:csl-test-0000")
        #expect(first.title == "双官能团活性艳蓝的应用性能")
        #expect(first.abstract.hasPrefix("双宫能团活性艳蓝GN和RN在固色浴中凝聚性小"))
    }

    @Test func beirDocumentsWithNeitherTitleNorTextAreRejectedByLine() throws {
        let feed = try Fixtures.parse("eval/cranfield/corpus.jsonl")
        #expect(feed.papers.count == 1398)
        #expect(feed.rejections.map(\.description) == ["line 471: empty title and text", "line 995: empty title and text"])
    }

    @Test func beirCorpusParsesFarFasterThanTheImporterNeeds() throws {
        // The importer's end-to-end target is 3,000 papers/s; parsing must leave it nearly all the time.
        let data = try Fixtures.data("eval/scifact/corpus.jsonl")
        let clock = ContinuousClock()
        var count = 0
        let elapsed = try clock.measure { count = try FeedParser.parse(data, origin: "scifact/corpus.jsonl").papers.count }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(Double(count) / seconds > 3000, "\(Int(Double(count) / seconds)) papers/s")
    }
}
