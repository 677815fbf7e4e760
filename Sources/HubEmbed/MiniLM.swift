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
/// Matrix products go to OpenBLAS's sgemm (Debian's libopenblas-dev): it picks AVX2 or AVX-512 kernels
/// at run time, which beats anything we would hand-write for dense GEMM (query, key and value are one
/// product). The rest (softmax, GELU, residual + layer norm) runs in C kernels of ours with AVX2
/// polynomial exp and erf (`Sources/CBLAS/model_kernels.c`): through libm it took 40 % of the time.
/// One text runs on one thread; `embed` spreads a batch over the cores.
public final class MiniLM: SentenceEmbedder {
    public static let name = "all-MiniLM-L6-v2"
    public let modelID = MiniLM.name
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
        /// Query, key and value in one product: weight [3·hidden × hidden], outputs side by side per row.
        var queryKeyValue: Linear, attentionOutput: Linear
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
            throw EmbedError("no model in \(directory) (model.safetensors missing); `scripts/install-model` installs all-MiniLM-L6-v2 there")
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
            let parts = try ["query", "key", "value"].map { try linear(p + "attention.self." + $0, h, h) }
            return Block(
                queryKeyValue: Linear(weight: parts.flatMap(\.weight), bias: parts.flatMap(\.bias), inputs: h, outputs: 3 * h),
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
        let h = Self.hidden, heads = Self.heads, size = h / heads, stride = 3 * h
        let qkv = apply(block.queryKeyValue, x, rows: n)
        var context = [Float](repeating: 0, count: n * h)
        var scores = [Float](repeating: 0, count: n * n)
        let scale = 1 / Float(size).squareRoot()
        qkv.withUnsafeBufferPointer { qkv in
            context.withUnsafeMutableBufferPointer { c in
                scores.withUnsafeMutableBufferPointer { s in
                    for head in 0..<heads {
                        let q = qkv.baseAddress! + head * size, k = q + h, v = q + 2 * h
                        ahub_sgemm(1, Int32(n), Int32(n), Int32(size), scale, q, Int32(stride), k, Int32(stride),
                                   0, s.baseAddress!, Int32(n))
                        ahub_softmax_rows(s.baseAddress!, Int32(n), Int32(n))
                        ahub_sgemm(0, Int32(n), Int32(size), Int32(n), 1, s.baseAddress!, Int32(n), v, Int32(stride),
                                   0, c.baseAddress! + head * size, Int32(h))
                    }
                }
            }
        }
        var attended = apply(block.attentionOutput, context, rows: n)
        layerNorm(&attended, adding: x, rows: n, block.attentionNorm)
        var inner = apply(block.intermediate, attended, rows: n)
        inner.withUnsafeMutableBufferPointer { ahub_gelu($0.baseAddress!, $0.count) }
        var output = apply(block.output, inner, rows: n)
        layerNorm(&output, adding: attended, rows: n, block.outputNorm)
        x = output
    }

    /// `input`[rows × in] · weightᵀ + bias → [rows × out].
    private func apply(_ layer: Linear, _ input: [Float], rows n: Int) -> [Float] {
        var out = [Float](unsafeUninitializedCapacity: n * layer.outputs) { buffer, count in
            for row in 0..<n {
                _ = UnsafeMutableBufferPointer(rebasing: buffer[(row * layer.outputs)..<((row + 1) * layer.outputs)])
                    .initialize(from: layer.bias)
            }
            count = n * layer.outputs
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

    /// x = LayerNorm(x + residual), row by row (no residual: x alone).
    private func layerNorm(_ x: inout [Float], adding residual: [Float]? = nil, rows n: Int, _ p: (gamma: [Float], beta: [Float])) {
        x.withUnsafeMutableBufferPointer { x in
            p.gamma.withUnsafeBufferPointer { gamma in
                p.beta.withUnsafeBufferPointer { beta in
                    if let residual {
                        residual.withUnsafeBufferPointer { r in
                            ahub_add_layer_norm(x.baseAddress!, r.baseAddress!, Int32(n), Int32(Self.hidden),
                                                gamma.baseAddress!, beta.baseAddress!, Self.eps)
                        }
                    } else {
                        ahub_add_layer_norm(x.baseAddress!, nil, Int32(n), Int32(Self.hidden), gamma.baseAddress!,
                                            beta.baseAddress!, Self.eps)
                    }
                }
            }
        }
    }
}

/// Lets worker threads write disjoint slots of one buffer.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
