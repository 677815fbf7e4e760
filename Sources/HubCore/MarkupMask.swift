/// Finds the bytes of stored text that are markup rather than words — HTML and JATS tags, character
/// entities, LaTeX math and commands — so the analyzer can blank them out without moving any other byte.
///
/// Masked bytes are overwritten with spaces in place: every word keeps its byte offsets, so snippets and
/// highlights computed on the stored text land on the right characters.
public enum MarkupMask {
    /// True when the text holds a byte that can start markup; most titles don't, and skip the copy.
    @inlinable
    public static func mayContainMarkup(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in text where byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "\\")
        {
            return true
        }
        return false
    }

    /// The text with its markup removed and whitespace collapsed: what an embedding model reads.
    public static func plainText(_ text: String) -> String {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { apply(to: $0) }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Blanks markup in `text` (a mutable copy of the stored bytes).
    public static func apply(to text: UnsafeMutableBufferPointer<UInt8>) {
        let n = text.count
        var i = 0
        while i < n {
            switch text[i] {
            case UInt8(ascii: "<"):
                if let end = tagEnd(text, from: i) { blank(text, i, end); i = end } else { i += 1 }
            case UInt8(ascii: "&"):
                if let end = entityEnd(text, from: i) { blank(text, i, end); i = end } else { i += 1 }
            case UInt8(ascii: "$"):
                if let end = dollarMathEnd(text, from: i) { blank(text, i, end); i = end } else { i += 1 }
            case UInt8(ascii: "\\"):
                if let end = bracketMathEnd(text, from: i) {
                    blank(text, i, end)
                    i = end
                } else if let end = commandEnd(text, from: i) {
                    // `\emph{word}`: the command goes, the braced words stay.
                    blank(text, i, end)
                    i = end
                } else {
                    i += 1
                }
            default:
                i += 1
            }
        }
    }

    private static func blank(_ text: UnsafeMutableBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        for j in start..<end { text[j] = UInt8(ascii: " ") }
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
    }

    /// `<tag …>`, `</tag>`, `<!-- … >`: a `<` followed by a letter, `/` or `!`, closed within 300 bytes on the
    /// same paragraph. A `<` in "p < 0.05" is left alone.
    private static func tagEnd(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int? {
        let next = start + 1
        guard next < text.count else { return nil }
        let b = text[next]
        guard isLetter(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: "!") else { return nil }
        var j = next
        let limit = min(text.count, start + 300)
        while j < limit {
            if text[j] == UInt8(ascii: ">") { return j + 1 }
            if text[j] == UInt8(ascii: "<") { return nil }
            j += 1
        }
        return nil
    }

    /// `&amp;`, `&#946;`, `&#x3b2;`.
    private static func entityEnd(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int? {
        var j = start + 1
        let limit = min(text.count, start + 12)
        guard j < limit else { return nil }
        if text[j] == UInt8(ascii: "#") { j += 1 }
        let first = j
        while j < limit {
            let b = text[j]
            if b == UInt8(ascii: ";") { return j > first ? j + 1 : nil }
            guard isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else { return nil }
            j += 1
        }
        return nil
    }

    /// `$…$` and `$$…$$` within one paragraph and 1,000 bytes; a lone dollar ("$5 million") stays.
    private static func dollarMathEnd(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int? {
        let double = start + 1 < text.count && text[start + 1] == UInt8(ascii: "$")
        var j = start + (double ? 2 : 1)
        let limit = min(text.count, start + 1000)
        while j < limit {
            let b = text[j]
            if b == UInt8(ascii: "\\") { j += 2; continue }
            if b == UInt8(ascii: "\n"), j + 1 < text.count, text[j + 1] == UInt8(ascii: "\n") { return nil }
            if b == UInt8(ascii: "$") {
                if double {
                    return j + 1 < text.count && text[j + 1] == UInt8(ascii: "$") ? j + 2 : nil
                }
                return j > start + 1 ? j + 1 : nil
            }
            j += 1
        }
        return nil
    }

    /// `\( … \)` and `\[ … \]`.
    private static func bracketMathEnd(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start + 1 < text.count else { return nil }
        let open = text[start + 1]
        let close: UInt8
        switch open {
        case UInt8(ascii: "("): close = UInt8(ascii: ")")
        case UInt8(ascii: "["): close = UInt8(ascii: "]")
        default: return nil
        }
        var j = start + 2
        let limit = min(text.count, start + 1000)
        while j + 1 < limit {
            if text[j] == UInt8(ascii: "\\") && text[j + 1] == close { return j + 2 }
            j += 1
        }
        return nil
    }

    /// `\command` outside math.
    private static func commandEnd(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int? {
        var j = start + 1
        while j < text.count, isLetter(text[j]) { j += 1 }
        return j > start + 1 ? j : nil
    }
}
