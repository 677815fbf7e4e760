import Foundation
import HubEmbed
import HubFeeds

/// Sentence embeddings from any OpenAI-compatible endpoint (`POST {base}/embeddings`: Ollama, vLLM, the
/// llama.cpp server, OpenAI), for users who want a bigger or multilingual model than the native one.
///
/// Texts go `batch` to a request through our libcurl client (timeouts, retries on 429/5xx with backoff and
/// `Retry-After`, size cap), with no politeness gap: the endpoint is the user's own. The API key is read
/// from the environment variable the settings name, never stored. Answers are checked (one vector per
/// text, in `index` order, one dimension throughout) and L2-normalized, since not every server does.
final class RemoteEmbedder: SentenceEmbedder, @unchecked Sendable {
    let modelID: String
    let model: String
    let endpoint: String
    let apiKey: String?
    let batch: Int
    private let client: HTTPClient
    private let lock = NSLock()
    private var known = 0

    /// The prefix that keeps a remote model's vectors apart from the native model's, whatever its name.
    static let idPrefix = "openai:"

    init(baseURL: String, model: String, apiKey: String?, batch: Int, http: HTTPClient.Configuration) {
        endpoint = Setting.endpoint(baseURL, "/embeddings")
        self.model = model
        modelID = Self.idPrefix + model
        self.apiKey = apiKey
        self.batch = max(1, batch)
        var configuration = http
        configuration.politeness.defaultGap = 0
        configuration.politeness.rules = [:]
        client = HTTPClient(configuration: configuration)
    }

    /// The endpoint as messages show it: a user and password in it, and its query string, masked.
    var shown: String { SourceFetchReport.masked(endpoint) }

    /// 0 until the endpoint has answered once.
    var dimension: Int { lock.withLock { known } }

    /// The model decides what it reads; a remote model is trusted with every text.
    func coverage(_ text: String) -> Double { 1 }

    func embed(_ texts: [String]) throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: batch) {
            vectors += try request(Array(texts[start..<min(start + batch, texts.count)]))
        }
        return vectors
    }

    private struct Answer: Decodable {
        struct Item: Decodable {
            var embedding: [Float]
            var index: Int?
        }
        var data: [Item]
    }

    private func request(_ texts: [String]) throws -> [[Float]] {
        do {
            return try send(texts)
        } catch var error as HubError {
            error.message = Setting.withoutKey(error.message, apiKey)
            throw error
        }
    }

    private func send(_ texts: [String]) throws -> [[Float]] {
        let body = try JSONSerialization.data(withJSONObject: ["model": model, "input": texts] as [String: Any])
        var headers = [(name: "Content-Type", value: "application/json"), (name: "Accept", value: "application/json")]
        if let apiKey { headers.append((name: "Authorization", value: "Bearer " + apiKey)) }
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(url: endpoint, method: "POST", headers: headers, body: body))
        } catch {
            throw HubError("embedding endpoint: \(SourceFetchReport.masked(error.description))")
        }
        guard (200..<300).contains(response.status) else {
            throw HubError("embedding endpoint \(shown): HTTP \(response.status)"
                + (Self.errorMessage(response.body).map { ": " + $0 } ?? "")
                + (response.status == 401 || response.status == 403 ? " (is the API key's variable set? `ahub config list` names it)" : ""))
        }
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: response.body)
        } catch {
            let start = String(decoding: response.body.prefix(120), as: UTF8.self)
            throw HubError("embedding endpoint \(shown) answered something that is not an embeddings list: \(start)")
        }
        guard answer.data.count == texts.count else {
            throw HubError("embedding endpoint \(shown) answered \(answer.data.count) vectors for \(texts.count) texts")
        }
        var ordered = [[Float]?](repeating: nil, count: texts.count)
        for (position, item) in answer.data.enumerated() {
            let index = item.index ?? position
            guard ordered.indices.contains(index), ordered[index] == nil else {
                throw HubError("embedding endpoint \(shown) answered index \(index) twice or out of range")
            }
            ordered[index] = item.embedding
        }
        let vectors = ordered.map { $0! }
        let width = vectors[0].count
        guard width > 0, vectors.allSatisfy({ $0.count == width }) else {
            throw HubError("embedding endpoint \(shown) answered vectors of different lengths")
        }
        // A vector of zeros (or NaN) has no direction: no cosine can find its paper, and it would pass for embedded.
        if let bad = vectors.firstIndex(where: { v in !v.contains { $0 != 0 } || v.contains { !$0.isFinite } }) {
            throw HubError("embedding endpoint \(shown) answered a vector of zeros or non-numbers (text \(bad + 1) of \(texts.count)): is it serving \(model)?")
        }
        try lock.withLock {
            if known != 0, known != width {
                throw HubError("embedding endpoint \(shown) answered \(width) dimensions, earlier \(known): is it still serving \(model)?")
            }
            known = width
        }
        return vectors.map(Self.normalized)
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }

    /// `{"error": {"message": …}}` (OpenAI, vLLM) or `{"error": "…"}` (Ollama).
    static func errorMessage(_ body: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
        return object["error"] as? String ?? object["message"] as? String
    }
}
