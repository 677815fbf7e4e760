import Foundation
import HubCore
@testable import HubFeeds
import Testing

/// Real arXiv API responses (Fixtures/arxiv-api, recorded by arxiv.py's test suite).
@Suite struct ArxivAtomTests {
    @Test func oldStyleIdWithJournalRefAndAffiliationsReadsCompletely() throws {
        let feed = try Fixtures.parse(Fixtures.arxivAPI("id_astro-ph_0601001"))
        #expect(feed.format == .arxivAtom)
        #expect(feed.totalResults == 1)
        #expect(feed.rejections.isEmpty)
        let paper = try #require(feed.papers.first)
        #expect(paper.key.rawValue == "arxiv:astro-ph/0601001")
        #expect(paper.source == "arxiv")
        #expect(paper.nativeID == "astro-ph/0601001")
        #expect(paper.version == "v1")
        #expect(paper.title == "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the Galactic Bulge and Carina")
        // Leading spaces gone, XML entities decoded, LaTeX kept as written.
        #expect(paper.abstract.hasPrefix("We derive the frequencies of hot Jupiters (HJs) with 3--5 day periods"))
        #expect(paper.abstract.contains("following Gould & Morgan (2003)"))
        #expect(paper.abstract.contains("limit of V_max<17.5."))
        #expect(paper.abstract.contains("(1/310)(1^{+1.39}_{-0.59})"))
        #expect(paper.authors == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"])
        #expect(paper.categories == ["astro-ph"])
        #expect(paper.published == "2006-01-02")
        #expect(paper.updated == "2006-01-02")
        #expect(paper.journalRef == "ActaAstron.56:1-50,2006")
        #expect(paper.comment?.hasPrefix("62 pages including 16 figures and 9 tables.") == true)
        #expect(paper.url == "https://arxiv.org/abs/astro-ph/0601001v1")
        #expect(paper.doi == nil)
        #expect(paper.announceType == nil)
    }

    @Test func primaryCategoryComesFirstAndDoiIsKept() throws {
        let feed = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m10_"))
        let paper = try #require(feed.paper("arxiv:2202.12139"))
        #expect(paper.categories == ["cs.SE", "cs.LG"])
        #expect(paper.doi == "10.1109/icstw55395.2022.00035")
        #expect(paper.journalRef?.hasPrefix("Artificial Intelligence in Software Testing @ 2022 IEEE") == true)
        #expect(paper.comment == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022")
        #expect(paper.authors == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"])
    }

    @Test func everyEntryOfAHundredEntryPageBecomesAPaper() throws {
        let feed = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m100_"))
        #expect(feed.papers.count == 100)
        #expect(feed.rejections.isEmpty)
        #expect(Set(feed.papers.map(\.key)).count == 100)
        #expect(feed.papers.allSatisfy { $0.key.rawValue.hasPrefix("arxiv:") && $0.version != nil && !$0.title.isEmpty })
        #expect(feed.papers.filter { $0.doi != nil }.count == 32)
        // Categories are never empty and never repeat the primary one.
        #expect(feed.papers.allSatisfy { !$0.categories.isEmpty && Set($0.categories).count == $0.categories.count })
    }

    /// The q_testing_s{start}_m10 files are consecutive pages of one query.
    @Test func pagingFixturesReportTheQueryTotalAndDoNotOverlap() throws {
        var keys: [PaperKey] = []
        for start in [0, 10, 20, 30, 40, 50] {
            let feed = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s\(start)_m10_"))
            #expect(feed.totalResults == 214_881)
            #expect(feed.papers.count == 10)
            keys += feed.papers.map(\.key)
        }
        #expect(Set(keys).count == 60)
        // Other windows of the same query agree with the pages on the papers they share.
        let s9 = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s9_m15_")).papers.map(\.key)
        #expect(s9 == Array(keys[9..<24]))
        let s0m100 = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m100_")).papers.map(\.key)
        #expect(Array(s0m100.prefix(60)) == keys)
    }

    @Test func errorFeedIsARejectionWithTheErrorsSummaryNotAPaper() throws {
        let feed = try Fixtures.parse(Fixtures.arxivAPI("id_abc_"))
        #expect(feed.papers.isEmpty)
        #expect(feed.rejections == [Rejection(location: "entry 1", reason: "arXiv API error: incorrect id format for abc")])
    }

    @Test func emptyResultIsNoPapersNoRejectionsAndTotalZero() throws {
        let feed = try Fixtures.parse(Fixtures.arxivAPI("id_0000.0000_"))
        #expect(feed.papers.isEmpty)
        #expect(feed.rejections.isEmpty)
        #expect(feed.totalResults == 0)
    }

    @Test func versionedIdQueryKeepsTheVersionApartFromTheKey() throws {
        let paper = try #require(try Fixtures.parse(Fixtures.arxivAPI("id_quant-ph_0201082v1")).papers.first)
        #expect(paper.key.rawValue == "arxiv:quant-ph/0201082")
        #expect(paper.version == "v1")
    }

    @Test func everyResponseInTheIndexParsesWithoutLosingAnEntry() throws {
        // index.tsv: file, HTTP status, URL. Every file's entries come out as papers or (for the 400) a rejection.
        let rows = try Fixtures.text("arxiv-api/index.tsv").split(separator: "\n").dropFirst()
        #expect(rows.count == 20)
        for row in rows {
            let fields = row.split(separator: "\t")
            let feed = try Fixtures.parse("arxiv-api/\(fields[0])")
            let entries = try Fixtures.text("arxiv-api/\(fields[0])").components(separatedBy: "<entry>").count - 1
            #expect(feed.papers.count + feed.rejections.count == entries, "\(fields[0])")
            #expect(feed.rejections.isEmpty == (fields[1] == "200"), "\(fields[0])")
        }
    }

    /// arXiv's API serves some names and abstracts double-encoded (UTF-8 read as Latin-1: "WÃ¼bben", "Î±"):
    /// they are repaired; text that is right, accents and all, is left as it is.
    @Test func doubleEncodedTextIsRepaired() throws {
        let paper = try #require(try Fixtures.parse(Fixtures.arxivAPI("id_1707.08567_")).papers.first)
        #expect(paper.authors.count == 34)
        #expect(paper.authors.first == "Kees A. Schouhamer Immink")
        #expect(paper.authors.contains("Dirk Wübben") && !paper.authors.contains { $0.contains("Ã") })
        let testing = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m100")).papers
        let authors = Set(testing.flatMap(\.authors))
        #expect(authors.contains("Sébastien Lafond") && authors.contains("Clément L. Canonne"))
        // No pair of a lead byte's character and a continuation byte's is left in any field.
        let broken = /[\u{C2}-\u{F4}][\u{80}-\u{BF}]/
        for paper in testing {
            for text in [paper.title, paper.abstract] + paper.authors { #expect(text.firstMatch(of: broken) == nil, "\(paper.key): \(text)") }
        }
        #expect(testing.contains { $0.abstract.contains("α") })
    }

    @Test func aRepairLeavesRightTextAlone() {
        // What real text writes side by side: Ångström squared and cubed, French spacing before », a trademark,
        // German and Danish letters before a no-break space or a symbol.
        for right in ["café", "Größe", "naïve", "São Paulo", "SÃO PAULO", "Ångström", "x ± 2 °C", "½", "α and β", "模型", "Zoë",
                      "850 Å² and 1200 Å³", "« café\u{A0}»", "voilà\u{A0}»", "NESTLÉ®", "«CAFÉ»", "ÉTÉ\u{A0}:", "Ü·",
                      "Weiß\u{A0}Grün", "Ø±2 mm", "5×½", "Ærø Æ°"] {
            #expect(FeedText.repairingMojibake(right) == right)
        }
        #expect(FeedText.repairingMojibake("Dirk WÃ¼bben, Î± = 2, Î\u{98}(n), SÃ©bastien") == "Dirk Wübben, α = 2, Θ(n), Sébastien")
        #expect(FeedText.repairingMojibake("Å\u{81}ukasz, 25Â°C, a â\u{80}\u{94} b, Ð\u{9C}Ð¾Ñ\u{81}ÐºÐ²Ð°") == "Łukasz, 25°C, a — b, Москва")
        let once = FeedText.repairingMojibake("ClÃ©ment")
        #expect(once == "Clément" && FeedText.repairingMojibake(once) == once)
    }

    /// arXiv's Atom announcement feed (rss.arxiv.org/atom/<cat>) around a seed paper: the OAI id, the prefixed
    /// summary and `arxiv:announce_type` read as they do in RSS.
    @Test func atomAnnouncementFeedReadsLikeTheRSSOne() throws {
        let seed = try Fixtures.seeds()[1]  // Kareus, 2601.17654v2, replace
        let atom = """
            <?xml version='1.0' encoding='UTF-8'?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <id>http://rss.arxiv.org/atom/cs.LG</id>
              <title>cs.LG updates on arXiv.org</title>
              <updated>2026-06-12T04:00:00.000000+00:00</updated>
              <entry>
                <id>oai:arXiv.org:2601.17654v2</id>
                <title>\(xmlEscaped(seed["title"] as! String))</title>
                <updated>2026-06-12T04:00:00.000000+00:00</updated>
                <link href="https://arxiv.org/abs/2601.17654" rel="alternate" type="text/html"/>
                <summary>\(xmlEscaped(seed["abstract"] as! String))</summary>
                <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
                <published>2026-06-12T00:00:00-04:00</published>
                <arxiv:announce_type>replace</arxiv:announce_type>
              </entry>
            </feed>
            """
        let feed = try FeedParser.parse(Data(atom.utf8), origin: "cs.LG.atom")
        #expect(feed.format == .arxivAtom)
        let paper = try #require(feed.papers.first)
        #expect(paper.key.rawValue == "arxiv:2601.17654")
        #expect(paper.version == "v2")
        #expect(paper.announceType == "replace")
        #expect(paper.abstract.hasPrefix("The computing demand of AI"))
        #expect(paper.updated == "2026-06-12")
        #expect(paper.published == nil)
        #expect(paper.url == "https://arxiv.org/abs/2601.17654")
    }
}
