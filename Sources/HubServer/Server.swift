import AcademicHub
import Foundation
import HubCore
import enum HubFeeds.JSONValue
import HubStore
import Hummingbird
import NIOHTTP1
import Logging

/// The page and the HTTP JSON API over the `Hub` façade: each route reads its parameters, calls the Hub and
/// encodes what it returns; no rule of the product lives here. Errors are JSON `{"error": {"message": …}}`
/// with a status that fits: 400 for bad input (a query's parser message included), 401 for a write without
/// the token, 404 for what does not exist, 409 for a second fetch, 413 for a body over the limit, 429 over
/// the rate or the briefing slots, 500 with no internals. `/api/openapi.json` documents every route.
public enum HubServer {
    /// Request bodies larger than this are refused (413).
    public static let maxBody = 64 * 1024
    /// A radar export may be larger (its whole feedback log): up to this much (about 40,000 events).
    public static let maxImportBody = 4 * 1024 * 1024
    /// A query parameter longer than this (in characters) is refused (400).
    public static let maxQuery = 2_000

    /// The routes: the page at `/`, the API under `/api`, `/healthz` and `/metrics`. `refresher` runs
    /// `POST /api/fetch` (one fetch at a time, shared with the schedule).
    public static func router(hub: Hub, options: ServerOptions = .init(), refresher: SourceRefresher? = nil) throws -> Router<HubContext> {
        let router = Router(context: HubContext.self, options: .autoGenerateHeadEndpoints)
        let metrics = APIMetrics()
        let assets = try WebAssets.bundled()
        let refresher = refresher ?? SourceRefresher(hub: hub)
        let briefingSlots = Slots(options.briefingSlots)
        router.add(middleware: AnswerMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: CORSMiddleware(origins: Set(options.corsOrigins)))
        router.add(middleware: GuardMiddleware(options: options))
        router.add(middleware: NoRouteMiddleware())
        router.add(middleware: KnownParametersMiddleware())
        router.get("/") { _, _ in try assets.response("index.html") }
        for name in assets.files.keys where name != "index.html" && name != "openapi.json" {
            router.get(RouterPath(stringLiteral: "/\(name)")) { _, _ in try assets.response(name) }
        }
        router.get("/api/openapi.json") { _, _ in try assets.response("openapi.json") }
        router.get("/healthz") { _, _ in Health(status: "ok") }
        router.get("/metrics") { _, _ in
            let text = try await run { metrics.text(papers: try hub.stats().papers, sources: try hub.sources()) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }

        router.group("/api")
            .get("stats") { _, context in
                var stats = try await run { try hub.stats() }
                // Where the library lives on this machine is the owner's business: others see its file name.
                if !context.isLoopback { stats.path = URL(fileURLWithPath: stats.path).lastPathComponent }
                return stats
            }
            .get("search") { request, _ in
                let q = try request.parameter("q") ?? ""
                var text = q
                // What q names itself: a parameter narrows it, never widens it (q's `source:arxiv` with
                // `source=biorxiv` would read as either).
                let typed = try? hub.parse(q)
                for (name, filter) in [("source", "source"), ("category", "cat"), ("after", "after"), ("before", "before")] {
                    guard let value = try request.parameter(name), !value.isEmpty else { continue }
                    if let named = filter == "source" ? typed?.sources : filter == "cat" ? typed?.categories : nil, !named.isEmpty {
                        let same = named.filter { $0.lowercased() == value.lowercased() }.count
                        if same == named.count { continue }
                        let listed = named.map { "\(filter):\($0)" }.joined(separator: " ")
                        throw HTTPError(.badRequest, message: same > 0
                            ? "q names \(listed) already: give the \(name) in one place (in q, \(filter):A \(filter):B is either; \(name)= is one)"
                            : "q names \(listed) and \(name)=\(value) would widen it to either: give the \(name) in one place (in q, \(filter):A \(filter):B is either)")
                    }
                    // One value each, never more of the query language: `category=cs.LG testing` is refused.
                    guard !value.contains(where: { $0.isWhitespace || "\"()".contains($0) }) else {
                        throw HTTPError(.badRequest, message: "\(name) takes one value without spaces, quotes or parentheses, not \(value)")
                    }
                    // Named here, not by its column in the query composed from the parameters.
                    if filter == "after" || filter == "before", QueryParser.day(value, end: filter == "before") == nil {
                        throw HTTPError(.badRequest, message: "\(name) takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not \(value)")
                    }
                    text += " \(filter):\(value)"
                }
                // The parameters against each other, by name too (the parser would place it in the composed query).
                if let after = try request.parameter("after").flatMap({ QueryParser.day($0, end: false) }),
                   let before = try request.parameter("before").flatMap({ QueryParser.day($0, end: true) }), after > before {
                    throw HTTPError(.badRequest, message: "after=\(try request.parameter("after") ?? "") is later than before=\(try request.parameter("before") ?? ""), so no paper can match; swap them?")
                }
                text = text.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { throw HTTPError(.badRequest, message: "give a query: ?q=…") }
                let limit = try request.number("limit", default: 10, range: 1...100)
                let offset = try request.number("offset", default: 0, range: 0...10_000)
                // `mode=` blank, as a form sends an unset field, is no mode, as blank filters are no filter.
                let mode = try request.given("mode").map { value -> Hub.SearchMode in
                    guard let mode = Hub.SearchMode(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                        throw HTTPError(.badRequest, message: "mode is keyword, semantic or hybrid, not \(value)")
                    }
                    return mode
                }
                let query = text
                let storing = request.method != .head  // HEAD changes nothing
                return try await run {
                    let results = try hub.search(query, mode: mode, limit: limit, offset: offset)
                    let handle = try hub.rememberList(kind: "search", input: results.query, keys: results.hits.map(\.paper.key.rawValue),
                                                      storing: storing)
                    return ResultListJSON(results, handle: handle)
                }
            }
            .get("papers/:key") { _, context in
                let key = try context.path("key")
                return try await run {
                    guard let stored = try hub.paper(keyOrTitle: key) else { throw HubError("no paper \(key) in the library") }
                    return PaperJSON(paper: stored.paper, addedAt: stored.addedAt, versions: stored.versions,
                                     notice: Hub.versionNotice(asked: key, shown: stored))
                }
            }
            .get("papers/:key/similar") { request, context in
                let key = try context.path("key")
                let limit = try request.number("limit", default: 10, range: 1...100)
                let offset = try request.number("offset", default: 0, range: 0...10_000)
                let storing = request.method != .head  // HEAD changes nothing
                return try await run {
                    let results = try hub.similar(key, limit: limit, offset: offset)
                    let handle = try hub.rememberList(kind: "similar", input: results.query, keys: results.hits.map(\.paper.key.rawValue),
                                                      storing: storing)
                    return ResultListJSON(results, handle: handle)
                }
            }
            .get("radars") { _, _ in try await run { RadarList(radars: try hub.radarSummaries()) } }
            .post("radars") { request, context in
                let asked = try await request.json(RadarRequest.self, context: context)
                let spec = RadarSpec(name: asked.name, description: asked.description ?? "", keywords: asked.keywords ?? [],
                                     categories: asked.categories ?? [], sources: asked.sources ?? [], seeds: asked.seeds ?? [])
                return try await run {
                    var created = try hub.createRadar(spec)
                    // What the CLI warns about: a category or source no paper has yet (often a typo), search's syntax in
                    // the description.
                    let warnings = try hub.createWarnings(created)
                    if !warnings.isEmpty { created.warnings = warnings }
                    return created
                }
            }
            .get("radars/:name") { _, context in
                let name = try context.path("name")
                return try await run { try hub.radarProfile(name) }
            }
            .patch("radars/:name") { request, context in
                let name = try context.path("name")
                let asked = try await request.json(RenameRequest.self, context: context)
                return try await run { try hub.radarProfile(try hub.renameRadar(name, to: asked.name)).summary }
            }
            .delete("radars/:name") { _, context in
                let name = try context.path("name")
                return try await run { RadarDeleted(deleted: try hub.deleteRadar(name)) }
            }
            .get("radars/:name/export") { _, context in
                let name = try context.path("name")
                let data = try await run { try hub.exportRadar(name).fileData() }
                return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(data: data)))
            }
            .get("radars/:name/rated") { request, context in
                // The papers rated on the radar, the latest first; `signal=save` (or `like,save`) for some only.
                let name = try context.path("name")
                let limit = try request.number("limit", default: 20, range: 1...100)
                let offset = try request.number("offset", default: 0, range: 0...10_000)
                let asked = try request.parameter("signal") ?? ""
                let signals: Set<RadarSignal>
                do { signals = try RadarSignal.named(in: [asked]) } catch let error as UnknownRadarSignal {
                    throw HTTPError(.badRequest, message: "signal is like, dislike, save or hide (or several, comma-separated), not \(error.word)")
                }
                return try await run { try hub.ratedPapers(name, signals: signals, limit: limit, offset: offset) }
            }
            .post("radars/import") { request, _ in
                // The file `ahub radar export` (or GET …/export) wrote, as it is; `name` to name it otherwise.
                let data = try await request.bodyData(limit: HubServer.maxImportBody)
                let name = try request.parameter("name")
                return try await run {
                    guard !data.isEmpty else {
                        throw HTTPError(.badRequest, message: "the body is empty; this call reads the JSON object `ahub radar export` (GET /api/radars/NAME/export) writes")
                    }
                    let export = try RadarExport.read(data)
                    var summary: RadarSummary, skipped: [String]
                    do {
                        (summary, skipped) = try hub.importRadar(export, name: name)
                    } catch let error as HubError where error.message.hasSuffix("exists already") {
                        throw HubError(error.message + ": import it under another name (?name=NAME), or delete that one first")
                    }
                    let warnings = skipped + (try hub.facetWarnings(categories: summary.categories, sources: summary.sources))
                        + (try hub.wordWarnings(summary))
                    if !warnings.isEmpty { summary.warnings = warnings }
                    return summary
                }
            }
            .get("radars/:name/feed") { request, context in
                let name = try context.path("name")
                let days = try request.number("days", default: 1, range: 1...3_650)
                let limit = try request.number("limit", default: 10, range: 1...200)
                let anyDate = try request.flag("any-date")
                let includeSeen = try request.flag("all")
                let date = try request.given("date")
                if let date, !Hub.isDay(date) { throw HTTPError(.badRequest, message: "date is a day as YYYY-MM-DD, not \(date)") }
                let windows = [date != nil, try request.given("days") != nil, anyDate].filter { $0 }.count
                guard windows <= 1 else { throw HTTPError(.badRequest, message: "give one of date, days and any-date") }
                let window: FeedWindow = anyDate ? .all : date.map { .day($0) } ?? .days(days, today: Hub.today())
                // HEAD asks what GET would answer and changes nothing: its papers are not marked as shown; nor
                // are they for a guest without the token of a server that has one (the owner's feed is theirs).
                // Nor with `all`, a look back over what was shown and rated (as the CLI's --all).
                let looking = request.method == .head || !context.mayWrite || includeSeen
                return try await run {
                    var feed = try hub.radarFeed(name, window: window, limit: limit, includeSeen: includeSeen, record: !looking)
                    feed.handle = try hub.rememberList(kind: "radar", input: "\(feed.radar) · \(feed.window)", keys: feed.items.map(\.key),
                                                       storing: !looking)
                    return feed
                }
            }
            .post("radars/:name/feedback") { request, context in
                let name = try context.path("name")
                let feedback = try await request.json(FeedbackJSON.self, context: context)
                guard !feedback.paper.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw HTTPError(.badRequest, message: "paper is empty: give a paper's key, arXiv id or DOI")
                }
                guard let signal = RadarSignal(rawValue: feedback.signal.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw HTTPError(.badRequest, message: "signal is like, dislike, save or hide, not \(feedback.signal)")
                }
                return try await run { try hub.radarFeedback(name, keys: [feedback.paper], signal: signal) }
            }
            .delete("radars/:name/feedback/:key") { _, context in
                // Takes back the paper's last rating on the radar; its model is refitted without it.
                let name = try context.path("name"), key = try context.path("key")
                return try await run { try hub.radarUndo(name, keys: [key]) }
            }
            .get("briefings") { _, _ in try await run { BriefingList(briefings: try hub.briefings()) } }
            .post("briefings") { request, context in
                let asked = try await request.json(BriefingRequest.self, context: context)
                let days = try BriefingRequest.whole(asked.days, "days", 1...3_650)
                if days != nil, asked.radar == nil { throw HTTPError(.badRequest, message: "days is read with radar only") }
                let input: BriefInput
                switch (asked.handle, asked.radar, asked.query, asked.similar, asked.papers) {
                case (let handle?, nil, nil, nil, nil): input = .handle(handle)
                case (nil, let radar?, nil, nil, nil): input = .radar(radar, days: days)
                case (nil, nil, let query?, nil, nil): input = .query(query)
                case (nil, nil, nil, let key?, nil): input = .similar(key)
                case (nil, nil, nil, nil, let keys?): input = .papers(keys)
                case (nil, nil, nil, nil, nil): throw HTTPError(.badRequest, message: "give one of handle, radar, query, similar, papers")
                default: throw HTTPError(.badRequest, message: "give only one of handle, radar, query, similar, papers: a briefing is of one list")
                }
                let language = try asked.language.map { value -> BriefLanguage in
                    guard let language = BriefLanguage(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                        throw HTTPError(.badRequest, message: "language is en or zh, not \(value)")
                    }
                    return language
                } ?? .en
                let provider = try asked.provider.map { value -> BriefProvider in
                    guard let provider = BriefProvider(rawValue: value) else {
                        throw HTTPError(.badRequest, message: "provider is extractive, llm or command")
                    }
                    return provider
                }
                let limit = try BriefingRequest.whole(asked.limit, "limit", 1...200) ?? asked.papers.map { min(max($0.count, 1), 200) } ?? 30
                return try await briefingSlots.run("briefings") {
                    try await run { try hub.brief(input, language: language, limit: limit, provider: provider) }
                }
            }
            .get("briefings/:id") { _, context in
                let text = try context.path("id")
                guard let id = Int64(text), id > 0 else { throw HTTPError(.badRequest, message: "a briefing's id is a whole number from 1, not \(text)") }
                do {
                    return try await run { try hub.briefing(id: id) }
                } catch let error as HTTPError where error.status == .notFound {
                    // The library's message points at the CLI; a client lists them here.
                    throw HTTPError(.notFound, message: "no briefing \(id); GET /api/briefings lists them")
                }
            }
            .delete("briefings/:id") { _, context in
                // As `ahub brief delete ID`.
                let text = try context.path("id")
                guard let id = Int64(text), id > 0 else { throw HTTPError(.badRequest, message: "a briefing's id is a whole number from 1, not \(text)") }
                do {
                    try await run { try hub.deleteBriefing(id: id) }
                } catch let error as HTTPError where error.status == .notFound {
                    throw HTTPError(.notFound, message: "no briefing \(id); GET /api/briefings lists them")
                }
                return BriefingDeleted(deleted: id)
            }
            .get("sources") { _, _ in
                // Reads need no token: an address's query string (where a private feed keeps its key) is not shown.
                try await run { SourceList(sources: try hub.sources().map { SourceJSON($0).withoutQueryStrings() }) }
            }
            .post("fetch") { request, context in
                let asked = try await request.json(FetchRequest.self, context: context, empty: FetchRequest())
                let known = Set(try await run { try hub.sources().map(\.record.name) })
                if let unknown = asked.sources?.first(where: { !known.contains($0) }) {
                    throw HTTPError(.notFound, message: "no source named '\(unknown)'; GET /api/sources lists them")
                }
                let reports = try await run { try refresher.fetchNow(names: asked.sources ?? []) }
                guard let reports else { throw HTTPError(.conflict, message: "a fetch is already under way; its papers arrive when it ends") }
                // Answered to any holder of the token, as `GET /api/sources` to anyone: addresses masked alike.
                guard reports.isEmpty else { return FetchReports(reports: reports.map { $0.withoutQueryStrings() }) }
                // Nothing fetched: say why, as `ahub fetch` does.
                return FetchReports(reports: [], message: known.isEmpty
                    ? "no sources yet; add one with `ahub sources add` (GET /api/sources lists them)"
                    : "nothing is due; name sources to fetch them now: {\"sources\": [\"\(known.sorted()[0])\"]}")
            }
        return router
    }

    /// Runs blocking Hub work off the server's event loops and turns its errors into HTTP errors.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
            }
        } catch let error as HubError {
            // A name that is taken (a radar's) conflicts with what is there, as a fetch under way does.
            let taken = error.message.contains(" exists already")
            throw HTTPError(error.upstream ? .badGateway : error.busy || taken ? .conflict : error.message.hasPrefix("no ") ? .notFound : .badRequest,
                            message: error.message)
        } catch let error as QueryError {
            throw HTTPError(.badRequest, message: error.description)
        } catch let error as HTTPError {
            throw error
        } catch where SQLitePaperStore.isBusy(error) {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"],
                            message: "the library is busy: another process is writing to it; retry shortly")
        } catch {
            throw HTTPError(.internalServerError, message: "internal error")
        }
    }

    /// The server: `router` on `host:port`, with the sources refreshed on their schedule unless `refresh` is
    /// false; `listening` is told the port once the socket is bound (port 0 picks a free one).
    public static func application(hub: Hub, host: String = "127.0.0.1", port: Int = 8080, options: ServerOptions = .init(),
                                   refresh: Bool = true, log: @escaping @Sendable (String) -> Void = { _ in },
                                   listening: @escaping @Sendable (Int) -> Void = { _ in }) throws -> some ApplicationProtocol {
        let refresher = SourceRefresher(hub: hub, log: log)
        var logger = Logger(label: "ahub")
        logger.logLevel = .warning
        return Application(router: try router(hub: hub, options: options, refresher: refresher),
                           server: .http1(configuration: .init(additionalChannelHandlers: [UnreadableRequests()],
                                                                idleTimeout: .seconds(Int64(options.idleTimeout)))),
                           configuration: .init(address: .hostname(host, port: port), serverName: "ahub"),
                           services: refresh ? [refresher] : [],
                           onServerRunning: { channel in listening(channel.localAddress?.port ?? port) },
                           logger: logger)
    }
}

/// A path no route answers (or not with this method) gets the JSON error every other 404 has.
struct NoRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route's methods by the path's shape (`{name}` one segment, as the OpenAPI document writes it), the exact shape first: POST
    /// /api/radars/import is not GET /api/radars/:name. Kept with the routes in `makeRouter`; a test asks each
    /// of them with every other method.
    static var routes: [(pattern: [String], methods: [String])] {
        [
            ([], ["GET"]), (["healthz"], ["GET"]), (["metrics"], ["GET"]), (["api", "openapi.json"], ["GET"]),
            (["api", "stats"], ["GET"]), (["api", "search"], ["GET"]), (["api", "papers", "{key}"], ["GET"]),
            (["api", "papers", "{key}", "similar"], ["GET"]), (["api", "radars"], ["GET", "POST"]),
            (["api", "radars", "import"], ["POST"]), (["api", "radars", "{name}"], ["GET", "PATCH", "DELETE"]),
            (["api", "radars", "{name}", "export"], ["GET"]), (["api", "radars", "{name}", "rated"], ["GET"]),
            (["api", "radars", "{name}", "feed"], ["GET"]),
            (["api", "radars", "{name}", "feedback"], ["POST"]), (["api", "radars", "{name}", "feedback", "{key}"], ["DELETE"]),
            (["api", "briefings"], ["GET", "POST"]), (["api", "sources"], ["GET"]),
            (["api", "briefings", "{id}"], ["GET", "DELETE"]), (["api", "fetch"], ["POST"]),
        ] + pageFiles.map { ([$0], ["GET"]) }
    }

    /// The page's files served at the top (`/app.js`), besides `/` itself: a test holds this to `Web/`.
    static var pageFiles: [String] { ["app.js", "style.css"] }

    static func methods(_ path: String) -> [String]? {
        let parts = path.split(separator: "/").map(String.init)
        return route(of: parts)?.methods
    }

    /// The route a path has the shape of, exact segments before parameters.
    static func route(of parts: [String]) -> (pattern: [String], methods: [String])? {
        let shaped = routes.filter { $0.pattern.count == parts.count && zip($0.pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 } }
        return shaped.first { !$0.pattern.contains { $0.hasPrefix("{") } } ?? shaped.first
    }

    /// An empty segment (`//api/stats`, `/api/stats/`, `/api/papers//similar`) names no route: the router would
    /// pass over it and answer another (`/api/papers//similar` was the paper keyed "similar").
    static func hasEmptySegment(_ path: String) -> Bool {
        path.count > 1 && (path.hasSuffix("/") || path.contains("//"))
    }

    /// What `/metrics` counts a request under when no route matched: the route whose path it has, so a 405 on
    /// `/api/stats` is counted with `/api/stats`; "unmatched" for a path that is no route, or has an empty segment.
    static func metricsLabel(_ path: String) -> String {
        if hasEmptySegment(path) { return "unmatched" }
        return route(of: path.split(separator: "/").map(String.init)).map { "/" + $0.pattern.joined(separator: "/") } ?? "unmatched"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.hasEmptySegment(request.uri.path) { throw Self.noRoute(request) }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // A route asked with a method it does not take: 405 and the methods it does (RFC 9110 §15.5.6).
            if let allowed = Self.methods(request.uri.path), !allowed.contains(request.method.rawValue) {
                let methods = allowed.flatMap { $0 == "GET" ? ["GET", "HEAD"] : [$0] }
                let names = methods.joined(separator: ", ")
                let spoken = methods.count < 2 ? names : methods.dropLast().joined(separator: ", ") + " or " + methods.last!
                throw HTTPError(.methodNotAllowed, headers: [.allow: names],
                                message: "\(request.uri.path) takes \(spoken), not \(request.method)")
            }
            throw Self.noRoute(request)
        }
    }

    static func noRoute(_ request: Request) -> HTTPError {
        // A DOI holds a slash, which splits the path: `/api/papers/10.1145/3395363` is no route.
        let parts = request.uri.path.split(separator: "/").map(String.init)
        let key = Self.doiPath(parts).map { "; a key holding / (a DOI, an old arXiv id, an address) is written with %2F: \($0)" }
            ?? Self.radarPath(parts).map { "; a radar name holding / is written with %2F: \($0)" } ?? ""
        return HTTPError(.notFound, message: "no route \(request.method) \(request.uri.path): /api/openapi.json lists them\(key)")
    }

    /// The path as it was meant when the slashes of a radar's name split it (`/api/radars/a%2Fb/feed` asked as
    /// `/api/radars/a/b/feed`): the fewest parts joined that leave a radar route; nil when none does.
    static func radarPath(_ parts: [String]) -> String? {
        guard parts.count > 3, parts[0] == "api", parts[1] == "radars" else { return nil }
        for end in 4...parts.count {
            let rest = Array(parts[end...])
            guard let shape = route(of: ["api", "radars", "name"] + rest), shape.pattern[2] == "{name}" else { continue }
            return "/" + (["api", "radars", parts[2..<end].joined(separator: "%2F")] + rest).joined(separator: "/")
        }
        return nil
    }

    /// The path as it was meant when the slashes of a DOI (an old arXiv id, an address) split its key (`/api/papers/10.1145%2F3395363`,
    /// `…/similar` after it, `/api/radars/R/feedback/doi:10.1145%2F3395363`); nil for any other path.
    static func doiPath(_ parts: [String]) -> String? {
        guard parts.first == "api" else { return nil }
        let at: Int, route: [String]
        if parts.count > 3, parts[1] == "papers" {
            (at, route) = (2, parts.count > 4 && parts.last == "similar" ? ["similar"] : [])
        } else if parts.count > 5, parts[1] == "radars", parts[3] == "feedback" {
            (at, route) = (4, [])
        } else {
            return nil
        }
        // A DOI, an old-style arXiv id (`quant-ph/0201082`, `arxiv:hep-th/9901001v2`) or an address pasted
        // whole (`https://arxiv.org/abs/2606.13857`: its `//` is one empty part here, written back).
        let isDOI = parts[at].hasPrefix("10.") || parts[at].lowercased().hasPrefix("doi:10.")
        let isURL = ["http:", "https:"].contains(parts[at].lowercased()) && parts.count - route.count > at + 1
        guard isDOI || isURL || ArxivID(parts[at...].prefix(2).joined(separator: "/")) != nil else { return nil }
        let key = isURL ? parts[at] + "%2F%2F" + parts[(at + 1)..<(parts.count - route.count)].joined(separator: "%2F")
            : parts[at..<(parts.count - route.count)].joined(separator: "%2F")
        return "/" + (parts[..<at] + [key] + route).joined(separator: "/")
    }
}

/// Every answer, errors too, as the page's own files are served: its type is not to be guessed
/// (`nosniff`: a title holding HTML stays JSON text) and it is checked again before being reused. `HEAD` is
/// answered as `GET` would be, without the body (RFC 9110 §9.3.2): the router makes a `HEAD` route for every
/// `GET` one (`.autoGenerateHeadEndpoints`), and this strips the body from every other answer, errors too.
struct AnswerMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            if let unreadable = UnreadableRequests.answer(request) { throw unreadable }
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        if response.headers[.xContentTypeOptions] == nil { response.headers[.xContentTypeOptions] = "nosniff" }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-cache" }
        return request.method == .head ? response.createHeadResponse() : response
    }
}

struct Health: ResponseEncodable { var status: String }

/// A paper as the API gives it: its fields, when it was added, every version seen.
struct PaperJSON: ResponseEncodable {
    var paper: Paper
    var addedAt: String
    var versions: [PaperVersion]
    /// Said when the key asked for a version other than the one kept (left out otherwise).
    var notice: String?
}

/// A JSON body the API reads; a field it does not know is refused by name (`lang` for `language` would
/// otherwise be dropped without a word).
protocol RequestBody: Decodable {
    static var fields: [String] { get }
}

struct RadarRequest: RequestBody {
    static let fields = ["name", "description", "keywords", "categories", "sources", "seeds"]
    var name: String
    var description: String?
    var keywords: [String]?
    var categories: [String]?
    var sources: [String]?
    var seeds: [String]?
}

struct RenameRequest: RequestBody {
    static let fields = ["name"]
    var name: String
}

struct BriefingDeleted: ResponseEncodable {
    /// The id of the briefing deleted.
    var deleted: Int64
}

struct RadarDeleted: ResponseEncodable {
    /// The radar's name as it was stored.
    var deleted: String
}

struct FeedbackJSON: RequestBody {
    static let fields = ["paper", "signal"]
    var paper: String
    var signal: String
}

struct FetchRequest: RequestBody {
    static let fields = ["sources"]
    var sources: [String]?
}

/// Refuses query parameters a call does not read, naming them: `limt=5` or `any_date=true` would otherwise
/// be dropped without a word and the answer taken for what was asked.
struct KnownParametersMiddleware: RouterMiddleware {
    typealias Context = HubContext

    /// By the path's shape (`*` one segment). A path not listed is no route: its 404 says so.
    static let parameters: [(pattern: [String], names: [String])] = [
        (["api", "search"], ["q", "mode", "limit", "offset", "source", "category", "after", "before"]),
        (["api", "papers", "*", "similar"], ["limit", "offset"]),
        (["api", "radars", "*", "feed"], ["date", "days", "any-date", "limit", "all"]),
        (["api", "stats"], []), (["api", "openapi.json"], []), (["api", "papers", "*"], []), (["api", "radars"], []),
        (["api", "radars", "import"], ["name"]), (["api", "radars", "*"], []), (["api", "radars", "*", "feedback"], []),
        (["api", "radars", "*", "feedback", "*"], []),
        (["api", "radars", "*", "export"], []), (["api", "radars", "*", "rated"], ["signal", "limit", "offset"]),
        (["api", "briefings"], []),
        (["api", "briefings", "*"], []), (["api", "fetch"], []), (["api", "sources"], []),
    ]

    func handle(_ request: Request, context: HubContext, next: (Request, HubContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path.split(separator: "/").map(String.init)
        guard path.first == "api", let query = request.uri.query, !query.isEmpty else { return try await next(request, context) }
        guard let allowed = Self.parameters.first(where: { entry in
            entry.pattern.count == path.count && zip(entry.pattern, path).allSatisfy { $0 == "*" || $0 == $1 }
        })?.names else { return try await next(request, context) }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let raw = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let name = raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(raw)
            guard allowed.contains(name) else {
                throw HTTPError(.badRequest, message: allowed.isEmpty
                    ? "\(request.uri.path) reads no query parameters, not \"\(name)\""
                    : "unknown query parameter \"\(name)\"; this call reads \(allowed.joined(separator: ", "))")
            }
        }
        return try await next(request, context)
    }
}

struct FetchReports: ResponseEncodable {
    var reports: [SourceFetchReport]
    /// Why nothing was fetched, when nothing was.
    var message: String?
}

struct BriefingRequest: RequestBody {
    static let fields = ["handle", "radar", "days", "query", "similar", "papers", "language", "provider", "limit"]
    var handle: String?
    var radar: String?
    /// Numbers as JSON has them (Foundation calls 1.5 for a whole number "not valid JSON"); made whole by
    /// `whole`, which names the field.
    var days: Double?
    var query: String?
    var similar: String?
    var papers: [String]?
    var language: String?
    var provider: String?
    var limit: Double?

    static func whole(_ value: Double?, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard value == value.rounded(), value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            // 201, not 201.0: a whole number is written as one.
            let given = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            throw HTTPError(.badRequest, message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(given)")
        }
        return Int(value)
    }
}

extension LibraryStats: ResponseEncodable {}
extension ResultListJSON: ResponseEncodable {}
extension RadarSummary: ResponseEncodable {}
extension RadarFeed: ResponseEncodable {}
extension Briefing: ResponseEncodable {}
extension RadarProfile: ResponseEncodable {}
extension RatedPapers: ResponseEncodable {}
extension RatingsTakenBack: ResponseEncodable {}

struct RadarList: ResponseEncodable {
    var radars: [RadarSummary]
}

struct BriefingList: ResponseEncodable {
    var briefings: [BriefingRecord]
}

struct SourceList: ResponseEncodable {
    var sources: [SourceJSON]
}

extension HubContext {
    /// A path parameter, percent-decoded (`arxiv%3A2606.13857` is `arxiv:2606.13857`, `my%20radar` is `my radar`).
    func path(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else { throw Self.undecodable(name, raw) }
        return decoded
    }

    /// Why `raw` does not percent-decode: a `%` without two hex digits, or escapes of bytes that are not UTF-8.
    static func undecodable(_ name: String, _ raw: some StringProtocol) -> HTTPError {
        let b = Array(raw.utf8)
        let hex = { (c: UInt8) in (48...57).contains(c) || (65...70).contains(c) || (97...102).contains(c) }
        let wellFormed = b.indices.allSatisfy { i in b[i] != 37 || (i + 2 < b.count && hex(b[i + 1]) && hex(b[i + 2])) }
        return HTTPError(.badRequest, message: wellFormed
            ? "\(name) decodes to bytes that are not UTF-8: percent-encode text as UTF-8 (中 is %E4%B8%AD)"
            : "\(name) is not valid percent-encoding: a % starts %XX, two hex digits (%25 is % itself)")
    }
}

extension Request {
    /// A query parameter decoded as forms encode it (`+` is a space, as the page's URLSearchParams and
    /// curl's `--data-urlencode` write it; `%2B` is a plus), refused when longer than `HubServer.maxQuery`.
    func parameter(_ name: String) throws -> String? {
        guard let query = uri.query else { return nil }
        func decoded(_ raw: Substring) throws -> String {
            guard let text = raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                throw HubContext.undecodable(name, raw)
            }
            return text
        }
        var found: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard (try? decoded(parts[0])) == name else { continue }
            // Every parameter takes one value: a second one is refused, not dropped without a word.
            guard found == nil else {
                // signal takes several in one value, as the CLI's --signal does.
                let several = name == "signal" ? " (several comma-separated: signal=like,save)" : ""
                throw HTTPError(.badRequest, message: "\(name) is given twice; it takes one value\(several)")
            }
            let value = parts.count > 1 ? try decoded(parts[1]) : ""
            guard value.count <= HubServer.maxQuery else { throw HTTPError(.badRequest, message: "\(name) is longer than \(HubServer.maxQuery) characters") }
            found = value
        }
        return found
    }

    /// A parameter with a value: one given blank (`limit=`, as a form sends a field left empty) is not given.
    func given(_ name: String) throws -> String? {
        try parameter(name).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    /// A true-or-false parameter; absent or blank is false.
    func flag(_ name: String) throws -> Bool {
        switch try given(name) {
        case nil, "false": return false
        case "true": return true
        case let value?: throw HTTPError(.badRequest, message: "\(name) is true or false, not \(value)")
        }
    }

    func number(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = try given(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw HTTPError(.badRequest, message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The body's bytes, at most `limit`.
    func bodyData(limit: Int = HubServer.maxBody) async throws -> Data {
        let tooLarge = HTTPError(.contentTooLarge, message: "the body is larger than \(limit) bytes")
        // A length declared over the limit is refused before any of the body is waited for.
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw tooLarge }
        var body = ByteBuffer()
        do {
            for try await part in self.body {
                guard body.readableBytes + part.readableBytes <= limit else { throw tooLarge }
                body.writeImmutableBuffer(part)
            }
        } catch let error as HTTPError {
            throw error
        } catch HTTPParserError.invalidEOFState {
            // The connection closed (cut, or quiet past the idle timeout) before the body was whole. Its answer
            // reaches no one; the metrics count it as the body that never came (408), not as a 400 no client saw (a
            // user test found 300 of them).
            throw HTTPError(.requestTimeout, message: "the body did not arrive whole (the connection was cut or went quiet)")
        } catch {
            throw HTTPError(.badRequest, message: "the body could not be read (a malformed chunked encoding, or the connection cut)")
        }
        return Data(buffer: body)
    }

    /// The body as JSON, at most `HubServer.maxBody` bytes; `empty` when there is no body and one is given.
    func json<T: RequestBody>(_ type: T.Type, context: some RequestContext, empty: T? = nil) async throws -> T {
        let data = try await bodyData()
        let blank = data.allSatisfy(JSONValue.isBlank)
        if let empty, blank { return empty }
        if blank {
            throw HTTPError(.badRequest, message: "the body is empty; this call reads a JSON object with \(T.fields.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        // JSON between machines is UTF-8 (RFC 8259); a Latin-1 or GBK body is named as such, not as bad JSON.
        let invalid = Hub.firstInvalidUTF8(data)
        if invalid < data.count {
            throw HTTPError(.badRequest, message: "the body is not UTF-8 (from byte \(invalid) on); send JSON as UTF-8")
        }
        if let problem = JSONValue.syntaxProblem(in: data) {
            throw HTTPError(.badRequest, message: "the body is not valid JSON: \(problem)")
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let unknown = object.keys.sorted().first(where: { !T.fields.contains($0) }) {
                throw HTTPError(.badRequest, message: "the body has a field \"\(unknown)\" this call does not read; it reads \(T.fields.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
        // `{"name": "a", "name": "b"}` is valid JSON whose meaning parsers differ on (the first wins here, the
        // last elsewhere): which one was meant is the sender's to say. A trailing comma is JSON elsewhere not at all.
        switch JSONValue.laxity(in: data) {
        case .repeatedKey(let key, let place)?:
            throw HTTPError(.badRequest, message: "the body gives the field \"\(key)\" twice" + (place == "the top level" ? "" : " in \(place)") + "; give it once")
        case .trailingComma(let line, let column)?:
            throw HTTPError(.badRequest, message: "the body is not valid JSON: a comma before a closing bracket at "
                            + JSONValue.place(line: line, column: column, in: data))
        case nil: break
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw HTTPError(.badRequest, message: "the body is not the JSON expected: \(HubError.describing(error))")
        }
    }
}
