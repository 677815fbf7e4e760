import Foundation
import HubCore
import HubFeeds
import HubStore

/// What `ahub fetch` is asked to do.
public struct FetchOptions: Sendable {
    /// Sources to fetch whether due or not; empty: every enabled source that is due.
    public var names: [String] = []
    /// Start a new harvest window at this day (windowed kinds), dropping any harvest in progress.
    public var since: String?
    /// Overrides `http.ca-bundle` for this run.
    public var caBundle: String?
    /// Overrides each source's interval: a source is due when its last success is older than this. (A source's own
    /// schedule, `sources list`'s "due in", still follows its interval after a success.)
    public var every: TimeInterval?
    /// When not empty, only these of the due sources (`fetch --every` with names: the named sources each round).
    public var only: [String] = []
    /// Stops the fetch between pages (and aborts a transfer in flight).
    public var cancel = CancellationFlag()
    /// Sources fetched at once; requests to one host still take turns by the politeness gap.
    public var concurrency = 4
    /// Told of each retry.
    public var log: (@Sendable (String) -> Void)?

    public init() {}
}

/// What a fetch did for one source.
public struct SourceFetchReport: Sendable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// Read to the end (every page of the harvest, or the whole feed).
        case complete
        /// The server said the feed has not changed since the last fetch (HTTP 304).
        case notModified = "not-modified"
        /// Ctrl-C: stopped between pages; the next fetch resumes where it stopped.
        case stopped
        case failed
    }

    public var source: String
    public var kind: String
    public var outcome: Outcome
    public var requests = 0
    public var bytes = 0
    public var pages = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    /// The first few rejections, "URL entry N: reason".
    public var rejections: [String] = []
    /// Records under a key a paper of another title holds (a feed giving two items one guid): the stored paper was
    /// kept, and they count as unchanged. The first few, "KEY: "title" (kept "stored title")", and how many.
    public var keptStored: [String] = []
    public var keptStoredCount = 0
    public var seconds = 0.0
    public var error: String?
    public var nextDue: String = ""
    /// False for a disabled source fetched by name: it is not fetched again on its own, whatever `nextDue` says
    /// (the time it would be due, were it enabled). Absent from reports stored before it was added.
    public var enabled: Bool?

    public var papers: Int { new + updated + unchanged }

    /// The same with every address in its error and rejections masked (`masked`), for readers other than the
    /// library's owner: the API's, the server's log.
    public func withoutQueryStrings() -> SourceFetchReport {
        var copy = self
        copy.error = error.map(Self.masked)
        copy.rejections = rejections.map(Self.masked)
        return copy
    }

    /// A text with each address's query string cut to `?…` and its user and password to `…@` (a private feed's
    /// address may carry its key there), and so any other `?name=value` (a server's error page may quote the
    /// path it was asked for); a colon that ends the address's sentence stays.
    public static func masked(_ text: String) -> String {
        // (The scheme in any case, `HTTP://`; the user part up to the host's last `@`, one in the password too.)
        text.replacingOccurrences(of: #"(?i)(https?://[^\s?#"']*)\?[^\s#"']*?(:?)(?=[\s#"']|$)"#, with: "$1?…$2", options: .regularExpression)
            .replacingOccurrences(of: #"\?[^\s#"'?=]+=[^\s#"']*?(:?)(?=[\s#"']|$)"#, with: "?…$1", options: .regularExpression)
            .replacingOccurrences(of: #"(?i)(https?://)[^\s/?#"']*@"#, with: "$1…@", options: .regularExpression)
    }
}

/// A page has been committed (or a source started or ended): for a progress display.
public struct FetchProgress: Sendable {
    public var source: String
    public var pages: Int
    public var papers: Int
    public var bytes: Int
    public var finished: Bool
}

extension Hub {
    // MARK: - Sources

    /// A source with its spec decoded and its schedule worked out.
    public struct SourceStatus: Sendable {
        public var record: SourceRecord
        public var spec: SourceSpec
        /// When it is next due; nil when due now.
        public var nextDue: Date?
        public var harvestInProgress: Bool { record.cursor != nil }
    }

    public static let defaultInterval: TimeInterval = 6 * 3600

    public func addSource(name: String, spec: SourceSpec, interval: TimeInterval = Hub.defaultInterval) throws {
        guard Self.isSourceName(name) else {
            throw HubError("a source name is letters, digits, '.', '_' and '-' (up to 64), not '\(name)'")
        }
        try spec.validate()
        guard interval >= 60 else { throw HubError("the interval must be at least a minute") }
        guard interval <= Self.longestInterval else { throw HubError("the interval can be at most 365 days") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(spec), as: UTF8.self)
        do {
            try store.addSource(SourceRecord(name: name, kind: spec.kind.rawValue, spec: json, interval: interval))
        } catch let error as StoreError {
            throw HubError(error.message)
        }
    }

    static func isSourceName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
    }

    public func removeSource(_ name: String) throws {
        guard try store.removeSource(named: name) else { throw HubError("no source named '\(name)'; see `ahub sources list`") }
    }

    public func setSourceEnabled(_ name: String, _ enabled: Bool) throws {
        guard try store.setSourceEnabled(name, enabled) else { throw HubError("no source named '\(name)'; see `ahub sources list`") }
    }

    public func sources() throws -> [SourceStatus] {
        try store.sources().map(status)
    }

    /// What `source:NAME` (or a radar's `--source NAME`) that no paper has is told when NAME is a source in `ahub
    /// sources`: a paper's source is where it comes from (arxiv, biorxiv, a feed's site), not the name its source
    /// was added under. Nil when no source is so named.
    /// `filter`, when given (`source:`), is said before the origin, as the query would name it.
    public func sourceNameHint(_ name: String, filter: String? = nil) throws -> String? {
        guard let source = try sources().first(where: { $0.record.name.lowercased() == name.lowercased() }) else { return nil }
        let origin: String?
        switch source.spec.kind {
        case .arxivRSS, .arxivAPI, .arxivOAI: origin = "arxiv"
        case .biorxiv, .medrxiv, .nature: origin = source.spec.kind.rawValue
        case .rss, .atom:
            // Its papers are under their feed's site: the host of its address, when papers are (a feed's channel
            // may name another, which `ahub stats` lists).
            let host = source.spec.url.flatMap { URLComponents(string: $0)?.host?.lowercased() }
                .map { $0.hasPrefix("www.") ? String($0.dropFirst(4)) : $0 }
            origin = try host.flatMap { try store.spelling(source: $0) }
        }
        return "\(source.record.name) is a name in `ahub sources`, and a paper's source is where it comes from (arxiv, biorxiv, a feed's site): "
            + (origin.map { from in "its papers come from \(from)" + (filter.map { " (\($0)\(from))" } ?? "") } ?? "`ahub stats` lists them by source")
    }

    private func status(_ record: SourceRecord) throws -> SourceStatus {
        guard let spec = try? JSONDecoder().decode(SourceSpec.self, from: Data(record.spec.utf8)) else {
            throw HubError("source '\(record.name)' has a spec this ahub cannot read: \(record.spec)")
        }
        return SourceStatus(record: record, spec: spec, nextDue: record.nextDue.flatMap(ISO8601.date))
    }

    /// The longest interval a source or `fetch --every` takes.
    public static let longestInterval: TimeInterval = 365 * 86_400

    /// Whether a source should be fetched now.
    static func isDue(_ source: SourceStatus, now: Date, every: TimeInterval?) -> Bool {
        guard source.record.enabled else { return false }
        // A harvest in progress goes on at once, unless its last page failed: then it waits out its back-off
        // like any failing source (a server answering 429 was asked again every second).
        // Nor while the rest of a wait the server asked for holds, when a fetch stopped during it (Ctrl-C): the
        // harvest's next page had been asked for again at once.
        if source.harvestInProgress, source.record.failures == 0 {
            return !Self.stoppedDuringAWait(source.record) || (source.nextDue ?? .distantPast) <= now
        }
        guard let every else { return (source.nextDue ?? .distantPast) <= now }
        if source.record.failures > 0 { return (source.nextDue ?? .distantPast) <= now }
        guard let last = source.record.lastSuccess.flatMap(ISO8601.date) else { return true }
        return last.addingTimeInterval(every) <= now
    }

    /// Whether the source's last fetch was stopped (its report says so): then its next due time is the rest of
    /// the server's wait, if it asked for one. (A process killed mid-harvest leaves the report before it.)
    static func stoppedDuringAWait(_ record: SourceRecord) -> Bool {
        struct Outcome: Decodable { var outcome: String }
        guard let report = record.lastReport,
              let last = try? JSONDecoder().decode(Outcome.self, from: Data(report.utf8)) else { return false }
        return last.outcome == SourceFetchReport.Outcome.stopped.rawValue
    }

    /// When the next source falls due (for `fetch --every`): nil when none is enabled.
    public func nextWake(every: TimeInterval?, only: [String] = [], now: Date = Date()) throws -> Date? {
        try sources().filter { $0.record.enabled && (only.isEmpty || only.contains($0.record.name)) }.map { source -> Date in
            if Self.isDue(source, now: now, every: every) { return now }
            if let every, source.record.failures == 0, let last = source.record.lastSuccess.flatMap(ISO8601.date) {
                return last.addingTimeInterval(every)
            }
            return source.nextDue ?? now
        }.min()
    }

    // MARK: - Fetch

    /// Fetches the named sources, or every due one, several at a time, and imports what they hold.
    /// A source's failure is in its report (and in `sources list`); it does not stop the others.
    public func fetch(_ options: FetchOptions, progress: (@Sendable (FetchProgress) -> Void)? = nil) throws -> [SourceFetchReport] {
        let all = try sources()
        let now = Date()
        var chosen: [SourceStatus]
        if options.names.isEmpty {
            chosen = all.filter { (options.only.isEmpty || options.only.contains($0.record.name)) && Self.isDue($0, now: now, every: options.every) }
        } else {
            // A source named twice is fetched once (each fetch of it waits its politeness gap).
            chosen = try options.names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.map { name in
                guard let source = all.first(where: { $0.record.name == name }) else {
                    throw HubError("no source named '\(name)'; see `ahub sources list`")
                }
                return source
            }
        }
        if let since = options.since, FeedDay(since) == nil {
            throw HubError("--since must be a day, YYYY-MM-DD, not '\(since)'")
        }
        if let since = options.since, let message = FeedDay.future(since) { throw HubError(message) }
        // A source named with --since must have a window to start (as `sources add` refuses it for the others);
        // among the due sources, those without one are fetched as usual.
        if options.since != nil, !options.names.isEmpty, let feed = chosen.first(where: { !$0.spec.kind.isPaged }) {
            let windowed = SourceKind.allCases.filter(\.isPaged).map(\.rawValue).joined(separator: ", ")
            throw HubError("--since starts a harvest window, which \(feed.record.name) (\(feed.spec.kind.rawValue)) has not: "
                + "its feed holds what it carries now (windowed kinds: \(windowed))")
        }
        var configuration = try Setting.httpConfiguration(try store.settings())
        if let caBundle = options.caBundle { configuration.caBundle = caBundle }
        if let caBundle = configuration.caBundle, !FileManager.default.isReadableFile(atPath: caBundle) {
            throw HubError("cannot read the CA bundle \(caBundle)")
        }
        let client = HTTPClient(configuration: configuration, log: options.log)
        chosen.sort { $0.record.name < $1.record.name }
        // One fetch per library at a time, across processes: two would ask the same sites for the same pages.
        let lock = chosen.isEmpty ? nil : try FetchLock(path: store.path + ".fetch-lock")
        defer { withExtendedLifetime(lock) {} }

        let reports = LockedArray<SourceFetchReport?>(repeating: nil, count: chosen.count)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = max(1, options.concurrency)
        for (index, source) in chosen.enumerated() {
            queue.addOperation {
                let report = self.fetch(source, client: client, options: options, progress: progress)
                reports.set(index, report)
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        return reports.values.compactMap { $0 }
    }

    private func fetch(
        _ source: SourceStatus, client: HTTPClient, options: FetchOptions, progress: (@Sendable (FetchProgress) -> Void)?
    ) -> SourceFetchReport {
        let started = Date()
        var report = SourceFetchReport(source: source.record.name, kind: source.spec.kind.rawValue, outcome: .complete)
        report.enabled = source.record.enabled
        let outcome: SQLitePaperStore.FetchOutcome
        var retryAfter: TimeInterval?
        do {
            try harvest(source, client: client, options: options, report: &report, progress: progress)
            outcome = report.outcome == .stopped ? .stopped : .succeeded
        } catch let error as HTTPError where error.kind == .cancelled {
            report.outcome = .stopped
            outcome = .stopped
            // Stopped during a wait the server asked for (Retry-After): the rest of it still holds. The requests
            // made count (a stop mid-wait had reported 0).
            retryAfter = error.retryAfter
            report.requests += error.attempts
        } catch {
            report.outcome = .failed
            report.error = SQLitePaperStore.isBusy(error) ? Self.busyLibrary : "\(error)"
            // An expired resumption token fails the same way each time: the way out is a harvest started over.
            if source.spec.kind == .arxivOAI, "\(error)".contains("badResumptionToken") {
                report.error! += " (the harvest cannot go on from there: `ahub fetch \(source.record.name) --since YYYY-MM-DD` starts it over)"
            }
            outcome = .failed(report.error!)
            retryAfter = (error as? HTTPError)?.retryAfter
            // The attempts of the request that failed count too (a report said 0 requests "after 4 attempts").
            if let failed = error as? HTTPError { report.requests += failed.attempts }
        }
        report.seconds = Date().timeIntervalSince(started)
        let interval = options.every ?? source.record.interval
        let nextDue: Date
        switch outcome {
        // A success is due again by the source's own interval, which a cron's `ahub fetch` follows after a
        // `fetch --every` loop ends (the loop itself counts from the last success by its period).
        case .succeeded: nextDue = started.addingTimeInterval(source.record.interval)
        case .stopped: nextDue = Date().addingTimeInterval(min(retryAfter ?? 0, Self.longestRetryAfter))
        case .failed:
            // 5 min, 10, 20, … after each failure in a row, never later than the regular interval; later
            // when the server asked for more (Retry-After), up to a week.
            let failures = source.record.failures + 1
            let backoff = min(interval, 300 * pow(2, Double(min(failures - 1, 20))))
            nextDue = Date().addingTimeInterval(max(backoff, min(retryAfter ?? 0, Self.longestRetryAfter)))
        }
        report.nextDue = ISO8601.string(nextDue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) }
        do {
            try store.recordFetch(source: source.record.name, attempt: started, outcome: outcome, nextDue: nextDue, report: json)
        } catch {
            report.outcome = .failed
            if SQLitePaperStore.isBusy(error) {
                // Said once: the page's commit and the record both met the same lock.
                if report.error != Self.busyLibrary { report.error = (report.error.map { $0 + "; " } ?? "") + Self.busyLibrary }
            } else {
                report.error = (report.error.map { $0 + "; " } ?? "") + "cannot record the fetch: \(error)"
            }
            // Nothing recorded: the source's schedule is as it was (it is due when it was), not the time computed here.
            report.nextDue = source.record.nextDue ?? ISO8601.string(Date())
        }
        progress?(FetchProgress(source: report.source, pages: report.pages, papers: report.papers, bytes: report.bytes, finished: true))
        return report
    }

    /// A write that met another process's lock for longer than the busy timeout (a page's commit, the fetch's record).
    static let busyLibrary = "the library was locked by another process for more than 10 s (a long write elsewhere); "
        + "nothing more of this source was kept, and the next fetch asks again from the last page kept"

    /// The longest wait a server's Retry-After puts on a source's schedule.
    static let longestRetryAfter: TimeInterval = 7 * 86_400

    /// Reads the source page by page from its cursor, committing each page with the cursor that follows it.
    private func harvest(
        _ source: SourceStatus, client: HTTPClient, options: FetchOptions, report: inout SourceFetchReport,
        progress: (@Sendable (FetchProgress) -> Void)?
    ) throws {
        let spec = source.spec
        let name = source.record.name
        let today = FeedDay(Date())
        var cursor: HarvestCursor
        if options.since == nil, let resumed = HarvestCursor(json: source.record.cursor) {
            cursor = resumed
        } else {
            cursor = HarvestPlanner.begin(spec, watermark: source.record.watermark, since: options.since, today: today)
            if spec.kind.isPaged { try store.setCursor(cursor.json, source: name) }
        }
        while true {
            if options.cancel.isSet {
                report.outcome = .stopped
                return
            }
            let url = HarvestPlanner.url(spec, cursor)
            let validators = spec.kind.isPaged ? nil : try store.validators(for: url)
            guard let (response, page) = try fetchPage(url, kind: spec.kind, validators: validators, client: client,
                                                        cancel: options.cancel, log: options.log,
                                                        transientProblem: { Self.transientProblem(spec, cursor, $0) },
                                                        report: &report)
            else {
                report.outcome = .notModified
                return
            }
            report.pages += 1
            var papers = page.papers
            if spec.kind == .arxivOAI, !spec.categories.isEmpty {
                let wanted = Set(spec.categories.map { $0.lowercased() })
                papers = papers.filter { $0.categories.contains { wanted.contains($0.lowercased()) } }
            }
            for rejection in page.rejections {
                report.rejected += 1
                // With the page's number: the address's query (which says the page) is masked wherever a report is shown.
                if report.rejections.count < 20 {
                    report.rejections.append("\(url)" + (spec.kind.isPaged ? " (page \(report.pages))" : "") + " \(rejection)")
                }
            }
            let next = HarvestPlanner.advance(spec, cursor, page: page)
            if spec.kind == .arxivOAI, let token = next?.token, token == cursor.token {
                throw HubError("\(url): the OAI-PMH server answered resumption token \(token) with that same token again; "
                    + "the harvest would never end (`ahub fetch \(name) --since YYYY-MM-DD` starts it over)")
            }
            let progressToCommit = SourceProgress(
                cursor: next?.json,
                watermark: spec.kind.isPaged && next == nil ? HarvestPlanner.watermark(cursor, today: today) : nil,
                validators: spec.kind.isPaged ? nil : HTTPValidators(
                    url: url, etag: response.headers["etag"], lastModified: response.headers["last-modified"]))
            for (paper, outcome) in zip(papers, try store.commitPage(papers, source: name, progress: progressToCommit)) {
                switch outcome {
                case .new: report.new += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .keptStored(let title):
                    report.unchanged += 1
                    report.keptStoredCount += 1
                    if report.keptStored.count < 5 { report.keptStored.append(ImportReport.keptStoredLine(paper, kept: title)) }
                }
            }
            progress?(FetchProgress(source: name, pages: report.pages, papers: report.papers, bytes: report.bytes, finished: false))
            guard let next else { return }
            cursor = next
        }
    }

    /// One page: the response read, checked and parsed. Nil for 304 Not Modified. A body cut short, or a
    /// page `transientProblem` finds wrong, is fetched again like a network error.
    private func fetchPage(
        _ url: String, kind: SourceKind, validators: HTTPValidators?, client: HTTPClient, cancel: CancellationFlag,
        log: (@Sendable (String) -> Void)?, transientProblem: ((ParsedFeed) -> String?)? = nil,
        report: inout SourceFetchReport
    ) throws -> (HTTPResponse, ParsedFeed)? {
        var headers: [(name: String, value: String)] = [("Accept", Self.accept(kind))]
        if let etag = validators?.etag { headers.append(("If-None-Match", etag)) }
        if let modified = validators?.lastModified { headers.append(("If-Modified-Since", modified)) }
        var attempt = 0
        while true {
            attempt += 1
            let response = try client.send(HTTPRequest(url: url, headers: headers), cancel: cancel)
            report.requests += response.attempts
            report.bytes += response.bytesReceived
            if response.status == 304 {
                // Not modified since what? Asked with no validators, a 304 says nothing of the feed: a broken server.
                guard validators?.etag != nil || validators?.lastModified != nil else {
                    throw HubError("\(url): HTTP 304 Not Modified to a request that sent no ETag or date to compare with; the server is at fault")
                }
                return nil
            }
            guard (200..<300).contains(response.status) else {
                throw HubError(Self.describeRefusal(response, url: url))
            }
            let data = response.body
            var problem: String?
            var page: ParsedFeed?
            if data.allSatisfy(JSONValue.isBlank) {
                // Nothing at all, with 200: a server between two states, asked again as a cut document is.
                problem = "\(url): the response is empty (HTTP \(response.status) with no body)"
            } else {
                guard let format = FeedParser.detect(data) else {
                    throw HubError(Self.describeNonFeed(response, url: url))
                }
                if let type = response.contentType, !Self.isFeedContentType(type), !type.lowercased().contains("html") {
                    throw HubError("\(url): answered with content type '\(type)', not a feed")
                }
                if !FeedParser.isComplete(data) {
                    // With its declared length all there (and not compressed), the server itself sent a cut document;
                    // without one, a closed connection looks like the end of the body.
                    let declared = response.headers["content-length"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    let whole = declared == data.count && response.headers["content-encoding"] == nil
                    problem = "\(url): the response ends before the feed does (\(data.count) bytes): "
                        + (whole ? "the server sent it so (all the bytes it declared arrived)" : "the connection was cut or the server stopped writing")
                } else if !Self.formats(kind).contains(format) {
                    // A paged source reads on by what each page holds: a page in another format (an error object
                    // for JSON, another site's feed) would be counted as records and the next page asked for,
                    // forever. (Checked on a whole response: one cut short may not show its format yet.)
                    throw HubError("\(url): the answer is \(Self.formatName(format)); a source of kind \(kind.rawValue) reads "
                        + "\(Self.formatName(Self.formats(kind)[0])). It begins: \(FeedParser.preview(data))")
                } else {
                    let parsed = try FeedParser.parse(data, origin: url, as: format)
                    if let error = parsed.rejections.first(where: { $0.reason.hasPrefix("arXiv API error") }), parsed.papers.isEmpty {
                        throw HubError("\(url): \(error.reason)")
                    }
                    problem = transientProblem?(parsed).map { "\(url): \($0)" }
                    page = parsed
                }
            }
            if let problem {
                guard attempt < client.configuration.attempts else { throw HubError(problem + (attempt > 1 ? " (after \(attempt) attempts)" : "")) }
                let delay = client.backoff(attempt: attempt)
                log?(problem + "; retrying in \(String(format: "%.1f", delay)) s")
                if !CancellationFlag.sleep(delay, unless: cancel) {
                    throw HTTPError(kind: .cancelled, url: url, message: "stopped", attempts: attempt)
                }
                continue
            }
            guard let page else { continue }
            return (response, page)
        }
    }

    /// The arXiv API now and then answers a page inside its results with no entries at all; taking that for
    /// the end would end the harvest early and silently. It is fetched again instead.
    static func transientProblem(_ spec: SourceSpec, _ cursor: HarvestCursor, _ page: ParsedFeed) -> String? {
        guard spec.kind == .arxivAPI, (page.records ?? page.papers.count + page.rejections.count) == 0,
            let total = page.totalResults, cursor.offset < total
        else { return nil }
        return "arXiv answered an empty page at start=\(cursor.offset) of \(total) results (a known transient fault of its API)"
    }

    /// The formats a source of the kind may answer in, the one it should first.
    static func formats(_ kind: SourceKind) -> [FeedFormat] {
        switch kind {
        case .arxivAPI: return [.arxivAtom]
        case .arxivOAI: return [.arxivOAI]
        case .biorxiv, .medrxiv: return [.bioRxivJSON]
        case .arxivRSS: return [.arxivRSS, .arxivAtom, .rss, .atom]
        case .nature: return [.natureRDF, .rss, .atom]
        case .rss: return [.rss, .natureRDF, .arxivRSS, .atom, .arxivAtom]
        case .atom: return [.atom, .arxivAtom, .rss, .natureRDF, .arxivRSS]
        }
    }

    static func formatName(_ format: FeedFormat) -> String {
        switch format {
        case .arxivAtom: return "arXiv API Atom"
        case .arxivRSS: return "an arXiv RSS feed"
        case .arxivOAI: return "OAI-PMH XML"
        case .bioRxivJSON: return "the bioRxiv API's JSON"
        case .natureRDF: return "a Nature RSS feed"
        case .rss: return "an RSS feed"
        case .atom: return "an Atom feed"
        case .jsonLines: return "JSON that is not the bioRxiv API's"
        case .beirCorpus: return "a BEIR corpus"
        }
    }

    static func accept(_ kind: SourceKind) -> String {
        switch kind {
        case .biorxiv, .medrxiv: return "application/json"
        case .arxivAPI, .atom: return "application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
        case .arxivRSS, .rss, .nature: return "application/rss+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
        case .arxivOAI: return "text/xml, application/xml;q=0.9, */*;q=0.1"
        }
    }

    /// Feeds come as XML, Atom, RSS, RDF or JSON, sometimes as text/plain or octet-stream; a feed served as
    /// text/html is read when its content is a feed (some servers label RSS so).
    static func isFeedContentType(_ type: String) -> Bool {
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media.isEmpty || media.contains("xml") || media.contains("json") || media.contains("rss")
            || media.contains("atom") || media.hasPrefix("text/plain") || media == "application/octet-stream"
    }

    /// Why a source said no, in its own words where it gives them (arXiv's error feed, an OAI error).
    static func describeRefusal(_ response: HTTPResponse, url: String) -> String {
        let status = "HTTP \(response.status)"
        // A redirect not followed (http.max-redirects 0, or no Location to follow) says where it pointed.
        if (300..<400).contains(response.status) {
            let location = response.headers["location"]?.trimmingWhitespace() ?? ""
            return "\(url): \(status), " + (location.isEmpty ? "a redirect without a Location to follow"
                : "a redirect to \(location) not followed (http.max-redirects)")
        }
        // Gone for good: asking again on the schedule will not bring it back.
        if response.status == 410 {
            return "\(url): HTTP 410, the feed is gone for good; `ahub sources remove` it, or give it its new address"
        }
        if let page = try? FeedParser.parse(response.body, origin: url),
            let error = page.rejections.first(where: { $0.reason.hasPrefix("arXiv API error") }) {
            return "\(url): \(error.reason) (\(status))"
        }
        if let title = htmlTitle(response.body) { return "\(url): \(status): \(title)" }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map { String($0).trimmingWhitespace() } ?? ""
        return "\(url): \(status)" + (text.isEmpty ? "" : ": \(text)")
    }

    static func describeNonFeed(_ response: HTTPResponse, url: String) -> String {
        let type = response.contentType ?? "no content type"
        if type.lowercased().contains("html") || htmlTitle(response.body) != nil {
            let title = htmlTitle(response.body).map { " titled '\($0)'" } ?? ""
            return "\(url): expected a feed but got an HTML page\(title) (\(type)); the site may be down or the URL wrong"
        }
        if response.body.isEmpty { return "\(url): the response is empty" }
        return "\(url): not a feed ahub reads (\(type)); it begins: \(FeedParser.preview(response.body))"
    }

    static func htmlTitle(_ body: Data) -> String? {
        let head = String(decoding: body.prefix(16_384), as: UTF8.self)
        guard let open = head.range(of: "<title", options: .caseInsensitive),
            let gt = head[open.upperBound...].firstIndex(of: ">"),
            let close = head.range(of: "</title>", options: .caseInsensitive, range: gt..<head.endIndex)
        else { return nil }
        let title = head[head.index(after: gt)..<close.lowerBound].trimmingWhitespace()
        return title.isEmpty ? nil : String(title.prefix(120))
    }
}

/// An exclusive lock (flock) on a library's fetches, held while one runs and released when the process
/// ends however it ends.
final class FetchLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HubError("cannot open \(path) to lock the fetch: \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw HubError("another fetch is running on this library (an `ahub fetch`, or `ahub serve` refreshing); try again when it ends", busy: true)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// A fixed-size array filled from several threads.
final class LockedArray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element]

    init(repeating value: Element, count: Int) { storage = Array(repeating: value, count: count) }

    func set(_ index: Int, _ value: Element) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// A source as `sources list --json` prints it and `GET /api/sources` answers it.
public struct SourceJSON: Encodable, Sendable {
    public var name: String
    public var kind: String
    public var spec: SourceSpec
    public var enabled: Bool
    public var interval: Double
    public var harvestInProgress: Bool
    public var cursor: HarvestCursor?
    public var watermark: String?
    public var nextDue: String?
    public var lastAttempt: String?
    public var lastSuccess: String?
    public var lastError: String?
    public var failures: Int
    /// What the last fetch did, as `fetch --json` printed it.
    public var lastReport: SourceFetchReport?

    public init(_ s: Hub.SourceStatus) {
        name = s.record.name
        kind = s.record.kind
        spec = s.spec
        enabled = s.record.enabled
        interval = s.record.interval
        harvestInProgress = s.harvestInProgress
        cursor = HarvestCursor(json: s.record.cursor)
        watermark = s.record.watermark
        nextDue = s.record.nextDue
        lastAttempt = s.record.lastAttempt
        lastSuccess = s.record.lastSuccess
        lastError = s.record.lastError
        failures = s.record.failures
        lastReport = s.record.lastReport.flatMap { try? JSONDecoder().decode(SourceFetchReport.self, from: Data($0.utf8)) }
    }

    /// The same with every address's query string cut to `?…` and its user and password to `…@`, for readers
    /// other than the library's owner (the API answers reads without a token): a private feed's address may carry
    /// its key there.
    public func withoutQueryStrings() -> SourceJSON {
        let cut = { (text: String?) in text.map(SourceFetchReport.masked) }
        var copy = self
        copy.spec.url = cut(spec.url)
        copy.spec.baseURL = cut(spec.baseURL)
        copy.lastError = cut(lastError)
        copy.lastReport = lastReport?.withoutQueryStrings()
        return copy
    }
}
