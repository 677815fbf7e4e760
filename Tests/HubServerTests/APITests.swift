import AcademicHub
import Foundation
import enum HubFeeds.JSONValue
import Hummingbird
import HummingbirdTesting
import Testing
@testable import HubServer

/// Every route through Hummingbird's testing client, on a library of the seed papers (46 real papers).
@Suite(.serialized) struct APITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-api-\(UUID().uuidString)")

    func hub() throws -> Hub {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let hub = try Hub(libraryPath: directory.appendingPathComponent("library.sqlite").path)
        _ = try hub.importFiles([Self.fixtures.appendingPathComponent("seed-papers.jsonl").path])
        return hub
    }

    func json(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }

    /// An error answer's message.
    func message(_ response: TestResponse) throws -> String? {
        (try json(response.body)["error"] as? [String: Any])?["message"] as? String
    }

    func body(_ object: Any) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
    }

    /// A route asked with a method it does not take answers 405 with the methods it does (`Allow`), not
    /// "no route"; the table that says so lists what the OpenAPI document lists.
    @Test func aWrongMethodIsRefusedWithTheMethodsThatWork() async throws {
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/HubServer/Web/openapi.json")
        let paths = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: document)) as? [String: Any])?["paths"] as? [String: Any])
        let documented = paths.mapValues { value in
            Set(((value as? [String: Any]) ?? [:]).keys.map { $0.uppercased() }).intersection(["GET", "POST", "PUT", "PATCH", "DELETE"])
        }
        let pageFiles = NoRouteMiddleware<HubContext>.pageFiles
        #expect(Set(pageFiles) == Set(try WebAssets.bundled().files.keys).subtracting(["index.html", "openapi.json"]))
        let table = NoRouteMiddleware<HubContext>.routes.filter { !$0.pattern.isEmpty && !pageFiles.contains($0.pattern[0]) }
        // The same paths, parameters named alike (`/metrics` counts a 405 under the table's path).
        #expect(Set(table.map { "/" + $0.pattern.joined(separator: "/") }) == Set(documented.keys))
        for route in table {
            let path = "/" + route.pattern.joined(separator: "/")
            #expect(documented[path] == Set(route.methods), "\(path): \(route.methods) against \(documented[path] ?? [])")
        }

        let app = Application(router: try HubServer.router(hub: try hub()))
        defer { try? FileManager.default.removeItem(at: directory) }
        try await app.test(.router) { client in
            for route in NoRouteMiddleware<HubContext>.routes {
                let uri = "/" + route.pattern.map { $0.hasPrefix("{") ? "nothing" : $0 }.joined(separator: "/")
                for method: HTTPRequest.Method in [.get, .post, .put, .patch, .delete] where !route.methods.contains(method.rawValue) {
                    try await client.execute(uri: uri, method: method) { response in
                        #expect(response.status == .methodNotAllowed, "\(method) \(uri): \(response.status)")
                        let allow = route.methods.flatMap { $0 == "GET" ? ["GET", "HEAD"] : [$0] }.joined(separator: ", ")
                        #expect(response.headers[.allow] == allow)
                        // Said as one would: "GET or HEAD", "GET, HEAD, PATCH or DELETE".
                        let said = try message(response) ?? ""
                        let methods = allow.components(separatedBy: ", ")
                        #expect(said.hasPrefix("\(uri) takes ") && said.hasSuffix(", not \(method)") && !said.contains(", not \(method), ")
                                && said.contains(methods.count == 1 ? " \(methods[0])," : " or \(methods.last!), not"), "\(said)")
                    }
                }
            }
            // A path that is no route is still 404.
            try await client.execute(uri: "/api/nothing", method: .post) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/radars/x/nothing", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func readRoutes() async throws {
        let app = Application(router: try HubServer.router(hub: try hub()))
        defer { try? FileManager.default.removeItem(at: directory) }
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/stats", method: .get) { response in
                #expect(response.status == .ok)
                let stats = try json(response.body)
                #expect(stats["papers"] as? Int == 46)
            }
            let key = try await client.execute(uri: "/api/search?q=language%20models&mode=keyword&limit=3", method: .get) { response in
                #expect(response.status == .ok)
                let object = try json(response.body)
                let results = try #require(object["results"] as? [[String: Any]])
                #expect(results.count == 3, "\(object)")
                #expect(object["handle"] is String && object["mode"] as? String == "keyword" && object["notices"] == nil)
                return try #require(results.first?["key"] as? String)
            }
            // What a list cannot show is said in `notices`: by meaning, the papers without a vector (none is
            // embedded here), as the CLI says on stderr.
            try await client.execute(uri: "/api/search?q=language%20models&mode=semantic", method: .get) { response in
                let notices = try json(response.body)["notices"] as? [[String: Any]]
                #expect(notices?.count == 1 && notices?.first?["kind"] as? String == "unembedded" && notices?.first?["count"] as? Int == 46
                        && (notices?.first?["message"] as? String)?.hasPrefix("46 papers have no vector yet, so meaning cannot find them") == true, "\(notices ?? [])")
            }
            try await client.execute(uri: "/api/search?q=language&source=nature", method: .get) { response in
                #expect(response.status == .ok)
                let object = try json(response.body)
                #expect((object["results"] as? [[String: Any]])?.isEmpty == true)
            }
            try await client.execute(uri: "/api/papers/\(key)", method: .get) { response in
                #expect(response.status == .ok)
                let paper = try #require(try json(response.body)["paper"] as? [String: Any])
                #expect(paper["key"] as? String == key)
                #expect(try json(response.body)["notice"] == nil)
            }
            // A version other than the one kept is said, as the CLI says it (for a paper under an arXiv id: some
            // records of the digest fixture carry none).
            let arxiv = try await client.execute(uri: "/api/search?q=language%20models&mode=keyword&limit=50", method: .get) { response in
                let keys = (try json(response.body)["results"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
                return try #require(keys.first { $0.hasPrefix("arxiv:") && $0.dropFirst(6).allSatisfy { $0.isNumber || $0 == "." } })
            }
            try await client.execute(uri: "/api/papers/\(arxiv.dropFirst(6))v99", method: .get) { response in
                #expect(response.status == .ok)
                let notice = try json(response.body)["notice"] as? String
                #expect(notice?.hasPrefix("version v99 is not in the library; showing") == true, "\(String(describing: notice))")
            }
            // Keys as a browser's encodeURIComponent sends them.
            let encoded = try #require(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            #expect(encoded != key)
            try await client.execute(uri: "/api/papers/\(encoded)", method: .get) { response in
                #expect(response.status == .ok)
                let paper = try json(response.body)["paper"] as? [String: Any]
                #expect(paper?["key"] as? String == key)
            }
            try await client.execute(uri: "/api/papers/\(key)/similar?limit=4", method: .get) { response in
                #expect(response.status == .ok)
                let results = try #require(try json(response.body)["results"] as? [[String: Any]])
                #expect(results.count == 4 && !results.contains { $0["key"] as? String == key })
            }
        }
    }

    @Test func radarsFeedbackAndBriefings() async throws {
        let library = try hub()
        let app = Application(router: try HubServer.router(hub: library))
        defer { try? FileManager.default.removeItem(at: directory) }
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/radars", method: .post,
                                     body: try body(["name": "speech lab", "description": "speech synthesis and recognition"])) { response in
                #expect(response.status == .ok)
                let created = try json(response.body)
                #expect(created["warnings"] == nil)
            }
            // HEAD changes nothing: the papers it would list are not marked as shown.
            try await client.execute(uri: "/api/radars/speech%20lab/feed?any-date=true&limit=5", method: .head) { #expect($0.status == .ok) }
            let radarID = try #require(try library.store.radar(named: "speech lab")).id
            #expect(try library.store.shown(radarID: radarID, before: "9999-12-31").isEmpty)
            // Nor does a read another site's page asks for (an <img> there: Sec-Fetch-Site; a script: Origin).
            let feedURI = "/api/radars/speech%20lab/feed?any-date=true&limit=5"
            let site = try #require(HTTPFields.Element.Name("Sec-Fetch-Site"))
            for headers: HTTPFields in [[site: "cross-site"], [site: "same-site"],
                                        [.origin: "https://elsewhere.example"]] {
                try await client.execute(uri: feedURI, method: .get, headers: headers) { #expect($0.status == .ok) }
                #expect(try library.store.shown(radarID: radarID, before: "9999-12-31").isEmpty, "\(headers)")
            }
            // The page's own read marks them.
            try await client.execute(uri: feedURI, method: .get, headers: [site: "same-origin"]) { #expect($0.status == .ok) }
            #expect(try library.store.shown(radarID: radarID, before: "9999-12-31").count == 5)
            // A category no paper has (a typo, often) is said in the answer, as the CLI warns; one named twice is one.
            try await client.execute(uri: "/api/radars", method: .post,
                                     body: try body(["name": "typo", "description": "speech", "categories": ["cs.LGG", "CS.LGG"]])) { response in
                #expect(response.status == .ok)
                let created = try json(response.body)
                #expect(created["categories"] as? [String] == ["cs.LGG"])
                #expect((created["warnings"] as? [String])?.first?.contains("category cs.LGG") == true)
            }
            try await client.execute(uri: "/api/radars/typo", method: .get) { #expect($0.status == .ok) }
            // Search's syntax in the description is read as words, and said in the answer.
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["name": "minus", "description": "speech -survey"])) { response in
                let warnings = try json(response.body)["warnings"] as? [String]
                #expect(response.status == .ok && warnings?.count == 1 && warnings?.first?.hasPrefix("the description's -survey is read as the word survey") == true,
                        "\(warnings ?? [])")
            }
            // A name that is taken, in any case, is a conflict with the radar there.
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["name": "TYPO", "description": "x"])) { response in
                #expect(response.status == .conflict)
                let message = (try json(response.body)["error"] as? [String: Any])?["message"] as? String
                #expect(message == "a radar named typo exists already")
            }
            try library.deleteRadar("typo")
            try library.deleteRadar("minus")
            try await client.execute(uri: "/api/radars", method: .get) { response in
                let radars = try #require(try json(response.body)["radars"] as? [[String: Any]])
                #expect(radars.map { $0["name"] as? String } == ["speech lab"])
            }
            let feed = try await client.execute(uri: "/api/radars/speech%20lab/feed?any-date=true&limit=5", method: .get) { response in
                #expect(response.status == .ok)
                return try json(response.body)
            }
            let items = try #require(feed["items"] as? [[String: Any]])
            #expect(items.count == 5 && feed["handle"] is String)
            let first = try #require(items.first?["key"] as? String)
            try await client.execute(uri: "/api/radars/speech%20lab/feedback", method: .post, body: try body(["paper": first, "signal": "like"])) { response in
                #expect(response.status == .ok)
                let summary = try json(response.body)
                #expect((summary["feedback"] as? [String: Int])?["like"] == 1 && summary["unchanged"] == nil)
            }
            // Liked again (another tab): nothing is logged, and the answer says which paper had the rating.
            try await client.execute(uri: "/api/radars/speech%20lab/feedback", method: .post, body: try body(["paper": first, "signal": "like"])) { response in
                let summary = try json(response.body)
                #expect(response.status == .ok && summary["unchanged"] as? [String] == [first], "\(summary)")
            }
            // A NUL names nothing: SQLite reads a bound text up to it, so `speech lab%00x` had been the radar "speech
            // lab" and `KEY\u0000x` the paper KEY (a user test deleted a radar so, and hid a paper).
            try await client.execute(uri: "/api/radars/speech%20lab%00x", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/radars/speech%20lab%00x", method: .delete) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/papers/\(first)%00junk", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/radars/speech%20lab/feedback", method: .post,
                                     body: try body(["paper": first + "\u{0}junk", "signal": "hide"])) { response in
                #expect(response.status == .notFound, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/api/search?q=speech%00synthesis&mode=keyword", method: .get) { response in
                let results = try json(response.body)["results"] as? [Any]
                #expect(response.status == .ok && results?.isEmpty == false)
            }
            #expect(try library.radarSummary("speech lab").feedback == ["like": 1])
            let id = try await client.execute(uri: "/api/briefings", method: .post,
                                              body: try body(["handle": feed["handle"] as! String, "language": "zh"])) { response in
                #expect(response.status == .ok)
                let briefing = try json(response.body)
                #expect((briefing["markdown"] as? String)?.hasPrefix("# 交叉领域文献简报") == true)
                #expect((briefing["papers"] as? [Any])?.count == 5)
                return try #require(briefing["id"] as? Int)
            }
            try await client.execute(uri: "/api/briefings/\(id)", method: .get) { response in
                #expect(response.status == .ok)
                let briefing = try json(response.body)
                #expect(briefing["id"] as? Int == id)
            }
            // Deleted as `ahub brief delete` deletes one; then it is gone, and a second delete says so.
            try await client.execute(uri: "/api/briefings/\(id)", method: .delete) { response in
                let answer = try json(response.body)
                #expect(response.status == .ok && answer["deleted"] as? Int == id, "\(answer)")
            }
            try await client.execute(uri: "/api/briefings/\(id)", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/briefings/\(id)", method: .delete) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text == "no briefing \(id); GET /api/briefings lists them", "\(text ?? "")")
            }
            try await client.execute(uri: "/api/briefings/abc", method: .delete) { #expect($0.status == .badRequest) }
        }
    }

    /// What the CLI does to a radar besides feeds, over HTTP: rename, export, import (under another name, the
    /// same feed), delete; with the errors a user meets.
    @Test func radarsAreRenamedExportedImportedAndDeleted() async throws {
        let library = try hub()
        let app = Application(router: try HubServer.router(hub: library))
        defer { try? FileManager.default.removeItem(at: directory) }
        try library.createRadar(RadarSpec(name: "speech", description: "speech synthesis and recognition"))
        let liked = try #require(try library.radarFeed("speech", window: .all, limit: 3, record: false).items.last).key
        try library.radarFeedback("speech", keys: [liked], signal: .like)
        try library.createRadar(RadarSpec(name: "other", description: "x"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/radars/Speech", method: .patch, body: try body(["name": "voice"])) { response in
                #expect(response.status == .ok)
                let summary = try json(response.body)
                #expect(summary["name"] as? String == "voice")
            }
            try await client.execute(uri: "/api/radars/voice", method: .patch, body: try body(["name": "OTHER"])) { response in
                let text = try message(response)
                #expect(response.status == .conflict && text?.contains("exists already") == true)
            }
            try await client.execute(uri: "/api/radars/voice", method: .patch, body: try body(["nom": "x"])) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text?.contains("\"nom\"") == true)
            }
            let exported = try await client.execute(uri: "/api/radars/voice/export", method: .get) { response in
                #expect(response.status == .ok)
                return Data(buffer: response.body)
            }
            let file = try #require(try JSONSerialization.jsonObject(with: exported) as? [String: Any])
            #expect(file["format"] as? String == "academichub-radar" && (file["feedback"] as? [Any])?.count == 1)
            // The file `ahub radar export` writes, byte for byte, and the same each time; other answers have their
            // keys sorted too.
            #expect(exported == (try library.exportRadar("voice").fileData()))
            try await client.execute(uri: "/api/radars/voice/export", method: .get) { #expect(Data(buffer: $0.body) == exported) }
            var answers: [String] = []
            for _ in 0..<3 {
                try await client.execute(uri: "/api/radars/voice", method: .get) { answers.append(String(buffer: $0.body)) }
            }
            let at = try ["categories", "descriptionWeight", "negativeTerms", "positiveTerms"].map { key in
                try #require(answers[0].range(of: "\"\(key)\":")).lowerBound
            }
            #expect(Set(answers).count == 1 && at == at.sorted(), "\(answers[0].prefix(200))")
            try await client.execute(uri: "/api/radars/import?name=voice%202", method: .post, body: ByteBuffer(data: exported)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let summary = try json(response.body)
                #expect(summary["name"] as? String == "voice 2" && (summary["feedback"] as? [String: Int])?["like"] == 1)
            }
            // The same model, so the same feed (but for the exploring slot, chosen by a hash of the name).
            let original = try library.radarFeed("voice", window: .all, limit: 10, record: false).items.map(\.key).prefix(9)
            #expect(try library.radarFeed("voice 2", window: .all, limit: 10, record: false).items.map(\.key).prefix(9) == original)
            try await client.execute(uri: "/api/radars/import", method: .post, body: ByteBuffer(data: exported)) { response in
                #expect(response.status == .conflict, "the file's own name is taken")
                // What to do instead, in the API's own terms.
                let text = try message(response)
                #expect(text?.hasSuffix("exists already: import it under another name (?name=NAME), or delete that one first") == true, "\(text ?? "")")
            }
            try await client.execute(uri: "/api/radars/import", method: .post, body: try body(["format": "zotero", "items": []])) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "not an AcademicHub radar export (format zotero, version not given)")
            }
            // An empty body is said as such, as the feedback route says it (it was "unexpected end of file").
            try await client.execute(uri: "/api/radars/import?name=h4", method: .post) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text?.hasPrefix("the body is empty; this call reads the JSON object `ahub radar export`") == true, "\(text ?? "")")
            }
            try await client.execute(uri: "/api/radars/import?nom=x", method: .post, body: ByteBuffer(data: exported)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/radars/import?name=", method: .post, body: ByteBuffer(data: exported)) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "the name given to the import is empty: give a name, or none to take the file's (voice)", "\(text)")
            }
            // The import's path is no radar's: the name is refused, as a radar and as a new name.
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["name": "Import", "description": "x"])) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text?.contains("cannot be named import") == true)
            }
            try await client.execute(uri: "/api/radars/voice", method: .patch, body: try body(["name": "import"])) { #expect($0.status == .badRequest) }
            // A file of 50 events on papers this library lacks besides its own: the answer names 20 and counts the rest.
            var many = file
            many["name"] = "many"
            many["feedback"] = (file["feedback"] as? [Any] ?? [])
                + (0..<50).map { ["key": "arxiv:0000.\(10_000 + $0)", "signal": "like", "at": "2026-06-01T00:00:00Z"] }
            // With none of its own here, it follows its description and awaits all 50.
            var waiting = many
            waiting["name"] = "waiting"
            waiting["seeds"] = [String]()
            waiting["feedback"] = Array((many["feedback"] as? [Any] ?? []).dropFirst())
            try await client.execute(uri: "/api/radars/import", method: .post, body: try body(waiting)) { response in
                let answer = try json(response.body)
                #expect(response.status == .ok && answer["awaiting"] as? Int == 50 && answer["feedback"] as? [String: Int] == [:], "\(answer)")
            }
            try await client.execute(uri: "/api/radars/waiting", method: .delete) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/radars/import", method: .post, body: try body(many)) { response in
                let warnings = try json(response.body)["warnings"] as? [String]
                #expect(response.status == .ok && warnings?.count == 21 && warnings?.last == "… and 30 more", "\(warnings ?? [])")
            }
            try await client.execute(uri: "/api/radars/many", method: .delete) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/radars/VOICE%202", method: .delete) { response in
                #expect(response.status == .ok && String(buffer: response.body) == #"{"deleted":"voice 2"}"#)
            }
            try await client.execute(uri: "/api/radars/voice%202", method: .delete) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text?.hasPrefix("no radar named voice 2; radars: ") == true)
            }
        }
        #expect(try library.radarSummaries().map(\.name).sorted() == ["other", "voice"])
    }

    @Test func metricsCountRequestsByRoute() async throws {
        let app = Application(router: try HubServer.router(hub: try hub()))
        defer { try? FileManager.default.removeItem(at: directory) }
        try await app.test(.router) { client in
            for _ in 0..<2 { try await client.execute(uri: "/api/stats", method: .get) { #expect($0.status == .ok) } }
            try await client.execute(uri: "/api/papers/arxiv:0000.00000", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/stats", method: .delete) { #expect($0.status == .methodNotAllowed) }
            try await client.execute(uri: "/api/radars/anyone/feed", method: .post) { #expect($0.status == .methodNotAllowed) }
            try await client.execute(uri: "/api/nothing", method: .get) { #expect($0.status == .notFound) }
            // An empty segment names no route: counted as unmatched, not under the route it would be without it.
            try await client.execute(uri: "/api/stats/", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"ahub_http_requests_total{method="GET",route="/api/stats",status="200"} 2"#), "\(text)")
                #expect(text.contains(#"ahub_http_requests_total{method="GET",route="/api/papers/{key}",status="404"} 1"#))
                #expect(text.contains(#"ahub_http_request_duration_seconds_count{method="GET",route="/api/stats"} 2"#))
                #expect(text.contains("ahub_library_papers 46"))
                #expect(!text.contains("arxiv:0000.00000"), "a route's pattern, never its parameters")
                // A wrong method is counted under the route it asked, a path that is no route as unmatched.
                #expect(text.contains(#"ahub_http_requests_total{method="DELETE",route="/api/stats",status="405"} 1"#), "\(text)")
                #expect(text.contains(#"ahub_http_requests_total{method="POST",route="/api/radars/{name}/feed",status="405"} 1"#))
                #expect(text.contains(#"ahub_http_requests_total{method="GET",route="unmatched",status="404"} 2"#), "\(text)")
                #expect(!text.contains(#"route="/api/stats",status="404""#), "\(text)")
                #expect(!text.contains("NotFound") && !text.contains("anyone"))
            }
        }
    }

    @Test func errorsAreJSONWithAFittingStatus() async throws {
        let hub = try hub()
        try hub.setSetting("brief.command", "cat > /dev/null; echo 'model not loaded' >&2; exit 3")
        let app = Application(router: try HubServer.router(hub: hub))
        defer { try? FileManager.default.removeItem(at: directory) }
        @Sendable func message(_ response: TestResponse) throws -> String {
            let error = try #require(try json(response.body)["error"] as? [String: Any])
            return try #require(error["message"] as? String)
        }
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/search?q=%22unbalanced", method: .get) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.contains("quote"), "\(text)")
            }
            try await client.execute(uri: "/api/search", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/search?q=x&limit=0", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/search?q=x&mode=magic", method: .get) { #expect($0.status == .badRequest) }
            // A mode in capitals is the mode, as a signal in capitals is the signal.
            try await client.execute(uri: "/api/search?q=speech&mode=KEYWORD", method: .get) { response in
                let mode = try json(response.body)["mode"] as? String
                #expect(response.status == .ok && mode == "keyword")
            }
            // A blank mode, as a form sends an unset field, is the automatic one, as blank filters are none (it was refused).
            try await client.execute(uri: "/api/search?q=speech&mode=&source=", method: .get) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            // So are a blank limit and offset: the defaults (limit= had been refused as no whole number).
            try await client.execute(uri: "/api/search?q=speech&limit=&offset=+", method: .get) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let offset = try json(response.body)["offset"] as? Int
                #expect(offset == 0)
            }
            try await client.execute(uri: "/api/search?q=" + String(repeating: "a", count: 3_000), method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/papers/arxiv:0000.00000", method: .get) { response in
                #expect(response.status == .notFound)
                let text = try message(response)
                #expect(text.contains("no paper"))
            }
            try await client.execute(uri: "/api/radars/nothing/feed", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/radars/nothing/feedback", method: .post, body: try body(["paper": "x", "signal": "love"])) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/radars", method: .post, body: ByteBuffer(string: "{not json")) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/radars", method: .post,
                                     body: ByteBuffer(string: "{\"name\":\"" + String(repeating: "x", count: 100_000) + "\"}")) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "x", "radar": "y"])) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "give only one of handle, radar, query, similar, papers: a briefing is of one list", "\(text)")
            }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["language": "en"])) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "give one of handle, radar, query, similar, papers", "\(text)")
            }
            try await client.execute(uri: "/api/briefings/999", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/briefings/abc", method: .get) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text == "a briefing's id is a whole number from 1, not abc")
            }
            try await client.execute(uri: "/api/briefings/%39%39%39", method: .get) { #expect($0.status == .notFound, "999, percent-encoded") }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["radar": "nothing"])) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "speech", "language": "fr"])) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "language is en or zh, not fr", "\(text)")
            }
            // Case and spaces aside, as the CLI's --lang.
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "speech", "language": " ZH"])) { response in
                let briefing = try json(response.body)
                #expect(response.status == .ok && briefing["language"] as? String == "zh", "\(briefing)")
            }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "speech", "limit": 1000])) {
                #expect($0.status == .badRequest)
            }
            // The user's command failing is not the request's fault: 502, with what the command said.
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "speech", "provider": "command"])) { response in
                #expect(response.status == .badGateway)
                let text = try message(response)
                #expect(text.contains("exited with status 3") && text.contains("model not loaded"), "\(text)")
            }
            try await client.execute(uri: "/api/search?q=graph&q=neural", method: .get) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text == "q is given twice; it takes one value")
            }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "speech", "limit": 1.5])) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text == "limit must be a whole number from 1 to 200, not 1.5", "\(text)")
            }
            // A misspelt query parameter too (limt= had given 10 results, any_date= today's feed).
            try await client.execute(uri: "/api/search?q=test&limt=5", method: .get) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.contains("\"limt\"") && text.contains("limit"), "\(text)")
            }
            try await client.execute(uri: "/api/radars/speech%20lab/feed?any_date=true", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/stats?verbose=1", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/nothing?x=1", method: .get) { #expect($0.status == .notFound, "no route, whatever its parameters") }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "speech", "days": 7])) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text == "days is read with radar only")
            }
            // A misspelt field is refused by name, not dropped (lang for language gave an English briefing).
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["query": "speech", "lang": "zh"])) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.contains("\"lang\"") && text.contains("\"language\""), "\(text)")
            }
            try await client.execute(uri: "/api/briefings", method: .post, body: try body(["radar": "speech lab", "days": -5])) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/radars/nothing", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/radars/nothing/feedback", method: .post, body: try body(["paper": "x", "signal": "like"])) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/radars/nothing/feed?days=0", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/papers/arxiv:0000.00000/similar", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text == "no paper arxiv:0000.00000 in the library; search finds keys")
            }
            // A DOI's slash splits the path: the answer says how to write it.
            try await client.execute(uri: "/api/papers/10.1145/3395363.3397376", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text.hasSuffix("is written with %2F: /api/papers/10.1145%2F3395363.3397376"), "\(text)")
            }
            // So does an old-style arXiv id's (Fixtures/arxiv-api has quant-ph/0201082).
            try await client.execute(uri: "/api/papers/quant-ph/0201082", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text.hasSuffix("(a DOI, an old arXiv id, an address) is written with %2F: /api/papers/quant-ph%2F0201082"), "\(text)")
            }
            // An empty segment names no route (`/api/papers//similar` had been the paper keyed "similar"); an address
            // pasted whole as a key still gets its hint.
            for uri in ["//api/stats", "/api/stats/", "/api/papers//similar", "/app.js/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let text = try message(response)
                    #expect(response.status == .notFound && text.hasPrefix("no route GET \(uri): /api/openapi.json lists them"), "\(uri): \(text)")
                }
            }
            try await client.execute(uri: "/api/papers/https://arxiv.org/abs/2606.13857", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text.contains("is written with %2F"), "\(text)")
            }
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["name": ""])) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/fetch", method: .post, body: ByteBuffer(string: "[")) { #expect($0.status == .badRequest) }
            // Broken JSON is placed: the line and column a client's editor shows.
            try await client.execute(uri: "/api/radars", method: .post, body: ByteBuffer(string: "{\"name\": \"a\",\n \"keywords\": [\"x\" \"y\"]}")) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text.hasPrefix("the body is not valid JSON: ") && text.hasSuffix(" at line 2, column 19"), "\(text)")
            }
            // A body left out where one is needed is said to be empty, not bad JSON.
            try await client.execute(uri: "/api/radars", method: .post, body: ByteBuffer(string: " \n")) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text.hasPrefix("the body is empty; this call reads a JSON object with \"name\""), "\(text)")
            }
            try await client.execute(uri: "/api/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                let text = try message(response)
                #expect(text == "no route GET /api/nothing: /api/openapi.json lists them")
            }
            try await client.execute(uri: "/api/radars/x", method: .put) { response in
                #expect(response.status == .methodNotAllowed)
                let text = try message(response)
                #expect(text == "/api/radars/x takes GET, HEAD, PATCH or DELETE, not PUT")
            }
            // A path or parameter that does not percent-decode says which way: a broken escape, or bytes not UTF-8.
            for (uri, text) in [("/api/radars/%FF%FE", "name decodes to bytes that are not UTF-8: percent-encode text as UTF-8 (中 is %E4%B8%AD)"),
                                ("/api/radars/a%2", "name is not valid percent-encoding: a % starts %XX, two hex digits (%25 is % itself)"),
                                ("/api/search?q=%E4%B8", "q decodes to bytes that are not UTF-8: percent-encode text as UTF-8 (中 is %E4%B8%AD)"),
                                ("/api/search?q=50%", "q is not valid percent-encoding: a % starts %XX, two hex digits (%25 is % itself)")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    let said = try message(response)
                    #expect(said == text, "\(uri)")
                }
            }
            // Bodies and parameters: the field named, no decoder internals, no command-line flags.
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["description": "x"])) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text == #"the body is not the JSON expected: "name" is missing in the top level"#)
            }
            // A field given twice is refused (parsers differ on which one counts), however its name is escaped; the
            // same name inside a nested value, or as a value, is no repeat.
            let twice = #"{"name": "a", "keywords": ["name", {"name": 1}], "n\u0061me": "b"}"#
            try await client.execute(uri: "/api/radars", method: .post, body: ByteBuffer(string: twice)) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == #"the body gives the field "name" twice; give it once"#, "\(text)")
            }
            #expect(JSONValue.laxity(in: Data(#"{"name": "a", "keywords": ["name"], "seeds": [{"name": 1, "x\"name": 2}]}"#.utf8)) == nil)
            #expect(JSONValue.laxity(in: Data(#"{"a\\": 1, "a\u005c": 2}"#.utf8)) == .repeatedKey("a\\", at: "the top level"))
            // In a nested object too, placed; and a comma before a closing bracket, which Foundation would take.
            #expect(JSONValue.laxity(in: Data(#"{"feedback": [{"signal": "like"}, {"signal": "like", "key": "k", "signal": "hide"}]}"#.utf8))
                    == .repeatedKey("signal", at: "feedback[1]"))
            #expect(JSONValue.laxity(in: Data("{\"a\": [1, 2],\n \"b\": \",]\",\n}".utf8)) == .trailingComma(line: 2, column: 11))
            try await client.execute(uri: "/api/radars", method: .post, body: ByteBuffer(string: #"{"name": "t8", "keywords": ["flaky",]}"#)) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "the body is not valid JSON: a comma before a closing bracket at column 36", "\(text)")
            }
            let export = #"{"format": "academichub-radar", "version": 1, "name": "p9", "description": "flaky tests", "description": "energy"}"#
            try await client.execute(uri: "/api/radars/import", method: .post, body: ByteBuffer(string: export)) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == #"the field "description" is given twice; keep the one you mean"#, "\(text)")
            }
            // A body in GBK (中文 typed by a tool that does not send UTF-8) is named as not UTF-8, not as bad JSON.
            var gbk = ByteBuffer(string: #"{"name": "w", "description": ""#)
            gbk.writeBytes([0xD6, 0xD0, 0xCE, 0xC4])
            gbk.writeString(#""}"#)
            try await client.execute(uri: "/api/radars", method: .post, body: gbk) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text == "the body is not UTF-8 (from byte 30 on); send JSON as UTF-8", "\(text)")
            }
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["name": "w", "description": ""])) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.contains("`description`"))
            }
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["name": "w", "description": "speech"])) {
                #expect($0.status == .ok)
            }
            for (query, expected) in [("any-date=yes", "any-date is true or false, not yes"), ("date=2026-02-30", "date is a day as YYYY-MM-DD"),
                                  ("date=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-06-16", "date is a day as YYYY-MM-DD"),
                                  ("any-date=true&days=3", "give one of date, days and any-date"),
                                  ("date=2026-06-16&days=3", "give one of date, days and any-date")] {
                try await client.execute(uri: "/api/radars/w/feed?" + query, method: .get) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    let text = try message(response)
                    #expect(text.hasPrefix(expected), "\(query): \(text)")
                }
            }
            try await client.execute(uri: "/api/radars/w/feed?date=2026-06-16&limit=50", method: .get) { response in
                #expect(response.status == .ok)
                let feed = try json(response.body)
                #expect(feed["window"] as? String == "2026-06-16")
                let items = try #require(feed["items"] as? [[String: Any]])
                #expect(!items.isEmpty && items.allSatisfy { $0["date"] as? String == "2026-06-16" })
            }
            try await client.execute(uri: "/api/radars/w/rated?signal=save,liked", method: .get) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text == "signal is like, dislike, save or hide (or several, comma-separated), not liked", "\(text)")
            }
            // The last rating taken back: DELETE …/feedback/KEY; a paper not rated there is a 404 saying so.
            let likedKey = try #require(try hub.radarFeed("w", window: .all, limit: 1, record: false).items.first).key
            try await client.execute(uri: "/api/radars/w/feedback", method: .post, body: try body(["paper": likedKey, "signal": "Like"])) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/radars/w/feedback/\(likedKey)", method: .delete) { response in
                let undone = try json(response.body)
                let papers = try #require(undone["papers"] as? [[String: Any]])
                #expect(response.status == .ok && (undone["radar"] as? [String: Any])?["name"] as? String == "w"
                        && papers.count == 1 && papers[0]["key"] as? String == likedKey && papers[0]["signal"] == nil, "\(undone)")
            }
            #expect(try hub.ratedPapers("w").papers.allSatisfy { $0.key != likedKey })
            try await client.execute(uri: "/api/radars/w/feedback/\(likedKey)", method: .delete) { response in
                #expect(response.status == .notFound)
                let text = try message(response)
                #expect(text == "no rating of \(likedKey) on radar w; nothing was taken back", "\(text)")
            }
            try await client.execute(uri: "/api/radars/w/feedback/\(likedKey)", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
            }
            // A DOI holds a slash: written with %2F, and said so when it is not. Here the DOI of an arXiv paper
            // (Fixtures/arxiv-api: arXiv 2202.09076, published in STVR) names it.
            _ = try hub.importFiles([Self.fixtures.appendingPathComponent("arxiv-api/q_testing_s40_m10_96dd32eb854c.xml").path])
            let doiKey = "doi:10.1002/stvr.1804", arxivKey = "arxiv:2202.09076"
            let escaped = doiKey.replacingOccurrences(of: "/", with: "%2F")
            try await client.execute(uri: "/api/radars/w/feedback", method: .post, body: try body(["paper": doiKey, "signal": "save"])) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/radars/w/feedback/\(doiKey)", method: .delete) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text.hasSuffix("is written with %2F: /api/radars/w/feedback/\(escaped)"), "\(text)")
            }
            #expect(try hub.ratedPapers("w").papers.contains { $0.key == arxivKey })
            try await client.execute(uri: "/api/radars/w/feedback/\(escaped)", method: .delete) { response in
                let papers = try json(response.body)["papers"] as? [[String: Any]]
                // The paper named as the request named it.
                #expect(response.status == .ok && papers?.first?["key"] as? String == doiKey, "\(String(buffer: response.body))")
                // With its key in the library.
                #expect(papers?.first?["libraryKey"] as? String == arxivKey)
            }
            #expect(try hub.ratedPapers("w").papers.allSatisfy { $0.key != arxivKey })
            // An address pasted whole into the path gets the same hint, and the hinted path works.
            try await client.execute(uri: "/api/papers/https://arxiv.org/abs/2202.09076", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text.hasSuffix("is written with %2F: /api/papers/https:%2F%2Farxiv.org%2Fabs%2F2202.09076"), "\(text)")
            }
            try await client.execute(uri: "/api/papers/https:%2F%2Farxiv.org%2Fabs%2F2202.09076", method: .get) { response in
                let paper = try json(response.body)["paper"] as? [String: Any]
                #expect(response.status == .ok && paper?["key"] as? String == arxivKey)
            }
            try await client.execute(uri: "/api/papers/\(doiKey)/similar", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .notFound && text.hasSuffix("is written with %2F: /api/papers/\(escaped)/similar"), "\(text)")
            }
            // A radar's name holding a slash splits the path the same way, and gets its own hint.
            try await client.execute(uri: "/api/radars", method: .post, body: try body(["name": "w/x", "description": "speech"])) {
                #expect($0.status == .ok)
            }
            for (asked, meant) in [("w/x", "w%2Fx"), ("w/x/feed", "w%2Fx/feed"), ("w/x/y/feedback/\(arxivKey)", "w%2Fx%2Fy/feedback/\(arxivKey)")] {
                try await client.execute(uri: "/api/radars/" + asked, method: .get) { response in
                    let text = try message(response)
                    #expect(response.status == .notFound && text.hasSuffix("a radar name holding / is written with %2F: /api/radars/\(meant)"), "\(text)")
                }
            }
            try await client.execute(uri: "/api/radars/w%2Fx", method: .get) { #expect($0.status == .ok) }
            // As the CLI reads --signal: case aside, spaces and empty pieces skipped.
            try await client.execute(uri: "/api/radars/w/rated?signal=Save,%20,%20like", method: .get) { response in
                let rated = try json(response.body)
                #expect(response.status == .ok && rated["signals"] as? [String] == ["like", "save"], "\(rated)")
            }
            try await client.execute(uri: "/api/radars/w/rated?signal=save&signal=like", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "signal is given twice; it takes one value (several comma-separated: signal=like,save)", "\(text)")
            }
            try await client.execute(uri: "/api/radars/w/rated?signal=save", method: .get) { response in
                let rated = try json(response.body)
                #expect(response.status == .ok && rated["total"] as? Int == 0 && rated["signals"] as? [String] == ["save"])
            }
            // A window no paper is dated in names the newest day, so a client can offer it; a window with papers does not.
            try await client.execute(uri: "/api/radars/w/feed?date=2030-01-01", method: .get) { response in
                let feed = try json(response.body)
                #expect(feed["inWindow"] as? Int == 0 && (feed["items"] as? [Any])?.isEmpty == true)
                let newest = try #require(feed["newest"] as? String)
                #expect(newest.hasPrefix("2026-"), "\(newest)")
            }
            try await client.execute(uri: "/api/radars/w/feed?date=2026-06-16", method: .get) { response in
                let feed = try json(response.body)
                #expect(feed["newest"] == nil)
            }
            // Query strings as forms write them: + is a space, %2B a plus; filters take one value each.
            try await client.execute(uri: "/api/search?q=speech+-reinforcement&mode=keyword", method: .get) { response in
                #expect(response.status == .ok)
                let query = try json(response.body)["query"] as? String
                #expect(query == "speech -reinforcement")
            }
            try await client.execute(uri: "/api/search?q=C%2B%2B&mode=keyword", method: .get) { response in
                let query = try json(response.body)["query"] as? String
                #expect(query == "C++")
            }
            try await client.execute(uri: "/api/search?q=speech&category=cs.CL+speech", method: .get) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.hasPrefix("category takes one value"), "\(text)")
            }
            try await client.execute(uri: "/api/search?q=speech&after=2026-02-30", method: .get) { #expect($0.status == .badRequest) }
            // Dates the wrong way round are named as the parameters they are, not by a column of a query nobody typed.
            try await client.execute(uri: "/api/search?q=graph&after=2026-06-01&before=2026-01", method: .get) { response in
                let text = try message(response)
                #expect(response.status == .badRequest && text == "after=2026-06-01 is later than before=2026-01, so no paper can match; swap them?", "\(text)")
            }
            // A parameter narrows what q names, never widens it: q's own source with another is refused, the same one is fine.
            try await client.execute(uri: "/api/search?q=speech+source:arxiv&source=biorxiv", method: .get) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.hasPrefix("q names source:arxiv and source=biorxiv would widen it to either"), "\(text)")
            }
            try await client.execute(uri: "/api/search?q=speech+cat:cs.CL&category=cs.cl&mode=keyword", method: .get) { response in
                #expect(response.status == .ok)
                let query = try json(response.body)["query"] as? String
                #expect(query == "speech cat:cs.CL")
            }
            try await client.execute(uri: "/api/radars/w/feedback", method: .post, body: try body(["paper": " ", "signal": "like"])) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.hasPrefix("paper is empty"))
            }
        }
    }
}
