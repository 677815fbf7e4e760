import CBLAS
import Foundation

/// A sentence embedder: text in, an L2-normalized vector out.
public protocol SentenceEmbedder: Sendable {
    /// Names the model and its settings: vectors from different ids are never compared.
    var modelID: String { get }
    var dimension: Int { get }
    func embed(_ texts: [String]) throws -> [[Float]]
    /// The share of the text's words the model can read (not `[UNK]`), 0…1: how far to trust its vector.
    func coverage(_ text: String) -> Double
}

/// all-MiniLM-L6-v2 run natively: the WordPiece tokenizer from `tokenizer.json`, the BERT forward pass
/// (6 layers, 12 heads, hidden 384, GELU) from `model.safetensors`, mean pooling over the tokens, L2
/// normalization; inputs cut at 256 tokens as sentence-transformers does for this model.
///
/// Matrix products go to OpenBLAS's sgemm (Debian's libopenblas-dev): it picks AVX-512 kernels at run
/// time, which beats anything we would hand-write for dense GEMM, and the rest (layer norm, softmax, GELU)
/// is a small share of the work. One text runs on one thread; `embed` spreads a batch over the cores.
public final class MiniLM: SentenceEmbedder {
    public let modelID = "all-MiniLM-L6-v2"
    public let dimension = 384
    public static let maxTokens = 256

    /// Where `scripts/install-model` puts the model: `$AHUB_MODEL_DIR`, else
    /// `$XDG_DATA_HOME/academichub/models/all-MiniLM-L6-v2` (`~/.local/share/…`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["AHUB_MODEL_DIR"], !dir.isEmpty { return dir }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/academichub/models/all-MiniLM-L6-v2"
    }
    static let layers = 6, heads = 12, hidden = 384, intermediate = 1536, eps: Float = 1e-12

    let tokenizer: WordPieceTokenizer
    private let wordEmbeddings: [Float], positionEmbeddings: [Float], typeEmbedding: [Float]
    private let embeddingNorm: (gamma: [Float], beta: [Float])
    private let blocks: [Block]

    struct Block {
        var query: Linear, key: Linear, value: Linear, attentionOutput: Linear
        var attentionNorm: (gamma: [Float], beta: [Float])
        var intermediate: Linear, output: Linear
        var outputNorm: (gamma: [Float], beta: [Float])
    }

    /// A dense layer, `weight` stored [out × in] as PyTorch writes it.
    struct Linear {
        var weight: [Float], bias: [Float], inputs: Int, outputs: Int
    }

    /// Loads the model from a sentence-transformers folder (`tokenizer.json`, `model.safetensors`).
    public init(directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        let weightsPath = url.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            throw EmbedError("no model in \(directory) (model.safetensors missing); `scripts/setup` installs all-MiniLM-L6-v2 there")
        }
        tokenizer = try WordPieceTokenizer(tokenizerJSON: url.appendingPathComponent("tokenizer.json").path)
        let file = try SafeTensors(path: weightsPath)
        let h = Self.hidden
        func norm(_ prefix: String) throws -> (gamma: [Float], beta: [Float]) {
            (try file.floats(prefix + ".weight", shape: [h]), try file.floats(prefix + ".bias", shape: [h]))
        }
        func linear(_ prefix: String, _ inputs: Int, _ outputs: Int) throws -> Linear {
            Linear(weight: try file.floats(prefix + ".weight", shape: [outputs, inputs]),
                   bias: try file.floats(prefix + ".bias", shape: [outputs]), inputs: inputs, outputs: outputs)
        }
        wordEmbeddings = try file.floats("embeddings.word_embeddings.weight", shape: [30522, h])
        positionEmbeddings = try file.floats("embeddings.position_embeddings.weight", shape: [512, h])
        typeEmbedding = Array(try file.floats("embeddings.token_type_embeddings.weight", shape: [2, h]).prefix(h))
        embeddingNorm = try norm("embeddings.LayerNorm")
        blocks = try (0..<Self.layers).map { i in
            let p = "encoder.layer.\(i)."
            return Block(
                query: try linear(p + "attention.self.query", h, h), key: try linear(p + "attention.self.key", h, h),
                value: try linear(p + "attention.self.value", h, h),
                attentionOutput: try linear(p + "attention.output.dense", h, h),
                attentionNorm: try norm(p + "attention.output.LayerNorm"),
                intermediate: try linear(p + "intermediate.dense", h, Self.intermediate),
                output: try linear(p + "output.dense", Self.intermediate, h), outputNorm: try norm(p + "output.LayerNorm"))
        }
        ahub_blas_set_threads(1)
    }

    /// Embeds the texts, several at once on the cores.
    public func embed(_ texts: [String]) throws -> [[Float]] {
        var out = [[Float]](repeating: [], count: texts.count)
        let threads = min(texts.count, ProcessInfo.processInfo.activeProcessorCount)
        out.withUnsafeMutableBufferPointer { results in
            let results = UnsafeSendable(results)
            DispatchQueue.concurrentPerform(iterations: max(threads, 1)) { worker in
                var index = worker
                while index < texts.count {
                    results.value[index] = self.embed(texts[index])
                    index += threads
                }
            }
        }
        return out
    }

    /// Words the model cannot read: `[UNK]`, and Chinese characters, which this English model's vocabulary
    /// holds one by one without having learned what they mean together.
    public func coverage(_ text: String) -> Double {
        let words = WordPieceTokenizer.words(WordPieceTokenizer.normalize(text))
        guard !words.isEmpty else { return 0 }
        let readable = words.filter { word in
            !(word.count == 1 && WordPieceTokenizer.isCJK(word[0].value)) && !tokenizer.pieces(word).contains(tokenizer.unknown)
        }
        return Double(readable.count) / Double(words.count)
    }

    /// One text's vector.
    public func embed(_ text: String) -> [Float] {
        let ids = tokenizer.encode(text, maxTokens: Self.maxTokens)
        let n = ids.count, h = Self.hidden
        var x = [Float](repeating: 0, count: n * h)
        for (row, id) in ids.enumerated() {
            let word = Int(id) * h, position = row * h
            for j in 0..<h { x[row * h + j] = wordEmbeddings[word + j] + positionEmbeddings[position + j] + typeEmbedding[j] }
        }
        layerNorm(&x, rows: n, embeddingNorm)
        for block in blocks { forward(block, &x, rows: n) }
        var pooled = [Float](repeating: 0, count: h)
        for row in 0..<n { for j in 0..<h { pooled[j] += x[row * h + j] } }
        var norm: Float = 0
        for j in 0..<h { pooled[j] /= Float(n); norm += pooled[j] * pooled[j] }
        norm = norm.squareRoot()
        if norm > 0 { for j in 0..<h { pooled[j] /= norm } }
        return pooled
    }

    private func forward(_ block: Block, _ x: inout [Float], rows n: Int) {
        let h = Self.hidden, heads = Self.heads, size = h / heads
        let q = apply(block.query, x, rows: n), k = apply(block.key, x, rows: n), v = apply(block.value, x, rows: n)
        var context = [Float](repeating: 0, count: n * h)
        var scores = [Float](repeating: 0, count: n * n)
        let scale = 1 / Float(size).squareRoot()
        q.withUnsafeBufferPointer { q in
            k.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in
                    context.withUnsafeMutableBufferPointer { c in
                        scores.withUnsafeMutableBufferPointer { s in
                            for head in 0..<heads {
                                let offset = head * size
                                ahub_sgemm(1, Int32(n), Int32(n), Int32(size), scale, q.baseAddress! + offset, Int32(h),
                                           k.baseAddress! + offset, Int32(h), 0, s.baseAddress!, Int32(n))
                                for row in 0..<n { softmax(s.baseAddress! + row * n, count: n) }
                                ahub_sgemm(0, Int32(n), Int32(size), Int32(n), 1, s.baseAddress!, Int32(n),
                                           v.baseAddress! + offset, Int32(h), 0, c.baseAddress! + offset, Int32(h))
                            }
                        }
                    }
                }
            }
        }
        var attended = apply(block.attentionOutput, context, rows: n)
        for i in 0..<(n * h) { attended[i] += x[i] }
        layerNorm(&attended, rows: n, block.attentionNorm)
        var inner = apply(block.intermediate, attended, rows: n)
        let root2: Float = 1 / Float(2).squareRoot()
        for i in 0..<inner.count { let t = inner[i]; inner[i] = 0.5 * t * (1 + erff(t * root2)) }
        var output = apply(block.output, inner, rows: n)
        for i in 0..<(n * h) { output[i] += attended[i] }
        layerNorm(&output, rows: n, block.outputNorm)
        x = output
    }

    /// `input`[rows × in] · weightᵀ + bias → [rows × out].
    private func apply(_ layer: Linear, _ input: [Float], rows n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: n * layer.outputs)
        for row in 0..<n {
            for j in 0..<layer.outputs { out[row * layer.outputs + j] = layer.bias[j] }
        }
        input.withUnsafeBufferPointer { a in
            layer.weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { c in
                    ahub_sgemm(1, Int32(n), Int32(layer.outputs), Int32(layer.inputs), 1, a.baseAddress!, Int32(layer.inputs),
                               w.baseAddress!, Int32(layer.inputs), 1, c.baseAddress!, Int32(layer.outputs))
                }
            }
        }
        return out
    }

    private func layerNorm(_ x: inout [Float], rows n: Int, _ p: (gamma: [Float], beta: [Float])) {
        let h = Self.hidden
        x.withUnsafeMutableBufferPointer { x in
            for row in 0..<n {
                let r = x.baseAddress! + row * h
                var mean: Float = 0
                for j in 0..<h { mean += r[j] }
                mean /= Float(h)
                var variance: Float = 0
                for j in 0..<h { let d = r[j] - mean; variance += d * d }
                let inverse = 1 / (variance / Float(h) + Self.eps).squareRoot()
                for j in 0..<h { r[j] = (r[j] - mean) * inverse * p.gamma[j] + p.beta[j] }
            }
        }
    }

    private func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        var top = -Float.infinity
        for i in 0..<count { top = max(top, row[i]) }
        var sum: Float = 0
        for i in 0..<count { row[i] = expf(row[i] - top); sum += row[i] }
        for i in 0..<count { row[i] /= sum }
    }
}

/// Lets worker threads write disjoint slots of one buffer.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
