import Foundation
import HubCore
import HubFeeds
import Testing

/// Fixtures/arxiv-rss: the 20 seed papers that carry an arXiv id, in arXiv's documented RSS 2.0 envelope.
@Suite struct ArxivRSSTests {
    @Test func everySeedWithAnArxivIdComesBackUnderItsId() throws {
        let feed = try Fixtures.parse(Fixtures.arxivRSS)
        #expect(feed.format == .arxivRSS)
        #expect(feed.rejections.isEmpty)
        #expect(feed.totalResults == nil)
        let seeds = try Fixtures.seeds().filter { $0["arxiv_id"] != nil }
        #expect(feed.papers.count == seeds.count)
        #expect(feed.papers.count == 20)
        for (paper, seed) in zip(feed.papers, seeds) {
            #expect(paper.key.rawValue == "arxiv:" + (seed["arxiv_id"] as! String))
            #expect(paper.version == seed["version"] as? String)
            #expect(paper.title == seed["title"] as? String)
            #expect(paper.source == "arxiv")
            #expect(paper.url == "https://arxiv.org/abs/" + (seed["arxiv_id"] as! String))
        }
    }

    @Test func arxivRSSPrefixIsStrippedAndAnnounceTypeKept() throws {
        let feed = try Fixtures.parse(Fixtures.arxivRSS)
        let kareus = try #require(feed.paper("arxiv:2601.17654"))
        #expect(kareus.announceType == "replace")
        #expect(kareus.abstract.hasPrefix("The computing demand of AI is growing at an unprecedented rate"))
        let types = Dictionary(grouping: feed.papers, by: { $0.announceType ?? "-" }).mapValues(\.count)
        #expect(types == ["new": 5, "cross": 5, "replace": 6, "replace-cross": 4])
        #expect(feed.papers.allSatisfy { !$0.abstract.contains("Announce Type") && !$0.abstract.hasPrefix("arXiv:") })
    }

    @Test func firstVersionsAreDatedPublishedAndLaterOnesUpdated() throws {
        let feed = try Fixtures.parse(Fixtures.arxivRSS)
        let new = try #require(feed.paper("arxiv:2606.13857"))  // v1, new, pubDate Mon, 15 Jun 2026
        #expect(new.published == "2026-06-15")
        #expect(new.updated == "2026-06-15")
        let replaced = try #require(feed.paper("arxiv:2507.04219"))  // v5, replace-cross
        #expect(replaced.published == nil)
        #expect(replaced.updated == "2026-06-18")
        #expect(replaced.date == "2026-06-18")
    }

    @Test func categoriesAreWrittenAsArxivWritesThem() throws {
        let feed = try Fixtures.parse(Fixtures.arxivRSS)
        #expect(try #require(feed.paper("arxiv:2606.15888")).categories == ["cs.AI"])
        #expect(try #require(feed.paper("arxiv:2509.15049")).categories == ["math.PR"])
    }

    /// A real paper (astro-ph/0601001, from the API capture) in an RSS item as arXiv writes one, with the
    /// optional elements the seed-based fixture cannot carry: dc:creator, arxiv:DOI, arxiv:journal_reference.
    static func itemFeed(description: String, creator: String, extra: String = "") throws -> Data {
        let source = try #require(try Fixtures.parse(Fixtures.arxivAPI("id_astro-ph_0601001")).papers.first)
        return Data(
            """
            <?xml version='1.0' encoding='UTF-8'?>
            <rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
              <channel>
                <title>astro-ph updates on arXiv.org</title>
                <link>http://rss.arxiv.org/rss/astro-ph</link>
                <item>
                  <title>\(xmlEscaped(source.title))</title>
                  <link>https://arxiv.org/abs/astro-ph/0601001</link>
                  <description>\(xmlEscaped(description.replacingOccurrences(of: "ABSTRACT", with: source.abstract)))</description>
                  <guid isPermaLink="false">oai:arXiv.org:astro-ph/0601001v1</guid>
                  <category>astro-ph</category>
                  <pubDate>Mon, 02 Jan 2006 00:00:00 -0500</pubDate>
                  <arxiv:announce_type>new</arxiv:announce_type>
                  <dc:creator>\(xmlEscaped(creator))</dc:creator>\(extra)
                </item>
              </channel>
            </rss>
            """.utf8)
    }

    @Test func dcCreatorIsSplitIntoAuthorsAtCommas() throws {
        let data = try Self.itemFeed(
            description: "arXiv:astro-ph/0601001v1 Announce Type: new \nAbstract: ABSTRACT",
            creator: "Andrew Gould, Susan Dorsher, B. Scott Gaudi, Andrzej Udalski",
            extra: "\n<arxiv:journal_reference>ActaAstron.56:1-50,2006</arxiv:journal_reference>")
        let feed = try FeedParser.parse(data, origin: "astro-ph.xml")
        #expect(feed.format == .arxivRSS)
        let paper = try #require(feed.papers.first)
        #expect(paper.authors == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"])
        #expect(paper.key.rawValue == "arxiv:astro-ph/0601001")
        #expect(paper.version == "v1")
        #expect(paper.journalRef == "ActaAstron.56:1-50,2006")
        #expect(paper.published == "2006-01-02")
        #expect(paper.abstract.hasPrefix("We derive the frequencies of hot Jupiters"))
    }

    @Test func announceTypeFromThePrefixWhenTheElementIsMissing() throws {
        // Same item without <arxiv:announce_type>: the description's own line still says "replace".
        var text = String(decoding: try Self.itemFeed(
            description: "arXiv:astro-ph/0601001v2 Announce Type: replace Abstract: ABSTRACT", creator: "Andrew Gould"), as: UTF8.self)
        text = text.replacingOccurrences(of: "<arxiv:announce_type>new</arxiv:announce_type>", with: "")
        text = text.replacingOccurrences(of: "oai:arXiv.org:astro-ph/0601001v1", with: "oai:arXiv.org:astro-ph/0601001v2")
        let paper = try #require(try FeedParser.parse(Data(text.utf8), origin: "x").papers.first)
        #expect(paper.announceType == "replace")
        #expect(paper.version == "v2")
        #expect(paper.updated == "2006-01-02")
        #expect(paper.published == nil)
    }
}
