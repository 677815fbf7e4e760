import Foundation
import GRDB
import HubCore
import HubFeeds
import HubStore
import LoopbackServer
import Testing
@testable import AcademicHub

/// `Hub.fetch` against a server on 127.0.0.1 that answers from the recorded responses in Fixtures/.
@Suite struct FetchTests {
    let routes: FixtureRoutes

    init() throws { routes = try FixtureRoutes(root: fixtures) }

    /// A library whose HTTP client is quick to give up and keeps no gap on the loopback host.
    func scratch() throws -> ScratchHub {
        let scratch = try ScratchHub()
        for (name, value) in [("http.gap.127.0.0.1", "0"), ("http.backoff", "0.05"), ("http.attempts", "3"), ("http.timeout", "2")] {
            try scratch.hub.setSetting(name, value)
        }
        return scratch
    }

    func fetch(_ hub: Hub, _ names: String..., since: String? = nil) throws -> SourceFetchReport {
        var options = FetchOptions()
        options.names = names
        options.since = since
        let reports = try hub.fetch(options)
        return try #require(reports.first)
    }

    func server() throws -> LoopbackServer {
        let routes = self.routes
        return try LoopbackServer { routes.answer($0) }
    }

    /// A server whose first answer is `first`, and the recorded responses after.
    func server(firstAnswering first: LoopbackServer.Action) throws -> LoopbackServer {
        let routes = self.routes
        let count = Shared(0)
        return try LoopbackServer { request in count.next() == 1 ? first : routes.answer(request) }
    }

    @Test func arxivRSSThenNotModified() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "mix", spec: SourceSpec(kind: .arxivRSS, categories: ["cs.AI", "cs.LG", "math.PR", "quant-ph"], baseURL: server.baseURL + "/rss"))
        let first = try fetch(s.hub, "mix")
        #expect(first.outcome == .complete)
        #expect(first.new == 20 && first.requests == 1 && first.bytes > 30_000)
        #expect(server.requests.first?.path == "/rss/cs.AI+cs.LG+math.PR+quant-ph")
        let paper = try #require(try s.hub.store.paper(key: PaperKey(rawValue: "arxiv:2606.14375")))
        #expect(paper.paper.announceType != nil)

        // Named twice, fetched once.
        var twice = FetchOptions()
        twice.names = ["mix", "mix"]
        let requests = server.requests.count
        #expect(try s.hub.fetch(twice).count == 1 && server.requests.count == requests + 1)
        let second = try fetch(s.hub, "mix")
        #expect(second.outcome == .notModified)
        #expect(second.papers == 0)
        #expect(server.requests.last?.headers["if-none-match"] != nil)
        #expect(try s.hub.store.count() == 20)
        let source = try #require(try s.hub.sources().first)
        #expect(source.record.lastError == nil && source.record.lastSuccess != nil)
    }

    @Test func arxivAPIPagesThroughAQuery() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "testing", spec: SourceSpec(kind: .arxivAPI, query: "testing", baseURL: server.baseURL + "/api/query", pageSize: 10, limit: 60))
        let report = try fetch(s.hub, "testing")
        #expect(report.outcome == .complete, "\(report.error ?? "")")
        #expect(report.pages == 6)
        #expect(report.new == 60)
        #expect(server.requests.map { $0.query["start"] } == ["0", "10", "20", "30", "40", "50"])
        #expect(server.requests.allSatisfy { $0.query["sortBy"] == "submittedDate" && $0.query["max_results"] == "10" })
        let source = try #require(try s.hub.sources().first)
        #expect(source.record.cursor == nil, "the harvest is complete")
        #expect(source.record.watermark != nil)

        // The next harvest asks for a date window from the watermark back two days.
        _ = try? fetch(s.hub, "testing")
        let windowed = try #require(server.requests.last?.query["search_query"])
        #expect(windowed.hasPrefix("(testing) AND submittedDate:["))
    }

    @Test func arxivAPIByIdAndItsRealErrorAnswer() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "one", spec: SourceSpec(kind: .arxivAPI, ids: ["1707.08567"], baseURL: server.baseURL + "/api/query", pageSize: 100))
        let one = try fetch(s.hub, "one")
        #expect(one.outcome == .complete && one.new == 1)

        // An id that is none is refused when the source is added; one stored before ids were checked gets
        // arXiv's own answer (the recorded 400) at fetch time.
        let spec = SourceSpec(kind: .arxivAPI, ids: ["abc"], baseURL: server.baseURL + "/api/query", pageSize: 100)
        #expect { try s.hub.addSource(name: "bad", spec: spec) } throws: { "\($0)".contains("--id takes an arXiv id such as 2401.00001") }
        #expect { try s.hub.addSource(name: "blank", spec: SourceSpec(kind: .arxivAPI, query: "  ")) } throws: { "\($0)".contains("--query is empty") }
        let json = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        try s.hub.store.addSource(SourceRecord(name: "bad", kind: spec.kind.rawValue, spec: json, interval: Hub.defaultInterval))
        let bad = try fetch(s.hub, "bad")
        #expect(bad.outcome == .failed)
        #expect(bad.error?.contains("incorrect id format for abc") == true)
        #expect(bad.error?.contains("HTTP 400") == true)
        #expect(server.requests.count == 2, "a 400 is not retried")
        let state = try #require(try s.hub.sources().first { $0.record.name == "bad" })
        #expect(state.record.failures == 1)
        #expect(state.record.lastError?.contains("incorrect id format") == true)
        #expect(try s.hub.store.count() == 1, "nothing already imported is lost")
    }

    @Test func arxivOAIFollowsResumptionTokens() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "oai", spec: SourceSpec(kind: .arxivOAI, set: "cs", baseURL: server.baseURL + "/oai", since: "2026-06-01"))
        let report = try fetch(s.hub, "oai")
        #expect(report.outcome == .complete, "\(report.error ?? "")")
        #expect(report.pages == 3 && report.new == 20)
        let queries = server.requests.map(\.query)
        #expect(queries[0]["metadataPrefix"] == "arXiv" && queries[0]["from"] == "2026-06-01" && queries[0]["set"] == "cs")
        #expect(queries[0]["until"] == FeedDay(Date()).description)
        #expect(queries[1] == ["verb": "ListRecords", "resumptionToken": "seeds|8"])
        #expect(queries[2] == ["verb": "ListRecords", "resumptionToken": "seeds|16"])

        // The real 2013 response: authors as forenames + keyname, DOI and journal reference kept.
        try s.hub.addSource(name: "astro", spec: SourceSpec(kind: .arxivOAI, set: "physics:astro-ph", baseURL: server.baseURL + "/oai"))
        #expect(try fetch(s.hub, "astro").new == 1)
        let paper = try #require(try s.hub.store.paper(key: PaperKey(rawValue: "arxiv:0801.3931"))).paper
        #expect(paper.authors == ["T. Manos", "E. Athanassoula"])
        #expect(paper.doi == "10.1007/978-3-540-75826-6_11")
        #expect(paper.published == "2008-01-25")
        #expect(paper.categories == ["astro-ph"])
    }

    @Test func anExpiredResumptionTokenIsAClearError() throws {
        let s = try scratch()
        let routes = self.routes
        let server = try LoopbackServer { request in
            var request = request
            if request.query["resumptionToken"] == "seeds|16" { request.query["resumptionToken"] = "expired" }
            return routes.answer(request)
        }
        try s.hub.addSource(name: "oai", spec: SourceSpec(kind: .arxivOAI, set: "cs", baseURL: server.baseURL + "/oai"))
        let report = try fetch(s.hub, "oai")
        #expect(report.outcome == .failed)
        #expect(report.error?.contains("badResumptionToken") == true && report.error?.contains(".;") == false
                && report.error?.hasSuffix("`ahub fetch oai --since YYYY-MM-DD` starts it over)") == true, "\(report.error ?? "")")
        #expect(report.new == 16, "the two committed pages stay")
        let cursor = try #require(HarvestCursor(json: try s.hub.sources().first?.record.cursor))
        #expect(cursor.token == "seeds|16", "the next fetch retries the failed page")
    }

    /// Paged harvests read on by what each page says; where that would never end, the source fails instead
    /// and waits out its back-off: an OAI-PMH server that answers a token with the same token, a bioRxiv
    /// source answered in another format (an error object: it read as one record, and the next offset was
    /// asked for, thousands of times a second). A stray invalid byte in a bioRxiv title is repaired, not
    /// taken for a cut connection.
    @Test func pagedHarvestsThatWouldNeverEndFail() throws {
        let s = try scratch()
        let routes = self.routes
        let page = try routes.data("arxiv-oai/seeds-page1.xml")
        let oai = try LoopbackServer { _ in .respond(status: 200, headers: [("Content-Type", "text/xml")], body: page) }
        try s.hub.addSource(name: "oai", spec: SourceSpec(kind: .arxivOAI, set: "cs", baseURL: oai.baseURL + "/oai"))
        let looped = try fetch(s.hub, "oai")
        #expect(looped.outcome == .failed && oai.requests.count == 2, "\(looped.error ?? "") \(oai.requests.count)")
        #expect(looped.error?.contains("answered resumption token seeds|16 with that same token again") == true, "\(looped.error ?? "")")

        let wrong = try LoopbackServer { _ in
            .respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(#"{"error": "rate limited"}"#.utf8))
        }
        try s.hub.addSource(name: "bio", spec: SourceSpec(kind: .biorxiv, baseURL: wrong.baseURL))
        let refused = try fetch(s.hub, "bio")
        #expect(refused.outcome == .failed && wrong.requests.count == 1 && refused.new == 0)
        #expect(refused.error?.contains("the answer is JSON that is not the bioRxiv API's; a source of kind biorxiv reads the bioRxiv API's JSON") == true,
                "\(refused.error ?? "")")
        // Both harvests are in progress and failing: neither is due before its back-off is over.
        #expect(try s.hub.sources().allSatisfy { $0.harvestInProgress && $0.record.failures == 1 })
        // `sources list` says so in the words a health check looks for (it had said only "harvest in progress").
        let listed = try runAhub(["sources", "list"], library: s.path)
        #expect(listed.stdout.components(separatedBy: "harvest in progress, failing (1×)").count == 3, "\(listed)")
        #expect(try s.hub.fetch(FetchOptions()).isEmpty)
        #expect(oai.requests.count == 2 && wrong.requests.count == 1)

        var json = try routes.data("biorxiv/details-page0.json")
        let at = try #require(json.range(of: Data(#""title": ""#.utf8)) ?? json.range(of: Data(#""title":""#.utf8)))
        json[at.upperBound] = 0xFF
        let body = json
        let stray = try LoopbackServer { _ in .respond(status: 200, headers: [("Content-Type", "application/json")], body: body) }
        try s.hub.addSource(name: "bio2", spec: SourceSpec(kind: .biorxiv, categories: ["bioinformatics"], baseURL: stray.baseURL))
        let repaired = try fetch(s.hub, "bio2", since: "2026-06-14")
        #expect(repaired.outcome == .complete && repaired.new == 3, "\(repaired.error ?? "")")
        let hit = try #require(try s.hub.search("AQplugin", limit: 1).hits.first)
        #expect(hit.paper.title.hasPrefix("\u{FFFD}AQplugin: Deep Learning"), "\(hit.paper.title)")
    }

    @Test func bioRxivMedRxivAndNature() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "bio", spec: SourceSpec(kind: .biorxiv, categories: ["bioinformatics"], baseURL: server.baseURL))
        try s.hub.addSource(name: "med", spec: SourceSpec(kind: .medrxiv, baseURL: server.baseURL))
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, journal: "nature", baseURL: server.baseURL))
        #expect(try fetch(s.hub, "bio", since: "2026-06-14").new == 3)
        #expect(try fetch(s.hub, "med").new == 4)
        let again = try fetch(s.hub, "med")
        #expect(again.outcome == .complete && again.unchanged == 4 && again.new + again.updated == 0,
                "re-fetching an unchanged feed changes nothing")
        #expect(try fetch(s.hub, "nat").new == 1)
        let paths = server.requests.map(\.path)
        let today = FeedDay(Date()).description
        #expect(paths[0] == "/details/biorxiv/2026-06-14/\(today)/0")
        #expect(server.requests[0].query["category"] == "bioinformatics")
        #expect(paths[1] == "/details/medrxiv/\(FeedDay(Date()).adding(days: -7))/\(today)/0")
        #expect(paths[3] == "/nature.rss")
    }

    @Test func anyRSSOrAtomFeedByURL() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "lab", spec: SourceSpec(kind: .rss, url: server.baseURL + "/rss/cs.AI+cs.LG+math.PR+quant-ph"))
        try s.hub.addSource(name: "atom", spec: SourceSpec(kind: .atom, url: server.baseURL + "/api/query?search_query=testing&id_list=&start=0&max_results=10"))
        #expect(try fetch(s.hub, "lab").new == 20)
        #expect(try fetch(s.hub, "atom").new == 10)
    }

    /// A feed that gives a second item a guid it gave another (a title under that guid changed into another
    /// item's): the stored paper is kept, and the fetch names the record it did not take rather than counting it
    /// unchanged in silence.
    @Test func anItemUnderAHeldGuidWithAnotherTitleIsSaid() throws {
        let s = try scratch()
        // Two real titles: Nature's daily briefing, then the first item of the arXiv RSS fixture.
        let nature = try String(contentsOfFile: fixture("nature/nature.rss"), encoding: .utf8)
        let arxiv = try String(contentsOfFile: fixture("arxiv-rss/cs.AI+cs.LG+math.PR+quant-ph.xml"), encoding: .utf8)
        func firstTitle(_ feed: String, after marker: String) throws -> String {
            let item = try #require(feed.range(of: marker))
            let open = try #require(feed.range(of: "<title>", range: item.upperBound..<feed.endIndex))
            let close = try #require(feed.range(of: "</title>", range: open.upperBound..<feed.endIndex))
            return String(feed[open.upperBound..<close.lowerBound])
        }
        let titles = [try firstTitle(nature, after: "<item>"), try firstTitle(arxiv, after: "<item>")]
        #expect(!titles[1].contains("whale"))
        let served = Shared(0)
        let server = try LoopbackServer { _ in
            let title = titles[min(served.next() - 1, 1)]
            return .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data("""
                <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>lab</title>
                <item><title>\(title)</title><guid isPermaLink="false">lab-item-1</guid><pubDate>Thu, 11 Jun 2026 00:00:00 GMT</pubDate></item>
                </channel></rss>
                """.utf8))
        }
        try s.hub.addSource(name: "lab", spec: SourceSpec(kind: .rss, url: server.baseURL + "/feed"))
        #expect(try fetch(s.hub, "lab").new == 1)
        let second = try fetch(s.hub, "lab")
        #expect(second.new == 0 && second.unchanged == 1 && second.keptStoredCount == 1, "\(second)")
        #expect(second.keptStored.first?.contains("(kept \"Daily briefing: Deep-sea whale") == true, "\(second.keptStored)")
        #expect(try s.hub.store.count() == 1)
    }

    @Test func fetchesOnlyDueEnabledSources() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "a", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        try s.hub.addSource(name: "b", spec: SourceSpec(kind: .medrxiv, baseURL: server.baseURL))
        try s.hub.setSourceEnabled("b", false)
        #expect(try s.hub.fetch(FetchOptions()).map(\.source) == ["a"])
        #expect(try s.hub.fetch(FetchOptions()).isEmpty, "a is not due for 6 hours")
        var every = FetchOptions()
        every.every = 3600
        #expect(try s.hub.fetch(every).isEmpty)
        let wake = try #require(try s.hub.nextWake(every: 3600))
        #expect(wake > Date().addingTimeInterval(3500))
    }

    /// `fetch --every` with names keeps to those sources each round (a user test found the others fetched from the
    /// second), and a loop's period is not written into a source's own schedule.
    @Test func aLoopOverNamedSourcesKeepsToThem() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "a", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        try s.hub.addSource(name: "b", spec: SourceSpec(kind: .medrxiv, baseURL: server.baseURL))
        var options = FetchOptions()
        options.every = 60
        options.only = ["a"]
        #expect(try s.hub.fetch(options).map(\.source) == ["a"], "b is due but not named")
        let a = try #require(try s.hub.sources().first { $0.record.name == "a" })
        #expect((a.nextDue ?? .distantPast) > Date().addingTimeInterval(5 * 3600), "due by its own 6 h, not the loop's minute")
        let wake = try #require(try s.hub.nextWake(every: 60, only: ["a"]))
        #expect(wake > Date().addingTimeInterval(30) && wake <= Date().addingTimeInterval(61), "the loop wakes for a by its period")
        #expect(try s.hub.nextWake(every: 60) ?? .distantFuture <= Date(), "b, not named, is due now")
    }

    /// An empty 200 is asked again, as a document cut short is (a user test found it failed the source at once), and
    /// said as empty when it stays so, with text/html too (not "an HTML page").
    @Test func anEmptyAnswerIsAskedAgain() throws {
        let s = try scratch()
        let server = try server(firstAnswering: .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data()))
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        let report = try fetch(s.hub, "nat")
        #expect(report.outcome == .complete && report.new == 1 && report.requests == 2, "\(report)")
        let empty = try LoopbackServer { _ in .respond(status: 200, headers: [("Content-Type", "text/html")], body: Data()) }
        try s.hub.addSource(name: "blank", spec: SourceSpec(kind: .nature, baseURL: empty.baseURL))
        let failed = try fetch(s.hub, "blank")
        #expect(failed.outcome == .failed && failed.error?.contains("the response is empty (HTTP 200 with no body) (after 3 attempts)") == true
                && empty.requests.count == 3, "\(failed)")
    }

    /// A library another process holds locked past the busy timeout: said once and plainly (it was SQLite's words
    /// twice), nothing recorded, the source's schedule left as it was.
    @Test func aLibraryLockedByAnotherProcessIsSaidSo() throws {
        let server = try server()
        let s = try scratch()
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        let before = try #require(try s.hub.sources().first).record
        // Another connection holds a write transaction open until the fetch has ended.
        let other = try DatabaseQueue(path: s.path)
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? other.inTransaction(.exclusive) { _ in
                held.signal()
                release.wait()
                return .rollback
            }
            done.signal()
        }
        held.wait()
        let report = try fetch(s.hub, "nat")
        release.signal()
        done.wait()
        let error = report.error ?? ""
        #expect(report.outcome == .failed && error.hasPrefix("the library was locked by another process for more than 10 s")
                && error.components(separatedBy: "locked by").count == 2 && !error.contains("SQLite error"), "\(error)")
        let after = try #require(try s.hub.sources().first).record
        #expect(after.nextDue == before.nextDue && after.failures == 0 && after.lastAttempt == before.lastAttempt)
        #expect(try s.hub.store.count() == 0)
    }

    /// A redirect not followed says where it pointed; a feed gone for good (410) says so and what to do.
    @Test func aRedirectNotFollowedAndAGoneFeedAreSaid() throws {
        let s = try scratch()
        try s.hub.setSetting("http.max-redirects", "0")
        let server = try LoopbackServer { request in
            request.path == "/moved" ? .respond(status: 301, headers: [("Location", "/elsewhere.xml")], body: Data())
                : .respond(status: 410, headers: [], body: Data())
        }
        try s.hub.addSource(name: "moved", spec: SourceSpec(kind: .rss, url: server.baseURL + "/moved"))
        try s.hub.addSource(name: "gone", spec: SourceSpec(kind: .rss, url: server.baseURL + "/gone"))
        let moved = try fetch(s.hub, "moved")
        #expect(moved.outcome == .failed && moved.error?.hasSuffix("HTTP 301, a redirect to /elsewhere.xml not followed (http.max-redirects)") == true, "\(moved)")
        let gone = try fetch(s.hub, "gone")
        #expect(gone.outcome == .failed && gone.error?.contains("HTTP 410, the feed is gone for good; `ahub sources remove` it") == true, "\(gone)")
    }

    /// A rejected entry of a paged harvest says which page it was on (the page is in the address's query, which a
    /// report masks); a 304 to a request that sent nothing to compare is the server's fault, not "not modified".
    @Test func aRejectionNamesItsPageAndAnUnaskedNotModifiedIsAFault() throws {
        let s = try scratch()
        let malformed = try Data(contentsOf: URL(fileURLWithPath: fixture("bad/malformed-entry.xml")))
        let pages = try LoopbackServer { _ in .respond(status: 200, headers: [("Content-Type", "application/atom+xml")], body: malformed) }
        try s.hub.addSource(name: "testing", spec: SourceSpec(kind: .arxivAPI, query: "testing", baseURL: pages.baseURL + "/api/query", pageSize: 10, limit: 10))
        let report = try fetch(s.hub, "testing")
        #expect(report.rejected > 0 && report.rejections.first?.contains("/api/query?") == true
                && report.rejections.first?.contains(" (page 1) ") == true, "\(report.rejections)")
        let unasked = try LoopbackServer { _ in .respond(status: 304, headers: [], body: Data()) }
        try s.hub.addSource(name: "odd", spec: SourceSpec(kind: .rss, url: unasked.baseURL + "/feed"))
        let odd = try fetch(s.hub, "odd")
        #expect(odd.outcome == .failed && odd.error?.contains("HTTP 304 Not Modified to a request that sent no ETag or date") == true, "\(odd)")
    }

    @Test func retriesA503ThenImports() throws {
        let s = try scratch()
        let server = try server(firstAnswering: .respond(status: 503, headers: [("Retry-After", "1")], body: Data()))
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        let report = try fetch(s.hub, "nat")
        #expect(report.outcome == .complete && report.new == 1 && report.requests == 2)
    }


    /// While a fetch holds the library's lock (another process's, here one taken by hand), a second is
    /// refused with a message instead of asking the same sites for the same pages; once it ends, it runs.
    @Test func aSecondFetchOfTheSameLibraryIsRefused() throws {
        let s = try scratch()
        let server = try server()
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        var held: FetchLock? = try FetchLock(path: s.hub.store.path + ".fetch-lock")
        #expect { try s.hub.fetch(FetchOptions()) } throws: { ($0 as? HubError)?.busy == true && "\($0)".contains("another fetch is running") }
        withExtendedLifetime(held) {}
        held = nil
        #expect(try fetch(s.hub, "nat").new == 1)
    }

    /// A server that asks for an hour (429, Retry-After 3600) is not asked again in 5 minutes: the wait it
    /// asked for goes into the source's schedule, and `fetch` leaves the source alone until then.
    @Test func aRetryAfterBeyondTheCapIsKeptInTheSchedule() throws {
        let s = try scratch()
        let count = Shared(0)
        let server = try LoopbackServer { _ in
            _ = count.next()
            return .respond(status: 429, headers: [("Retry-After", "3600")], body: Data())
        }
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        let report = try fetch(s.hub, "nat")
        #expect(report.outcome == .failed && count.value == 1, "no retry within the run: the wait is over the cap")
        #expect(report.error?.contains("429 Too Many Requests, Retry-After 3600 s") == true)
        let due = try #require(try s.hub.sources().first?.nextDue)
        #expect(due > Date().addingTimeInterval(3500) && due < Date().addingTimeInterval(3700))
        #expect(try s.hub.fetch(FetchOptions()).isEmpty, "not due before the hour is out")
    }

    /// Stopped (Ctrl-C) while waiting as a server asked (429, Retry-After 300): the rest of the wait stays in the
    /// schedule, and the request made is counted (the source had been due at once, and 0 requests reported).
    @Test func aStopDuringAServersWaitKeepsTheWait() throws {
        let s = try scratch()
        var options = FetchOptions()
        options.names = ["nat"]
        let flag = options.cancel
        let server = try LoopbackServer { _ in
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { flag.set() }
            return .respond(status: 429, headers: [("Retry-After", "300")], body: Data())
        }
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        let report = try #require(try s.hub.fetch(options).first)
        #expect(report.outcome == .stopped && report.requests == 1, "\(report)")
        let due = try #require(try s.hub.sources().first?.nextDue)
        #expect(due > Date().addingTimeInterval(280) && due < Date().addingTimeInterval(310), "\(due)")
        #expect(try s.hub.fetch(FetchOptions()).isEmpty, "not due before the wait is out")

        // So in a harvest in progress (a user test found its next page asked for again at once): the first page
        // comes, the second is answered 429 with a wait, and the fetch is stopped during it.
        let routes = self.routes
        var paged = FetchOptions()
        paged.names = ["testing"]
        let stop = paged.cancel
        let harvestServer = try LoopbackServer { request in
            guard request.query["start"] == "10" else { return routes.answer(request) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { stop.set() }
            return .respond(status: 429, headers: [("Retry-After", "300")], body: Data())
        }
        try s.hub.addSource(name: "testing", spec: SourceSpec(kind: .arxivAPI, query: "testing", baseURL: harvestServer.baseURL + "/api/query", pageSize: 10, limit: 30))
        let stopped = try #require(try s.hub.fetch(paged).first)
        #expect(stopped.outcome == .stopped && stopped.new == 10, "\(stopped)")
        let testing = try #require(try s.hub.sources().first { $0.record.name == "testing" })
        #expect(testing.harvestInProgress && (testing.nextDue ?? .distantPast) > Date().addingTimeInterval(280))
        let requests = harvestServer.requests.count
        #expect(try s.hub.fetch(FetchOptions()).isEmpty && harvestServer.requests.count == requests, "not due before the wait is out")
    }
    @Test func anHTMLPageInsteadOfAFeed() throws {
        let s = try scratch()
        let server = try LoopbackServer { _ in
            .respond(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")],
                     body: Data("<!DOCTYPE html><html><head><title>Service temporarily unavailable</title></head><body>Try later</body></html>".utf8))
        }
        try s.hub.addSource(name: "nat", spec: SourceSpec(kind: .nature, baseURL: server.baseURL))
        let report = try fetch(s.hub, "nat")
        #expect(report.outcome == .failed)
        #expect(report.error?.contains("expected a feed but got an HTML page titled 'Service temporarily unavailable'") == true)
    }

    @Test func aRedirectLoopAndARefusedConnectionFailTheSourceOnly() throws {
        let s = try scratch()
        let box = Shared("")
        let loop = try LoopbackServer { _ in .respond(status: 302, headers: [("Location", box.value)], body: Data()) }
        box.value = loop.baseURL + "/nature.rss"
        let dead = try LoopbackServer { _ in .hangUp }
        let deadURL = dead.baseURL
        dead.stop()
        let good = try server()
        try s.hub.addSource(name: "loop", spec: SourceSpec(kind: .nature, baseURL: loop.baseURL))
        try s.hub.addSource(name: "dead", spec: SourceSpec(kind: .nature, baseURL: deadURL))
        try s.hub.addSource(name: "good", spec: SourceSpec(kind: .nature, baseURL: good.baseURL))
        let reports = try s.hub.fetch(FetchOptions())
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.source, $0) })
        #expect(byName["loop"]?.error?.contains("redirect loop") == true)
        #expect(byName["dead"]?.error?.contains("cannot connect") == true)
        #expect(byName["good"]?.new == 1)
        let failing = try s.hub.sources().filter { $0.record.failures > 0 }.map(\.record.name)
        #expect(failing == ["dead", "loop"])
        let retry = try #require(try s.hub.sources().first { $0.record.name == "dead" }?.nextDue)
        #expect(retry > Date().addingTimeInterval(200) && retry < Date().addingTimeInterval(400), "retried in about 5 minutes")
    }

    /// A body cut mid-XML (the server closes without a length): the page is not taken for whole. The pages
    /// before it stay, and once the server heals the harvest resumes at that page.
    @Test func aBodyCutMidXMLResumesAtThatPage() throws {
        let s = try scratch()
        let routes = self.routes
        let healed = Shared(false)
        let server = try LoopbackServer { request in
            guard request.query["start"] == "30", !healed.value else { return routes.answer(request) }
            guard case .respond(let status, let headers, let body) = routes.answer(request) else { return .hangUp }
            return .cut(status: status, headers: headers, body: body.prefix(body.count / 2), declaredLength: nil)
        }
        try s.hub.addSource(name: "testing", spec: SourceSpec(kind: .arxivAPI, query: "testing", baseURL: server.baseURL + "/api/query", pageSize: 10, limit: 60))
        let broken = try fetch(s.hub, "testing")
        #expect(broken.outcome == .failed)
        #expect(broken.error?.contains("ends before the feed does") == true && broken.error?.contains("the connection was cut or the server stopped writing") == true,
                "\(broken.error ?? "")")
        #expect(broken.new == 30)
        #expect(try s.hub.store.count() == 30)

        healed.value = true
        let before = server.requests.count
        let resumed = try fetch(s.hub, "testing")
        #expect(resumed.outcome == .complete)
        #expect(resumed.new == 30)
        #expect(server.requests.dropFirst(before).map { $0.query["start"] } == ["30", "40", "50"])
        #expect(try s.hub.store.count() == 60)

        // A cut document that arrived whole, to its declared length, is the server's doing, and is said so.
        let whole = try LoopbackServer { request in
            guard case .respond(let status, let headers, let body) = routes.answer(request) else { return .hangUp }
            return .respond(status: status, headers: headers, body: body.prefix(body.count / 2))
        }
        try s.hub.addSource(name: "halves", spec: SourceSpec(kind: .arxivAPI, query: "testing", baseURL: whole.baseURL + "/api/query", pageSize: 10, limit: 10))
        let halves = try fetch(s.hub, "halves")
        #expect(halves.outcome == .failed && halves.error?.contains("the server sent it so (all the bytes it declared arrived)") == true,
                "\(halves.error ?? "")")
    }

    /// arXiv's API sometimes answers a page inside the results with no entries: fetched again, not taken
    /// for the end of the results.
    @Test func anEmptyArxivPageMidResultsIsFetchedAgain() throws {
        let s = try scratch()
        let routes = self.routes
        let served = Shared(0)
        let server = try LoopbackServer { request in
            guard request.query["start"] == "20", served.next() == 1,
                case .respond(let status, let headers, let body) = routes.answer(request)
            else { return routes.answer(request) }
            // The real page with its entries cut out: the header still says 214881 results.
            let text = String(decoding: body, as: UTF8.self)
            guard let first = text.range(of: "<entry>"), let last = text.range(of: "</entry>", options: .backwards) else { return .hangUp }
            return .respond(status: status, headers: headers, body: Data((text[..<first.lowerBound] + text[last.upperBound...]).utf8))
        }
        try s.hub.addSource(name: "testing", spec: SourceSpec(kind: .arxivAPI, query: "testing", baseURL: server.baseURL + "/api/query", pageSize: 10, limit: 60))
        let report = try fetch(s.hub, "testing")
        #expect(report.outcome == .complete && report.new == 60)
        #expect(server.requests.map { $0.query["start"] } == ["0", "10", "20", "20", "30", "40", "50"])
    }

    @Test func stopsBetweenPagesWhenCancelled() throws {
        let s = try scratch()
        let routes = self.routes
        var options = FetchOptions()
        options.names = ["testing"]
        let flag = options.cancel
        let server = try LoopbackServer { request in
            if request.query["start"] == "10" { flag.set() }
            return routes.answer(request)
        }
        try s.hub.addSource(name: "testing", spec: SourceSpec(kind: .arxivAPI, query: "testing", baseURL: server.baseURL + "/api/query", pageSize: 10, limit: 60))
        let report = try #require(try s.hub.fetch(options).first)
        #expect(report.outcome == .stopped)
        #expect(report.pages >= 1 && report.pages <= 2)
        let source = try #require(try s.hub.sources().first)
        #expect(source.harvestInProgress)
        #expect(source.record.failures == 0)
        #expect(try s.hub.fetch(FetchOptions()).first?.outcome == .complete, "a stopped harvest is due at once and resumes")
        #expect(try s.hub.store.count() == 60)
    }

    @Test func sourceSpecsAreChecked() throws {
        let s = try scratch()
        #expect(throws: SourceSpecError.self) { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .arxivRSS)) }
        #expect(throws: SourceSpecError.self) { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .rss, url: "ftp://example.org/feed")) }
        #expect(throws: SourceSpecError.self) { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .biorxiv, since: "2026-13-01")) }
        #expect(throws: HubError.self) { try s.hub.addSource(name: "bad name", spec: SourceSpec(kind: .nature)) }
        var future = FetchOptions()
        future.since = "2999-01-01"
        #expect { try s.hub.fetch(future) } throws: { "\($0)" == "--since 2999-01-01 is after today; a harvest starts on a day that has come" }
        // Named with --since, a feed without a window is refused, not fetched as if the day meant nothing.
        try s.hub.addSource(name: "journal", spec: SourceSpec(kind: .nature, journal: "nature"))
        var feed = FetchOptions()
        feed.names = ["journal"]
        feed.since = "2026-01-01"
        #expect { try s.hub.fetch(feed) } throws: {
            "\($0)" == "--since starts a harvest window, which journal (nature) has not: its feed holds what it carries now "
                + "(windowed kinds: arxiv-api, arxiv-oai, biorxiv, medrxiv)"
        }
        try s.hub.removeSource("journal")
        // An option the kind does not read is refused, not dropped; a journal is a feed name, not a path.
        #expect { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .rss, query: "foo", url: "https://example.org/feed")) } throws: {
            "\($0)" == "rss: --query is not read by this kind (it is for arxiv-api)"
        }
        #expect { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .arxivRSS, categories: ["cs.CL"], since: "2026-01-01")) } throws: {
            "\($0)".contains("--since is not read by this kind")
        }
        #expect { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .nature, journal: "a/b?c")) } throws: { "\($0)".contains("feed name") }
        // What goes into a URL is checked, not sent: a category that climbs out of the feed's path, a set or an
        // address with spaces; options that would be stored and never used.
        for (spec, says) in [(SourceSpec(kind: .arxivRSS, categories: ["cs.CL/../../x?y=1"]), "--category takes a category's name"),
                             (SourceSpec(kind: .arxivRSS, categories: ["cs.CL cs.LG"]), "--category takes a category's name"),
                             (SourceSpec(kind: .biorxiv, categories: ["neuro science&x=1"]), "--category takes a category's name"),
                             // The API takes one category: a second had been listed and never fetched.
                             (SourceSpec(kind: .biorxiv, categories: ["neuroscience", "cell_biology"]), "one category per source (the API takes one); add a source for each of neuroscience, cell_biology"),
                             (SourceSpec(kind: .arxivOAI, set: "cs bad"), "--set takes an OAI set"),
                             (SourceSpec(kind: .rss, url: "https://example.org/full with space"), "cannot hold spaces"),
                             (SourceSpec(kind: .rss, url: "https://example.org/feed", baseURL: "https://example.org"), "--base-url is not read"),
                             // A window that would end before it starts (2062 for 2026): nothing found, taken for done.
                             (SourceSpec(kind: .biorxiv, since: "2062-01-01"), "--since 2062-01-01 is after today"),
                             // The kind's own path would follow the query (`…?key=k/cs.CL`).
                             (SourceSpec(kind: .arxivRSS, categories: ["cs.CL"], baseURL: "https://example.org/rss?key=k"), "cannot hold a query string"),
                             (SourceSpec(kind: .nature, journal: "nature", url: "https://example.org/feed"), "give --url or --journal")] {
            #expect { try s.hub.addSource(name: "x", spec: spec) } throws: { "\($0)".contains(says) }
        }
        // An interval is from a minute to a year.
        #expect { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .nature), interval: 1e19 * 86_400) } throws: { "\($0)".contains("at most 365 days") }
        #expect(try s.hub.sources().isEmpty, "nothing refused was stored")
        try s.hub.addSource(name: "x", spec: SourceSpec(kind: .nature))
        #expect(throws: HubError.self) { try s.hub.addSource(name: "x", spec: SourceSpec(kind: .nature)) }
        #expect(throws: HubError.self) { try s.hub.fetch({ var o = FetchOptions(); o.names = ["nope"]; return o }()) }
        #expect(throws: HubError.self) { try s.hub.setSetting("http.timeout", "soon") }
        #expect(throws: HubError.self) { try s.hub.setSetting("http.colour", "blue") }
        // Values a fetch cannot live with are refused when set, not at every fetch after.
        let before = try s.hub.settings()
        for (name, value, says) in [("http.ca-bundle", "/nonexistent.pem", "a PEM file this user can read"),
                                    ("http.timeout", "inf", "from 1 to 3600 seconds"), ("http.gap", "1e9", "from 0 to 3600 seconds"),
                                    ("http.gap.example.org", "99999", "from 0 to 3600 seconds"), ("http.attempts", "0", "from 1 to 20 tries"),
                                    ("brief.timeout", "inf", "from 1 to 3600 seconds"), ("brief.budget", "1e300", "from 100 to 1000000 tokens"),
                                    ("http.contact", "me@x.org\r\nX-Injected: yes", "no line breaks"),
                                    ("embed.model", "", "names a model"), ("embed.model", " all-MiniLM-L6-v2 ", "without spaces around it")] {
            #expect { try s.hub.setSetting(name, value) } throws: { "\($0)".contains(says) }
        }
        #expect(try s.hub.settings() == before, "nothing was set")
    }

    /// A contact with a line break (from AHUB_CONTACT, which no `config set` checks) would add a header of
    /// its own to every request: the request is refused instead, and nothing reaches the server.
    @Test func aContactWithALineBreakSendsNothing() throws {
        let count = Shared(0)
        let server = try LoopbackServer { _ in _ = count.next(); return .respond(status: 200, headers: [], body: Data()) }
        var configuration = HTTPClient.Configuration()
        configuration.contact = "me@x.org\r\nX-Injected: yes"
        #expect { try HTTPClient(configuration: configuration).send(HTTPRequest(url: server.baseURL + "/")) } throws: {
            ($0 as? HTTPError)?.kind == .invalidHeader
        }
        let header = HTTPRequest(url: server.baseURL + "/", headers: [("If-None-Match", "\"a\"\nX-Injected: yes")])
        #expect { try HTTPClient().send(header) } throws: { ($0 as? HTTPError)?.kind == .invalidHeader }
        #expect(count.value == 0)
        #expect { try Setting.httpConfiguration([:], environment: ["AHUB_CONTACT": "me@x.org\nX: y"]) } throws: {
            "\($0)".contains("AHUB_CONTACT")
        }
    }

    /// Brief settings stored before they were checked (`inf`) are brought into range when read, not turned
    /// into a crash converting infinity to an integer.
    @Test func briefSettingsOutOfRangeAreBroughtIntoIt() {
        #expect(Setting.briefTimeout(["brief.timeout": "inf"]) == 3_600)
        #expect(Setting.briefBudget(["brief.budget": "1e300"]) == 1_000_000)
        #expect(Setting.briefBudget(["brief.budget": "nan"]) == 6_000)
        #expect(Setting.briefTimeout([:]) == 180)
    }
}
