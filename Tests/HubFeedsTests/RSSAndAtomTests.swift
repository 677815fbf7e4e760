import Foundation
import HubCore
import HubFeeds
import Testing

/// Nature's RSS 1.0 fixture, and generic RSS/Atom feeds built in the test around real papers.
@Suite struct RSSAndAtomTests {
    @Test func natureSeedIsReadWithoutItsCitationParagraph() throws {
        let feed = try Fixtures.parse("nature/nature.rss")
        #expect(feed.format == .natureRDF)
        #expect(feed.rejections.isEmpty)
        let paper = try #require(feed.papers.first)
        #expect(feed.papers.count == 1)
        #expect(paper.key.rawValue == "nature:daily-briefing-deep-sea-whale-graveyard-is-a-treasure-trove-of-fossils")
        #expect(paper.source == "nature")
        #expect(paper.title == "Daily briefing: Deep-sea whale graveyard is a treasure trove of fossils")
        #expect(paper.abstract.hasPrefix("Researchers have uncovered more than 400 fossilized whale bones"))
        #expect(!paper.abstract.contains("Published online"))
        #expect(!paper.abstract.contains("<"))
        #expect(paper.published == "2026-06-11")
        #expect(paper.categories == ["Science"])
        #expect(paper.journalRef == "Nature, Published online: 2026-06-11")
        #expect(paper.doi == nil)
    }

    /// A Nature News & Views item whose metadata is public (Hogan, "Cosmology: Ripples of early starlight",
    /// Nature 445, 37 (2007), doi:10.1038/445037a), in Nature's RSS 1.0 layout.
    @Test func natureItemWithDoiIsKeyedByDoi() throws {
        let rdf = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel rdf:about="https://www.nature.com/nature.rss"><title>Nature</title><link>https://www.nature.com/nature</link></channel>
            <item rdf:about="https://www.nature.com/articles/445037a">
            <title><![CDATA[Cosmology: Ripples of early starlight]]></title>
            <link>https://www.nature.com/articles/445037a</link>
            <content:encoded><![CDATA[<p>Nature, Published online: 04 January 2007; <a href="https://www.nature.com/articles/445037a">doi:10.1038/445037a</a></p>]]></content:encoded>
            <dc:title><![CDATA[Cosmology: Ripples of early starlight]]></dc:title>
            <dc:creator>Craig J. Hogan</dc:creator>
            <dc:identifier>doi:10.1038/445037a</dc:identifier>
            <dc:source>Nature 445, 37 (2007)</dc:source>
            <dc:date>2007-01-04</dc:date>
            <prism:publicationName>Nature</prism:publicationName>
            <prism:doi>10.1038/445037a</prism:doi>
            <prism:url>https://www.nature.com/articles/445037a</prism:url>
            </item>
            </rdf:RDF>
            """
        let feed = try FeedParser.parse(Data(rdf.utf8), origin: "nature.rss")
        #expect(feed.format == .natureRDF)
        let paper = try #require(feed.papers.first)
        #expect(paper.key.rawValue == "doi:10.1038/445037a")
        #expect(paper.nativeID == "10.1038/445037a")
        #expect(paper.authors == ["Craig J. Hogan"])
        #expect(paper.abstract == "")
        #expect(paper.url == "https://www.nature.com/articles/445037a")
        #expect(paper.journalRef == "Nature 445, 37 (2007)")
        #expect(paper.published == "2007-01-04")
    }

    /// The Nature seed in an RSS 2.0 envelope whose description is escaped HTML.
    static func rss2(description: String, pubDate: String = "Thu, 11 Jun 2026 00:00:00 +0000", extra: String = "") throws -> Data {
        let seed = try #require(try Fixtures.seeds().first { $0["source"] as? String == "Nature" })
        return Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel>
                <title>Nature</title>
                <link>https://www.nature.com/nature</link>
                <item>
                  <title>\(xmlEscaped(seed["title"] as! String))</title>
                  <description>\(xmlEscaped(description.replacingOccurrences(of: "ABSTRACT", with: seed["abstract"] as! String)))</description>
                  <pubDate>\(pubDate)</pubDate>\(extra)
                </item>
              </channel>
            </rss>
            """.utf8)
    }

    @Test func genericRSSTakesItsSourceFromTheChannelHostAndStripsDisplayMarkup() throws {
        let data = try Self.rss2(description: "<p><b>Daily briefing</b>&nbsp;&#8212; ABSTRACT</p><p>&copy; 2026</p>")
        let feed = try FeedParser.parse(data, origin: "feed.xml")
        #expect(feed.format == .rss)
        let paper = try #require(feed.papers.first)
        #expect(paper.source == "nature.com")
        #expect(paper.key.rawValue == "nature.com:daily-briefing-deep-sea-whale-graveyard-is-a-treasure-trove-of-fossils")
        // &nbsp; decodes to U+00A0, which whitespace collapsing then turns into a plain space.
        #expect(paper.abstract.hasPrefix("Daily briefing \u{2014} Researchers have uncovered"))
        #expect(paper.abstract.hasSuffix("for the better. © 2026"))
        #expect(paper.published == "2026-06-11")
    }

    /// A relative item link is made whole against the channel's link (a user test found `/posts/x` stored as the
    /// paper's address); against the feed's own address when the channel has none; and none from a file's feed.
    @Test func relativeLinksAreResolved() throws {
        let data = try Self.rss2(description: "ABSTRACT", extra: "<link>/articles/d41586-026-01234-5</link>")
        let paper = try #require(try FeedParser.parse(data, origin: "feed.xml").papers.first)
        #expect(paper.url == "https://www.nature.com/articles/d41586-026-01234-5" && paper.source == "nature.com")
        let bare = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<link>https://www.nature.com/nature</link>", with: "")
        let fetched = try #require(try FeedParser.parse(Data(bare.utf8), origin: "https://feeds.example.org/lab/feed.xml").papers.first)
        #expect(fetched.url == "https://feeds.example.org/articles/d41586-026-01234-5" && fetched.source == "feeds.example.org", "\(fetched)")
        // A private feed's user and password are not carried into its papers' addresses (stored, and served to any reader).
        let private_ = try #require(try FeedParser.parse(Data(bare.utf8), origin: "https://me:pa55@feeds.example.org/lab/feed.xml?key=s3cret").papers.first)
        #expect(private_.url == "https://feeds.example.org/articles/d41586-026-01234-5" && private_.key == fetched.key, "\(private_)")
        #expect(FeedParser.withoutCredentials("http://a:b@c@host:8/x?u=v@w") == "http://host:8/x?u=v@w")
        #expect(FeedParser.withoutCredentials("http://host/x@y") == "http://host/x@y")
        let file = try #require(try FeedParser.parse(Data(bare.utf8), origin: "/tmp/feed.xml").papers.first)
        #expect(file.url == nil && file.key.rawValue == "feed:/articles/d41586-026-01234-5", "\(file.key)")
    }

    @Test func htmlEntitiesThatXMLDoesNotDeclareDoNotCostTheItem() throws {
        // Raw "&eacute;" and "&nbsp;" are not XML; sloppy feeds send them anyway.
        var text = String(decoding: try Self.rss2(description: "ABSTRACT"), as: UTF8.self)
        text = text.replacingOccurrences(of: "</description>", with: " caf&eacute;&nbsp;n&deg;1</description>")
        let feed = try FeedParser.parse(Data(text.utf8), origin: "feed.xml")
        #expect(feed.rejections.isEmpty)
        #expect(try #require(feed.papers.first).abstract.hasSuffix("for the better. café n°1"))
    }

    @Test func latexComparisonsInDescriptionsAreNotTakenForTags() throws {
        let astro = try #require(try Fixtures.parse(Fixtures.arxivAPI("id_astro-ph_0601001")).papers.first)
        let data = try Self.rss2(description: "<p>\(astro.abstract)</p> $a<b$ and $\\langle x, y \\rangle$ <i>ok</i>")
        let paper = try #require(try FeedParser.parse(data, origin: "feed.xml").papers.first)
        #expect(paper.abstract.contains("limit of V_max<17.5."))
        #expect(paper.abstract.hasSuffix("$a<b$ and $\\langle x, y \\rangle$ ok"))
    }

    @Test(arguments: [
        ("Thu, 11 Jun 2026 00:00:00 +0000", "2026-06-11"),
        ("Fri, 12 Jun 2026 23:30:00 -0400", "2026-06-12"),  // the day as written, not moved to UTC
        ("12 Jun 2026 08:00 GMT", "2026-06-12"),
        ("Fri, 5 Jun 26 00:00:00 EST", "2026-06-05"),
        ("2026-06-16", "2026-06-16"),
        ("2017-07-27T08:18:33Z", "2017-07-27"),
        ("2026-08-20T00:00:00-04:00", "2026-08-20"),
        ("2026/6/1", "2026-06-01"),
        ("20260616", "2026-06-16"),
        ("June 11, 2026", "2026-06-11"),
        ("11 June 2026", "2026-06-11"),
    ])
    func datesAreNormalizedToTheDay(written: String, day: String) throws {
        let paper = try #require(try FeedParser.parse(Self.rss2(description: "ABSTRACT", pubDate: written), origin: "f").papers.first)
        #expect(paper.published == day)
    }

    @Test(arguments: ["sometime in June", "2026-13-01", "2026-06"])
    func unreadableDatesAreLeftOutNotGuessed(written: String) throws {
        let paper = try #require(try FeedParser.parse(Self.rss2(description: "ABSTRACT", pubDate: written), origin: "f").papers.first)
        #expect(paper.published == nil)
    }

    /// A real arXiv paper with a DOI (2202.12139, ICSTW 2022) in a publisher's Atom feed.
    @Test func genericAtomKeysByDoiAndReadsHtmlText() throws {
        let api = try #require(try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m10_")).paper("arxiv:2202.12139"))
        let atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>ICSTW</title>
              <link rel="alternate" href="https://ieeexplore.ieee.org/xpl/conhome/9787789/proceeding"/>
              <entry>
                <id>https://doi.org/10.1109/ICSTW55395.2022.00035</id>
                <title type="html">\(xmlEscaped("<i>Testing</i> Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"))</title>
                <summary type="html">\(xmlEscaped("<p>" + api.abstract + "</p>"))</summary>
                <author><name>Mohit Kumar Ahuja</name></author>
                <author><name>Arnaud Gotlieb</name></author>
                <author><name>Helge Spieker</name></author>
                <published>2022-04-01T00:00:00Z</published>
                <updated>2022-06-01T00:00:00Z</updated>
              </entry>
            </feed>
            """
        let feed = try FeedParser.parse(Data(atom.utf8), origin: "ieee.atom")
        #expect(feed.format == .atom)
        let paper = try #require(feed.papers.first)
        #expect(paper.key.rawValue == "doi:10.1109/icstw55395.2022.00035")
        #expect(paper.source == "ieeexplore.ieee.org")
        #expect(paper.title == api.title)
        #expect(paper.abstract == api.abstract)
        #expect(paper.authors == api.authors)
        #expect(paper.published == "2022-04-01")
        #expect(paper.updated == "2022-06-01")
    }

    @Test func titlesAndAbstractsNeverKeepLineBreaksOrRunsOfSpaces() throws {
        var papers = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m100_")).papers
        papers += try Fixtures.parse(Fixtures.arxivRSS).papers
        papers += try Fixtures.parse("nature/nature.rss").papers
        for paper in papers {
            for text in [paper.title, paper.abstract] {
                #expect(!text.contains("\n") && !text.contains("  ") && text == text.trimmingCharacters(in: .whitespaces))
            }
        }
    }
}
