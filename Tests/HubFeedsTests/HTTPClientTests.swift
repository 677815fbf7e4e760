import Foundation
@testable import HubFeeds
import LoopbackServer
import Testing

/// The libcurl client against a real server on 127.0.0.1 that misbehaves on purpose.
@Suite struct HTTPClientTests {
    static let feed = Data("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>\n".utf8)

    func client(attempts: Int = 3, timeout: TimeInterval = 5, maxBytes: Int64 = 1 << 20, gap: TimeInterval = 0,
                contact: String? = nil) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.attempts = attempts
        configuration.backoffBase = 0.05
        configuration.timeout = timeout
        configuration.connectTimeout = 2
        configuration.maxBytes = maxBytes
        configuration.politeness.defaultGap = gap
        configuration.politeness.rules = [:]
        configuration.contact = contact
        return HTTPClient(configuration: configuration)
    }

    @Test func getsABodyWithHeadersAndAUserAgentNamingTheContact() throws {
        let server = try LoopbackServer { _ in .respond(status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"x\"")], body: Self.feed) }
        let response = try client(contact: "radar@example.org").send(HTTPRequest(url: server.baseURL + "/feed"))
        #expect(response.status == 200)
        #expect(response.body == Self.feed)
        #expect(response.headers["etag"] == "\"x\"")
        #expect(response.contentType == "application/rss+xml")
        #expect(response.attempts == 1)
        let request = try #require(server.requests.first)
        #expect(request.headers["user-agent"]?.contains("AcademicHub/") == true)
        #expect(request.headers["user-agent"]?.contains("mailto:radar@example.org") == true)
        var configuration = HTTPClient.Configuration()
        configuration.contact = "https://lab.example.org/me"
        #expect(configuration.userAgent.contains("; +https://lab.example.org/me)") && !configuration.userAgent.contains("mailto:https"))
        configuration.contact = "mailto:radar@example.org"
        #expect(configuration.userAgent.contains("; mailto:radar@example.org)") && !configuration.userAgent.contains("mailto:mailto:"))
        #expect(request.headers["accept-encoding"]?.contains("gzip") == true)
    }

    @Test func decodesAGzipBody() throws {
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c"]
        let input = Pipe(), output = Pipe()
        gzip.standardInput = input
        gzip.standardOutput = output
        try gzip.run()
        input.fileHandleForWriting.write(Self.feed)
        try input.fileHandleForWriting.close()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        let server = try LoopbackServer { _ in
            .respond(status: 200, headers: [("Content-Type", "text/xml"), ("Content-Encoding", "gzip")], body: compressed)
        }
        let response = try client().send(HTTPRequest(url: server.baseURL))
        #expect(response.body == Self.feed)
        #expect(compressed != Self.feed)
    }

    @Test func connectionRefusedIsRetriedThenReported() throws {
        let server = try LoopbackServer { _ in .hangUp }
        let url = server.baseURL + "/feed"
        server.stop()
        #expect {
            try client(attempts: 2).send(HTTPRequest(url: url))
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.kind == .connect && error.attempts == 2 && "\(error)".contains("cannot connect to 127.0.0.1")
        }
    }

    @Test func aStalledServerTimesOut() throws {
        let server = try LoopbackServer { _ in .stall }
        defer { server.stop() }
        let started = Date()
        #expect {
            try client(attempts: 2, timeout: 0.5).send(HTTPRequest(url: server.baseURL))
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.kind == .timeout && error.attempts == 2 && "\(error)".contains("timed out")
        }
        #expect(server.requests.count == 2)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func honoursRetryAfterOn503() throws {
        let count = Shared(0)
        let server = try LoopbackServer { _ in
            count.next() == 1
                ? .respond(status: 503, headers: [("Retry-After", "2")], body: Data("busy".utf8))
                : .respond(status: 200, headers: [("Content-Type", "text/xml")], body: Self.feed)
        }
        let response = try client().send(HTTPRequest(url: server.baseURL))
        #expect(response.status == 200)
        #expect(response.attempts == 2)
        let times = server.requests.map(\.receivedAt)
        #expect(times.count == 2)
        #expect(times[1].timeIntervalSince(times[0]) >= 1.9, "waited as Retry-After asked")
    }

    /// A `Retry-After` of 0, a negative one or a date gone by is no leave to ask again at once: the backoff holds
    /// (a user test saw four requests in 0.09 s).
    @Test func aRetryAfterOfNothingKeepsTheBackoff() throws {
        for value in ["0", "-5", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            let server = try LoopbackServer { _ in .respond(status: 503, headers: [("Retry-After", value)], body: Data()) }
            var configuration = client(attempts: 2).configuration
            configuration.backoffBase = 0.6
            #expect(throws: HTTPError.self) { try HTTPClient(configuration: configuration).send(HTTPRequest(url: server.baseURL)) }
            let times = server.requests.map(\.receivedAt)
            #expect(times.count == 2 && times[1].timeIntervalSince(times[0]) >= 0.29, "\(value): waited the backoff (at least half of 0.6 s)")
        }
        #expect(RetryAfter.seconds("-5") == nil && RetryAfter.seconds("120") == 120 && RetryAfter.seconds(" 7 ") == 7)
    }

    @Test func retries429AndGivesUpWithTheStatus() throws {
        let server = try LoopbackServer { _ in .respond(status: 429, headers: [], body: Data()) }
        #expect {
            try client(attempts: 3).send(HTTPRequest(url: server.baseURL))
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.kind == .status(429) && error.attempts == 3 && "\(error)".contains("429 Too Many Requests")
        }
        #expect(server.requests.count == 3)
    }

    @Test func aClientErrorIsAnAnswerNotARetry() throws {
        let server = try LoopbackServer { _ in .respond(status: 404, headers: [], body: Data("gone".utf8)) }
        let response = try client().send(HTTPRequest(url: server.baseURL))
        #expect(response.status == 404)
        #expect(server.requests.count == 1)
    }

    @Test func aRedirectLoopStops() throws {
        let box = Shared("")
        let server = try LoopbackServer { request in
            .respond(status: 302, headers: [("Location", box.value + (request.path == "/a" ? "/b" : "/a"))], body: Data())
        }
        box.value = server.baseURL
        #expect {
            try client().send(HTTPRequest(url: server.baseURL + "/a"))
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.kind == .tooManyRedirects && "\(error)".contains("redirect loop")
        }
        #expect(server.requests.count == 6, "the first request and 5 redirects, not retried")
    }

    @Test func aRedirectIsFollowed() throws {
        let box = Shared("")
        let server = try LoopbackServer { request in
            request.path == "/old"
                ? .respond(status: 301, headers: [("Location", box.value + "/new")], body: Data())
                : .respond(status: 200, headers: [], body: Self.feed)
        }
        box.value = server.baseURL
        let response = try client().send(HTTPRequest(url: server.baseURL + "/old"))
        #expect(response.status == 200)
        #expect(response.url.hasSuffix("/new"))
    }

    @Test func refusesABodyOverTheCap() throws {
        let big = Data(repeating: 0x41, count: 200_000)
        let server = try LoopbackServer { request in
            request.path == "/declared"
                ? .respond(status: 200, headers: [], body: big)
                : .cut(status: 200, headers: [], body: big, declaredLength: nil)
        }
        for path in ["/declared", "/undeclared"] {
            #expect {
                try client(maxBytes: 100_000).send(HTTPRequest(url: server.baseURL + path))
            } throws: { error in
                (error as? HTTPError)?.kind == .tooLarge && "\(error)".contains("larger than")
            }
        }
    }

    @Test func aBodyCutShortOfItsLengthIsANetworkError() throws {
        let server = try LoopbackServer { _ in
            .cut(status: 200, headers: [("Content-Type", "text/xml")], body: Self.feed.prefix(20), declaredLength: Self.feed.count)
        }
        #expect {
            try client(attempts: 2).send(HTTPRequest(url: server.baseURL))
        } throws: { error in
            (error as? HTTPError)?.kind == .network && (error as? HTTPError)?.attempts == 2
        }
    }

    @Test func thePolitenessGapHoldsAcrossThreads() throws {
        let server = try LoopbackServer { _ in .respond(status: 200, headers: [], body: Self.feed) }
        let shared = client(gap: 0.5)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            _ = try? shared.send(HTTPRequest(url: server.baseURL))
        }
        let times = server.requests.map(\.receivedAt).sorted()
        #expect(times.count == 4)
        for (a, b) in zip(times, times.dropFirst()) {
            #expect(b.timeIntervalSince(a) >= 0.3, "requests to one host are spaced by the gap")
        }
    }

    @Test func cancellationStopsATransferInFlight() throws {
        let server = try LoopbackServer { _ in .stall }
        defer { server.stop() }
        let flag = CancellationFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.set() }
        let started = Date()
        #expect {
            try client(timeout: 120).send(HTTPRequest(url: server.baseURL), cancel: flag)
        } throws: { error in
            (error as? HTTPError)?.kind == .cancelled
        }
        // Stopped long before the 120 s timeout; the margin allows for a loaded machine (the whole suite
        // runs in parallel on two cores: 7 s was seen for a 0.3 s cancel).
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func theGapHoldsAcrossClients() throws {
        let server = try LoopbackServer { _ in .respond(status: 200, headers: [], body: Self.feed) }
        let one = client(gap: 0.5), two = client(gap: 0.5)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            _ = try? (i == 0 ? one : two).send(HTTPRequest(url: server.baseURL))
        }
        let times = server.requests.map(\.receivedAt).sorted()
        #expect(times.count == 2 && times[1].timeIntervalSince(times[0]) >= 0.3)
    }

    /// TLS is verified: a self-signed server is refused, and accepted once its certificate is the CA bundle.
    @Test func verifiesTLSAndTakesACABundle() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
        try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                                     "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        let probe = try LoopbackServer { _ in .hangUp }
        let port = probe.port
        probe.stop()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)  // s_server ignores SIGTERM
            server.waitUntilExit()
        }
        let url = "https://127.0.0.1:\(port)/"
        var verified = HTTPClient.Configuration()
        verified.attempts = 1
        verified.timeout = 5
        verified.politeness.defaultGap = 0
        verified.caBundle = cert
        var response: HTTPResponse?
        for _ in 0..<50 where response == nil {  // until s_server listens
            response = try? HTTPClient(configuration: verified).send(HTTPRequest(url: url))
            if response == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(response?.status == 200, "the bundle's certificate is trusted")
        #expect {
            try client(attempts: 1).send(HTTPRequest(url: url))
        } throws: { error in
            (error as? HTTPError)?.kind == .tls && "\(error)".contains("TLS failed")
        }
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(executable) \(arguments.joined(separator: " "))")
    }

    @Test func politenessRulesMatchSubdomains() {
        let gaps = PolitenessGaps()
        #expect(gaps.gap(for: "export.arxiv.org") == 3)
        #expect(gaps.gap(for: "rss.arxiv.org") == 3)
        #expect(gaps.gap(for: "api.biorxiv.org") == 1)
        #expect(gaps.gap(for: "notarxiv.org") == 1)
        // An IP address has no parent domains: a rule for 0.0.1 is not one for 127.0.0.1 (it had slowed it).
        var ip = PolitenessGaps()
        ip.rules = ["0.0.1": 4, "127.0.0.1": 0.5]
        #expect(ip.gap(for: "10.0.0.1") == 1 && ip.gap(for: "127.0.0.1") == 0.5 && ip.gap(for: "::1") == 1)
    }

    @Test func notAnHTTPURL() {
        #expect {
            try client().send(HTTPRequest(url: "file:///etc/passwd"))
        } throws: { error in
            (error as? HTTPError)?.kind == .invalidURL
        }
    }
}
