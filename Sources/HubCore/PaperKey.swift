import Foundation

/// The canonical key of a work: `arxiv:2606.15062`, `doi:10.1101/2026.06.11.123456`,
/// or `SOURCE:NATIVE-ID` when a source gives neither.
///
/// Versions share the key; cross-listings and re-announcements map to it.
public struct PaperKey: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: PaperKey, rhs: PaperKey) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Picks the strongest identity available: an arXiv id, then a DOI, then the source's own id.
    public static func canonical(arxivID: String?, doi: String?, source: String, nativeID: String) -> PaperKey {
        if let arxivID, let id = ArxivID(arxivID) { return PaperKey(rawValue: "arxiv:" + id.base) }
        if let doi, let clean = normalizeDOI(doi) { return PaperKey(rawValue: "doi:" + clean) }
        return PaperKey(rawValue: source.lowercased() + ":" + nativeID)
    }

    /// Whether the key is an arXiv id's (`arxiv:2606.15062`), not a title's slug under the arXiv source
    /// (`arxiv:temporal-difference-…`, a digest's record that gave no id).
    public var isArxiv: Bool { rawValue.hasPrefix("arxiv:") && ArxivID(String(rawValue.dropFirst(6))) != nil }

    /// The key a work keeps when two records of it meet: an arXiv id's, then a DOI's, then the first.
    public static func stronger(_ first: PaperKey, _ second: PaperKey) -> PaperKey {
        func rank(_ key: PaperKey) -> Int { key.isArxiv ? 0 : key.rawValue.hasPrefix("doi:") ? 1 : 2 }
        return rank(second) < rank(first) ? second : first
    }

    /// `10.1101/X` from any of `doi:10.1101/X`, `https://doi.org/10.1101/X`, `10.1101/X`; lowercased as DOIs are
    /// case-insensitive. Nil when the text holds no DOI.
    public static func normalizeDOI(_ text: String) -> String? {
        var s = Substring(text.trimmingWhitespace())
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "https://www.doi.org/",
                       "doi.org/", "dx.doi.org/", "www.doi.org/", "doi:", "DOI:"] {
            if s.lowercased().hasPrefix(prefix.lowercased()) { s = s.dropFirst(prefix.count); break }
        }
        s = Substring(s.trimmingWhitespace())
        // A DOI written into a URL whole, its slash encoded (`10.1007%2F978-…`, as Springer's links carry it).
        if !s.contains("/"), let decoded = s.removingPercentEncoding { s = Substring(decoded) }
        guard s.hasPrefix("10."), s.contains("/") else { return nil }
        return s.lowercased()
    }

    /// How many characters of a title make its slug.
    public static let slugLimit = 80

    /// FNV-1a of the text, in hex: a short id for a title (or its slug) that is the same on every machine.
    public static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// A readable id built from a title, for records that carry no id at all: `pretraining-a-large-language-…`.
    public static func slug(_ title: String, limit: Int = slugLimit) -> String {
        var out = ""
        var pendingDash = false
        for scalar in title.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
                if out.count >= limit { break }
            } else {
                pendingDash = true
            }
        }
        return out
    }
}

/// An arXiv identifier, new style (`2606.15062v1`) or old (`hep-th/9901001v2`, `astro-ph/0601001`).
public struct ArxivID: Sendable, Hashable {
    /// Without version: `2606.15062`, `hep-th/9901001`.
    public let base: String
    /// `v1`, `v2`, … when the text named one.
    public let version: String?

    /// Parses a bare id, an `arXiv:` prefixed one, an abs/pdf URL or arXiv's own DOI
    /// (`10.48550/arXiv.2005.14124`, as a DOI URL too).
    public init?(_ text: String) {
        var s = Substring(text.trimmingWhitespace())
        if let range = s.range(of: "10.48550/arxiv.", options: .caseInsensitive) { s = s[range.upperBound...] }
        if let range = s.range(of: "arxiv.org/abs/") ?? s.range(of: "arxiv.org/pdf/") ?? s.range(of: "arxiv.org/html/") {
            s = s[range.upperBound...]
            // A pasted address may carry a query or fragment (`?context=cs`, `#S2`) or end in a slash.
            if let end = s.firstIndex(where: { $0 == "?" || $0 == "#" }) { s = s[..<end] }
            while s.hasSuffix("/") { s = s.dropLast() }
        }
        if s.lowercased().hasPrefix("arxiv:") { s = s.dropFirst(6) }
        if s.hasSuffix(".pdf") { s = s.dropLast(4) }
        var version: String?
        if let v = s.lastIndex(of: "v"), v != s.startIndex,
            s[s.index(after: v)...].allSatisfy(\.isASCIIDigit), s.index(after: v) < s.endIndex
        {
            version = String(s[v...])
            s = s[..<v]
        }
        guard ArxivID.isValidBase(s) else { return nil }
        self.base = String(s)
        self.version = version
    }

    private static func isValidBase(_ s: Substring) -> Bool {
        if let slash = s.firstIndex(of: "/") {
            // old style: archive(.subject)?/YYMMNNN
            let archive = s[..<slash]
            let number = s[s.index(after: slash)...]
            return !archive.isEmpty && archive.allSatisfy { $0.isASCIILetter || $0 == "-" || $0 == "." }
                && number.count == 7 && number.allSatisfy(\.isASCIIDigit)
        }
        // new style: YYMM.NNNN or YYMM.NNNNN
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, (4...5).contains(parts[1].count) else { return false }
        return parts[0].allSatisfy(\.isASCIIDigit) && parts[1].allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
}

extension StringProtocol {
    /// Trims spaces, tabs and newlines (Unicode whitespace) from both ends.
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }

    /// Collapses every run of whitespace to one space and trims the ends.
    public func collapsingWhitespace() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var pendingSpace = false
        for ch in self {
            if ch.isWhitespace {
                pendingSpace = true
            } else {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        return out
    }
}
