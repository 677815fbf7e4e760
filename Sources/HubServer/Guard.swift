import Foundation
import Hummingbird
import NIOCore

/// How a server guards itself: who may write, how fast a client may ask, which other origins may call it.
public struct ServerOptions: Sendable {
    /// When set, every write (POST, PATCH, DELETE) needs `Authorization: Bearer <token>`. `ahub serve` refuses to listen
    /// beyond this machine without one.
    public var writeToken: String?
    /// Requests per second each client address may make (bursts of twice that); loopback clients, the
    /// machine's owner, are not limited. Nil: no limit.
    public var rateLimit: Double?
    /// Origins allowed to call the API from a browser (CORS). Empty: none, and no CORS headers at all.
    public var corsOrigins: [String] = []
    /// Briefings written at once; more are answered 429.
    public var briefingSlots = 2
    /// The host names requests may be addressed to (the `Host` header, port aside); nil: any. A server on
    /// loopback takes only loopback names, so a site whose name was made to point at 127.0.0.1 (DNS
    /// rebinding) cannot reach it from a browser.
    public var allowedHosts: Set<String>?
    /// Seconds a connection may stay silent while a request is being read, or between requests; then it is
    /// closed (a half-sent request held its socket for good). A request being answered is not cut.
    public var idleTimeout = 30

    public static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1"]

    public init(writeToken: String? = nil, rateLimit: Double? = nil, corsOrigins: [String] = [], briefingSlots: Int = 2,
                allowedHosts: Set<String>? = nil) {
        self.writeToken = writeToken
        self.rateLimit = rateLimit
        self.corsOrigins = corsOrigins
        self.briefingSlots = briefingSlots
        self.allowedHosts = allowedHosts
    }
}

/// The request context: Hummingbird's core storage plus the client's address (for the rate limit).
public struct HubContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Answers encoded with their keys sorted: the same data is the same bytes (answers diff and cache).
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    /// The client's address as text; "unknown" when the transport has none (the router test client).
    var client: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Whether the request may change what the library holds: no token is set, or it carries the token. A
    /// feed read without it (a guest of a server that has a token) does not mark its papers as shown.
    var mayWrite = true

    var isLoopback: Bool {
        guard let address = remoteAddress?.ipAddress else { return false }
        return address.hasPrefix("127.") || address == "::1" || address == "::ffff:127.0.0.1"
    }
}

/// Refuses requests addressed to a host name the server does not answer to (421), writes from another
/// site's page (403: browsers send `Origin` with every cross-site POST, so a page elsewhere cannot like,
/// hide or fetch on the user's behalf), writes without the bearer token (401) and clients over their rate
/// (429, with Retry-After).
struct GuardMiddleware: RouterMiddleware {
    typealias Context = HubContext
    let options: ServerOptions
    let buckets: TokenBuckets?

    init(options: ServerOptions) {
        self.options = options
        buckets = options.rateLimit.map { TokenBuckets(rate: $0) }
    }

    func handle(_ request: Request, context: HubContext, next: (Request, HubContext) async throws -> Response) async throws -> Response {
        if let buckets, !context.isLoopback, let wait = buckets.take(context.client) {
            let seconds = Int(wait.rounded(.up))
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(seconds)],
                            message: "too many requests from \(context.client); retry in \(seconds) s")
        }
        // (A target in absolute form has become the Host header before this: `VersionRules`.)
        let host = request.head.authority.map(Self.hostName)
        if let allowed = options.allowedHosts, let host, !allowed.contains(host) {
            throw HTTPError(.misdirectedRequest, message: "this server answers to \(allowed.sorted().joined(separator: ", ")), not \(host)")
        }
        // A write is anything but reading: POST, PATCH, DELETE.
        let writes = ![.get, .head, .options].contains(request.method)
        if writes, let origin = request.headers[.origin], !allowed(origin: origin, request) {
            throw HTTPError(.forbidden, message: "writes from another site's page are refused (Origin \(origin)); serve.cors-origins lists the sites allowed")
        }
        var context = context
        // A read asked by another site's page (`<img src=".../api/radars/R/feed">` on any page the user opens)
        // is answered but changes nothing: its feed is not marked as shown. Browsers say where a request
        // comes from in Sec-Fetch-Site (to 127.0.0.1 and https) or, for scripts, in Origin.
        if !writes {
            let fromAllowedPage = request.headers[.origin].map { allowed(origin: $0, request) }
            let site = request.headers.first { $0.name.canonicalName == "sec-fetch-site" }?.value
            if fromAllowedPage == false || (fromAllowedPage == nil && site.map { !["same-origin", "none"].contains($0) } == true) {
                context.mayWrite = false
            }
        }
        if let token = options.writeToken {
            let given = request.headers[.authorization].flatMap { value -> String? in
                let parts = value.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
                return String(parts[1]).trimmingCharacters(in: .whitespaces)
            }
            // (A read another site's page asked stays one that changes nothing, token or not.)
            let right = given.map { Self.same($0, token) } ?? false
            context.mayWrite = context.mayWrite && right
            guard context.mayWrite || !writes else {
                // A token that is there but wrong (mistyped in the page's form) is said as such, not asked for again.
                throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                                message: given == nil || right ? "writes need the server's token: Authorization: Bearer …"
                                    : "the token given is not this server's; writes need the one `ahub serve` was given")
            }
        }
        return try await next(request, context)
    }

    /// Whether a page of `origin` may act here: this server's own, or one serve.cors-origins lists.
    func allowed(origin: String, _ request: Request) -> Bool {
        let originHost = URLComponents(string: origin).flatMap { components in
            components.host.map { ($0.hasPrefix("[") ? String($0.dropFirst().dropLast()) : $0) + (components.port.map { ":\($0)" } ?? "") }
        }
        return (originHost != nil && originHost == request.head.authority.map(Self.hostAndPort)) || options.corsOrigins.contains(origin)
    }

    /// A Host header's name, without its port or brackets, lower-cased: `[::1]:8080` → `::1`.
    static func hostName(_ header: String) -> String {
        let value = header.lowercased()
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") { return String(value[value.index(after: value.startIndex)..<close]) }
        return String(value.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// A Host header as `name:port` (name as `hostName` gives it), to compare with an Origin's.
    static func hostAndPort(_ header: String) -> String {
        let value = header.lowercased()
        let name = hostName(value)
        let rest = value.hasPrefix("[") ? value[(value.firstIndex(of: "]").map { value.index(after: $0) } ?? value.endIndex)...] : value.drop { $0 != ":" }
        return name + (rest.hasPrefix(":") ? String(rest) : "")
    }

    /// Compares without stopping at the first difference, so timing tells nothing about the token.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = x.count ^ y.count
        for i in 0..<min(x.count, y.count) { difference |= Int(x[i] ^ y[i]) }
        return difference == 0
    }
}

/// One token bucket per client: `rate` tokens a second, holding at most twice that.
final class TokenBuckets: @unchecked Sendable {
    private let rate: Double
    private let capacity: Double
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, at: Double)] = [:]

    init(rate: Double) {
        self.rate = max(rate, 0.001)
        capacity = max(2 * rate, 1)
    }

    /// Takes a token for `client`: nil when there was one, else the seconds until there will be.
    func take(_ client: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Double? {
        lock.withLock {
            // Past 10,000 clients, forget those whose bucket has filled up again (they are as if new).
            if buckets.count > 10_000 { buckets = buckets.filter { tokens(in: $0.value, at: now) < capacity } }
            var bucket: (tokens: Double, at: Double) = (buckets[client].map { tokens(in: $0, at: now) } ?? capacity, now)
            defer { buckets[client] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Clients remembered (for tests).
    var count: Int { lock.withLock { buckets.count } }

    private func tokens(in bucket: (tokens: Double, at: Double), at now: Double) -> Double {
        min(capacity, bucket.tokens + (now - bucket.at) * rate)
    }
}

/// Counts work of one kind in flight, refusing more than `limit` at once.
final class Slots: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var used = 0

    init(_ limit: Int) { self.limit = max(1, limit) }

    /// Runs `body` in a slot, or throws 429 when all are taken.
    func run<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        let got = lock.withLock { () -> Bool in
            guard used < limit else { return false }
            used += 1
            return true
        }
        guard got else {
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: "5"], message: "\(limit) \(what) are under way; retry shortly")
        }
        defer { lock.withLock { used -= 1 } }
        return try await body()
    }
}

/// CORS for the configured origins only: a request from one of them gets `Access-Control-Allow-Origin`
/// naming it (errors too), and its preflight an answer; any other origin gets no CORS header at all.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = HubContext
    let origins: Set<String>

    func handle(_ request: Request, context: HubContext, next: (Request, HubContext) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let preflight = request.method == .options && request.headers[.accessControlRequestMethod] != nil
        guard origins.contains(origin) else {
            // A browser's preflight from a page not allowed: said so, not as a method the route does not take (405).
            if preflight {
                throw HTTPError(.forbidden, message: "pages of \(origin) may not call this server: serve.cors-origins lists the sites allowed "
                    + "(`ahub config set serve.cors-origins \(origin)`, read when `ahub serve` starts)")
            }
            return try await next(request, context)
        }
        var headers: HTTPFields = [.accessControlAllowOrigin: origin, .vary: "Origin"]
        if preflight {
            // The methods this route takes (all of the API's where the path is no route).
            let methods = NoRouteMiddleware<HubContext>.methods(request.uri.path).map { $0.flatMap { $0 == "GET" ? ["GET", "HEAD"] : [$0] } }
            headers[.accessControlAllowMethods] = ((methods ?? ["GET", "HEAD", "POST", "PATCH", "DELETE"]) + ["OPTIONS"]).joined(separator: ", ")
            headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
            headers[.accessControlMaxAge] = "600"
            return Response(status: .noContent, headers: headers)
        }
        // A page of that origin may read when to try again after a 429 or 503 (browsers hide other headers).
        headers[.accessControlExposeHeaders] = "Retry-After"
        do {
            var response = try await next(request, context)
            response.headers.append(contentsOf: headers)
            return response
        } catch var error as HTTPError {
            error.headers.append(contentsOf: headers)
            throw error
        }
    }
}
