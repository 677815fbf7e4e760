import Foundation
import HubCore
@testable import HubFeeds
import Testing

/// The product's rule: bad input gets a clear error naming the entry, and loses nothing else.
@Suite struct BadInputTests {
    @Test func truncatedFileKeepsEveryCompleteEntryAndRejectsTheCutOne() throws {
        let feed = try Fixtures.parse("bad/truncated-arxiv-api.xml")
        let whole = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m10_"))
        #expect(feed.papers == Array(whole.papers.prefix(6)))
        #expect(feed.totalResults == 214_881)
        #expect(feed.rejections == [
            Rejection(location: "entry 7", reason: "truncated: the file ends inside this entry, which starts at line 172")
        ])
    }

    @Test func malformedEntryLosesOnlyItself() throws {
        let feed = try Fixtures.parse("bad/malformed-entry.xml")
        let whole = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s10_m10_"))
        var expected = whole.papers
        expected.remove(at: 4)
        #expect(feed.papers == expected)
        #expect(feed.rejections.count == 1)
        let rejection = try #require(feed.rejections.first)
        #expect(rejection.location == "entry 5")
        #expect(rejection.reason.hasPrefix("malformed XML at line 118:"))
    }

    /// An entity the document's DTD declares (a file's contents, a billion laughs) is never expanded: refused,
    /// said as what it is.
    @Test func entitiesADTDDeclaresAreNotRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>
            <rss version="2.0"><channel><title>t</title>
            <item><title>&x;</title><link>https://example.org/1</link></item>
            <item><title>&b;</title><link>https://example.org/2</link></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8), origin: "dtd.xml")
        #expect(feed.papers.isEmpty && !feed.rejections.isEmpty, "\(feed.papers.map(\.title))")
        #expect(feed.rejections.allSatisfy { $0.reason.contains("one the document's own DTD declares: DTDs are not read") }, "\(feed.rejections)")
    }

    @Test func invalidUTF8IsRepairedAndTheLineKept() throws {
        let feed = try Fixtures.parse("bad/invalid-utf8.jsonl")
        #expect(feed.rejections.isEmpty)
        #expect(feed.papers.count == 5)
        let seeds = try Fixtures.parse("seed-papers.jsonl").papers
        #expect(feed.papers[2].abstract.contains("\u{FFFD}"))
        #expect(feed.papers[2].title == seeds[2].title)
        #expect(feed.papers[2].abstract.replacingOccurrences(of: "\u{FFFD} \u{FFFD} \u{FFFD}", with: "")
            == seeds[2].abstract)
        #expect(Array(feed.papers[3...]) == Array(seeds[3..<5]))
    }

    /// A NUL in JSON text (`\u0000`) would end the text for SQLite: it reads as a space, the rest is kept.
    @Test func aNULInJSONTextLosesNothingAfterIt() throws {
        var seed = try Fixtures.seeds()[1]
        let title = try #require(seed["title"] as? String), abstract = try #require(seed["abstract"] as? String)
        seed["title"] = title.replacingOccurrences(of: " ", with: "\u{0}", options: [], range: title.range(of: " "))
        seed["abstract"] = abstract + "\u{0}\u{0}"
        let line = String(decoding: try JSONSerialization.data(withJSONObject: seed), as: UTF8.self)
        #expect(line.contains("\\u0000"))
        let feed = try FeedParser.parse(Data(line.utf8), origin: "nul.jsonl")
        let expected = try Fixtures.parse("seed-papers.jsonl").papers[1]
        #expect(feed.rejections.isEmpty)
        #expect(feed.papers.first?.title == expected.title)
        #expect(feed.papers.first?.abstract == expected.abstract)
        #expect(FeedText.byteSize(2_500) == "2500 bytes" && FeedText.byteSize(2_000) == "2 KB")
    }

    @Test func brokenJsonLineAndEmptyTitleAreRejectedWithTheirLineNumbers() throws {
        let feed = try Fixtures.parse("bad/malformed.jsonl")
        let seeds = try Fixtures.parse("seed-papers.jsonl").papers
        #expect(feed.papers == [seeds[0], seeds[1], seeds[3], seeds[5]])
        #expect(feed.rejections.count == 2)
        #expect(feed.rejections[0].location == "line 3")
        #expect(feed.rejections[0].reason.hasPrefix("invalid JSON: "))
        #expect(feed.rejections[1] == Rejection(location: "line 5", reason: "empty title"))
    }

    /// Where JSON breaks is said as an editor shows it: line and column, in characters (Foundation counts
    /// bytes from 0), the column alone for a text on one line.
    @Test func brokenJSONIsPlacedByLineAndColumn() throws {
        #expect(JSONValue.syntaxProblem(in: Data(#"{"a": [1, 2]}"#.utf8)) == nil)
        // A value alone where an array or object is read (a CSL-JSON file of one string): Foundation's words had
        // named its own option ("…option to allow fragments not set").
        let alone = Data(#""hello""#.utf8)
        #expect { _ = try JSONSerialization.jsonObject(with: alone) } throws: {
            JSONValue.syntaxProblem($0, in: alone) == "it holds one value alone (a text, a number, true, false or null), not an array or an object"
        }
        let chinese = JSONValue.syntaxProblem(in: Data("{\"名字\": \"茶树\",\n \"x\": [1,2,}".utf8)) ?? ""
        #expect(chinese.hasSuffix(" at line 2, column 12") && chinese == chinese.prefix(1).lowercased() + chinese.dropFirst(), "\(chinese)")
        // Characters, not bytes, before the break on its own line: 茶树 are two columns, not six.
        let sameLine = JSONValue.syntaxProblem(in: Data("{\"名字\": \"茶树\" \"x\": 1}".utf8)) ?? ""
        #expect(sameLine.hasSuffix(" at column 13"), "\(sameLine)")
        let line = #"{"title": "x" "abstract": "y"}"#
        #expect(JSONValue.syntaxProblem(in: Data(line.utf8))?.hasSuffix(" at column 15") == true)
        // Cut short, a half character escaped, a number beyond a Double: said plainly and placed (Foundation's words
        // were "unexpected end of file during JSON parse", "… not representable in Swift", and no place).
        let cut = JSONValue.syntaxProblem(in: Data("[\n {\"title\": \"Property-Based Mutation Testing\"}\n".utf8)) ?? ""
        #expect(cut == "it ends before its JSON does, after line 2, column 45 (cut short?)", "\(cut)")
        let high = JSONValue.syntaxProblem(in: Data(#"{"name": "x", "description": "\ud800"}"#.utf8)) ?? ""
        #expect(high.hasPrefix("the first half of a character escaped in two (a high surrogate) with no second half after it at column 31"), "\(high)")
        let low = JSONValue.syntaxProblem(in: Data("{\n \"name\": \"x\",\n \"description\": \"\\udc00 bad\"\n}".utf8)) ?? ""
        #expect(low.hasPrefix("the second half of a character escaped in two (a low surrogate) with no first half before it at line 3, column 18"), "\(low)")
        let huge = JSONValue.syntaxProblem(in: Data(#"{"name": "x", "limit": 1e400}"#.utf8)) ?? ""
        #expect(huge == "the number 1e400 is beyond what a number here can hold at column 24", "\(huge)")
        #expect(JSONValue.syntaxProblem(in: Data(#"{"a": "\ud83d\ude00"}"#.utf8)) == nil)
        // A JSON Lines record's indentation counts in its column, as an editor shows it.
        let feed = try FeedParser.parse(Data((line + "\n    " + line + "\n").utf8), origin: "one.jsonl")
        #expect(feed.rejections.count == 2 && feed.rejections.allSatisfy { $0.reason.hasPrefix("invalid JSON: ") }
                && feed.rejections[0].reason.hasSuffix(" at column 15") && feed.rejections[1].reason.hasSuffix(" at column 19"), "\(feed.rejections)")
    }

    /// A title that is not text is said as what it is, not as an empty title.
    @Test func aTitleThatIsAListOrAnObjectIsSaidSo() throws {
        let lines = try String(decoding: Fixtures.data("seed-papers.jsonl"), as: UTF8.self).split(separator: "\n")
        var rows: [String] = []
        let titles: [Any] = [["SiGnature:", "Explicit Motion Diffusion"], ["en": "SiGnature"], NSNull()]
        for title in titles {
            var record = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            record["title"] = title
            rows.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
        }
        let feed = try FeedParser.parse(Data((rows + [String(lines[1])]).joined(separator: "\n").utf8), origin: "titles.jsonl")
        #expect(feed.papers.count == 1)
        #expect(feed.rejections.map(\.reason) == ["the title is a list, not text", "the title is an object, not text", "the title is null, not text"])
    }

    @Test func invalidUTF8InsideAnXMLEntryIsRepairedNotRejected() throws {
        var bytes = [UInt8](try Fixtures.data(Fixtures.arxivAPI("id_astro-ph_0601001")))
        let summary = Array("<summary>".utf8)
        let at = try #require((0..<bytes.count).first { Array(bytes[$0..<min($0 + summary.count, bytes.count)]) == summary })
        bytes.insert(contentsOf: [0xFF, 0xC3], at: at + summary.count + 10)
        let feed = try FeedParser.parse(Data(bytes), origin: "x.xml")
        #expect(feed.rejections.isEmpty)
        #expect(try #require(feed.papers.first).abstract.contains("\u{FFFD}"))
    }

    @Test func entryWithEmptyTitleIsRejectedByNumber() throws {
        var text = try Fixtures.text(Fixtures.arxivAPI("q_testing_s0_m10_"))
        // Empty the 4th entry's title.
        let entry = text.ranges(of: "<entry>")[3]
        let open = try #require(text.range(of: "<title>", range: entry.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "</title>", range: open.upperBound..<text.endIndex))
        text.replaceSubrange(open.upperBound..<close.lowerBound, with: " \n ")
        let feed = try FeedParser.parse(Data(text.utf8), origin: "x.xml")
        #expect(feed.papers.count == 9)
        #expect(feed.rejections == [Rejection(location: "entry 4", reason: "empty title")])
    }

    /// A real abstract repeated past 10 MB.
    static func hugeAbstract() throws -> String {
        let abstract = try #require(try Fixtures.parse(Fixtures.arxivAPI("id_astro-ph_0601001")).papers.first).abstract
        let copies = 10 * 1024 * 1024 / (abstract.utf8.count + 1) + 1
        return Array(repeating: abstract, count: copies).joined(separator: " ")
    }

    // A 10 MB abstract is read to its end (the parser neither stalls nor loses its place) and then
    // rejected by name: beyond `Paper.maxAbstractBytes` FTS5's snippet() would cost the square of it.
    @Test(.timeLimit(.minutes(1)))
    func tenMegabyteAbstractIsRejectedByEntryInXML() throws {
        let huge = try Self.hugeAbstract()
        let text = try Fixtures.text(Fixtures.arxivAPI("id_astro-ph_0601001"))
        let open = try #require(text.range(of: "<summary>"))
        let close = try #require(text.range(of: "</summary>"))
        let xml = String(text[..<open.upperBound]) + xmlEscaped(huge) + String(text[close.lowerBound...])
        let feed = try FeedParser.parse(Data(xml.utf8), origin: "huge.xml")
        #expect(feed.papers.isEmpty)
        #expect(feed.rejections.map(\.location) == ["entry 1"])
        #expect(feed.rejections.first?.reason.hasPrefix("abstract is 10.") == true)
    }

    // An abstract inside 100,000 nested elements: read as its text, every entry kept. The tree keeps 64
    // levels; deeper, the walks over it (and its release) had overflowed the stack and crashed ahub.
    @Test(.timeLimit(.minutes(1)))
    func elementsNestedAHundredThousandDeepAreReadAsText() throws {
        let text = try Fixtures.text(Fixtures.arxivAPI("q_testing_s0_m10_"))
        let open = try #require(text.range(of: "<summary>"))
        let close = try #require(text.range(of: "</summary>"))
        let depth = 100_000
        let xml = String(text[..<open.upperBound]) + String(repeating: "<b>", count: depth) + String(text[open.upperBound..<close.lowerBound])
            + String(repeating: "</b>", count: depth) + String(text[close.lowerBound...])
        let feed = try FeedParser.parse(Data(xml.utf8), origin: "deep.xml")
        let whole = try Fixtures.parse(Fixtures.arxivAPI("q_testing_s0_m10_"))
        #expect(feed.rejections.isEmpty)
        #expect(feed.papers == whole.papers)
    }

    @Test(.timeLimit(.minutes(1)))
    func tenMegabyteAbstractIsRejectedByLineInJSONLinesAndRSS() throws {
        let huge = try Self.hugeAbstract()
        var seed = try Fixtures.seeds()[1]  // Kareus, with its arXiv prefix
        seed["abstract"] = "arXiv:2601.17654v2 Announce Type: replace Abstract: " + huge
        var lines = try Fixtures.text("seed-papers.jsonl").split(separator: "\n").map(String.init)
        lines[1] = String(decoding: try JSONSerialization.data(withJSONObject: seed), as: UTF8.self)
        let feed = try FeedParser.parse(Data(lines.joined(separator: "\n").utf8), origin: "seeds.jsonl")
        #expect(feed.papers.count == 46, "every other line is still read")
        #expect(feed.rejections.map(\.location) == ["line 2"])
        #expect(feed.rejections.first?.reason.contains("the limit is 100 KB") == true)

        let rss = try RSSAndAtomTests.rss2(description: "<p>" + huge + "</p>")
        let parsed = try FeedParser.parse(rss, origin: "huge.rss")
        #expect(parsed.papers.isEmpty)
        #expect(parsed.rejections.count == 1)
    }
}

@Suite struct CategoryCaseTests {
    @Test(arguments: [
        ("CS.CL", "cs.CL"), ("cs.lg", "cs.LG"), ("MATH.PR", "math.PR"), ("Q-BIO.NC", "q-bio.NC"),
        ("physics.Optics", "physics.optics"), ("quant-ph", "quant-ph"), ("Neuroscience", "Neuroscience"),
    ])
    func arxivCategoriesTakeArxivsCase(_ written: String, _ expected: String) {
        #expect(PaperDraft.arxivCategoryCase(written) == expected)
    }
}
