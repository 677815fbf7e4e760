import Foundation
import HubCore
import LoopbackServer
import Testing
@testable import AcademicHub

/// A small OpenAI-compatible embeddings server on 127.0.0.1, written for these tests. A text's vector counts
/// its words hashed into 256 buckets (not normalized), and vectors are answered in reverse order with their
/// `index`, as a server may: a client that ignores `index` gives papers each other's vectors.
final class EmbeddingServer: Sendable {
    enum Behaviour: Sendable {
        case answer
        case tooManyRequestsOnce
        case unauthorized
        /// 401 quoting the request's Authorization header back.
        case echoesKey
        case html
        case oneVectorShort
        /// Every vector all zeros.
        case zeros
        case stall
    }

    static let dimension = 256
    static let key = "sk-test-4f7a"
    let behaviour = Shared(Behaviour.answer)
    let server: LoopbackServer
    var baseURL: String { server.baseURL + "/v1" }

    init() throws {
        let behaviour = behaviour
        server = try LoopbackServer { request in
            guard request.method == "POST", request.path == "/v1/embeddings" else {
                return .respond(status: 404, headers: [], body: Data("{\"error\":\"not found\"}".utf8))
            }
            switch behaviour.value {
            case .stall: return .stall
            case .unauthorized:
                return .respond(status: 401, headers: [("Content-Type", "application/json")],
                                body: Data(#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#.utf8))
            case .echoesKey:
                let quoted = try! JSONSerialization.data(withJSONObject: ["error": ["message": "Bad key: " + (request.headers["authorization"] ?? "")]])
                return .respond(status: 401, headers: [], body: quoted)
            case .html:
                return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Data("<html><body>proxy login</body></html>".utf8))
            case .tooManyRequestsOnce:
                behaviour.value = .answer
                return .respond(status: 429, headers: [("Retry-After", "0")], body: Data(#"{"error":{"message":"rate limited"}}"#.utf8))
            case .answer, .oneVectorShort, .zeros:
                break
            }
            guard request.headers["authorization"] == "Bearer \(Self.key)" else {
                return .respond(status: 401, headers: [], body: Data(#"{"error":{"message":"no key"}}"#.utf8))
            }
            guard let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                  let model = object["model"] as? String, let input = object["input"] as? [String] else {
                return .respond(status: 400, headers: [], body: Data(#"{"error":{"message":"bad request"}}"#.utf8))
            }
            var items = input.enumerated().map { index, text in
                ["index": index, "object": "embedding", "embedding": behaviour.value == .zeros ? [Double](repeating: 0, count: Self.dimension) : Self.vector(text)] as [String: Any]
            }
            if behaviour.value == .oneVectorShort { items.removeLast() }
            let answer: [String: Any] = ["object": "list", "model": model, "data": Array(items.reversed()),
                                         "usage": ["prompt_tokens": 0, "total_tokens": 0]]
            return .respond(status: 200, headers: [("Content-Type", "application/json")],
                            body: try! JSONSerialization.data(withJSONObject: answer))
        }
    }

    /// Word counts in 256 buckets (FNV-1a of the lower-cased word).
    static func vector(_ text: String) -> [Double] {
        var vector = [Double](repeating: 0, count: dimension)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            var hash: UInt32 = 2_166_136_261
            for byte in word.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            vector[Int(hash % UInt32(dimension))] += 1
        }
        return vector
    }

    /// The request bodies the server received.
    var inputs: [[String]] {
        server.requests.compactMap { request in
            (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any])?["input"] as? [String]
        }
    }
}

@Suite(.serialized) struct RemoteEmbedderTests {
    static let keyVariable = "AHUB_TEST_EMBEDDING_KEY"

    init() { setenv(Self.keyVariable, EmbeddingServer.key, 1) }

    /// A library of the 46 seed papers pointed at `server`.
    func library(_ server: EmbeddingServer, batch: Int = 20) throws -> ScratchHub {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("seed-papers.jsonl")])
        try scratch.hub.setSetting("embed.url", server.baseURL)
        try scratch.hub.setSetting("embed.api-key-env", Self.keyVariable)
        try scratch.hub.setSetting("embed.batch", String(batch))
        try scratch.hub.setSetting("http.backoff", "0.1")
        return scratch
    }

    @Test func embedsInBatchesAndSearchesWithTheRemoteModel() throws {
        let server = try EmbeddingServer()
        let scratch = try library(server)
        let report = try scratch.hub.embed(model: "word-buckets")
        #expect(report.model == "openai:word-buckets" && report.embedded == 46)
        #expect(try scratch.hub.settings()["embed.model"] == "word-buckets")

        let requests = server.server.requests
        #expect(requests.count == 3, "46 texts in batches of 20")
        #expect(server.inputs.map(\.count) == [20, 20, 6])
        for request in requests {
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["authorization"] == "Bearer \(EmbeddingServer.key)")
            let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
            #expect(body["model"] as? String == "word-buckets")
        }

        // Each paper got its own vector back (answers came in reverse order with their index), normalized.
        let paper = try #require(try scratch.hub.search("Kareus energy", limit: 1).hits.first).paper
        let id = try #require(try scratch.hub.store.ids(for: [paper.key])[paper.key])
        let stored = try #require(try scratch.hub.store.vector(paperID: id, model: "openai:word-buckets"))
        #expect(stored.count == EmbeddingServer.dimension)
        #expect(abs(stored.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        let results = try scratch.hub.search(Hub.embeddingText(title: paper.title, abstract: paper.abstract), mode: .semantic, limit: 3)
        #expect(results.hits.first?.paper.key == paper.key, "\(results.hits.map(\.paper.title))")
        #expect(try scratch.hub.embedMissing().embedded == 0, "nothing left for this model")
    }

    @Test func retriesA429ThenGoesOn() throws {
        let server = try EmbeddingServer()
        let scratch = try library(server, batch: 64)
        server.behaviour.value = .tooManyRequestsOnce
        #expect(try scratch.hub.embed(model: "word-buckets").embedded == 46)
        #expect(server.server.requests.count == 2)
    }

    @Test func failuresAreClearAndStoreNothing() throws {
        let server = try EmbeddingServer()
        let scratch = try library(server)
        try scratch.hub.setSetting("http.attempts", "1")
        func failure(_ behaviour: EmbeddingServer.Behaviour) -> String {
            server.behaviour.value = behaviour
            do {
                _ = try scratch.hub.embed(model: "word-buckets")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let unauthorized = failure(.unauthorized)
        #expect(unauthorized.contains("HTTP 401") && unauthorized.contains("Incorrect API key provided"), "\(unauthorized)")
        // A key the endpoint quotes back is cut out of the error, which is printed.
        let echoed = failure(.echoesKey)
        #expect(echoed.contains("Bad key: Bearer …") && !echoed.contains(EmbeddingServer.key), "\(echoed)")
        #expect(failure(.html).contains("not an embeddings list: <html>"))
        #expect(failure(.oneVectorShort).contains("answered 19 vectors for 20 texts"))
        // Vectors of zeros have no direction: refused, not stored as embedded (they had been, and the model switched).
        #expect(failure(.zeros).contains("answered a vector of zeros or non-numbers (text 1 of 20)"))
        try scratch.hub.setSetting("http.timeout", "1")
        let stalled = failure(.stall)
        #expect(stalled.contains("embedding endpoint") && stalled.lowercased().contains("time"), "\(stalled)")
        #expect(try scratch.hub.store.countWithoutVectors(model: "openai:word-buckets") == 46, "nothing half-stored")
        #expect(try scratch.hub.settings()["embed.model"] == nil, "a model that embedded nothing is not kept")
        #expect(stalled.contains("embed.model stays all-MiniLM-L6-v2"), "\(stalled)")

        // The key is read from the variable the settings name, and only from there.
        unsetenv(Self.keyVariable)
        defer { setenv(Self.keyVariable, EmbeddingServer.key, 1) }
        let withoutKey = failure(.answer)
        #expect(withoutKey.contains("HTTP 401") && withoutKey.contains("API key"), "\(withoutKey)")
    }

    @Test func anotherModelNeedsAnEndpoint() throws {
        let scratch = try ScratchHub()
        #expect { try scratch.hub.embed(model: "nomic-embed-text") } throws: { "\($0)".contains("embed.url") }
        #expect(try scratch.hub.settings()["embed.model"] == nil, "refused before it was set")
        #expect { try scratch.hub.setSetting("embed.url", "ftp://example.org") } throws: { "\($0)".contains("http(s) URL") }
        #expect { try scratch.hub.setSetting("embed.batch", "0") } throws: { "\($0)".contains("embed.batch") }
    }

    @Test func theCLISwitchesModelAndSearches() throws {
        let server = try EmbeddingServer()
        let scratch = try ScratchHub()
        for arguments in [["config", "set", "embed.url", server.baseURL], ["config", "set", "embed.api-key-env", Self.keyVariable]] {
            #expect(try runAhub(arguments, library: scratch.path).status == 0)
        }
        let imported = try runAhub(["import", fixture("seed-papers.jsonl"), "--no-embed"], library: scratch.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let embedded = try runAhub(["embed", "--model", "word-buckets"], library: scratch.path)
        #expect(embedded.status == 0 && embedded.stdout.contains("46 papers embedded with openai:word-buckets"), "\(embedded)")
        let search = try runAhub(["search", "--mode", "semantic", "--json", "grief breastfeeding postpartum depression"], library: scratch.path)
        #expect(search.status == 0, "\(search.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        #expect((json["results"] as? [[String: Any]])?.isEmpty == false)
    }
}
