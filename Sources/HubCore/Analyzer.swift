import CICU

/// The one analyzer of AcademicHub: FTS5 indexing, query parsing and (later) TF-IDF all tokenize through it,
/// so a query finds what the index holds.
///
/// Pipeline per text: markup blanked and Chinese characters simplified in a copy (offsets kept) → ICU word
/// breaks over UTF-8 (Chinese by ICU's dictionary) → NFKC case folding, accents off Latin and Greek letters
/// and Traditional→Simplified (ASCII takes a fast path) → stopwords dropped → English words stemmed (Snowball English). Every term carries
/// the byte range of its word in the original text.
///
/// Characters are simplified before the word breaks, not only after: ICU's dictionary splits the two
/// scripts differently (計算機 is one word, 计算机 two), and a Traditional query must meet the words a
/// Simplified abstract was split into.
///
/// Not thread-safe: ICU break iterators and transliterators hold state. Give each thread or database
/// connection its own.
public final class Analyzer {
    public enum Mode: Sendable {
        /// Stored text: words are stemmed.
        case document
        /// Query words: analysed exactly as documents.
        case query
        /// The stem of a `prefix*` query term is not stemmed, so `diffus*` keeps its letters.
        case prefix
    }

    /// A term with the byte range of its word in the analysed text.
    public struct Token: Sendable, Hashable {
        public var term: String
        public var start: Int
        public var end: Int
    }

    /// Words longer than this (base64 blobs, runs of symbols) are not indexed.
    public static let maxWordBytes = 128

    private let segmenter: OpaquePointer
    private let normalizer: OpaquePointer
    private let stemmer = EnglishStemmer()
    private var maskBuffer: [UInt8] = []
    private var segments = [Int32](repeating: 0, count: 3 * 512)
    private var lowered = [UInt8](repeating: 0, count: maxWordBytes)
    private var normalized = [UInt8](repeating: 0, count: 4 * maxWordBytes + 16)
    /// Normalized, filtered and stemmed forms of non-ASCII words (empty: a stopword). Chinese vocabularies
    /// are bounded and ICU normalization is the slow step, so this pays for itself quickly.
    private var cache: [String: [UInt8]] = [:]
    /// Each Chinese character seen (3 UTF-8 bytes, as a number) and its Simplified form of the same length.
    private var simplified: [UInt32: UInt32] = [:]

    public init() throws {
        var error = [CChar](repeating: 0, count: 256)
        guard let segmenter = ahub_segmenter_open(&error, Int32(error.count)) else {
            throw AnalyzerError(message: "cannot open the ICU word segmenter (\(Self.message(error)))")
        }
        guard let normalizer = ahub_normalizer_open(&error, Int32(error.count)) else {
            ahub_segmenter_close(segmenter)
            throw AnalyzerError(message: "cannot open the ICU normalizer (\(Self.message(error)))")
        }
        self.segmenter = segmenter
        self.normalizer = normalizer
    }

    deinit {
        ahub_segmenter_close(segmenter)
        ahub_normalizer_close(normalizer)
    }

    private static func message(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Bump when a change makes the analyzer emit different terms for the same text (stemmer, stopwords,
    /// normalization, masking): libraries then rebuild their index, evaluation its scratch libraries.
    /// 3: accents off Latin and Greek letters (café is cafe). 4: `n<k … n>k` and `$5 … $12` are text, not a
    /// tag or math (their words were masked). 5: `C++`, `C#` and `F#` are terms of their own (they were `c`, `f`).
    public static let version = 5

    public static var icuVersion: String { String(cString: ahub_icu_version()) }

    /// Calls `body` with each term (UTF-8 bytes, valid only during the call) and the byte range of its word.
    /// `body` returns false to stop early.
    public func analyze(
        _ text: UnsafeBufferPointer<UInt8>, mode: Mode = .document,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool
    ) {
        guard let base = text.baseAddress, !text.isEmpty, text.count < Int(Int32.max) else { return }
        let markup = MarkupMask.mayContainMarkup(text)
        let han = Self.mayContainHan(text)
        if markup || han {
            maskBuffer.removeAll(keepingCapacity: true)
            maskBuffer.append(contentsOf: text)
            maskBuffer.withUnsafeMutableBufferPointer { copy in
                if markup { MarkupMask.apply(to: copy) }
                if han { simplify(copy) }
                scan(UnsafeBufferPointer(copy), mode: mode, body)
            }
        } else {
            scan(UnsafeBufferPointer(start: base, count: text.count), mode: mode, body)
        }
    }

    /// Whether the text has a lead byte of a 3-byte character from U+3400 on (CJK ideographs among them).
    private static func mayContainHan(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.contains { $0 >= 0xE3 && $0 <= 0xE9 }
    }

    /// The text with each Chinese character written in Traditional script alone in its Simplified form, as the
    /// word breaks see it (a title typed in Traditional meets the one stored in Simplified).
    public func simplified(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.withUnsafeBufferPointer(Self.mayContainHan) else { return text }
        bytes.withUnsafeMutableBufferPointer { simplify($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Characters ICU simplifies that Simplified text also writes as they are (显著, 乾坤, 瞭望, 徵): left
    /// as written for the word breaks, so 顯著 breaks as 显著 does.
    static let sharedCharacters: Set<UInt32> = [0x8457, 0x4E7E, 0x77AD, 0x5FB5]

    /// Every CJK ideograph (U+3400–U+9FFF) written in Traditional text alone replaced, in place, by its
    /// Simplified form (one character of the same UTF-8 length: byte offsets stay those of the original),
    /// so that Traditional text breaks into the words its Simplified form does. Characters Simplified
    /// text writes too stay (`sharedCharacters`, and 俱 or 藉, which ICU maps but which do not map back).
    private func simplify(_ text: UnsafeMutableBufferPointer<UInt8>) {
        // (The word's own normalization, after the breaks, still simplifies every character.)
        var i = 0
        while i + 2 < text.count {
            let lead = text[i]
            guard lead >= 0xE3, lead <= 0xE9, text[i + 1] & 0xC0 == 0x80, text[i + 2] & 0xC0 == 0x80 else {
                i += 1
                continue
            }
            let code = UInt32(lead) << 16 | UInt32(text[i + 1]) << 8 | UInt32(text[i + 2])
            let scalar = (UInt32(lead) & 0x0F) << 12 | (UInt32(text[i + 1]) & 0x3F) << 6 | (UInt32(text[i + 2]) & 0x3F)
            guard scalar >= 0x3400 else { i += 3; continue }
            let mapped: UInt32
            if let known = simplified[code] {
                mapped = known
            } else {
                let simple = Self.sharedCharacters.contains(scalar) ? scalar : ahub_simplified_character(normalizer, scalar)
                // Three UTF-8 bytes from U+0800 to U+FFFF (surrogates aside): offsets stay put.
                mapped = (0x0800...0xFFFF).contains(simple) && !(0xD800...0xDFFF).contains(simple)
                    ? (0xE0 | simple >> 12) << 16 | (0x80 | simple >> 6 & 0x3F) << 8 | (0x80 | simple & 0x3F) : code
                simplified[code] = mapped
            }
            if mapped != code {
                text[i] = UInt8(mapped >> 16)
                text[i + 1] = UInt8(mapped >> 8 & 0xFF)
                text[i + 2] = UInt8(mapped & 0xFF)
            }
            i += 3
        }
    }

    private func scan(
        _ text: UnsafeBufferPointer<UInt8>, mode: Mode,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool
    ) {
        let base = text.baseAddress!
        let status = base.withMemoryRebound(to: CChar.self, capacity: text.count) {
            ahub_segmenter_set_text(segmenter, $0, Int32(text.count))
        }
        guard status == 0 else { return }
        while true {
            let count = segments.withUnsafeMutableBufferPointer {
                Int(ahub_segmenter_next(segmenter, $0.baseAddress!, Int32($0.count / 3)))
            }
            if count == 0 { return }
            for s in 0..<count {
                let start = Int(segments[3 * s])
                let end = Int(segments[3 * s + 1])
                let rule = segments[3 * s + 2]
                let length = end - start
                guard length <= Self.maxWordBytes else { continue }
                let marks = Self.languageMarks(text, start: start, end: end)
                if marks > 0 {
                    let term = [base[start] | 0x20] + text[end..<end + marks]
                    if !term.withUnsafeBufferPointer({ body($0, start, end + marks) }) { return }
                    continue
                }
                let word = UnsafeBufferPointer(start: base + start, count: length)
                if !emit(word, rule: rule, mode: mode, start: start, end: end, body) { return }
            }
        }
    }

    /// How many of the marks of a programming language's name (`C++`, `C#`, `F#`) follow a lone Latin letter:
    /// 2 for `++`, 1 for `#`, else 0. Such a name is one term with its marks (the word breaks drop them), so a
    /// search for C++ does not find every "vitamin C". `C++17` keeps its number apart; `C+`, `C+++` and `C#5`
    /// are no names.
    static func languageMarks(_ text: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Int {
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        guard end - start == 1, isLetter(text[start]), end < text.count else { return 0 }
        let marks: Int
        if text[end] == UInt8(ascii: "#") {
            marks = 1
        } else if end + 1 < text.count, text[end] == UInt8(ascii: "+"), text[end + 1] == UInt8(ascii: "+") {
            marks = 2
        } else {
            return 0
        }
        guard end + marks < text.count else { return marks }
        let next = text[end + marks]
        if isLetter(next) || next == UInt8(ascii: "+") || next == UInt8(ascii: "#") || next == UInt8(ascii: "_") { return 0 }
        return marks == 1 && isDigit(next) ? 0 : marks
    }

    /// Analyzes one word and hands its term to `body`; returns what `body` returned (true when skipped).
    private func emit(
        _ word: UnsafeBufferPointer<UInt8>, rule: Int32, mode: Mode, start: Int, end: Int,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool
    ) -> Bool {
        var ascii = true
        for b in word where b >= 0x80 { ascii = false; break }
        if ascii {
            return lowered.withUnsafeMutableBufferPointer { out in
                for (i, b) in word.enumerated() {
                    out[i] = (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) ? b | 0x20 : b
                }
                let term = UnsafeBufferPointer(rebasing: out[0..<word.count])
                return finishLatin(term, mode: mode, start: start, end: end, body)
            }
        }
        let raw = String(decoding: word, as: UTF8.self)
        let cacheKey = mode == .prefix ? "\u{1}" + raw : raw
        if let cached = cache[cacheKey] {
            if cached.isEmpty { return true }
            return cached.withUnsafeBufferPointer { body($0, start, end) }
        }
        let term = normalize(word)
        let analysed: [UInt8]
        if term.allSatisfy({ $0 < 0x80 }) {
            var result: [UInt8] = []
            term.withUnsafeBufferPointer { t in
                _ = finishLatin(t, mode: mode, start: start, end: end) { final, _, _ in
                    result = Array(final)
                    return true
                }
            }
            analysed = result
        } else if Stopwords.isChineseStopword(term) {
            analysed = []
        } else {
            analysed = term
        }
        if cache.count > 200_000 { cache.removeAll(keepingCapacity: true) }
        cache[cacheKey] = analysed
        if analysed.isEmpty { return true }
        return analysed.withUnsafeBufferPointer { body($0, start, end) }
    }

    /// Stopwords and stemming for a lowercased ASCII word.
    private func finishLatin(
        _ term: UnsafeBufferPointer<UInt8>, mode: Mode, start: Int, end: Int,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool
    ) -> Bool {
        // A prefix keeps every letter: `the*` is looking for "theory", not for a stopword.
        if mode == .prefix { return body(term, start, end) }
        if Stopwords.isEnglishStopword(term) { return true }
        guard term.count > 2, term.allSatisfy({ $0 >= UInt8(ascii: "a") || $0 == UInt8(ascii: "'") })
        else { return body(term, start, end) }
        let stem = stemmer.stem(ascii: term)
        return stem.withUnsafeBufferPointer { body($0, start, end) }
    }

    private func normalize(_ word: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let written = word.baseAddress!.withMemoryRebound(to: CChar.self, capacity: word.count) { input in
            normalized.withUnsafeMutableBufferPointer { out in
                out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: out.count) {
                    ahub_normalize(normalizer, input, Int32(word.count), $0, Int32(out.count))
                }
            }
        }
        guard written > 0 else { return Array(word) }
        var result = Array(normalized[0..<Int(written)])
        // A typographic apostrophe (U+2019) acts as the ASCII one, so "model’s" stems like "model's".
        if result.count >= 3, result.contains(0xE2) {
            var folded: [UInt8] = []
            folded.reserveCapacity(result.count)
            var i = 0
            while i < result.count {
                if i + 2 < result.count, result[i] == 0xE2, result[i + 1] == 0x80, result[i + 2] == 0x99 {
                    folded.append(UInt8(ascii: "'"))
                    i += 3
                } else {
                    folded.append(result[i])
                    i += 1
                }
            }
            result = folded
        }
        return result
    }

    // MARK: - Conveniences

    /// The tokens of `text`, in order.
    public func tokens(_ text: String, mode: Mode = .document) -> [Token] {
        var tokens: [Token] = []
        var copy = text
        copy.withUTF8 { buffer in
            analyze(buffer, mode: mode) { term, start, end in
                tokens.append(Token(term: String(decoding: term, as: UTF8.self), start: start, end: end))
                return true
            }
        }
        return tokens
    }

    /// The terms of `text`, in order.
    public func terms(_ text: String, mode: Mode = .document) -> [String] {
        tokens(text, mode: mode).map(\.term)
    }
}

public struct AnalyzerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
