/// Words the analyzer drops before stemming: they carry no topic, and skipping them keeps postings lists
/// and query work small. BM25's IDF already gives very frequent words little weight, so both lists stay
/// conservative: a word that might name a topic is kept.
public enum Stopwords {
    /// The Snowball English stop list (snowballstem.org/algorithms/english/stop.txt, the list Lucene ships
    /// as `snowball/english_stop.txt`): its 174 active entries, pronouns, forms of be/have/do, would /
    /// should / could / ought, the contracted forms, articles, and prepositions, conjunctions and
    /// adverbs. Like that list, it keeps will, can, may, might, must and shall (homonyms of nouns).
    ///
    /// Chosen over Lucene's 33-word default by measurement: BM25 (k1 0.9, b 0.4) with Snowball stemming
    /// scored nDCG@10 0.3624 on cranfield with this list against 0.3510 with Lucene's and 0.3499 with
    /// none (its queries are questions: "what", "how", "why" are noise), and 0.6807 / 0.6810 / 0.6824 on
    /// scifact, where the choice makes no real difference.
    public static let english: Set<String> = Set(englishWords)

    /// Chinese function words, in Simplified form (the analyzer folds Traditional to Simplified first):
    /// structural and aspect particles (的 之 得 着 了 所), prepositions and conjunctions (在 与 及 和 对
    /// 为 以 于 从 由 将 把 被 向 因 而 或 并 且 但 则 即), demonstratives and pronouns (这 那 此 该 其 各
    /// 每 个 我 他 它 …), the copula 是, a few adverbs (也 就 都 又 不), sentence particles, and the common two-character
    /// conjunctions, prepositions and pronouns (我们 以及 因为 所以 但是 如果 然而 因此 其中 这些 对于
    /// 关于 由于 …).
    ///
    /// Deliberately left out: 地 and 过 (also "land", "pass"), 上 and 下 (also "up", "down" as content),
    /// and words that are frequent in abstracts but are content or half-content words: 本文 ("this
    /// paper"), 研究 ("research"), 方法, 提出, 进行 ("carry out"), 通过 ("through", also "to pass"), 基于
    /// ("based on"). Their IDF is already near zero where they are common, and a query can mean them
    /// (研究进展, 通过率), so dropping them could only lose matches.
    public static let chinese: Set<String> = Set(chineseWords)

    /// Whether a lowercase ASCII word is an English stopword, without making a String.
    @inline(__always)
    public static func isEnglishStopword(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        englishTable.contains(word)
    }

    public static func isEnglishStopword(_ word: [UInt8]) -> Bool {
        word.withUnsafeBufferPointer { englishTable.contains($0) }
    }

    public static func isEnglishStopword(_ word: String) -> Bool {
        english.contains(word)
    }

    /// Whether a (normalized, Simplified) word given as UTF-8 is a Chinese stopword.
    public static func isChineseStopword(_ utf8: some Collection<UInt8>) -> Bool {
        // Every entry is 1 or 2 CJK characters: 3 or 6 bytes.
        guard utf8.count == 3 || utf8.count == 6 else { return false }
        return chinese.contains(String(decoding: utf8, as: UTF8.self))
    }

    public static func isChineseStopword(_ word: String) -> Bool {
        chinese.contains(word)
    }

    static let englishWords: [String] = [
        // Pronouns.
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves",
        "you", "your", "yours", "yourself", "yourselves",
        "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
        "they", "them", "their", "theirs", "themselves",
        "what", "which", "who", "whom", "this", "that", "these", "those",
        // Verb forms: be, have, do, and would / should / could / ought.
        "am", "is", "are", "was", "were", "be", "been", "being",
        "have", "has", "had", "having", "do", "does", "did", "doing",
        "would", "should", "could", "ought",
        // Contracted forms.
        "i'm", "you're", "he's", "she's", "it's", "we're", "they're",
        "i've", "you've", "we've", "they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd",
        "i'll", "you'll", "he'll", "she'll", "we'll", "they'll",
        "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "doesn't", "don't", "didn't",
        "won't", "wouldn't", "shan't", "shouldn't", "can't", "cannot", "couldn't", "mustn't",
        "let's", "that's", "who's", "what's", "here's", "there's", "when's", "where's", "why's", "how's",
        // Articles.
        "a", "an", "the",
        // Prepositions, conjunctions, adverbs.
        "and", "but", "if", "or", "because", "as", "until", "while",
        "of", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during",
        "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
        "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how",
        "all", "any", "both", "each", "few", "more", "most", "other", "some", "such",
        "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very",
    ]

    static let chineseWords: [String] = [
        // Particles.
        "的", "之", "得", "着", "了", "所", "吗", "呢", "吧", "啊",
        // Prepositions and conjunctions.
        "在", "与", "及", "和", "对", "为", "以", "于", "从", "由", "将", "把", "被", "向", "因",
        "而", "或", "并", "且", "但", "则", "即", "中", "等",
        // Demonstratives, pronouns, determiners, classifier.
        "这", "那", "此", "该", "其", "各", "每", "个", "我", "你", "他", "她", "它",
        // Copula and adverbs.
        "是", "也", "就", "都", "又", "不",
        // Two-character function words.
        "我们", "你们", "他们", "她们", "它们",
        "这些", "那些", "这个", "那个", "这种", "那种", "这样", "其中", "之一",
        "以及", "并且", "或者", "而且", "但是", "然而", "因为", "所以", "因此", "如果", "虽然",
        "对于", "关于", "由于",
    ]

    static let englishTable = PackedWordTable(englishWords)
}

/// An open-addressing set of short ASCII words, each packed into two integers, so a lookup is a
/// multiply, a shift and one or two compares.
struct PackedWordTable: Sendable {
    private struct Slot: Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var count: Int = 0  // 0: empty
    }

    private let slots: [Slot]
    private let shift: UInt64
    private let mask: Int
    /// Longest word held; longer words are rejected at once.
    let maxCount: Int

    init(_ words: [String]) {
        var size = 16
        while size < words.count * 4 { size *= 2 }
        var slots = [Slot](repeating: Slot(), count: size)
        let shift = UInt64(64 - size.trailingZeroBitCount)
        let mask = size - 1
        var maxCount = 0
        for word in words {
            let bytes = Array(word.utf8)
            precondition(!bytes.isEmpty && bytes.count <= 16)
            maxCount = max(maxCount, bytes.count)
            let (low, high) = bytes.withUnsafeBufferPointer { Self.pack($0) }
            var i = Self.hash(low, high, bytes.count, shift)
            while slots[i].count != 0 {
                if slots[i].low == low && slots[i].high == high && slots[i].count == bytes.count { break }
                i = (i + 1) & mask
            }
            slots[i] = Slot(low: low, high: high, count: bytes.count)
        }
        self.slots = slots
        self.shift = shift
        self.mask = mask
        self.maxCount = maxCount
    }

    @inline(__always)
    func contains(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = word.count
        guard count > 0 && count <= maxCount else { return false }
        let (low, high) = Self.pack(word)
        var i = Self.hash(low, high, count, shift)
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots[i]
                if slot.count == 0 { return false }
                if slot.low == low && slot.high == high && slot.count == count { return true }
                i = (i + 1) & mask
            }
        }
    }

    /// Bytes 0..<8 and 8..<16, little end first.
    @inline(__always)
    private static func pack(_ word: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for i in 0..<min(word.count, 8) { low |= UInt64(word[i]) << UInt64(8 * i) }
        if word.count > 8 {
            for i in 8..<min(word.count, 16) { high |= UInt64(word[i]) << UInt64(8 * (i - 8)) }
        }
        return (low, high)
    }

    @inline(__always)
    private static func hash(_ low: UInt64, _ high: UInt64, _ count: Int, _ shift: UInt64) -> Int {
        let h = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(count) &* 0x1656_67B1_9E37_79F9)
        return Int(truncatingIfNeeded: h >> shift)
    }
}
