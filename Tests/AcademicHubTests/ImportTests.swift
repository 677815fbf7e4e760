import Foundation
import GRDB
import Testing
import HubCore
@testable import HubStore
@testable import AcademicHub

@Suite struct ImportTests {
    /// A source's own id two sources' papers have names neither: said so with both keys (it read "no paper").
    @Test func aBareIdTwoSourcesShareNamesBoth() throws {
        let scratch = try ScratchHub()
        let other = scratch.directory.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: fixture("eval/csl-zh/corpus.jsonl"), encoding: .utf8).split(separator: "\n").prefix(2)
        try (lines.joined(separator: "\n") + "\n").write(to: other.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        _ = try scratch.hub.importFiles([fixture("eval/csl-zh/corpus.jsonl"), other.appendingPathComponent("corpus.jsonl").path])
        #expect { try scratch.hub.paper(keyOrTitle: "csl-test-0001") } throws: {
            "\($0)" == "2 papers have the id csl-test-0001: csl-zh:csl-test-0001, other:csl-test-0001; name one by its key"
        }
        // Copied with a sentence's full stop after it, the same (it had read "no paper").
        #expect { try scratch.hub.paper(keyOrTitle: "csl-test-0001.") } throws: { "\($0)".hasPrefix("2 papers have the id csl-test-0001: ") }
        #expect(try scratch.hub.paper(keyOrTitle: "csl-test-0005")?.paper.key.rawValue == "csl-zh:csl-test-0005")
        #expect(try scratch.hub.paper(keyOrTitle: "other:csl-test-0001")?.paper.key.rawValue == "other:csl-test-0001")
    }

    @Test func importingTheBundledFixturesTwiceChangesNothing() throws {
        let scratch = try ScratchHub()
        let first = try scratch.hub.importFiles(feedFixtures)
        #expect(first.new > 100)
        let second = try scratch.hub.importFiles(feedFixtures)
        #expect(second.new == 0)
        #expect(second.updated == 0)
        #expect(second.unchanged == first.new + first.updated + first.unchanged)
    }

    /// A CSL-JSON export (what Zotero and Mendeley write) is read for what it holds: the DOI (its key), the
    /// authors as family and given names, the day issued and the journal. The item here is arXiv 1906.00673's
    /// own record in the library, written as Zotero writes a journal article.
    @Test func aCSLJSONExportKeepsItsDOIAuthorsDateAndJournal() throws {
        let arxiv = try ScratchHub()
        _ = try arxiv.hub.importFiles([fixture("arxiv-api")])
        let paper = try #require(try arxiv.hub.paper("arxiv:1906.00673")).paper
        let doi = try #require(paper.doi), day = try #require(paper.date).split(separator: "-").map(String.init)
        let authors = paper.authors.map { name -> [String: String] in
            let parts = name.split(separator: " ")
            return ["family": String(parts.last!), "given": parts.dropLast().joined(separator: " ")]
        }
        // CSL-JSON titles carry rich text (`<i>`, `<span class="nocase">`, entities), read as text (it had been shown raw).
        let words = paper.title.split(separator: " ", maxSplits: 1).map(String.init)
        let marked = "<i>\(words[0])</i> <span class=\"nocase\">\(words.count > 1 ? words[1] : "")</span>"
        let item: [String: Any] = ["id": "http://zotero.org/users/1/items/ABCD1234", "type": "article-journal", "title": marked,
                                   "abstract": paper.abstract, "DOI": doi, "URL": "https://doi.org/\(doi)", "author": authors,
                                   "issued": ["date-parts": [day]], "container-title": "Software Testing, Verification & Reliability"]
        let scratch = try ScratchHub()
        let file = scratch.directory.appendingPathComponent("My Library.json")
        try JSONSerialization.data(withJSONObject: [item]).write(to: file)
        let report = try scratch.hub.importFiles([file.path])
        #expect(report.new == 1 && report.rejected.isEmpty && report.undated == 0, "\(report)")
        let read = try #require(try scratch.hub.paper(doi)).paper
        #expect(read.key.rawValue == "doi:\(doi.lowercased())" && read.doi == doi, "\(read.key)")
        #expect(read.authors == paper.authors && read.date == paper.date && read.title == paper.title)
        #expect(read.journalRef == "Software Testing, Verification & Reliability")
        // A BibTeX list is not a feed: what reads one is named.
        let bib = scratch.directory.appendingPathComponent("refs.bib")
        try Data("@article{ahmad2019,\n  title = {\(paper.title)},\n  doi = {\(doi)}\n}\n".utf8).write(to: bib)
        let skipped = try scratch.hub.importFiles([bib.path]).skipped.first?.reason ?? ""
        #expect(skipped.contains("seeds a radar: `ahub radar create NAME --seed-file FILE`"), "\(skipped)")
    }

    /// arXiv's OAI-PMH records name no version: met after the RSS announcement of the same text (v5 of
    /// 2507.04219), they are that version again, not a dateless second one. (Ten of them are updated all the
    /// same: they bring the first announcement's day, which RSS gives only for a v1.)
    @Test func aVersionlessRecordOfAKnownVersionAddsNone() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("arxiv-rss")])
        let oai = try scratch.hub.importFiles([fixture("arxiv-oai")])
        #expect(oai.new == 1 && oai.updated == 10 && oai.unchanged == 10, "\(oai)")
        let versions = try #require(try scratch.hub.paper("arxiv:2507.04219")).versions
        #expect(versions.map(\.version) == ["v5"], "\(versions)")
        let twins = try scratch.hub.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_versions WHERE version = '' AND paper_id IN (SELECT paper_id FROM paper_versions WHERE version <> '')")
        }
        #expect(twins == 0)
        // The other order: the numbered version takes the place of the versionless one.
        let reversed = try ScratchHub()
        _ = try reversed.hub.importFiles([fixture("arxiv-oai")])
        _ = try reversed.hub.importFiles([fixture("arxiv-rss")])
        #expect(try #require(try reversed.hub.paper("arxiv:2507.04219")).versions.map(\.version) == ["v5"])
    }

    /// A feed whose bytes broke (read as U+FFFD) and then a clean copy of it: the clean text repairs the paper (the
    /// damage had stayed, each clean import "unchanged"); a damaged copy after a clean one changes nothing.
    @Test func aCleanCopyRepairsTextThatWasNotUTF8() throws {
        let scratch = try ScratchHub()
        let original = try Data(contentsOf: URL(fileURLWithPath: fixture("arxiv-api/q_testing_s5_m15_bbcf6b23085b.xml")))
        let clean = "<title>Study Paper on Test Case generation for GUI Based Testing</title>"
        let text = try #require(String(data: original, encoding: .utf8))
        let range = try #require(text.range(of: clean))
        // Two bytes that are no UTF-8 inside the title.
        var broken = Data(text[..<range.lowerBound].utf8)
        broken.append(Data("<title>Study Paper on Test ".utf8))
        broken.append(contentsOf: [0xFF, 0xFE] as [UInt8])
        broken.append(Data(" Case generation for GUI Based Testing</title>".utf8))
        broken.append(Data(text[range.upperBound...].utf8))
        let damaged = scratch.directory.appendingPathComponent("damaged.xml")
        try broken.write(to: damaged)
        _ = try scratch.hub.importFiles([damaged.path])
        #expect(try #require(try scratch.hub.paper("arxiv:1202.4527")).paper.title.contains("\u{FFFD}"))
        let repaired = try scratch.hub.importFiles([fixture("arxiv-api/q_testing_s5_m15_bbcf6b23085b.xml")])
        #expect(repaired.updated == 1, "\(repaired)")
        #expect(try #require(try scratch.hub.paper("arxiv:1202.4527")).paper.title == "Study Paper on Test Case generation for GUI Based Testing")
        _ = try scratch.hub.importFiles([damaged.path])
        #expect(try #require(try scratch.hub.paper("arxiv:1202.4527")).paper.title == "Study Paper on Test Case generation for GUI Based Testing")
    }

    @Test func theSamePaperOnBothSeedPagesIsStoredOnce() throws {
        let scratch = try ScratchHub()
        let report = try scratch.hub.importFiles([fixture("seed-papers.jsonl")])
        #expect(report.rejected.isEmpty)
        #expect(report.new == 46)
        #expect(try scratch.hub.store.count() == 46)
    }

    /// An arXiv paper met once without its id (a digest's record, kept under its title's slug) and once with
    /// it is one paper under its arXiv id, whichever comes first: Kareus (arXiv 2601.17654) as the seed pages
    /// give it, and as a digest without the id and its announcement line.
    @Test func anArxivPaperMetWithAndWithoutItsIdIsOnePaper() throws {
        let lines = try String(contentsOfFile: fixture("seed-papers.jsonl"), encoding: .utf8).split(separator: "\n")
        let line = try #require(lines.first { $0.contains("Kareus: Joint Reduction") })
        var record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let abstract = try #require(record["abstract"] as? String)
        let announce = try #require(abstract.range(of: "Abstract: "))
        let withID = try JSONSerialization.data(withJSONObject: record)
        (record["arxiv_id"], record["version"], record["abstract"]) = (nil, nil, String(abstract[announce.upperBound...]))
        let withoutID = try JSONSerialization.data(withJSONObject: record)
        for order in [[withoutID, withID], [withID, withoutID]] {
            let scratch = try ScratchHub()
            for (n, data) in order.enumerated() {
                let file = scratch.directory.appendingPathComponent("record-\(n).jsonl")
                try data.write(to: file)
                _ = try scratch.hub.importFiles([file.path])
            }
            #expect(try scratch.hub.store.count() == 1)
            #expect(try scratch.hub.paper("arxiv:2601.17654")?.paper.title.hasPrefix("Kareus") == true)
        }
        #expect(!PaperKey(rawValue: "arxiv:temporal-difference-learning-for-diffusion-models").isArxiv && PaperKey(rawValue: "arxiv:2601.17654").isArxiv)
    }

    /// A date that cannot be read is not a lost paper, but the report counts the papers date windows miss.
    @Test func newPapersWithoutADateAreCounted() throws {
        let scratch = try ScratchHub()
        let lines = try String(contentsOfFile: fixture("seed-papers.jsonl"), encoding: .utf8).split(separator: "\n")
        var record = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        record["date"] = "Spring 2026"
        let file = scratch.directory.appendingPathComponent("spring.jsonl")
        try (JSONSerialization.data(withJSONObject: record) + Data("\n".utf8) + Data(lines[1].utf8)).write(to: file)
        let report = try scratch.hub.importFiles([file.path])
        #expect(report.new == 2 && report.undated == 1 && report.rejected.isEmpty)
        #expect(try scratch.hub.importFiles([fixture("seed-papers.jsonl")]).undated == 0)
    }

    @Test func rssPrefixIsStrippedAndAnnounceTypeKept() throws {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("seed-papers.jsonl")])
        let stored = try #require(try scratch.hub.paper("arxiv:2606.13857"))
        #expect(!stored.paper.abstract.hasPrefix("arXiv:"))
        #expect(stored.paper.abstract.hasPrefix("Many-body"))
        #expect(stored.paper.announceType == "new")
        #expect(stored.paper.version == "v1")
        // What people paste resolves too.
        #expect(try scratch.hub.paper("https://arxiv.org/abs/2606.13857v1")?.paper.key == stored.paper.key)
        // With a query, a fragment or a slash after it, and arXiv's HTML pages.
        for pasted in ["https://arxiv.org/abs/2606.13857?context=cs", "https://arxiv.org/abs/2606.13857v1#S2",
                       "arxiv.org/abs/2606.13857/", "https://arxiv.org/html/2606.13857v1"] {
            #expect(try scratch.hub.paper(pasted)?.paper.key == stored.paper.key, "\(pasted)")
        }
        // A DOI pasted from an address bar without its scheme.
        #expect(PaperKey.normalizeDOI("doi.org/10.1109/ICSTW55395.2022.00035") == "10.1109/icstw55395.2022.00035")
        #expect(PaperKey.normalizeDOI("dx.doi.org/10.1109/ICSTW55395.2022.00035") == "10.1109/icstw55395.2022.00035")
        // Its slash encoded, as a Springer link writes it (a seed file's DOI had been read as none).
        #expect(PaperKey.normalizeDOI("https://doi.org/10.1007%2F978-3-540-75826-6_11") == "10.1007/978-3-540-75826-6_11")
        #expect(PaperKey.normalizeDOI("10.1007%2F978-3-540-75826-6_11") == "10.1007/978-3-540-75826-6_11")
    }

    /// A BEIR collection's folder holds its queries beside its corpus: the queries are not papers.
    @Test func beirQueriesAreNotPapers() throws {
        let scratch = try ScratchHub()
        let report = try scratch.hub.importFiles([fixture("eval/cranfield/queries.jsonl")])
        #expect(report.new == 0 && report.skipped.first?.reason.contains("BEIR queries file") == true, "\(report.skipped)")
    }

    /// A folder named through a link is read like the folder itself.
    @Test func aLinkedFolderIsRead() throws {
        let scratch = try ScratchHub()
        let link = scratch.directory.appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: fixture("arxiv-oai"))
        let direct = try ImportFiles.count(fixture("arxiv-oai"))
        let report = try scratch.hub.importFiles([link.path])
        #expect(report.files == direct && report.new > 0, "\(report.files) files through the link, \(direct) in the folder")
    }

    @Test func badFilesLoseOnlyTheirBadEntries() throws {
        let scratch = try ScratchHub()
        let report = try scratch.hub.importFiles([fixture("bad")])
        #expect(!report.rejected.isEmpty)
        // A file named again, on its own or through its folder by another spelling, is read once: each rejection said once.
        let again = try ScratchHub().hub.importFiles([fixture("bad"), fixture("bad/malformed.jsonl"), fixture("bad") + "/./"])
        #expect(again.files == report.files && again.rejected.count == report.rejected.count, "\(again.files) files against \(report.files)")
        for rejection in report.rejected {
            #expect(rejection.file.contains("bad/"))
            #expect(!rejection.location.isEmpty && !rejection.reason.isEmpty)
        }
        #expect(report.new > 0, "the good entries of bad files are still imported")
    }

    @Test func aTenMegabyteAbstractIsRejectedByLineAndTheRestImported() throws {
        let scratch = try ScratchHub()
        let sentence = "Conflict-aware federated fine-tuning aligns heterogeneous clients. "
        let huge = String(repeating: sentence, count: 10_000_000 / sentence.utf8.count)
        func line(_ title: String, _ abstract: String) throws -> Data {
            try JSONSerialization.data(withJSONObject: [
                "page": "huge", "rank": 1, "source": "arXiv", "category": "CS.LG", "date": "2026-06-16",
                "title": title, "abstract": abstract,
            ]) + Data("\n".utf8)
        }
        let file = scratch.directory.appendingPathComponent("huge.jsonl")
        try (line("A paper with a ten-megabyte abstract", huge) + line("Heterogeneous clients in federated learning", sentence)).write(to: file)
        let report = try scratch.hub.importFiles([file.path])
        #expect(report.new == 1)
        #expect(report.rejected.count == 1)
        #expect(report.rejected.first?.location == "line 1")
        #expect(report.rejected.first?.reason.contains("abstract is 10.0 MB") == true)
        #expect(try scratch.hub.search("heterogeneous clients").total == 1)
    }

    /// A device is not read forever and a compressed feed is named as such, not printed as bytes.
    @Test func aDeviceAndACompressedFeedAreSkippedWithWhatTheyAre() throws {
        let scratch = try ScratchHub()
        let copy = scratch.directory.appendingPathComponent("nature.rss")
        try FileManager.default.copyItem(atPath: fixture("nature/nature.rss"), toPath: copy.path)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [copy.path]
        try gzip.run()
        gzip.waitUntilExit()
        let report = try scratch.hub.importFiles(["/dev/null", copy.path + ".gz"])
        #expect(report.skipped.map(\.reason) == ["not a regular file (a pipe, a device or a socket)",
                                                  "not a feed format ahub reads; it begins: gzip-compressed data (\(try Data(contentsOf: URL(fileURLWithPath: copy.path + ".gz")).count) bytes)"])
    }

    /// A file whose name is not UTF-8 cannot be opened through Foundation: the folder's import names it as
    /// skipped, with why, and reads the rest; named directly, the error says why too.
    @Test func aFileNamedInBytesThatAreNotUTF8IsSaidSo() throws {
        let scratch = try ScratchHub()
        let folder = scratch.directory.appendingPathComponent("odd")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture("medrxiv/details-page0.json"), toPath: folder.appendingPathComponent("ok.json").path)
        let feed = try Data(contentsOf: URL(fileURLWithPath: fixture("nature/nature.rss")))
        let name = Array(folder.path.utf8) + Array("/bad".utf8) + [0xFF] + Array("name.rss".utf8) + [0]
        let fd = name.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
        #expect(fd >= 0)
        _ = feed.withUnsafeBytes { write(fd, $0.baseAddress, feed.count) }
        close(fd)
        let report = try scratch.hub.importFiles([folder.path])
        #expect(report.new > 0 && report.files == 2 && report.skipped.map(\.reason) == [Hub.notUTF8Name], "\(report)")
        #expect { try scratch.hub.importFiles([folder.path + "/bad\u{FFFD}name.rss"]) } throws: { "\($0)".hasSuffix(Hub.notUTF8Name) }
    }

    @Test func aMissingPathIsAClearError() throws {
        let scratch = try ScratchHub()
        #expect(throws: HubError.self) { try scratch.hub.importFiles(["/no/such/place"]) }
    }
}

/// Files a folder holds (not hidden ones), as the importer would list them.
enum ImportFiles {
    static func count(_ folder: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.count
    }
}
