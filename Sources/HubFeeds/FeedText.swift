import Foundation
/// Text clean-up shared by the parsers: whitespace, display markup and HTML entities.
///
/// Every function here is one linear pass over UTF-8 bytes writing into a buffer sized up front (the output is
/// never longer than the input), so a 10 MB abstract costs a few milliseconds, and text that needs no change
/// is returned as it came.
///
/// What is changed, and why:
/// - Whitespace: runs of Unicode whitespace become one space and the ends are trimmed, for every title and
///   abstract of every format (feeds wrap lines and indent).
/// - Markup: only RSS/RDF/Atom descriptions and bioRxiv abstracts are stripped of HTML and JATS tags, since
///   there tags are display markup (`<p>`, `<i>`, `<jats:sub>`). A `<` that does not open a known tag stays,
///   so LaTeX such as `$a<b$` or `$\langle x, y \rangle$` and comparisons like `p < 0.05` survive. arXiv text
///   is plain and is never stripped.
/// - Entities: the same markup-bearing fields have their HTML entities decoded (`&amp;`, `&nbsp;`, `&#8217;`);
///   XMLParser has already decoded the XML layer. JSON Lines text is taken literally, so an export re-imports
///   byte for byte.
enum FeedText {
    /// `10.3 MB`, `100 KB`, `2500 bytes`: sizes in rejection messages. Under 1 MB, kilobytes only when whole,
    /// so a 2,500-byte title is not "2 KB long" against a 2 KB limit.
    static func byteSize(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        if bytes >= 1_000, bytes % 1_000 == 0 { return "\(bytes / 1_000) KB" }
        return "\(bytes) bytes"
    }

    /// Text that was UTF-8 read as Latin-1 and written out as UTF-8 again (arXiv's API serves some author names
    /// and abstracts so: `SÃ©bastien` for Sébastien, `Î±` for α), repaired. In a run of characters from
    /// U+0080…U+00FF, a stretch whose code points, taken as bytes, form one whole multi-byte UTF-8 sequence is
    /// that sequence's character when the stretch cannot be real text: it holds a C1 control (U+0080…U+009F,
    /// never written on purpose: `Å\u{81}` is Ł, `â\u{80}\u{94}` is —), or it is two characters led by `Â`,
    /// `Ã`, `Î`, `Ï`, `Ð` or `Ñ` (the mojibake of Latin-1 symbols, Latin accents, Greek and Cyrillic: `Â°`,
    /// `Ã©`, `Î±`). Other pairs are left as written, for they are real: `Å²` is Ångström squared, `É®` a
    /// trademark, `ß` then a no-break space German; a lone `é` or `ö` is never touched. Repairing twice
    /// changes nothing.
    static func repairingMojibake(_ text: String) -> String {
        // A repair needs a lead byte's character, U+00C2…U+00F4; most text has none.
        guard text.unicodeScalars.contains(where: { (0xC2...0xF4).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            var i = 0
            while i < run.count {
                let lead = run[i]
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
                let continuation = length > 0 && i + length <= run.count ? run[(i + 1)..<(i + length)] : []
                let broken = continuation.contains { $0 <= 0x9F } || (length == 2 && Self.mojibakeLeads.contains(lead))
                if length > 0, i + length <= run.count, continuation.allSatisfy({ (0x80...0xBF).contains($0) }), broken,
                   let decoded = String(validating: run[i..<(i + length)], as: UTF8.self) {
                    out.append(contentsOf: decoded.unicodeScalars)
                    i += length
                } else {
                    out.append(Unicode.Scalar(lead))
                    i += 1
                }
            }
            run.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if (0x80...0xFF).contains(scalar.value) { run.append(UInt8(scalar.value)) } else { flush(); out.append(scalar) }
        }
        flush()
        return String(out)
    }

    /// `Â`, `Ã`, `Î`, `Ï`, `Ð`, `Ñ`: the lead bytes of Latin-1 symbols, Latin accents, Greek and Cyrillic read as
    /// Latin-1, and letters real text does not put before a symbol or a no-break space.
    static let mojibakeLeads: Set<UInt8> = [0xC2, 0xC3, 0xCE, 0xCF, 0xD0, 0xD1]

    /// Collapses every run of whitespace to one space and trims the ends.
    ///
    /// Whitespace is what `Character.isWhitespace` calls whitespace for a single scalar (ASCII space, tab,
    /// line breaks, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), so the
    /// result matches HubCore's `collapsingWhitespace()`; and NUL, which SQLite would read as the text's end
    /// (the rest of a title after a `\u0000` in JSON would be lost).
    static func collapseWhitespace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { src -> String in
            let n = src.count
            if n == 0 { return "" }
            // Fast path: no leading/trailing whitespace and no whitespace other than single spaces.
            var clean = whitespaceLength(src, 0) == 0 && !endsWithWhitespace(src)
            if clean {
                var i = 0
                var previousSpace = false
                while i < n {
                    let b = src[i]
                    if b == 0x20 {
                        if previousSpace { clean = false; break }
                        previousSpace = true
                        i += 1
                        continue
                    }
                    previousSpace = false
                    if b < 0x20 || b >= 0xC2 {
                        if whitespaceLength(src, i) > 0 { clean = false; break }
                    }
                    i += 1
                }
            }
            if clean { return String(decoding: src, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: n) { out in
                var o = 0
                var i = 0
                var pending = false
                while i < n {
                    let w = whitespaceLength(src, i)
                    if w > 0 {
                        pending = true
                        i += w
                        continue
                    }
                    if pending && o > 0 {
                        out[o] = 0x20
                        o += 1
                    }
                    pending = false
                    out[o] = src[i]
                    o += 1
                    i += 1
                }
                return o
            }
        }
    }

    /// Byte length of the whitespace scalar starting at `i`, or 0.
    @inline(__always)
    static func whitespaceLength(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = s[i]
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0 ? 1 : 0 }
        let n = s.count
        switch b {
        case 0xC2:
            if i + 1 < n, s[i + 1] == 0x85 || s[i + 1] == 0xA0 { return 2 }
        case 0xE1:
            if i + 2 < n, s[i + 1] == 0x9A, s[i + 2] == 0x80 { return 3 }
        case 0xE2:
            if i + 2 < n {
                let c = s[i + 1]
                let d = s[i + 2]
                if c == 0x80, d <= 0x8A || d == 0xA8 || d == 0xA9 || d == 0xAF { return 3 }
                if c == 0x81, d == 0x9F { return 3 }
            }
        case 0xE3:
            if i + 2 < n, s[i + 1] == 0x80, s[i + 2] == 0x80 { return 3 }
        default:
            break
        }
        return 0
    }

    private static func endsWithWhitespace(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count
        for width in 1...3 where n >= width {
            if whitespaceLength(s, n - width) == width { return true }
        }
        return false
    }

    /// Display text of an HTML fragment: known tags removed (block tags become a space), entities decoded,
    /// whitespace collapsed.
    static func fromHTML(_ html: String) -> String {
        collapseWhitespace(decodeEntities(stripTags(html)))
    }

    // MARK: Tags

    /// HTML and JATS element names treated as markup. Anything else after `<` is text.
    private static let inlineTags: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "img", "ins", "kbd",
        "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
        "italic", "bold", "underline", "sc", "monospace", "inline-formula", "named-content", "ext-link", "xref",
        "uri", "email", "styled-content",
    ]
    private static let blockTags: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        "abstract", "title", "sec", "list", "list-item", "disp-formula", "label", "fig", "table-wrap",
    ]

    /// Removes known HTML/JATS tags (and comments). `jats:`/`mml:`/`html:` prefixes are accepted; MathML
    /// elements lose their tags and keep their text.
    static func stripTags(_ text: String) -> String {
        guard text.utf8.contains(0x3C) else { return text }
        var text = text
        return text.withUTF8 { src -> String in
            let n = src.count
            return String(unsafeUninitializedCapacity: n) { out in
                var o = 0
                var i = 0
                while i < n {
                    let b = src[i]
                    if b == 0x3C, let (end, block) = tagEnd(src, at: i) {
                        if block, o > 0, out[o - 1] != 0x20 {
                            out[o] = 0x20
                            o += 1
                        }
                        i = end
                        continue
                    }
                    out[o] = b
                    o += 1
                    i += 1
                }
                return o
            }
        }
    }

    /// If a known tag or a comment starts at `i`, the index just past it and whether it breaks a block.
    private static func tagEnd(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Bool)? {
        let n = s.count
        var i = start + 1
        guard i < n else { return nil }
        if s[i] == 0x21 {  // "<!--"
            guard i + 2 < n, s[i + 1] == 0x2D, s[i + 2] == 0x2D else { return nil }
            var j = i + 3
            while j + 2 < n {
                if s[j] == 0x2D, s[j + 1] == 0x2D, s[j + 2] == 0x3E { return (j + 3, false) }
                j += 1
            }
            return nil
        }
        if s[i] == 0x2F { i += 1 }  // "</"
        let nameStart = i
        while i < n, isNameByte(s[i]) { i += 1 }
        guard i > nameStart, i < n, isASCIILetter(s[nameStart]) else { return nil }
        let after = s[i]
        guard after == 0x3E || after == 0x2F || after == 0x20 || after == 0x09 || after == 0x0A || after == 0x0D
        else { return nil }
        var name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<i]), as: UTF8.self).lowercased()
        var prefixed = false
        if let colon = name.lastIndex(of: ":") {
            let prefix = name[..<colon]
            guard prefix == "jats" || prefix == "mml" || prefix == "html" || prefix == "xhtml" else { return nil }
            prefixed = true
            name = String(name[name.index(after: colon)...])
        }
        let block = blockTags.contains(name)
        guard block || inlineTags.contains(name) || (prefixed && !name.isEmpty) else { return nil }
        // Find the closing ">", skipping quoted attribute values.
        var quote: UInt8 = 0
        while i < n {
            let c = s[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            } else if c == 0x3E {
                return (i + 1, block)
            } else if c == 0x3C {
                return nil  // another "<" before ">": not a tag after all
            }
            i += 1
        }
        return nil
    }

    @inline(__always) private static func isASCIILetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    @inline(__always) private static func isNameByte(_ b: UInt8) -> Bool {
        isASCIILetter(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x3A || b == 0x5F
    }

    // MARK: Entities

    /// Decodes `&name;`, `&#NNN;` and `&#xHHH;`. Unknown names stay as written; invalid code points become U+FFFD.
    static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(0x26) else { return text }
        var text = text
        return text.withUTF8 { src -> String in
            let n = src.count
            // Every reference is at least as long as its UTF-8 encoding, so n bytes always suffice.
            return String(unsafeUninitializedCapacity: n) { out in
                var o = 0
                var i = 0
                while i < n {
                    let b = src[i]
                    if b == 0x26, let (scalar, end) = entity(src, at: i) {
                        for byte in UTF8.encode(scalar)! {
                            out[o] = byte
                            o += 1
                        }
                        i = end
                        continue
                    }
                    out[o] = b
                    o += 1
                    i += 1
                }
                return o
            }
        }
    }

    private static func entity(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> (Unicode.Scalar, Int)? {
        let n = s.count
        var i = start + 1
        guard i < n else { return nil }
        if s[i] == 0x23 {  // "&#"
            i += 1
            var hex = false
            if i < n, s[i] == 0x78 || s[i] == 0x58 {
                hex = true
                i += 1
            }
            var value: UInt32 = 0
            let digitsStart = i
            while i < n, i - digitsStart < 8 {
                let c = s[i]
                var d: UInt32
                if c >= 0x30 && c <= 0x39 {
                    d = UInt32(c - 0x30)
                } else if hex, (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 {
                    d = UInt32((c | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                value = value * (hex ? 16 : 10) + d
                i += 1
            }
            guard i > digitsStart, i < n, s[i] == 0x3B else { return nil }
            let scalar = (value == 0 ? nil : Unicode.Scalar(value)) ?? Unicode.Scalar(0xFFFD)!
            return (scalar, i + 1)
        }
        let nameStart = i
        while i < n, i - nameStart < 10, isASCIILetter(s[i]) || (s[i] >= 0x30 && s[i] <= 0x39) { i += 1 }
        guard i > nameStart, i < n, s[i] == 0x3B else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<i]), as: UTF8.self)
        guard let value = HTMLEntities.named[name], let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, i + 1)
    }
}
