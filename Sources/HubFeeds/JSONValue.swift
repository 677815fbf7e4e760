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
    /// A text on one line gets its column only.
    public static func syntaxProblem(_ error: any Error, in data: Data) -> String {
        let ns = error as NSError
        var text = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
        if text.hasSuffix(".") { text.removeLast() }
        if let marker = text.range(of: " around character "), let offset = Int(text[marker.upperBound...]), offset <= data.count {
            let at = data.index(data.startIndex, offsetBy: offset)
            let lineStart = data[..<at].lastIndex(of: 0x0A).map { data.index(after: $0) } ?? data.startIndex
            let line = data[..<at].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = String(decoding: data[lineStart..<at], as: UTF8.self).count + 1
            let oneLine = !data.contains(0x0A)
            text = text[..<marker.lowerBound] + (oneLine ? " at column \(column)" : " at line \(line), column \(column)")
        }
        return text.prefix(1).lowercased() + text.dropFirst()
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
