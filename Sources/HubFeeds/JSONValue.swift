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
