/// The Snowball English stemmer ("Porter2"), as the Snowball 3.x `english.sbl` defines it
/// (snowballstem.org/algorithms/english/stemmer.html). Output matches the reference implementation, the
/// PyPI package `snowballstemmer` 3.1.1, on every word of the evaluation corpora; see
/// Tests/HubCoreTests/EnglishStemmerTests.swift and scripts/make-stemmer-vocabulary.py.
///
/// Snowball 3 differs from the older published Porter2 text in a few places, all followed here:
/// the R1 prefixes are `arsen commun emerg gener inter later organ past univers`; `dying`/`lying`/`tying`
/// and `inning outing canning herring earring evening`, `proceed exceed succeed` are handled inside
/// Step 1b instead of by exception lists; a short syllable also matches a word ending in `past`;
/// Step 2 maps `ogist` to `og`.
///
/// The algorithm works on bytes: every byte that is not an ASCII letter behaves as a consonant, exactly
/// as the reference treats any character outside `aeiouy`. `stem(_:)` maps each non-ASCII scalar to one
/// placeholder byte so character counts (and so results) match the reference for any Unicode word.
/// Input is expected lowercased; words of at most 2 characters come back unchanged.
public struct EnglishStemmer: Sendable {
    public init() {}

    /// The stem of a lowercase word.
    public func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { utf8 -> String in
            if utf8.allSatisfy({ $0 < 0x80 }) {
                let stemmed = stem(ascii: utf8)
                return String(decoding: stemmed, as: UTF8.self)
            }
            // Non-ASCII: one placeholder byte per Unicode scalar, restored in order afterwards. The
            // algorithm only ever deletes or rewrites ASCII letters it has matched, so every placeholder
            // survives, in order.
            var bytes: [UInt8] = []
            var others: [Unicode.Scalar] = []
            for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars {
                if scalar.isASCII {
                    bytes.append(UInt8(scalar.value))
                } else {
                    bytes.append(Self.placeholder)
                    others.append(scalar)
                }
            }
            let stemmed = bytes.withUnsafeBufferPointer { stem(ascii: $0) }
            var result = String.UnicodeScalarView()
            var next = 0
            for byte in stemmed {
                if byte == Self.placeholder {
                    result.append(others[next])
                    next += 1
                } else {
                    result.append(Unicode.Scalar(byte))
                }
            }
            return String(result)
        }
    }

    /// The stem of a lowercase word given as bytes (meant for ASCII; any other byte counts as a
    /// consonant). The result is never longer than the input.
    public func stem(ascii word: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let count = word.count
        if count == 0 { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = Self.stem(word, into: buffer.baseAddress!)
        }
    }

    /// The stem of `word` handed to `body` without a heap allocation (the stem lives on the stack for
    /// the call). Same results as `stem(ascii:)`.
    @inlinable
    public func withStem<R>(ascii word: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R)
        rethrows -> R
    {
        let count = word.count
        if count < 3 { return try body(word) }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            let n = Self.stem(word, into: buffer.baseAddress!)
            return try body(UnsafeBufferPointer(start: buffer.baseAddress!, count: n))
        }
    }

    /// Stems `word` into `out` (room for `word.count` bytes); returns the stem's length.
    @usableFromInline
    static func stem(_ word: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let count = word.count
        if count == 0 { return 0 }
        out.initialize(from: word.baseAddress!, count: count)
        var w = Word(p: out, n: count)
        w.run()
        return w.n
    }

    /// Convenience for byte arrays.
    public func stem(ascii word: [UInt8]) -> [UInt8] {
        word.withUnsafeBufferPointer { stem(ascii: $0) }
    }

    static let placeholder: UInt8 = 0x80
}

// MARK: - Character classes

private let aLetter: UInt8 = 0x61  // "a"
private let bigY: UInt8 = 0x59  // "Y", a y that acts as a consonant
private let apostrophe: UInt8 = 0x27

// Letter masks, bit k for the letter "a" + k.
private let vowelMask: UInt32 = 1 << 0 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20 | 1 << 24  // a e i o u y
private let wxMask: UInt32 = 1 << 22 | 1 << 23  // w x
private let validLIMask: UInt32 =  // c d e g h k m n r t
    1 << 2 | 1 << 3 | 1 << 4 | 1 << 6 | 1 << 7 | 1 << 10 | 1 << 12 | 1 << 13 | 1 << 17 | 1 << 19
private let aeoMask: UInt32 = 1 << 0 | 1 << 4 | 1 << 14

@inline(__always) private func inMask(_ c: UInt8, _ mask: UInt32) -> Bool {
    let d = c &- aLetter
    return d < 26 && (mask >> UInt32(d)) & 1 != 0
}

/// a e i o u y (a marked `Y` is a consonant).
@inline(__always) private func isVowel(_ c: UInt8) -> Bool { inMask(c, vowelMask) }

// MARK: - The algorithm

/// A word being stemmed in place: `p[0..<n]`, with the region marks `p1`, `p2` as indices.
private struct Word {
    let p: UnsafeMutablePointer<UInt8>
    var n: Int
    var p1 = 0
    var p2 = 0
    var yFound = false

    init(p: UnsafeMutablePointer<UInt8>, n: Int) {
        self.p = p
        self.n = n
    }

    // MARK: Helpers

    /// Whether `p[end - s.count..<end]` is `s`.
    @inline(__always) func has(_ s: StaticString, endingAt end: Int) -> Bool {
        let m = s.utf8CodeUnitCount
        guard end >= m else { return false }
        let q = s.utf8Start
        var i = 0
        let base = end - m
        while i < m {
            if p[base + i] != q[i] { return false }
            i += 1
        }
        return true
    }

    @inline(__always) func ends(_ s: StaticString) -> Bool { has(s, endingAt: n) }

    /// Whether the whole word is `s`.
    @inline(__always) func isWord(_ s: StaticString) -> Bool { n == s.utf8CodeUnitCount && ends(s) }

    /// Whether `p[0..<end]` is exactly `s`.
    @inline(__always) func prefix(_ end: Int, is s: StaticString) -> Bool {
        end == s.utf8CodeUnitCount && has(s, endingAt: end)
    }

    /// Whether the word starts with `s`.
    @inline(__always) func starts(with s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        return n >= m && has(s, endingAt: m)
    }

    /// Replaces `p[start..<n]` by `s` (never longer than what it replaces).
    @inline(__always) mutating func replace(from start: Int, with s: StaticString) {
        let m = s.utf8CodeUnitCount
        let q = s.utf8Start
        var i = 0
        while i < m {
            p[start + i] = q[i]
            i += 1
        }
        n = start + m
    }

    /// A short syllable ends at `end`: consonant (not w, x, Y) after a vowel after a consonant; a vowel
    /// and a consonant that make the whole word; or `past`.
    @inline(__always) func shortSyllable(endingAt end: Int) -> Bool {
        if end >= 3 {
            let c = p[end - 1]
            if c != bigY && !inMask(c, vowelMask | wxMask) && isVowel(p[end - 2]) && !isVowel(p[end - 3]) {
                return true
            }
        }
        if end == 2 && !isVowel(p[1]) && isVowel(p[0]) { return true }
        return has("past", endingAt: end)
    }

    // MARK: Steps

    mutating func run() {
        if exception() { return }
        if n < 3 { return }
        prelude()
        markRegions()
        step1a()
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        if yFound {
            for i in 0..<n where p[i] == bigY { p[i] = UInt8(ascii: "y") }
        }
    }

    /// Whole words with a fixed stem. Returns true when the word is one.
    mutating func exception() -> Bool {
        switch n {
        case 3:
            return isWord("sky")
        case 4:
            if isWord("bias") || isWord("howe") || isWord("news") { return true }
            if isWord("idly") { n = 3; return true }
            if isWord("only") { p[3] = UInt8(ascii: "i"); return true }
            if isWord("skis") { n = 3; return true }
            if isWord("ugly") { p[3] = UInt8(ascii: "i"); return true }
            return false
        case 5:
            if isWord("andes") || isWord("atlas") { return true }
            if isWord("early") { p[4] = UInt8(ascii: "i"); return true }
            if isWord("skies") { p[2] = UInt8(ascii: "y"); n = 3; return true }
            return false
        case 6:
            if isWord("cosmos") { return true }
            if isWord("gently") || isWord("singly") { n = 5; return true }
            return false
        default:
            return false
        }
    }

    mutating func prelude() {
        if p[0] == apostrophe {
            var i = 1
            while i < n {
                p[i - 1] = p[i]
                i += 1
            }
            n -= 1
        }
        if n > 0 && p[0] == UInt8(ascii: "y") {
            p[0] = bigY
            yFound = true
        }
        var i = 1
        while i < n {
            if p[i] == UInt8(ascii: "y") && isVowel(p[i - 1]) {
                p[i] = bigY
                yFound = true
            }
            i += 1
        }
    }

    mutating func markRegions() {
        p1 = n
        p2 = n
        guard n > 0 else { return }
        // R1 starts after one of these prefixes, else after the first consonant that follows a vowel.
        let special: Int
        switch p[0] {
        case UInt8(ascii: "a"): special = starts(with: "arsen") ? 5 : 0
        case UInt8(ascii: "c"): special = starts(with: "commun") ? 6 : 0
        case UInt8(ascii: "e"): special = starts(with: "emerg") ? 5 : 0
        case UInt8(ascii: "g"): special = starts(with: "gener") ? 5 : 0
        case UInt8(ascii: "i"): special = starts(with: "inter") ? 5 : 0
        case UInt8(ascii: "l"): special = starts(with: "later") ? 5 : 0
        case UInt8(ascii: "o"): special = starts(with: "organ") ? 5 : 0
        case UInt8(ascii: "p"): special = starts(with: "past") ? 4 : 0
        case UInt8(ascii: "u"): special = starts(with: "univers") ? 7 : 0
        default: special = 0
        }
        let i: Int
        if special > 0 {
            i = special
        } else {
            guard let after = pastVowelThenConsonant(from: 0) else { return }
            i = after
        }
        p1 = i
        guard let after = pastVowelThenConsonant(from: i) else { return }
        p2 = after
    }

    /// The index just after the first consonant that follows a vowel, searching from `start`.
    @inline(__always) func pastVowelThenConsonant(from start: Int) -> Int? {
        var i = start
        while i < n && !isVowel(p[i]) { i += 1 }
        i += 1
        while i < n && isVowel(p[i]) { i += 1 }
        return i < n ? i + 1 : nil
    }

    mutating func step1a() {
        if ends("'s'") {
            n -= 3
        } else if ends("'s") {
            n -= 2
        } else if ends("'") {
            n -= 1
        }
        guard n > 0 else { return }
        let last = p[n - 1]
        if last == UInt8(ascii: "d") {
            if ends("ied") { iesOrIed() }
            return
        }
        guard last == UInt8(ascii: "s") else { return }
        if ends("sses") {
            n -= 2
        } else if ends("ies") {
            iesOrIed()
        } else if ends("ss") || ends("us") {
            return
        } else {
            // "s": deleted when a vowel comes before the letter preceding it.
            let s = n - 1
            guard s > 0 else { return }
            var i = s - 1
            while i > 0 {
                if isVowel(p[i - 1]) {
                    n -= 1
                    return
                }
                i -= 1
            }
        }
    }

    @inline(__always) mutating func iesOrIed() {
        let s = n - 3
        if s >= 2 {
            replace(from: s, with: "i")
        } else {
            replace(from: s, with: "ie")
        }
    }

    mutating func step1b() {
        guard n >= 2 else { return }
        let s: Int
        switch p[n - 1] {
        case UInt8(ascii: "d"):
            guard ends("ed") else { return }
            if ends("eed") {
                eed(n - 3)
                return
            }
            s = n - 2
        case UInt8(ascii: "y"):
            if ends("eedly") {
                eed(n - 5)
                return
            } else if ends("edly") {
                s = n - 4
            } else if ends("ingly") {
                s = n - 5
            } else {
                return
            }
        case UInt8(ascii: "g"):
            guard ends("ing") else { return }
            s = n - 3
            // dying, lying, tying: a consonant and "y" make the rest of the word.
            if s == 2 && p[1] == UInt8(ascii: "y") && !isVowel(p[0]) {
                replace(from: 1, with: "ie")
                return
            }
            if prefix(s, is: "inn") || prefix(s, is: "out") || prefix(s, is: "cann") || prefix(s, is: "herr")
                || prefix(s, is: "earr") || prefix(s, is: "even")
            {
                return
            }
        default:
            return
        }
        // ed, edly, ing, ingly: deleted when the word before them has a vowel.
        var hasVowel = false
        var i = 0
        while i < s {
            if isVowel(p[i]) {
                hasVowel = true
                break
            }
            i += 1
        }
        guard hasVowel else { return }
        n = s
        guard n >= 2 else {
            if n == p1 && shortSyllable(endingAt: n) { appendE() }
            return
        }
        let a = p[n - 2]
        let b = p[n - 1]
        if (a == UInt8(ascii: "a") && b == UInt8(ascii: "t")) || (a == UInt8(ascii: "b") && b == UInt8(ascii: "l"))
            || (a == UInt8(ascii: "i") && b == UInt8(ascii: "z"))
        {
            appendE()
        } else if a == b && isUndoubled(b) {
            // A double after a single a, e or o ("add", "egg", "off") stays.
            if n == 3 && inMask(p[0], aeoMask) { return }
            n -= 1
        } else if n == p1 && shortSyllable(endingAt: n) {
            appendE()
        }
    }

    /// b d f g m n p r t: the letters whose doubles Step 1b undoubles.
    @inline(__always) func isUndoubled(_ c: UInt8) -> Bool {
        inMask(c, 1 << 1 | 1 << 3 | 1 << 5 | 1 << 6 | 1 << 12 | 1 << 13 | 1 << 15 | 1 << 17 | 1 << 19)
    }

    @inline(__always) mutating func appendE() {
        p[n] = UInt8(ascii: "e")
        n += 1
    }

    /// eed, eedly starting at `s`: become ee in R1, except in proceed, exceed, succeed.
    @inline(__always) mutating func eed(_ s: Int) {
        guard s >= p1 else { return }
        if prefix(s, is: "proc") || prefix(s, is: "succ") || prefix(s, is: "exc") { return }
        n = s + 2
    }

    mutating func step1c() {
        guard n >= 3 else { return }
        let last = p[n - 1]
        guard last == UInt8(ascii: "y") || last == bigY else { return }
        if !isVowel(p[n - 2]) { p[n - 1] = UInt8(ascii: "i") }
    }

    @inline(__always) func inR1(_ s: Int) -> Bool { s >= p1 }
    @inline(__always) func inR2(_ s: Int) -> Bool { s >= p2 }

    mutating func step2() {
        guard n >= 3 else { return }
        switch p[n - 1] {
        case UInt8(ascii: "i"):
            switch p[n - 2] {
            case UInt8(ascii: "l"):
                if ends("lessli") {
                    r1(n - 6, "less")
                } else if ends("fulli") {
                    r1(n - 5, "ful")
                } else if ends("ousli") {
                    r1(n - 5, "ous")
                } else if ends("entli") {
                    r1(n - 5, "ent")
                } else if ends("abli") {
                    r1(n - 4, "able")
                } else if ends("alli") {
                    r1(n - 4, "al")
                } else if ends("bli") {
                    r1(n - 3, "ble")
                } else {
                    // li after c d e g h k m n r t.
                    let s = n - 2
                    if inR1(s) && s >= 1 && inMask(p[s - 1], validLIMask) { n = s }
                }
            case UInt8(ascii: "t"):
                if ends("biliti") {
                    r1(n - 6, "ble")
                } else if ends("aliti") {
                    r1(n - 5, "al")
                } else if ends("iviti") {
                    r1(n - 5, "ive")
                }
            case UInt8(ascii: "c"):
                if ends("anci") {
                    r1(n - 4, "ance")
                } else if ends("enci") {
                    r1(n - 4, "ence")
                }
            case UInt8(ascii: "g"):
                // ogi after l: logi → log.
                if ends("ogi") {
                    let s = n - 3
                    if inR1(s) && s >= 1 && p[s - 1] == UInt8(ascii: "l") { n -= 1 }
                }
            default:
                return
            }
        case UInt8(ascii: "l"):
            if ends("ational") {
                r1(n - 7, "ate")
            } else if ends("tional") {
                r1(n - 6, "tion")
            }
        case UInt8(ascii: "m"):
            if ends("alism") { r1(n - 5, "al") }
        case UInt8(ascii: "n"):
            if ends("ization") {
                r1(n - 7, "ize")
            } else if ends("ation") {
                r1(n - 5, "ate")
            }
        case UInt8(ascii: "r"):
            if ends("izer") {
                r1(n - 4, "ize")
            } else if ends("ator") {
                r1(n - 4, "ate")
            }
        case UInt8(ascii: "s"):
            if ends("iveness") {
                r1(n - 7, "ive")
            } else if ends("fulness") {
                r1(n - 7, "ful")
            } else if ends("ousness") {
                r1(n - 7, "ous")
            }
        case UInt8(ascii: "t"):
            if ends("ogist") { r1(n - 5, "og") }
        default:
            return
        }
    }

    /// Replaces the suffix starting at `s` by `replacement` when it lies in R1.
    @inline(__always) mutating func r1(_ s: Int, _ replacement: StaticString) {
        if inR1(s) { replace(from: s, with: replacement) }
    }

    mutating func step3() {
        guard n >= 3 else { return }
        switch p[n - 1] {
        case UInt8(ascii: "e"):
            if ends("icate") {
                r1(n - 5, "ic")
            } else if ends("ative") {
                let s = n - 5
                if inR1(s) && inR2(s) { n = s }
            } else if ends("alize") {
                r1(n - 5, "al")
            }
        case UInt8(ascii: "i"):
            if ends("iciti") { r1(n - 5, "ic") }
        case UInt8(ascii: "l"):
            if ends("ational") {
                r1(n - 7, "ate")
            } else if ends("tional") {
                r1(n - 6, "tion")
            } else if ends("ical") {
                r1(n - 4, "ic")
            } else if ends("ful") {
                r1(n - 3, "")
            }
        case UInt8(ascii: "s"):
            if ends("ness") { r1(n - 4, "") }
        default:
            return
        }
    }

    mutating func step4() {
        guard n >= 2 else { return }
        let s: Int
        switch p[n - 1] {
        case UInt8(ascii: "c"):
            guard ends("ic") else { return }
            s = n - 2
        case UInt8(ascii: "e"):
            if ends("ance") || ends("ence") || ends("able") || ends("ible") {
                s = n - 4
            } else if ends("ate") || ends("ive") || ends("ize") {
                s = n - 3
            } else {
                return
            }
        case UInt8(ascii: "i"):
            guard ends("iti") else { return }
            s = n - 3
        case UInt8(ascii: "l"):
            guard ends("al") else { return }
            s = n - 2
        case UInt8(ascii: "m"):
            guard ends("ism") else { return }
            s = n - 3
        case UInt8(ascii: "n"):
            // ion after s or t.
            guard ends("ion") else { return }
            let start = n - 3
            if inR2(start) && start >= 1 && (p[start - 1] == UInt8(ascii: "s") || p[start - 1] == UInt8(ascii: "t")) {
                n = start
            }
            return
        case UInt8(ascii: "r"):
            guard ends("er") else { return }
            s = n - 2
        case UInt8(ascii: "s"):
            guard ends("ous") else { return }
            s = n - 3
        case UInt8(ascii: "t"):
            if ends("ement") {
                s = n - 5
            } else if ends("ment") {
                s = n - 4
            } else if ends("ant") || ends("ent") {
                s = n - 3
            } else {
                return
            }
        default:
            return
        }
        if inR2(s) { n = s }
    }

    mutating func step5() {
        guard n >= 1 else { return }
        let s = n - 1
        switch p[s] {
        case UInt8(ascii: "e"):
            if inR2(s) || (inR1(s) && !shortSyllable(endingAt: s)) { n = s }
        case UInt8(ascii: "l"):
            if inR2(s) && s >= 1 && p[s - 1] == UInt8(ascii: "l") { n = s }
        default:
            return
        }
    }
}
