/// The line arXiv's RSS puts before every abstract: `arXiv:2606.13857v1 Announce Type: new Abstract: …`.
///
/// It reaches us through the RSS feeds themselves and through anything that copied their descriptions
/// (digests, the seed papers), so every parser runs every abstract through ``split(_:)``.
public struct ArxivAnnouncement: Sendable, Hashable {
    /// The id without version: `2606.13857`, `hep-th/9901001`.
    public var arxivID: String
    /// `v1`, `v2`, …; nil when the line named no version.
    public var version: String?
    /// `new`, `cross`, `replace` or `replace-cross`, lowercased as arXiv writes it.
    public var announceType: String

    public init(arxivID: String, version: String?, announceType: String) {
        self.arxivID = arxivID
        self.version = version
        self.announceType = announceType
    }

    /// Strips the announcement from the start of `abstract`.
    ///
    /// Whitespace between the parts may be any run of spaces, tabs or newlines (the feed breaks the line
    /// before `Abstract:`, copies join it); `arXiv:`, `Announce Type:` and `Abstract:` match in any case.
    /// Only the start is examined, so a long abstract costs one copy of its remainder. Text that does not
    /// open with a complete announcement comes back unchanged with a nil announcement.
    public static func split(_ abstract: String) -> (announcement: ArxivAnnouncement?, abstract: String) {
        var scanner = Scanner(abstract.unicodeScalars)
        scanner.skipWhitespace()
        guard scanner.consume("arxiv:") else { return (nil, abstract) }
        let token = scanner.token()
        guard let id = ArxivID(token) else { return (nil, abstract) }
        scanner.skipWhitespace()
        guard scanner.consume("announce") else { return (nil, abstract) }
        scanner.skipWhitespace()
        guard scanner.consume("type") else { return (nil, abstract) }
        scanner.skipWhitespace()
        guard scanner.consume(":") else { return (nil, abstract) }
        scanner.skipWhitespace()
        let type = scanner.word()
        guard !type.isEmpty else { return (nil, abstract) }
        scanner.skipWhitespace()
        guard scanner.consume("abstract") else { return (nil, abstract) }
        scanner.skipWhitespace()
        guard scanner.consume(":") else { return (nil, abstract) }
        scanner.skipWhitespace()
        let rest = String(abstract.unicodeScalars[scanner.index...])
        return (ArxivAnnouncement(arxivID: id.base, version: id.version, announceType: type.lowercased()), rest)
    }

    /// A cursor over the first few scalars of an abstract.
    private struct Scanner {
        let scalars: String.UnicodeScalarView
        var index: String.UnicodeScalarView.Index

        init(_ scalars: String.UnicodeScalarView) {
            self.scalars = scalars
            self.index = scalars.startIndex
        }

        mutating func skipWhitespace() {
            while index < scalars.endIndex, scalars[index].properties.isWhitespace {
                index = scalars.index(after: index)
            }
        }

        /// Consumes `word` (ASCII, lowercase) matched case-insensitively.
        mutating func consume(_ word: String) -> Bool {
            var i = index
            for expected in word.unicodeScalars {
                guard i < scalars.endIndex else { return false }
                let s = scalars[i]
                let lower = ("A"..."Z").contains(s) ? Unicode.Scalar(s.value + 32)! : s
                guard lower == expected else { return false }
                i = scalars.index(after: i)
            }
            index = i
            return true
        }

        /// Everything up to the next whitespace, at most 64 scalars (an id is far shorter).
        mutating func token() -> String {
            var out = String.UnicodeScalarView()
            while index < scalars.endIndex, !scalars[index].properties.isWhitespace, out.count < 64 {
                out.append(scalars[index])
                index = scalars.index(after: index)
            }
            return String(out)
        }

        /// Letters and hyphens: `new`, `replace-cross`.
        mutating func word() -> String {
            var out = String.UnicodeScalarView()
            while index < scalars.endIndex, out.count < 32 {
                let s = scalars[index]
                guard s == "-" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) else { break }
                out.append(s)
                index = scalars.index(after: index)
            }
            return String(out)
        }
    }
}
