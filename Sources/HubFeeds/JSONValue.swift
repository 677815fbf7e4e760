import Foundation

/// Reading the loosely typed values `JSONSerialization` returns.
public enum JSONValue {
    /// JSONSerialization hands booleans back as a private NSNumber subclass; this is how to tell them apart.
    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))

    /// A string, or a number written as one (`"version": 2`, `"_id": 4983`). Booleans and null are not strings.
    public static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber:
            if ObjectIdentifier(type(of: n)) == booleanClass { return nil }
            return n.stringValue
        default: return nil
        }
    }

    /// Why `data` is not JSON, placed as an editor shows it ("invalid value at line 2, column 12"); nil when it is.
    public static func syntaxProblem(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            return syntaxProblem(error, in: data)
        }
    }

    /// `JSONSerialization`'s error for `data` in words: Foundation counts bytes from 0 ("around character 32"),
    /// which nobody can find in a file of Chinese titles; lines and columns (in characters, from 1) they can.
    /// A text on one line gets its column only (`columnsBefore`: characters of its line cut off before it, as
    /// a JSON Lines record's indentation).
    public static func syntaxProblem(_ error: any Error, in data: Data, columnsBefore: Int = 0) -> String {
        let ns = error as NSError
        var text = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
        if text.hasSuffix(".") { text.removeLast() }
        // Foundation's words for a half character escaped (a surrogate alone) and a number beyond a Double, which give
        // no place: said plainly, placed at the first such escape or number in the text.
        let lowered = text.lowercased()
        if lowered.contains("low-surrogate") || lowered.contains("no high character") {
            let high = lowered.contains("low-surrogate")
            let pattern = high ? #"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"#
                : #"(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"#
            let what = high ? "the first half of a character escaped in two (a high surrogate) with no second half after it"
                : "the second half of a character escaped in two (a low surrogate) with no first half before it"
            return "\(what)" + (firstPlace(of: pattern, in: data, columnsBefore: columnsBefore).map { " at " + $0 } ?? "")
                + "; a \\u escape of D800–DFFF is half of one character"
        }
        if lowered.hasPrefix("number "), let end = lowered.range(of: " is not representable") {
            let number = String(text[text.index(text.startIndex, offsetBy: 7)..<end.lowerBound])
            let pattern = "(?<![0-9A-Za-z.])" + NSRegularExpression.escapedPattern(for: number) + "(?![0-9A-Za-z.])"
            return "the number \(number) is beyond what a number here can hold"
                + (firstPlace(of: pattern, in: data, columnsBefore: columnsBefore).map { " at " + $0 } ?? "")
        }
        // A text, number or true alone (`"hello"`): Foundation's words name its own option for them.
        if lowered.hasPrefix("json text did not start with array or object") {
            return "it holds one value alone (a text, a number, true, false or null), not an array or an object"
        }
        // Cut short (a truncated download, a file saved half-written): placed where it ends, said as such.
        if lowered.hasPrefix("unexpected end of file") {
            let end = data.lastIndex(where: { !isBlank($0) }).map { data.index(after: $0) } ?? data.startIndex
            let (line, column) = lineAndColumn(of: end, in: data)
            return "it ends before its JSON does, after " + place(line: line, column: max(1, column - 1 + (line == 1 ? columnsBefore : 0)), in: data)
                + " (cut short?)"
        }
        if let marker = text.range(of: " around character "), let offset = Int(text[marker.upperBound...]), offset <= data.count {
            let (line, column) = lineAndColumn(of: data.index(data.startIndex, offsetBy: offset), in: data)
            text = text[..<marker.lowerBound] + " at " + place(line: line, column: column + (line == 1 ? columnsBefore : 0), in: data)
        }
        // "Unexpected end" reads "unexpected end"; an acronym ("JSON text …") keeps its capitals.
        if text.dropFirst().first?.isUppercase == true { return text }
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// JSON's whitespace (RFC 8259): space, line feed, carriage return, tab.
    public static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// "line L, column C" (or "column C") of the first match of `pattern` in the text, nil when none matches.
    static func firstPlace(of pattern: String, in data: Data, columnsBefore: Int) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        guard let match = text.range(of: pattern, options: .regularExpression) else { return nil }
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: match.lowerBound.samePosition(in: text.utf8) ?? text.utf8.startIndex)
        guard offset <= data.count else { return nil }
        let (line, column) = lineAndColumn(of: data.index(data.startIndex, offsetBy: offset), in: data)
        return place(line: line, column: column + (line == 1 ? columnsBefore : 0), in: data)
    }

    /// The line and column (in characters), both from 1, of the byte at `index`.
    static func lineAndColumn(of index: Data.Index, in data: Data) -> (line: Int, column: Int) {
        let lineStart = data[..<index].lastIndex(of: 0x0A).map { data.index(after: $0) } ?? data.startIndex
        return (data[..<index].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }, String(decoding: data[lineStart..<index], as: UTF8.self).count + 1)
    }

    /// "line 2, column 14", or "column 14" for a text on one line (a newline after its last character aside).
    public static func place(line: Int, column: Int, in data: Data) -> String {
        let oneLine = data.lastIndex(where: { !isBlank($0) }).map { !data[..<$0].contains(0x0A) } ?? true
        return oneLine ? "column \(column)" : "line \(line), column \(column)"
    }

    /// Where JSON that Foundation parses has a comma before `}` or `]` (the comma's byte offset), which RFC 8259
    /// does not allow; nil when it has none. One pass over the bytes, strings skipped, nothing allocated: cheap
    /// enough for every line of a large JSON Lines import.
    public static func trailingComma(in bytes: UnsafeRawBufferPointer) -> Int? {
        var lastComma: Int?  // the last byte outside strings and blanks, when it was a comma
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                lastComma = nil
            case UInt8(ascii: ","): lastComma = i
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let comma = lastComma { return comma }
            case 0x20, 0x0A, 0x0D, 0x09: break
            default: lastComma = nil
            }
            i += 1
        }
        return nil
    }

    /// What JSON that Foundation parses may still hold that parsers read differently.
    public enum Laxity: Equatable, Sendable {
        /// A field given twice in one object (`at` its place: "the top level", "feedback[2]"): the first
        /// wins in Foundation, the last in most other parsers, so which one was meant is the sender's to say.
        case repeatedKey(String, at: String)
        /// A comma before `}` or `]`, which Foundation takes and RFC 8259 does not (line and column as an editor shows them).
        case trailingComma(line: Int, column: Int)
    }

    /// The first laxity in `data`, which should already parse; nil when there is none. One pass over the bytes;
    /// each object's keys in a set of their own, added to in place (a copy per key made a 100,000-key export quadratic).
    public static func laxity(in data: Data) -> Laxity? {
        // Per open bracket: an object's last key and whether a key comes next, or an array's index; the
        // objects' key sets stand apart in `keySets`, one per object open.
        enum Frame { case object(key: String?, expectsKey: Bool), array(index: Int) }
        var frames: [Frame] = [], keySets: [Set<String>] = []
        var lastSignificant: Data.Index?
        func place() -> String {
            let text = frames.dropLast().enumerated().map { depth, frame -> String in
                switch frame {
                case .object(let key, _): return (depth == 0 ? "" : ".") + (key ?? "")
                case .array(let index): return "[\(index)]"
                }
            }.joined()
            return text.isEmpty ? "the top level" : text
        }
        var i = data.startIndex
        while i < data.endIndex {
            let byte = data[i]
            if byte == UInt8(ascii: "\"") {
                var end = data.index(after: i), escaped = false
                while end < data.endIndex, data[end] != UInt8(ascii: "\"") {
                    if data[end] == UInt8(ascii: "\\") { escaped = true; end = data.index(after: end) }
                    if end < data.endIndex { end = data.index(after: end) }
                }
                guard end < data.endIndex else { return nil }
                if case .object(_, true)? = frames.last {
                    // Decoded as the parser decodes it: `"n\u0061me"` is `name`.
                    let key = escaped ? (try? JSONSerialization.jsonObject(with: data[i...end], options: .fragmentsAllowed)) as? String
                        : String(decoding: data[data.index(after: i)..<end], as: UTF8.self)
                    if let key {
                        guard keySets[keySets.count - 1].insert(key).inserted else { return .repeatedKey(key, at: place()) }
                        frames[frames.count - 1] = .object(key: key, expectsKey: false)
                    }
                }
                lastSignificant = end
                i = data.index(after: end)
                continue
            }
            switch byte {
            case UInt8(ascii: "{"):
                frames.append(.object(key: nil, expectsKey: true))
                keySets.append([])
            case UInt8(ascii: "["): frames.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let comma = lastSignificant, data[comma] == UInt8(ascii: ",") {
                    let (line, column) = lineAndColumn(of: comma, in: data)
                    return .trailingComma(line: line, column: column)
                }
                if case .object? = frames.popLast() { keySets.removeLast() }
            case UInt8(ascii: ","):
                switch frames.last {
                case .object(let key, _)?: frames[frames.count - 1] = .object(key: key, expectsKey: true)
                case .array(let index)?: frames[frames.count - 1] = .array(index: index + 1)
                case nil: break
                }
            default: break
            }
            if byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09 { lastSignificant = i }
            i = data.index(after: i)
        }
        return nil
    }

    /// What a JSON value is, for messages: "a list", "an object", "true or false", "null".
    static func kind(_ value: Any?) -> String {
        switch value {
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case is NSNull, nil: return "null"
        case let n as NSNumber where ObjectIdentifier(type(of: n)) == booleanClass: return "true or false"
        default: return "not text"
        }
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let n as NSNumber: return n.intValue
        case let s as String: return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// An array of strings, or one string as a one-element array.
    static func strings(_ value: Any?) -> [String] {
        if let array = value as? [Any] { return array.compactMap { string($0) } }
        if let s = string(value) { return [s] }
        return []
    }

    /// The first of `keys` holding a non-empty string.
    static func first(_ object: [String: Any], _ keys: String...) -> String? {
        for key in keys {
            if let s = string(object[key]), !s.isEmpty { return s }
        }
        return nil
    }
}
