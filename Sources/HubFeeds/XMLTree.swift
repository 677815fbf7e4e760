import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a small parsed XML fragment (a feed entry or a feed's header), by local name and
/// namespace URI so that prefixes do not matter.
final class XMLTreeNode {
    let name: String
    let namespace: String
    let attributes: [String: String]
    /// Character data directly inside this element (CDATA included), in order.
    fileprivate(set) var text = ""
    fileprivate(set) var children: [XMLTreeNode] = []
    /// For each child, the UTF-8 length of `text` when it started: where its text goes in ``deepText``.
    fileprivate var childOffsets: [Int] = []

    init(name: String, namespace: String, attributes: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
    }

    /// The first child with this local name in a namespace `ns` accepts.
    func child(_ name: String, _ ns: Namespace) -> XMLTreeNode? {
        children.first { $0.name == name && ns.matches($0.namespace) }
    }

    func children(_ name: String, _ ns: Namespace) -> [XMLTreeNode] {
        children.filter { $0.name == name && ns.matches($0.namespace) }
    }

    /// The text of the first such child (descendants included), nil when there is none.
    func string(_ name: String, _ ns: Namespace) -> String? {
        child(name, ns)?.deepText
    }

    /// An attribute by local name, whatever its prefix (`rdf:about` → "about").
    func attribute(_ localName: String) -> String? {
        if let v = attributes[localName] { return v }
        for (key, value) in attributes where key.hasSuffix(":" + localName) { return value }
        return nil
    }

    /// All character data inside the element, children's in place. Block-level XHTML children are set apart
    /// by a space so that `<p>One.</p><p>Two.</p>` does not read "One.Two.".
    var deepText: String {
        if children.isEmpty { return text }
        var out = ""
        var from = text.utf8.startIndex
        for (child, offset) in zip(children, childOffsets) {
            let at = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
            out += text[from..<at]
            let separate = XMLTreeNode.blockNames.contains(child.name)
            if separate { out += " " }
            out += child.deepText
            if separate { out += " " }
            from = at
        }
        out += text[from...]
        return out
    }

    private static let blockNames: Set<String> = ["p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"]
}

/// Namespaces the feeds use, matched by URI family rather than exact string where publishers vary.
enum Namespace {
    case none
    case atom
    case arxiv
    case openSearch
    case dc
    case prism
    case content
    case rss1
    case rdf
    /// Atom's own elements, or no namespace at all (some feeds forget the declaration).
    case atomOrNone
    /// RSS 1.0's elements, or no namespace.
    case rss1OrNone
    case any

    func matches(_ uri: String) -> Bool {
        switch self {
        case .none: return uri.isEmpty
        case .atom: return uri == "http://www.w3.org/2005/Atom"
        // arXiv's "http://arxiv.org/schemas/atom"; https or a trailing slash are taken too.
        case .arxiv: return uri.contains("arxiv.org/schemas/atom")
        case .openSearch: return uri.contains("a9.com/-/spec/opensearch")
        case .dc: return uri.hasPrefix("http://purl.org/dc/elements/1.1") || uri.hasPrefix("https://purl.org/dc/elements/1.1")
        // PRISM 1.2, 2.0 and 3.0 are all in use.
        case .prism: return uri.contains("prismstandard.org/namespaces/")
        case .content: return uri.contains("purl.org/rss/1.0/modules/content")
        case .rss1: return uri == "http://purl.org/rss/1.0/" || uri == "http://purl.org/rss/1.0"
        case .rdf: return uri == "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        case .atomOrNone: return uri.isEmpty || uri == "http://www.w3.org/2005/Atom"
        case .rss1OrNone: return uri.isEmpty || Namespace.rss1.matches(uri)
        case .any: return true
        }
    }
}

/// The first error XMLParser met, with the line it was on.
struct XMLFailure {
    var code: Int
    var line: Int

    /// XMLParser on Linux reports only a code; these are libxml2's codes for what goes wrong in feeds.
    var description: String {
        switch code {
        case 4: return "the document is empty"
        case 5: return "the document ends too early"
        case 9: return "an invalid character"
        case 26: return "an entity XML does not define (an HTML entity such as &nbsp;, or one the document's own DTD declares: DTDs are not read)"
        case 38: return "a '<' inside an attribute value"
        case 39, 40, 41: return "a malformed attribute"
        case 63: return "an unterminated CDATA section"
        case 65: return "a required space is missing"
        case 68: return "a tag without a name (a bare '<' or '&' in text?)"
        case 73: return "a tag is not closed with '>'"
        case 76: return "a start tag and an end tag do not match (an element is left unclosed)"
        case 77: return "an unfinished tag"
        case 81: return "invalid bytes for the declared encoding"
        case 85: return "the elements are not well balanced"
        case 86: return "extra content after the document"
        default: return "XML error \(code)"
        }
    }
}

/// Parses one fragment into ``XMLTreeNode``s with namespace processing on and external entities off.
enum XMLTree {
    /// The root element (whatever was read before an error too) and the first error, if any.
    ///
    /// A stream, not `XMLParser(data:)`: libxml2 refuses a single push of more than 10,000,000 bytes
    /// ("huge input lookup"), and the stream feeds it in pieces, so a 10 MB abstract parses.
    ///
    /// Feeds often carry HTML entities XML does not declare (`&nbsp;`, `&eacute;`); such a fragment is parsed
    /// again with those references written as numeric ones, which every XML parser knows.
    static func parse(_ bytes: [UInt8]) -> (root: XMLTreeNode?, failure: XMLFailure?) {
        let first = parseOnce(bytes)
        if let failure = first.failure, failure.code == undeclaredEntity, let numeric = numericEntities(bytes) {
            return parseOnce(numeric)
        }
        return first
    }

    private static let undeclaredEntity = 26

    /// `&nbsp;` → `&#160;` for every HTML 4 name other than XML's own five; nil when there is none.
    static func numericEntities(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var changed = false
        var i = 0
        let n = bytes.count
        out.reserveCapacity(n + 64)
        while i < n {
            let b = bytes[i]
            if b == 0x26 {
                var j = i + 1
                while j < n, j - i <= 10, (bytes[j] >= 0x41 && bytes[j] <= 0x5A) || (bytes[j] >= 0x61 && bytes[j] <= 0x7A)
                    || (bytes[j] >= 0x30 && bytes[j] <= 0x39)
                {
                    j += 1
                }
                if j < n, j > i + 1, bytes[j] == 0x3B {
                    let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                    if !["amp", "lt", "gt", "quot", "apos"].contains(name), let value = HTMLEntities.named[name] {
                        out += Array("&#\(value);".utf8)
                        changed = true
                        i = j + 1
                        continue
                    }
                }
            }
            out.append(b)
            i += 1
        }
        return changed ? out : nil
    }

    private static func parseOnce(_ bytes: [UInt8]) -> (root: XMLTreeNode?, failure: XMLFailure?) {
        let parser = XMLParser(stream: InputStream(data: Data(bytes)))
        let builder = Builder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        var failure = builder.failure
        if !ok, failure == nil {
            failure = XMLFailure(code: (parser.parserError as NSError?)?.code ?? 1, line: parser.lineNumber)
        }
        return (builder.root, failure)
    }

    /// Elements nested deeper than this are read as text of the deepest one kept: their text stays, and
    /// a hostile feed nesting `<b>` 50,000 deep cannot exhaust the stack (tree walks and releases recurse).
    static let maxDepth = 64

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTreeNode?
        var stack: [XMLTreeNode] = []
        var failure: XMLFailure?
        /// Elements open beyond `maxDepth`, not in the tree.
        var flattened = 0

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            if stack.count >= XMLTree.maxDepth {
                flattened += 1
                return
            }
            let node = XMLTreeNode(name: elementName, namespace: namespaceURI ?? "", attributes: attributeDict)
            if let parent = stack.last {
                parent.childOffsets.append(parent.text.utf8.count)
                parent.children.append(node)
            } else if root == nil {
                root = node
            }
            stack.append(node)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            if flattened > 0 { flattened -= 1 } else { _ = stack.popLast() }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if failure == nil {
                failure = XMLFailure(code: (parseError as NSError).code, line: parser.lineNumber)
            }
        }
    }
}
