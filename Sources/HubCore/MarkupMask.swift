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

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// `<tag …>`, `</tag>`, `<!-- … >`: a `<` followed by an element's name (or `/` and one, or `!`), then only
    /// what a tag holds, attributes (`name`, `name=value`, `name="any text"`) apart by spaces, up to a `>` within
    /// 300 bytes. A `<` in "p < 0.05", "n<k the algorithm ends, and for n>k" or "<or=3 mg/l" is text.
    private static func tagEnd(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int? {
        let limit = min(text.count, start + 300)
        var j = start + 1
        guard j < limit else { return nil }
        func isNameByte(_ b: UInt8) -> Bool {
            isLetter(b) || isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }
        if text[j] == UInt8(ascii: "!") {
            // A comment or declaration: anything up to its `>`.
            while j < limit {
                if text[j] == UInt8(ascii: ">") { return j + 1 }
                if text[j] == UInt8(ascii: "<") { return nil }
                j += 1
            }
            return nil
        }
        let closing = text[j] == UInt8(ascii: "/")
        if closing { j += 1 }
        guard j < limit, isLetter(text[j]) else { return nil }
        let nameStart = j
        while j < limit, isNameByte(text[j]) { j += 1 }
        // An element of HTML, JATS or MathML, or one with a namespace (`mml:mi`, `jats:p`): "d<n and fails for
        // n>d" names none.
        let name = String(decoding: UnsafeBufferPointer(rebasing: text[nameStart..<j]), as: UTF8.self).lowercased()
        guard name.contains(":") || elements.contains(name) else { return nil }
        // After the name, and after each attribute: spaces, then another attribute, `/>` or `>`.
        var quotedBefore = false  // `a="1"b="2"`: after a quoted value the next attribute may come without a space
        while j < limit {
            let spaced = isSpace(text[j]) || quotedBefore
            quotedBefore = false
            while j < limit, isSpace(text[j]) { j += 1 }
            guard j < limit else { return nil }
            if text[j] == UInt8(ascii: ">") { return j + 1 }
            if text[j] == UInt8(ascii: "/") { return j + 1 < limit && text[j + 1] == UInt8(ascii: ">") ? j + 2 : nil }
            guard spaced, !closing, isLetter(text[j]) || text[j] == UInt8(ascii: "_") || text[j] == UInt8(ascii: ":") else { return nil }
            while j < limit, isNameByte(text[j]) { j += 1 }
            guard j < limit, text[j] == UInt8(ascii: "=") else { continue }
            j += 1
            guard j < limit else { return nil }
            let quote = text[j]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                j += 1
                while j < limit, text[j] != quote { j += 1 }
                guard j < limit else { return nil }
                j += 1
                quotedBefore = true
            } else {
                // Unquoted: up to a space or the end (`href=https://x.org/?q=1`).
                let first = j
                while j < limit, !isSpace(text[j]), text[j] != UInt8(ascii: ">"), text[j] != UInt8(ascii: "<"),
                      text[j] != UInt8(ascii: "\""), text[j] != UInt8(ascii: "'") { j += 1 }
                guard j > first else { return nil }
            }
        }
        return nil
    }

    /// Elements of HTML, of JATS (bioRxiv's, journals' abstracts) and of MathML that abstracts carry.
    static let elements: Set<String> = [
        "a", "abbr", "b", "big", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt", "em",
        "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s",
        "samp", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "tt", "u", "ul", "var", "wbr", "html", "body", "head", "meta", "link", "script", "style",
        "italic", "bold", "sc", "underline", "monospace", "overline", "roman", "sans-serif", "inline-formula",
        "disp-formula", "tex-math", "alternatives", "list", "list-item", "title", "sec", "label", "fig", "xref",
        "ext-link", "uri", "named-content", "styled-content", "abstract", "inline-graphic", "graphic",
        "math", "mi", "mn", "mo", "ms", "mrow", "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "mtext", "mspace",
        "mstyle", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mfenced", "semantics", "annotation",
    ]

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

    /// `$…$` and `$$…$$` within one paragraph and 1,000 bytes. As in pandoc, a single `$` opens math only with
    /// no space after it, and its next `$` closes it only with no space before it and no digit after it:
    /// amounts ("$5 million … saved $12 million", "$81,000/QALY and $140,000") stay text.
    private static func dollarMathEnd(_ text: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int? {
        let double = start + 1 < text.count && text[start + 1] == UInt8(ascii: "$")
        if !double {
            // Nor a currency's sign: after a letter or digit ("US$") or before ")", "," or "." ("cost ($), …").
            guard start + 1 < text.count, !isSpace(text[start + 1]) else { return nil }
            let next = text[start + 1]
            if next == UInt8(ascii: ")") || next == UInt8(ascii: ",") || next == UInt8(ascii: ".") { return nil }
            if start > 0, isLetter(text[start - 1]) || isDigit(text[start - 1]) { return nil }
        }
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
                let digitAfter = j + 1 < text.count && isDigit(text[j + 1])
                return j > start + 1 && !isSpace(text[j - 1]) && !digitAfter ? j + 1 : nil
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
