import Foundation

/// The invalid-UTF-8 policy: repair and keep.
///
/// A stray byte in one abstract must not cost the file, nor the record: invalid sequences are replaced by
/// U+FFFD and the text is imported. What cannot be repaired this way (broken JSON syntax, broken XML
/// markup) rejects only its own line or entry.
enum UTF8Repair {
    /// Whether `bytes` are valid UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // ASCII fast path, 8 bytes at a time; everything before `i` is ASCII, so validation of the rest
        // starts on a sequence boundary.
        var i = 0
        let n = bytes.count
        while i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        if i == n { return true }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[i...]).assumingMemoryBound(to: UInt8.self)
        return String(validating: rest, as: UTF8.self) != nil
    }

    /// The bytes with every invalid sequence replaced by U+FFFD.
    static func repaired(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        Array(String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self).utf8)
    }

    /// An XML document as bytes, repaired when it is (or declares itself) UTF-8 and is not valid UTF-8.
    /// Documents declaring another encoding are left to the parser.
    static func repairedXML(_ data: Data) -> [UInt8] {
        data.withUnsafeBytes { raw -> [UInt8] in
            if declaresOtherEncoding(raw) || isValid(raw) { return Array(raw.assumingMemoryBound(to: UInt8.self)) }
            return repaired(raw)
        }
    }

    /// `<?xml … encoding="ISO-8859-1"?>` or any encoding but UTF-8.
    private static func declaresOtherEncoding(_ raw: UnsafeRawBufferPointer) -> Bool {
        let head = String(decoding: UnsafeRawBufferPointer(rebasing: raw.prefix(200)).assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return false }
        let declaration = head[..<end.lowerBound].lowercased()
        guard let enc = declaration.range(of: "encoding") else { return false }
        let value = declaration[enc.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" })
        return !(value.hasPrefix("utf-8") || value.hasPrefix("utf8"))
    }
}
