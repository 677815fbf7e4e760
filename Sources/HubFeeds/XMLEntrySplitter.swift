import Foundation

/// Cuts a feed into its entries at the byte level, so that each entry can be parsed on its own and one
/// broken entry costs only itself.
///
/// A whole-document XMLParser stops at the first error and would lose every entry after it. Instead the
/// bytes are scanned once for `<entry …>…</entry>` (or `<item>`), with any namespace prefix, skipping
/// comments, CDATA sections, processing instructions and quoted attribute values; each entry is then wrapped
/// in the document's own XML declaration and root start tag (so its namespace declarations and encoding
/// apply) and parsed alone. What surrounds the entries (the feed's header and its closing tags) forms a
/// skeleton that is parsed for feed-level fields such as `opensearch:totalResults` or the channel link.
struct XMLEntrySplitter {
    struct Entry {
        enum Ending {
            /// Closed by its end tag.
            case closed
            /// Another entry started before this one was closed.
            case interrupted
            /// The file ended inside it.
            case truncated
        }
        var range: Range<Int>
        /// 1-based line of the file on which the entry starts.
        var line: Int
        var ending: Ending
    }

    let bytes: [UInt8]
    let declaration: Range<Int>?
    let rootStartTag: Range<Int>?
    /// The root element's qualified name, e.g. `feed`, `rss`, `rdf:RDF`.
    let rootName: String
    let entries: [Entry]

    /// - Parameter entryName: local name of the repeated element: `entry` (Atom) or `item` (RSS).
    init(bytes: [UInt8], entryName: String) {
        self.bytes = bytes
        let layout = XMLEntrySplitter.scan(bytes, entryName: Array(entryName.utf8))
        declaration = layout.declaration
        rootStartTag = layout.rootStartTag
        rootName = layout.rootName
        entries = layout.entries
    }

    /// The entry wrapped as a document of its own, and how many lines precede the entry in that document.
    func wrapped(_ entry: Entry) -> (bytes: [UInt8], linesBefore: Int) {
        var out: [UInt8] = []
        out.reserveCapacity(entry.range.count + 512)
        if let declaration {
            out += bytes[declaration]
            out.append(0x0A)
        }
        if let rootStartTag { out += bytes[rootStartTag] }
        let linesBefore = out.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        out += bytes[entry.range]
        appendRootEnd(to: &out)
        return (out, linesBefore)
    }

    /// The document without its entries: the header up to the first entry and whatever follows the last
    /// closed one (normally the closing tags).
    var skeleton: [UInt8] {
        guard let first = entries.first else { return bytes }
        var out = Array(bytes[0..<first.range.lowerBound])
        if let last = entries.last, last.ending == .closed {
            out += bytes[last.range.upperBound...]
        } else if rootStartTag != nil {
            appendRootEnd(to: &out)
        }
        return out
    }

    private func appendRootEnd(to out: inout [UInt8]) {
        guard rootStartTag != nil else { return }
        out += Array("</".utf8) + Array(rootName.utf8) + [0x3E, 0x0A]
    }

    // MARK: Scanning

    private static func scan(
        _ bytes: [UInt8], entryName: [UInt8]
    ) -> (declaration: Range<Int>?, rootStartTag: Range<Int>?, rootName: String, entries: [Entry]) {
        var declaration: Range<Int>?
        var rootStartTag: Range<Int>?
        var rootName = ""
        let n = bytes.count
        var entryStart: Int?
        var entryLine = 0
        var line = 1
        var countedTo = 0
        var found: [Entry] = []

        bytes.withUnsafeBufferPointer { s in
            func find(_ needle: [UInt8], from: Int) -> Int? {
                guard needle.count <= n else { return nil }
                var i = from
                let first = needle[0]
                while i + needle.count <= n {
                    guard let p = memchr(s.baseAddress! + i, Int32(first), n - i) else { return nil }
                    let at = s.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                    if at + needle.count > n { return nil }
                    var match = true
                    for k in 1..<needle.count where s[at + k] != needle[k] {
                        match = false
                        break
                    }
                    if match { return at }
                    i = at + 1
                }
                return nil
            }
            func lineAt(_ position: Int) -> Int {
                var i = countedTo
                while i < position {
                    if s[i] == 0x0A { line += 1 }
                    i += 1
                }
                countedTo = position
                return line
            }
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

            var pos = 0
            while pos < n {
                guard let p = memchr(s.baseAddress! + pos, 0x3C, n - pos) else { break }
                let lt = s.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                guard lt + 1 < n else { break }
                let next = s[lt + 1]
                if next == 0x21 {  // "<!"
                    if lt + 3 < n, s[lt + 2] == 0x2D, s[lt + 3] == 0x2D {
                        pos = (find(Array("-->".utf8), from: lt + 4).map { $0 + 3 }) ?? n
                    } else if lt + 8 < n, s[lt + 2] == 0x5B, Array(s[(lt + 2)..<(lt + 9)]) == Array("[CDATA[".utf8) {
                        pos = (find(Array("]]>".utf8), from: lt + 9).map { $0 + 3 }) ?? n
                    } else {
                        // DOCTYPE, possibly with an internal subset in brackets.
                        var i = lt + 2
                        var depth = 0
                        while i < n {
                            if s[i] == 0x5B { depth += 1 } else if s[i] == 0x5D { depth -= 1 } else if s[i] == 0x3E, depth <= 0 { break }
                            i += 1
                        }
                        pos = i + 1
                    }
                    continue
                }
                if next == 0x3F {  // "<?"
                    let end = find(Array("?>".utf8), from: lt + 2).map { $0 + 2 } ?? n
                    if rootStartTag == nil, declaration == nil, lt + 5 < n, Array(s[(lt + 2)..<(lt + 5)]) == Array("xml".utf8),
                        isSpace(s[lt + 5])
                    {
                        declaration = lt..<end
                    }
                    pos = end
                    continue
                }
                let isEnd = next == 0x2F
                let nameStart = isEnd ? lt + 2 : lt + 1
                var i = nameStart
                while i < n, !isSpace(s[i]), s[i] != 0x3E, s[i] != 0x2F, s[i] != 0x3C { i += 1 }
                let nameEnd = i
                guard nameEnd > nameStart else {
                    pos = lt + 1  // a bare "<" in text: not markup we can use
                    continue
                }
                // The tag's closing ">", outside quoted attribute values.
                var quote: UInt8 = 0
                while i < n {
                    let c = s[i]
                    if quote != 0 {
                        if c == quote { quote = 0 }
                    } else if c == 0x22 || c == 0x27 {
                        quote = c
                    } else if c == 0x3E {
                        break
                    }
                    i += 1
                }
                let tagEnd = min(i + 1, n)
                let selfClosing = i < n && i > nameStart && s[i - 1] == 0x2F
                var localStart = nameStart
                for k in nameStart..<nameEnd where s[k] == 0x3A { localStart = k + 1 }
                let isEntryName =
                    nameEnd - localStart == entryName.count
                    && entryName.indices.allSatisfy { s[localStart + $0] == entryName[$0] }

                if rootStartTag == nil, !isEnd {
                    rootStartTag = lt..<tagEnd
                    rootName = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<nameEnd]), as: UTF8.self)
                } else if isEntryName, !isEnd {
                    if let start = entryStart {
                        found.append(Entry(range: start..<lt, line: entryLine, ending: .interrupted))
                    }
                    entryStart = lt
                    entryLine = lineAt(lt)
                    if i >= n {
                        found.append(Entry(range: lt..<n, line: entryLine, ending: .truncated))
                        entryStart = nil
                    } else if selfClosing {
                        found.append(Entry(range: lt..<tagEnd, line: entryLine, ending: .closed))
                        entryStart = nil
                    }
                } else if isEntryName, isEnd, let start = entryStart {
                    found.append(Entry(range: start..<tagEnd, line: entryLine, ending: i < n ? .closed : .truncated))
                    entryStart = nil
                }
                pos = tagEnd
            }
        }
        if let start = entryStart {
            found.append(Entry(range: start..<n, line: entryLine, ending: .truncated))
        }
        return (declaration, rootStartTag, rootName, found)
    }
}
