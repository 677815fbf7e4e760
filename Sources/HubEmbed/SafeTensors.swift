import Foundation

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
/// shape and byte range, then the raw data. The file is mapped, not read.
struct SafeTensors {
    struct Tensor {
        var dtype: String
        var shape: [Int]
        var range: Range<Int>
    }

    let data: Data
    let tensors: [String: Tensor]
    private let base: Int

    init(path: String) throws {
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw EmbedError("cannot read \(path): \(error.localizedDescription)")
        }
        guard data.count >= 8 else { throw EmbedError("\(path) is too short to be a safetensors file") }
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard length > 0, 8 + length <= data.count,
            let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any]
        else { throw EmbedError("\(path): the safetensors header is unreadable") }
        base = 8 + length
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                offsets[0] <= offsets[1], base + offsets[1] <= data.count
            else { throw EmbedError("\(path): tensor \(name) has a malformed header entry") }
            tensors[name] = Tensor(dtype: dtype, shape: shape, range: (base + offsets[0])..<(base + offsets[1]))
        }
        self.tensors = tensors
    }

    /// A float32 tensor's values, checked against the expected shape.
    func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let tensor = tensors[name] else { throw EmbedError("the model has no tensor \(name)") }
        guard tensor.dtype == "F32", tensor.shape == shape else {
            throw EmbedError("tensor \(name) is \(tensor.dtype) \(tensor.shape), expected F32 \(shape)")
        }
        let count = shape.reduce(1, *)
        guard tensor.range.count == count * 4 else { throw EmbedError("tensor \(name) has \(tensor.range.count) bytes, expected \(count * 4)") }
        return data.withUnsafeBytes { raw in
            let start = raw.baseAddress! + tensor.range.lowerBound
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: start, count: count * 4)) }
            return values  // little-endian on every platform Swift runs here
        }
    }
}

/// A failure to load or run an embedding model, with what to do about it.
public struct EmbedError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
