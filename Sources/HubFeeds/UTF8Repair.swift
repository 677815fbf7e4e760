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

/// Files written in UTF-16 (Windows tools save XML and JSON that way), read as UTF-8: every parser and the
/// format detector see UTF-8 only.
enum UTF16Input {
    /// `data` in UTF-8 when it is UTF-16 (a byte-order mark, or `<?`/`{` with zero bytes between), else
    /// `data` itself. Unpaired surrogates become U+FFFD; an XML declaration's encoding is made UTF-8.
    static func utf8(_ data: Data) -> Data {
        guard data.count >= 2 else { return data }
        let b0 = data[data.startIndex], b1 = data[data.startIndex + 1]
        let b2: UInt8 = data.count > 2 ? data[data.startIndex + 2] : 0xFF
        let b3: UInt8 = data.count > 3 ? data[data.startIndex + 3] : 0xFF
        var littleEndian: Bool
        var skip = 0
        switch (b0, b1) {
        case (0xFF, 0xFE): (littleEndian, skip) = (true, 2)
        case (0xFE, 0xFF): (littleEndian, skip) = (false, 2)
        default:
            if b1 == 0, b3 == 0, b0 == UInt8(ascii: "<") || b0 == UInt8(ascii: "{"), b2 != 0 { littleEndian = true }
            else if b0 == 0, b2 == 0, b1 == UInt8(ascii: "<") || b1 == UInt8(ascii: "{"), b3 != 0 { littleEndian = false }
            else { return data }
        }
        var units: [UInt16] = []
        units.reserveCapacity((data.count - skip) / 2)
        var i = data.startIndex + skip
        while i + 1 < data.endIndex {
            let (a, b) = (UInt16(data[i]), UInt16(data[i + 1]))
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            i += 2
        }
        var text = String(decoding: units, as: UTF16.self)
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") {
            let declaration = text[..<end.upperBound]
            let fixed = declaration.replacingOccurrences(of: #"encoding\s*=\s*["'][^"']*["']"#, with: "encoding=\"UTF-8\"",
                                                         options: [.regularExpression, .caseInsensitive])
            text = fixed + text[end.upperBound...]
        }
        return Data(text.utf8)
    }
}
