import Foundation
import HubFeeds
import Testing

@Suite struct FormatDetectionTests {
    /// Every fixture, and the format its content shows.
    static let cases: [(String, FeedFormat)] = [
        ("arxiv-api/id_astro-ph_0601001_s0_m100_3150dca9dc76.xml", .arxivAtom),
        ("arxiv-api/id_abc_s0_m100_b79c8dcf6bc3.xml", .arxivAtom),  // the error feed is still arXiv Atom
        ("arxiv-api/id_0000.0000_s0_m100_8b51d9633a68.xml", .arxivAtom),  // no entries
        ("arxiv-api/q_testing_s0_m100_cfe7536492ca.xml", .arxivAtom),
        (Fixtures.arxivRSS, .arxivRSS),
        ("biorxiv/details-page0.json", .bioRxivJSON),
        ("medrxiv/details-page0.json", .bioRxivJSON),
        ("nature/nature.rss", .natureRDF),
        ("seed-papers.jsonl", .jsonLines),
        ("eval/scifact/corpus.jsonl", .beirCorpus),
        ("eval/cranfield/corpus.jsonl", .beirCorpus),
        ("eval/csl-zh/corpus.jsonl", .beirCorpus),
        ("bad/truncated-arxiv-api.xml", .arxivAtom),
        ("bad/malformed-entry.xml", .arxivAtom),
        ("bad/invalid-utf8.jsonl", .jsonLines),
        ("bad/malformed.jsonl", .jsonLines),
    ]

    @Test(arguments: cases)
    func eachFixtureIsDetectedFromItsContent(path: String, expected: FeedFormat) throws {
        #expect(FeedParser.detect(try Fixtures.data(path)) == expected)
    }

    @Test func detectionIgnoresTheFileName() throws {
        // The Nature feed handed over under a misleading name is still Nature's RSS 1.0.
        let data = try Fixtures.data("nature/nature.rss")
        #expect(try FeedParser.parse(data, origin: "download.json").format == .natureRDF)
    }

    @Test func genericFeedsAreToldApartFromArxivAndNature() {
        let rss = #"<?xml version="1.0"?><rss version="2.0"><channel><link>https://www.sciencedirect.com/journal/x</link></channel></rss>"#
        let atom = #"<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://journals.plos.org/"/></feed>"#
        let rdf = #"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://example.org/"/></rdf:RDF>"#
        #expect(FeedParser.detect(Data(rss.utf8)) == .rss)
        #expect(FeedParser.detect(Data(atom.utf8)) == .atom)
        #expect(FeedParser.detect(Data(rdf.utf8)) == .rss)
    }

    @Test func byteOrderMarkAndLeadingBlankLinesDoNotHideTheFormat() throws {
        var data = Data([0xEF, 0xBB, 0xBF, 0x0A, 0x0A])
        data.append(try Fixtures.data("nature/nature.rss"))
        #expect(FeedParser.detect(data) == .natureRDF)
    }

    /// A feed saved as UTF-16 (with or without a byte-order mark, either byte order, its declaration saying
    /// UTF-16) reads as the same papers as its UTF-8 original; so do JSON Lines.
    @Test func utf16FilesReadAsTheirUTF8Originals() throws {
        let path = try Fixtures.arxivAPI("q_testing_s0_m10_")
        let text = try Fixtures.text(path)
        let whole = try Fixtures.parse(path)
        let declared = text.replacingOccurrences(of: "encoding='UTF-8'", with: "encoding='UTF-16'")
        #expect(declared.hasPrefix("<?xml version='1.0' encoding='UTF-16'?>"))
        for (encoding, bom) in [(String.Encoding.utf16LittleEndian, Data([0xFF, 0xFE])), (.utf16BigEndian, Data([0xFE, 0xFF])),
                                (.utf16LittleEndian, Data())] {
            let data = bom + (try #require(declared.data(using: encoding)))
            #expect(FeedParser.detect(data) == .arxivAtom)
            #expect(FeedParser.isComplete(data))
            let feed = try FeedParser.parse(data, origin: "utf16.xml")
            #expect(feed.papers == whole.papers && feed.rejections.isEmpty)
        }
        let lines = try Fixtures.text("seed-papers.jsonl")
        let feed = try FeedParser.parse(Data([0xFF, 0xFE]) + (try #require(lines.data(using: .utf16LittleEndian))), origin: "seeds.jsonl")
        #expect(feed.papers == (try Fixtures.parse("seed-papers.jsonl")).papers)
    }

    @Test func unknownContentIsAClearErrorNamingTheOrigin() throws {
        for content in ["file\tstatus\turl\n", "<html><body>Rate limited</body></html>", ""] {
            #expect(FeedParser.detect(Data(content.utf8)) == nil)
            let error = #expect(throws: FeedError.self) {
                try FeedParser.parse(Data(content.utf8), origin: "downloads/feed.txt")
            }
            #expect(error?.code == .unknownFormat)
            #expect(error?.message.hasPrefix("downloads/feed.txt: not a format HubFeeds reads") == true)
        }
    }

    @Test func xmlBrokenBeforeAnyEntryIsUnreadableAsAWhole() throws {
        let data = Data(#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Cut"#.utf8)
        #expect(FeedParser.detect(data) == .atom)
        let error = #expect(throws: FeedError.self) { try FeedParser.parse(data, origin: "cut.xml") }
        #expect(error?.code == .unreadable)
    }
}
