import Foundation
import HubCore
import Testing
@testable import HubFeeds

@Suite struct ArxivOAITests {
    @Test func readsTheReal2013Response() throws {
        let feed = try Fixtures.parse("arxiv-oai/listrecords-astro-ph-2013-04-03.xml")
        #expect(feed.format == .arxivOAI)
        #expect(feed.rejections.isEmpty)
        #expect(feed.resumptionToken == nil, "one page, no token")
        let paper = try #require(feed.papers.first)
        #expect(paper.key.rawValue == "arxiv:0801.3931")
        #expect(paper.title == "Dynamical study of 2D and 3D barred galaxy models")
        #expect(paper.authors == ["T. Manos", "E. Athanassoula"])
        #expect(paper.journalRef == "Chaos in Astronomy Astrophysics and Space Science Proceedings 2009, pp 115-122")
        #expect(paper.comment?.contains("\"Chaos in Astronomy\"") == true)
        #expect(paper.abstract.hasPrefix("We study the dynamics of 2D and 3D barred galaxy"))
        #expect(paper.abstract.contains("Poincar\\'{e} $(y,p_y)$"), "LaTeX is kept as written")
    }

    @Test func pagesCarryTheirResumptionToken() throws {
        let first = try Fixtures.parse("arxiv-oai/seeds-page0.xml")
        #expect(first.papers.count == 8 && first.resumptionToken == "seeds|8" && first.totalResults == 20)
        let last = try Fixtures.parse("arxiv-oai/seeds-page2.xml")
        #expect(last.papers.count == 4 && last.resumptionToken == nil, "an empty token ends the list")
    }

    @Test func deletedRecordsAreSkippedAndErrorsAreReported() throws {
        let deleted = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
            <record><header status="deleted"><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2026-01-01</datestamp></header></record>
            </ListRecords></OAI-PMH>
            """.utf8)
        let feed = try FeedParser.parse(deleted, origin: "test")
        #expect(feed.papers.isEmpty && feed.rejections.isEmpty && feed.records == 1)

        let none = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="noRecordsMatch">no records</error></OAI-PMH>
            """.utf8)
        #expect(try FeedParser.parse(none, origin: "test").papers.isEmpty)
        let bad = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badArgument">Illegal set</error></OAI-PMH>
            """.utf8)
        #expect {
            try FeedParser.parse(bad, origin: "test")
        } throws: { error in
            (error as? FeedError)?.code == .sourceError && "\(error)".contains("badArgument: Illegal set")
        }
    }

    @Test func aCutDocumentIsIncomplete() throws {
        for path in ["arxiv-oai/seeds-page0.xml", "nature/nature.rss", "biorxiv/details-page0.json", try Fixtures.arxivAPI("q_testing_s0_m10_")] {
            let data = try Fixtures.data(path)
            #expect(FeedParser.isComplete(data), "\(path)")
            #expect(!FeedParser.isComplete(data.prefix(data.count - 40)), "\(path)")
        }
        #expect(!FeedParser.isComplete(try Fixtures.data("bad/truncated-arxiv-api.xml")))
    }
}

@Suite struct HarvestPlannerTests {
    let today = FeedDay("2026-06-20")!

    @Test func arxivAPIQueryWindowsAndPages() {
        let spec = SourceSpec(kind: .arxivAPI, categories: ["cs.CL", "cs.IR"], pageSize: 50)
        let first = HarvestPlanner.begin(spec, watermark: nil, since: nil, today: today)
        #expect(first.from == nil, "a first harvest takes the newest results")
        let url = HarvestPlanner.url(spec, first)
        #expect(url == "https://export.arxiv.org/api/query?search_query=cat:cs.CL%20OR%20cat:cs.IR&id_list=&sortBy=submittedDate&sortOrder=descending&start=0&max_results=50")

        let next = HarvestPlanner.begin(spec, watermark: "2026-06-18", since: nil, today: today)
        #expect(next.from == "2026-06-16" && next.until == "2026-06-20")
        #expect(HarvestPlanner.url(spec, next).contains("search_query=(cat:cs.CL%20OR%20cat:cs.IR)%20AND%20submittedDate:%5B202606160000%20TO%20202606202359%5D"))

        var page = ParsedFeed(format: .arxivAtom, papers: [], totalResults: 120)
        page.records = 50
        let second = HarvestPlanner.advance(spec, next, page: page)
        #expect(second?.offset == 50)
        let third = HarvestPlanner.advance(spec, second!, page: page)
        #expect(third?.offset == 100)
        #expect(HarvestPlanner.advance(spec, third!, page: page) == nil, "150 ≥ 120 results")
    }

    @Test func aPlusInAQueryStaysAPlus() {
        let spec = SourceSpec(kind: .arxivAPI, query: "ti:C++")
        #expect(HarvestPlanner.url(spec, HarvestCursor()).contains("search_query=ti:C%2B%2B"))
    }

    /// A query and categories both: the query within the categories (the categories had been dropped).
    @Test func aQueryWithCategoriesKeepsToThem() {
        let spec = SourceSpec(kind: .arxivAPI, categories: ["cs.CL", "cs.IR"], query: "widgets")
        #expect(spec.summary == "(widgets) AND (cat:cs.CL OR cat:cs.IR)")
        #expect(HarvestPlanner.url(spec, HarvestCursor()).contains("search_query=(widgets)%20AND%20(cat:cs.CL%20OR%20cat:cs.IR)&"))
    }

    @Test func bioRxivAndOAIWindows() throws {
        let bio = SourceSpec(kind: .biorxiv, categories: ["cell biology"])
        let cursor = HarvestPlanner.begin(bio, watermark: nil, since: nil, today: today)
        #expect(HarvestPlanner.url(bio, cursor) == "https://api.biorxiv.org/details/biorxiv/2026-06-13/2026-06-20/0?category=cell%20biology")
        let oai = SourceSpec(kind: .arxivOAI, set: "physics:astro-ph", since: "2026-01-01")
        let start = HarvestPlanner.begin(oai, watermark: nil, since: nil, today: today)
        #expect(HarvestPlanner.url(oai, start) == "https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&from=2026-01-01&until=2026-06-20&set=physics:astro-ph")
        let forced = HarvestPlanner.begin(oai, watermark: "2026-06-01", since: "2025-12-01", today: today)
        #expect(forced.from == "2025-12-01", "--since wins over the watermark")

        // Categories without --set: their arXiv group is harvested, not all of arXiv; groups apart, all of it.
        func set(_ categories: [String]) -> String? {
            let spec = SourceSpec(kind: .arxivOAI, categories: categories)
            return HarvestPlanner.url(spec, start).components(separatedBy: "&set=").dropFirst().first
        }
        #expect(set(["cs.CL", "cs.LG"]) == "cs")
        #expect(set(["quant-ph", "hep-th", "astro-ph.GA", "cond-mat.mes-hall", "math-ph", "nlin.CD", "physics.optics"]) == "physics")
        #expect(set(["math.PR", "math.ST"]) == "math" && set(["q-bio.NC"]) == "q-bio" && set(["stat.ML"]) == "stat")
        #expect(set(["cs.CL", "stat.ML"]) == nil && set(["cs.CL", "nosuch.XX"]) == nil)
        #expect(SourceSpec(kind: .arxivOAI, categories: ["cs.CL"]).summary == "set cs (the categories' group) categories cs.CL")
        #expect(SourceSpec(kind: .arxivOAI, categories: ["cs.CL", "stat.ML"]).summary == "set - (all of arXiv) categories cs.CL,stat.ML")
        // A category outside the set named would be filtered out of every page.
        #expect(throws: SourceSpecError.self) { try SourceSpec(kind: .arxivOAI, categories: ["cs.CL"], set: "math").validate() }
        #expect(throws: SourceSpecError.self) { try SourceSpec(kind: .arxivOAI, categories: ["quant-ph"], set: "cs:cs:AI").validate() }
        try SourceSpec(kind: .arxivOAI, categories: ["quant-ph", "hep-th"], set: "physics:quant-ph").validate()
        try SourceSpec(kind: .arxivOAI, categories: ["cs.AI"], set: "cs:cs:AI").validate()
    }

    @Test func singleDocumentFeeds() {
        #expect(HarvestPlanner.url(SourceSpec(kind: .arxivRSS, categories: ["cs.CL", "cs.LG"]), HarvestCursor()) == "https://rss.arxiv.org/rss/cs.CL+cs.LG")
        #expect(HarvestPlanner.url(SourceSpec(kind: .nature, journal: "natmachintell"), HarvestCursor()) == "https://www.nature.com/natmachintell.rss")
        #expect(HarvestPlanner.url(SourceSpec(kind: .rss, url: "https://example.org/feed.xml"), HarvestCursor()) == "https://example.org/feed.xml")
    }

    @Test func daysAreChecked() {
        #expect(FeedDay("2026-02-30") == nil)
        #expect(FeedDay("2026-6-1") == nil)
        #expect(FeedDay("2024-02-29")?.description == "2024-02-29")
    }
}
