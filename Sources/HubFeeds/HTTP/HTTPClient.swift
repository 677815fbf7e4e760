import CCurl
import Foundation

/// One HTTP request as HubFeeds makes them.
public struct HTTPRequest: Sendable {
    public var url: String
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(url: String, method: String = "GET", headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// The host the politeness gap applies to, lower-cased.
    public var host: String { URLComponents(string: url)?.host?.lowercased() ?? "" }

    /// Host and port: where requests take turns.
    var authority: String {
        let components = URLComponents(string: url)
        return (components?.host?.lowercased() ?? "") + (components?.port.map { ":\($0)" } ?? "")
    }
}

/// A response received in full. Header names are lower-cased; a repeated header keeps its last value.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// Where the last redirect led.
    public var url: String
    /// 11 for HTTP/1.1, 20 for HTTP/2.
    public var httpVersion: Int
    /// Requests it took, retries and all.
    public var attempts: Int
    /// Bytes received over all attempts.
    public var bytesReceived: Int

    public var contentType: String? { headers["content-type"] }
}

/// What went wrong with a request, in words a user can act on.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidURL
        case connect
        case timeout
        case network
        case tooManyRedirects
        case tooLarge
        case tls
        case cancelled
        /// A header (or the User-Agent's contact) holding a line break or another control character, which
        /// would end the header there and start another: never sent.
        case invalidHeader
        /// A status the retries did not get past (429, 5xx).
        case status(Int)
    }

    public var kind: Kind
    public var url: String
    public var message: String
    public var attempts: Int
    /// How long the server last asked to be left alone (`Retry-After`), when it did.
    public var retryAfter: TimeInterval?
    /// The last answer's body, for a status the retries did not get past (an API's own error message).
    public var body: Data?

    public init(kind: Kind, url: String, message: String, attempts: Int, retryAfter: TimeInterval? = nil) {
        self.kind = kind
        self.url = url
        self.message = message
        self.attempts = attempts
        self.retryAfter = retryAfter
    }

    public var description: String {
        attempts > 1 ? "\(message) (after \(attempts) attempts)" : message
    }

    var retryable: Bool {
        switch kind {
        case .connect, .timeout, .network: return true
        case .status(let code): return HTTPClient.retryableStatuses.contains(code)
        default: return false
        }
    }
}

/// Our thin layer over libcurl: timeouts, bounded redirects, compression, HTTP/2, a User-Agent with a contact
/// address, retries with exponential backoff and jitter that honour `Retry-After`, a politeness gap per host
/// shared by every request of the process, a size cap, and cancellation.
///
/// Requests block the calling thread (libcurl's easy interface); call them off Swift's cooperative pool.
/// Transfer handles are pooled, so connections stay alive between requests to the same host.
public final class HTTPClient: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Who to contact about this client's traffic (an email address or URL); goes into the User-Agent.
        public var contact: String?
        public var connectTimeout: TimeInterval = 10
        /// The whole transfer, redirects included.
        public var timeout: TimeInterval = 60
        public var maxRedirects = 5
        /// Larger bodies are refused.
        public var maxBytes: Int64 = 64 << 20
        /// A PEM file of CA certificates instead of the system's.
        public var caBundle: String?
        /// Attempts per request, the first included.
        public var attempts = 4
        /// First retry waits about this long; each next one twice as long, up to `backoffCap`.
        public var backoffBase: TimeInterval = 2
        public var backoffCap: TimeInterval = 120
        /// A `Retry-After` longer than this fails the request instead of sleeping.
        public var retryAfterCap: TimeInterval = 600
        /// When set, the whole of `send` (every attempt and every wait) ends within it: each attempt gets
        /// what is left, and no retry starts that could not finish.
        public var deadline: TimeInterval?
        public var politeness = PolitenessGaps()

        public init() {}

        public var userAgent: String {
            // An address is a mailto:; a web page is given as it is, with the + of a product's own page (a contact
            // of `https://…` had read `mailto:https://…`).
            let contactPart = contact.map { contact -> String in
                let lower = contact.lowercased()
                if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return "; +\(contact)" }
                return lower.hasPrefix("mailto:") ? "; \(contact)" : "; mailto:\(contact)"
            } ?? ""
            return "AcademicHub/\(HTTPClient.productVersion) (+https://github.com/academichub/academichub\(contactPart)) libcurl"
        }
    }

    public static let productVersion = "0.1.0"

    /// Text a header can carry as one line: no control characters but tab (a line break would end the
    /// header there and start another).
    public static func isHeaderText(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }
    }
    static let retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]

    public let configuration: Configuration
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []
    /// Told of each retry and why: for `--verbose` and tests.
    private let log: (@Sendable (String) -> Void)?

    private static let initialized: Bool = { ahub_http_global_init() == 0 }()

    public init(configuration: Configuration = Configuration(), log: (@Sendable (String) -> Void)? = nil) {
        _ = Self.initialized
        self.configuration = configuration
        self.log = log
    }

    deinit {
        for session in idle { ahub_http_session_free(session) }
    }

    /// libcurl's own version line: which TLS library, compressions and HTTP/2 support it has.
    public static var libcurlVersion: String { String(cString: ahub_http_version()) }

    /// Sends `request`, retrying what is worth retrying, and returns the final response, whatever its status
    /// (a 404 or a 400 is an answer the caller reads). Throws when no usable response came.
    ///
    /// `onData` sees the body as it arrives (server-sent events), every attempt's; `onAttempt` is told
    /// each attempt's number before it starts, so that what `onData` gathered can be dropped. The
    /// response still carries the whole body.
    public func send(_ request: HTTPRequest, cancel: CancellationFlag? = nil,
                     onData: (@Sendable (Data) -> Void)? = nil, onAttempt: ((Int) -> Void)? = nil) throws(HTTPError) -> HTTPResponse {
        var attempt = 0
        var bytes = 0
        let deadline = configuration.deadline.map { Date().addingTimeInterval($0) }
        func timeLeft() -> TimeInterval { deadline.map { $0.timeIntervalSinceNow } ?? .infinity }
        while true {
            attempt += 1
            if cancel?.isSet == true { throw HTTPError(kind: .cancelled, url: request.url, message: "stopped", attempts: attempt - 1) }
            PolitenessGate.shared.wait(
                host: request.authority, gap: configuration.politeness.gap(for: request.host), cancel: cancel)
            onAttempt?(attempt)
            let outcome = perform(request, timeout: min(configuration.timeout, timeLeft()), cancel: cancel, onData: onData)
            var failure: HTTPError
            var retryAfter: TimeInterval?
            switch outcome {
            case .success(var response):
                bytes += response.body.count
                response.attempts = attempt
                response.bytesReceived = bytes
                guard Self.retryableStatuses.contains(response.status) else { return response }
                retryAfter = response.headers["retry-after"].flatMap { RetryAfter.seconds($0) }
                failure = HTTPError(
                    kind: .status(response.status), url: request.url,
                    message: "\(request.url): HTTP \(response.status) \(HTTPStatus.reason(response.status))"
                        + (retryAfter.map { ", Retry-After \(Int($0.rounded())) s" } ?? ""),
                    attempts: attempt, retryAfter: retryAfter)
                failure.body = response.body
            case .failure(var error):
                error.attempts = attempt
                failure = error
            }
            guard failure.retryable, attempt < configuration.attempts else { throw failure }
            let delay: TimeInterval
            if let retryAfter {
                guard retryAfter <= configuration.retryAfterCap else {
                    failure.message += "; the server asks to wait longer than \(Int(configuration.retryAfterCap)) s, try later"
                    throw failure
                }
                // Never sooner than the backoff: a `Retry-After: 0` (or a date gone by) is no leave to ask again at once.
                delay = max(retryAfter, backoff(attempt: attempt))
            } else {
                delay = backoff(attempt: attempt)
            }
            guard delay + 1 < timeLeft() else { throw failure }
            log?("\(failure.message); retrying in \(String(format: "%.1f", delay)) s")
            let waitStarted = Date()
            if !CancellationFlag.sleep(delay, unless: cancel) {
                // Stopped while waiting as the server asked: what is left of its wait goes with the error, so that
                // the source is not asked again at once.
                throw HTTPError(kind: .cancelled, url: request.url, message: "stopped", attempts: attempt,
                                retryAfter: retryAfter.map { _ in max(0, delay - Date().timeIntervalSince(waitStarted)) })
            }
        }
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half random, so clients that failed
    /// together do not come back together.
    public func backoff(attempt: Int) -> TimeInterval {
        let step = min(configuration.backoffCap, configuration.backoffBase * pow(2, Double(attempt - 1)))
        return step / 2 + Double.random(in: 0...(step / 2))
    }

    /// Collects a streamed body and shows each piece to an observer.
    private final class BodySink {
        var body = Data()
        let observer: @Sendable (Data) -> Void
        init(_ observer: @escaping @Sendable (Data) -> Void) { self.observer = observer }
    }

    private func perform(_ request: HTTPRequest, timeout: TimeInterval, cancel: CancellationFlag?,
                         onData: (@Sendable (Data) -> Void)? = nil) -> Result<HTTPResponse, HTTPError> {
        let sink = onData.map(BodySink.init)
        guard let components = URLComponents(string: request.url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else {
            return .failure(HTTPError(kind: .invalidURL, url: request.url, message: "not an http(s) URL: \(request.url)", attempts: 1))
        }
        let userAgent = configuration.userAgent
        for (name, value) in [("User-Agent", userAgent)] + request.headers.map({ ($0.name, $0.value) })
        where !Self.isHeaderText(name + value) {
            return .failure(HTTPError(kind: .invalidHeader, url: request.url,
                                      message: "the \(name) header holds a line break or another control character; not sent", attempts: 1))
        }
        let session = checkOut()
        defer { checkIn(session) }
        var result = ahub_http_result()
        defer { ahub_http_result_free(&result) }
        let headerLines = request.headers.map { "\($0.name): \($0.value)" }
        withCStrings(headerLines) { headerPointers in
            request.url.withCString { url in
                userAgent.withCString { agent in
                    withOptionalCString(configuration.caBundle) { ca in
                        withOptionalCString(request.method == "GET" ? nil : request.method) { method in
                            (request.body ?? Data()).withUnsafeBytes { body in
                                headerPointers.withUnsafeBufferPointer { headers in
                                    var options = ahub_http_options()
                                    options.url = url
                                    options.method = method
                                    options.headers = headers.baseAddress
                                    options.header_count = Int32(headers.count)
                                    if request.body != nil {
                                        options.body = body.baseAddress?.assumingMemoryBound(to: CChar.self)
                                        options.body_length = body.count
                                    }
                                    options.user_agent = agent
                                    options.ca_bundle = ca
                                    options.connect_timeout_ms = Int(configuration.connectTimeout * 1000)
                                    options.timeout_ms = max(1, Int(timeout * 1000))
                                    options.max_redirects = configuration.maxRedirects
                                    options.max_bytes = configuration.maxBytes
                                    options.cancel = cancel.map { UnsafePointer($0.pointer) }
                                    if let sink {
                                        options.context = Unmanaged.passUnretained(sink).toOpaque()
                                        options.on_data = { context, bytes, length in
                                            let sink = Unmanaged<BodySink>.fromOpaque(context!).takeUnretainedValue()
                                            let piece = Data(bytes: bytes!, count: length)
                                            sink.body.append(piece)
                                            sink.observer(piece)
                                            return 0
                                        }
                                    }
                                    ahub_http_perform(session, &options, &result)
                                }
                            }
                        }
                    }
                }
            }
        }
        if Int(result.curl_code) != AHUB_CURLE_OK {
            return .failure(error(for: result, url: request.url))
        }
        let body = sink?.body ?? result.body.map { Data(bytes: $0, count: result.body_length) } ?? Data()
        let headerText = result.headers.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: result.headers_length), as: UTF8.self) } ?? ""
        return .success(HTTPResponse(
            status: result.status, headers: Self.parseHeaders(headerText), body: body,
            url: result.effective_url.map { String(cString: $0) } ?? request.url,
            httpVersion: result.http_version, attempts: 1, bytesReceived: body.count))
    }

    private func error(for result: ahub_http_result, url: String) -> HTTPError {
        let detail = withUnsafeBytes(of: result.error) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let code = Int(result.curl_code)
        let host = URLComponents(string: url)?.host ?? url
        func make(_ kind: HTTPError.Kind, _ message: String) -> HTTPError {
            HTTPError(kind: kind, url: url, message: message, attempts: 1)
        }
        if result.cancelled != 0 { return make(.cancelled, "stopped") }
        if result.exceeded != 0 || code == AHUB_CURLE_FILESIZE_EXCEEDED {
            return make(.tooLarge, "\(url): the response is larger than the \(FeedText.byteSize(Int(configuration.maxBytes))) limit (set http.max-bytes to allow more)")
        }
        switch code {
        case AHUB_CURLE_UNSUPPORTED_PROTOCOL, AHUB_CURLE_URL_MALFORMAT:
            return make(.invalidURL, "\(url): \(detail)")
        case AHUB_CURLE_COULDNT_RESOLVE_HOST, AHUB_CURLE_COULDNT_RESOLVE_PROXY:
            return make(.connect, "cannot resolve \(host): \(detail)")
        case AHUB_CURLE_COULDNT_CONNECT:
            return make(.connect, "cannot connect to \(host): \(detail)")
        case AHUB_CURLE_OPERATION_TIMEDOUT:
            return make(.timeout, "\(url): timed out (\(detail))")
        case AHUB_CURLE_TOO_MANY_REDIRECTS:
            return make(.tooManyRedirects, "\(url): more than \(configuration.maxRedirects) redirect\(configuration.maxRedirects == 1 ? "" : "s") (a redirect loop?)")
        case AHUB_CURLE_PEER_FAILED_VERIFICATION, AHUB_CURLE_SSL_CACERT_BADFILE,
            AHUB_CURLE_SSL_CONNECT_ERROR:
            return make(.tls, "\(url): TLS failed: \(detail) (pass a CA bundle with http.ca-bundle if your network re-signs TLS)")
        case AHUB_CURLE_OUT_OF_MEMORY, AHUB_CURLE_TOO_LARGE:
            // What libcurl says of response headers past its limit (100 KB): "out of memory" before 8.6,
            // "too large" since, memory being plenty.
            return make(.tooLarge, "\(url): the response's headers are too large to read (libcurl: \(detail))")
        case AHUB_CURLE_PARTIAL_FILE:
            return make(.network, "\(url): the connection closed before the whole response arrived (\(detail))")
        default:
            return make(.network, "\(url): \(detail)")
        }
    }

    static func parseHeaders(_ block: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in block.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    private func checkOut() -> OpaquePointer? {
        lock.lock()
        let session = idle.popLast()
        lock.unlock()
        return session ?? ahub_http_session_new()
    }

    private func checkIn(_ session: OpaquePointer?) {
        guard let session else { return }
        lock.lock()
        idle.append(session)
        lock.unlock()
    }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}

/// Lends C strings for an array of Swift strings, for as long as `body` runs.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}

public enum HTTPStatus {
    public static func reason(_ status: Int) -> String {
        switch status {
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 408: return "Request Timeout"
        case 410: return "Gone"
        case 425: return "Too Early"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return ""
        }
    }
}

/// `Retry-After` as seconds to wait: either delta-seconds or an HTTP date.
enum RetryAfter {
    static func seconds(_ value: String, now: Date = Date()) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        // delay-seconds is digits alone (RFC 9110 §10.2.3): "-5" is no value, and is left unheeded.
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) {
            return Int(trimmed).map(TimeInterval.init) ?? .greatestFiniteMagnitude
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
