import Foundation
import HubEmbed
import Testing

/// The model folder `scripts/setup` installs (or `$AHUB_MODEL_DIR`).
let modelDirectory = MiniLM.defaultDirectory()

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Loaded once: 90 MB of weights.
let model: Result<MiniLM, Error> = Result { try MiniLM(directory: modelDirectory) }

@Suite struct MiniLMTests {
    struct Reference: Decodable {
        var text: String
        var embedding: [Float]
    }

    func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in 0..<a.count { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// Every sentence of Fixtures/minilm-reference.jsonl (English, truncated, LaTeX, Chinese, accents, empty)
    /// against the vectors of a plain numpy forward pass of the same weights.
    @Test func matchesTheReferenceVectors() throws {
        let embedder = try model.get()
        let lines = try String(contentsOf: fixtures.appendingPathComponent("minilm-reference.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        let references = try lines.map { try JSONDecoder().decode(Reference.self, from: Data($0.utf8)) }
        #expect(references.count == 11)
        let vectors = try embedder.embed(references.map(\.text))
        for (reference, vector) in zip(references, vectors) {
            #expect(vector.count == 384)
            let similarity = cosine(vector, reference.embedding)
            #expect(similarity >= 0.999, "\(reference.text.prefix(60)): cosine \(similarity)")
        }
    }

    @Test func knownSimilarityAndUnitLength() throws {
        let embedder = try model.get()
        let v = try embedder.embed(["A man is eating food.", "A man is eating a piece of bread."])
        #expect(abs(cosine(v[0], v[1]) - 0.7553) < 0.001)
        let length = v[0].reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(length - 1) < 1e-4)
    }

    @Test func tokenizesAsBERTDoes() throws {
        let tokenizer = try WordPieceTokenizer(tokenizerJSON: modelDirectory + "/tokenizer.json")
        #expect(tokenizer.tokens("Héllo, world! unaffable") == ["[CLS]", "hello", ",", "world", "!", "una", "##ffa", "##ble", "[SEP]"])
        // Each ideograph is a word of its own; this English model's vocabulary lacks most of them.
        #expect(tokenizer.tokens("深度学习") == ["[CLS]", "[UNK]", "[UNK]", "学", "[UNK]", "[SEP]"])
        #expect(tokenizer.encode(String(repeating: "word ", count: 1000), maxTokens: 256).count == 256)
        #expect(tokenizer.encode("", maxTokens: 256).count == 2)
    }

    @Test func aMissingModelIsAClearError() {
        #expect {
            try MiniLM(directory: "/nonexistent/model")
        } throws: { error in
            "\(error)".contains("scripts/install-model")
        }
    }
}
