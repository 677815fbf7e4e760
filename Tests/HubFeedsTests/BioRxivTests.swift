import Foundation
import HubCore
import HubFeeds
import Testing

@Suite struct BioRxivTests {
    @Test func bioRxivSeedsWithoutDoiAreKeyedBySourceAndTitleSlug() throws {
        let feed = try Fixtures.parse("biorxiv/details-page0.json")
        #expect(feed.format == .bioRxivJSON)
        #expect(feed.totalResults == 3)  // written "total": "3", as the API writes counts
        #expect(feed.rejections.isEmpty)
        #expect(feed.papers.count == 3)
        let paper = try #require(feed.papers.first)
        #expect(paper.key.rawValue == "biorxiv:daqplugin-deep-learning-based-real-time-model-evaluation-plugin-for-chimerax")
        #expect(paper.source == "biorxiv")
        #expect(paper.nativeID == PaperKey.slug(paper.title))
        #expect(paper.doi == nil)
        #expect(paper.url == nil)  // built from the DOI, which is unknown
        #expect(paper.authors.isEmpty)
        #expect(paper.categories == ["Bioinfo"])
        #expect(paper.published == "2026-06-15")
        #expect(paper.version == nil)
    }

    @Test func medRxivRecordsTakeTheirSourceFromTheServerField() throws {
        let feed = try Fixtures.parse("medrxiv/details-page0.json")
        #expect(feed.papers.count == 4)
        #expect(feed.totalResults == 4)
        #expect(feed.papers.allSatisfy { $0.source == "medrxiv" && $0.key.rawValue.hasPrefix("medrxiv:") })
        let seeds = try Fixtures.seeds().filter { $0["source"] as? String == "medRxiv" }
        #expect(feed.papers.map(\.title) == seeds.map { $0["title"] as! String })
    }

    /// A real record as the details endpoint returns it (bioRxiv, August 2026; abstract left out as it is not
    /// at hand), with the counts written as strings.
    static let realRecord = """
        {"messages":[{"status":"ok","category":"all","interval":"2026-08-01:2026-08-02","cursor":0,"count":30,"count_new_papers":"77","total":"109"}],
         "collection":[
          {"title":"Sound-shape correspondences in macaques reveal evolutionary roots of sound symbolism",
           "authors":"Loconsole, M.; Xue, C.; Garcia-Pelegrin, E.",
           "author_corresponding":"Maria Loconsole","author_corresponding_institution":"University of Padova",
           "doi":"10.64898/2026.07.31.741992","date":"2026-08-01","version":"1","type":"new results","license":"cc_by_nc_nd",
           "category":"animal behavior and cognition",
           "jatsxml":"https://www.biorxiv.org/content/early/2026/08/01/2026.07.31.741992.source.xml",
           "abstract":"","funder":"NA","published":"NA","server":"bioRxiv"}]}
        """

    @Test func doiIsTheKeyAndLastCommaFirstAuthorsAreTurnedAround() throws {
        let feed = try FeedParser.parse(Data(Self.realRecord.utf8), origin: "https://api.biorxiv.org/details/biorxiv/2026-08-01/2026-08-02/0")
        #expect(feed.format == .bioRxivJSON)
        #expect(feed.totalResults == 109)
        let paper = try #require(feed.papers.first)
        #expect(paper.key.rawValue == "doi:10.64898/2026.07.31.741992")
        #expect(paper.nativeID == "10.64898/2026.07.31.741992")
        #expect(paper.source == "biorxiv")
        #expect(paper.authors == ["M. Loconsole", "C. Xue", "E. Garcia-Pelegrin"])
        #expect(paper.version == "1")
        #expect(paper.published == "2026-08-01")
        #expect(paper.updated == "2026-08-01")
        #expect(paper.url == "https://www.biorxiv.org/content/10.64898/2026.07.31.741992v1")
        #expect(paper.categories == ["animal behavior and cognition"])
        #expect(paper.journalRef == nil)  // "published": "NA"
    }

    @Test func responseCutShortKeepsEveryCompleteRecord() throws {
        let text = try Fixtures.text("medrxiv/details-page0.json")
        // Cut inside the third record's abstract.
        let third = text.ranges(of: #"{"title": "#)[2]
        let cut = String(text[..<text.index(third.upperBound, offsetBy: 300)])
        let feed = try FeedParser.parse(Data(cut.utf8), origin: "medrxiv-cut.json")
        #expect(feed.papers.count == 2)
        #expect(feed.totalResults == 4)
        #expect(feed.rejections == [Rejection(location: "entry 3", reason: "truncated: the response ends inside this record")])
    }

    @Test func recordWithEmptyTitleIsRejectedAndTheOthersKept() throws {
        var object = try JSONSerialization.jsonObject(with: Fixtures.data("biorxiv/details-page0.json")) as! [String: Any]
        var records = object["collection"] as! [[String: Any]]
        records[1]["title"] = "  "
        object["collection"] = records
        let feed = try FeedParser.parse(try JSONSerialization.data(withJSONObject: object), origin: "b.json")
        #expect(feed.papers.count == 2)
        #expect(feed.rejections == [Rejection(location: "entry 2", reason: "empty title")])
    }
}
