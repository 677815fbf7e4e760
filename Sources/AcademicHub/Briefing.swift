import Foundation
import HubCore
import HubStore

public enum BriefLanguage: String, Sendable, Codable, CaseIterable {
    case en, zh
}

/// A cross-disciplinary analysis of a set of papers: themes, bridges across fields, what to read first.
public struct Briefing: Sendable, Codable {
    public struct Paper: Sendable, Codable {
        /// 1-based: how the briefing cites it, [n].
        public var number: Int
        public var key: String
        public var title: String
        public var source: String
        public var categories: [String]
        public var date: String?
        public var authors: [String]
        public var url: String?
        public var abstract: String
    }

    public struct Theme: Sendable, Codable {
        public var number: Int
        /// The theme's most distinctive words (class-based TF-IDF), as written in the papers.
        public var label: String
        public var terms: [String]
        /// Paper numbers, the most central first.
        public var papers: [Int]
        public var representative: Int
        /// The representative paper's sentence that carries most of the theme's words.
        public var keySentence: String?
    }

    public struct Bridge: Sendable, Codable {
        public var papers: [Int]
        /// The fields they come from (source or category), one per paper.
        public var fields: [String]
        public var similarity: Double
        /// What connects them: the words weighing most in both.
        public var terms: [String]
    }

    public struct Pick: Sendable, Codable {
        public var paper: Int
        public var reason: String
    }

    public var id: Int64?
    public var createdAt: String
    public var provider: String
    public var language: BriefLanguage
    /// What the list was: "query: …", "radar: …", "similar: …", "papers".
    public var input: String
    public var papers: [Paper]
    public var themes: [Theme]
    public var bridges: [Bridge]
    public var readFirst: [Pick]
    public var openQuestions: [String]
    /// Anything the reader should know about how it was made (a provider that failed, papers skipped).
    public var notices: [String]
    public var markdown: String
}

extension Hub {
    /// The offline briefing of these papers (keys as `ahub show` accepts them; a paper named twice, or two
    /// entries with one title, count once), in `language`.
    public func extractiveBriefing(_ keys: [String], input: String, language: BriefLanguage, notices given: [String] = []) throws -> Briefing {
        var seenKeys = Set<String>(), seenTitles = Set<String>()
        var papers: [HubCore.Paper] = []
        var stored: [HubCore.Paper] = [], missing: [String] = []
        for key in keys {
            if let found = try paper(keyOrTitle: key) { stored.append(found.paper) } else { missing.append(key) }
        }
        if !missing.isEmpty { throw HubError(Self.unknownPapers(missing) + "; search finds keys") }
        for p in stored {
            let title = TermVectors.titleKey(p.title)
            guard seenKeys.insert(p.key.rawValue).inserted, title.isEmpty || seenTitles.insert(title).inserted else { continue }
            papers.append(p)
        }
        guard !papers.isEmpty else { throw HubError("a briefing needs at least one paper") }
        let idOf = try store.ids(for: papers.map(\.key))
        let ids = papers.map { idOf[$0.key]! }
        let n = papers.count

        // Similarities: embeddings when every paper has one, else latent semantic analysis of TF-IDF (csl-zh
        // themes: NMI 0.5885 against 0.5409 for TF-IDF itself; README).
        let features = try termVectors.features(ids, hub: self)
        let terms = features.map { $0?.terms ?? SparseVector() }
        let dense = semantic.vectors(for: ids, library: store)
        let useDense = dense.allSatisfy { !$0.isEmpty }
        var similarity = [Double](repeating: 1, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                let s = useDense ? Double(IndexedWeights.dot(dense[i], dense[j])) : terms[i].dot(terms[j])
                similarity[i * n + j] = s
                similarity[j * n + i] = s
            }
        }
        let wordSimilarity = similarity
        if !useDense, n >= 4 { similarity = LatentSemantics.similarity(similarity, count: n, rank: Self.lsaRank(n)) }
        let labels = ThemeClustering.themes(similarity: similarity, count: n, maxThemes: min(8, max(2, n / 4)))
        let themeCount = (labels.max() ?? 0) + 1

        // Words: each paper's term counts and the form each term takes in the text.
        var counts: [[String: Int]] = []
        // Each paper's forms of each term, counted: a label names a term as the papers it speaks of write it
        // (a bridge between two papers that write "correct" and "correcting" is not "meeting on correctly",
        // a form a third paper wrote).
        // Forms met only as a piece of hyphenated words count when there is no other.
        var forms: [[String: [String: Int]]] = [], pieceForms: [[String: [String: Int]]] = []
        // Terms met at least once as a word of their own, not only as a piece of a hyphenated one (the "multi" of
        // multi-pass and multi-step, which two papers do not meet on).
        var whole = Set<String>()
        analyzers.with { analyzer in
            for p in papers {
                let text = p.title + "\n" + p.abstract
                let bytes = Array(text.utf8)
                var c: [String: Int] = [:]
                var (f, pf): ([String: [String: Int]], [String: [String: Int]]) = ([:], [:])
                for token in analyzer.tokens(text, mode: .document) {
                    c[token.term, default: 0] += 1
                    let form = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
                    let hyphen = UInt8(ascii: "-")
                    if !(token.start > 0 && bytes[token.start - 1] == hyphen) && !(token.end < bytes.count && bytes[token.end] == hyphen) {
                        whole.insert(token.term)
                        f[token.term, default: [:]][form, default: 0] += 1
                    } else {
                        pf[token.term, default: [:]][form, default: 0] += 1
                    }
                }
                counts.append(c)
                forms.append(f)
                pieceForms.append(pf)
            }
        }
        /// The form `term` takes most often in `members` as a word of its own, else as a piece of hyphenated ones
        /// (ties: the lower-case one, the shorter, the first in order).
        func written(_ term: String, in members: [Int]) -> String? {
            var tally: [String: Int] = [:]
            for i in members { for (form, k) in forms[i][term] ?? [:] { tally[form, default: 0] += k } }
            if tally.isEmpty { for i in members { for (form, k) in pieceForms[i][term] ?? [:] { tally[form, default: 0] += k } } }
            return tally.max { a, b in
                if a.value != b.value { return a.value < b.value }
                let (la, lb) = (a.key == a.key.lowercased(), b.key == b.key.lowercased())
                if la != lb { return !la }
                return a.key.count != b.key.count ? a.key.count > b.key.count : a.key > b.key
            }?.key
        }
        let weights = Self.classTFIDF(counts: counts, labels: labels, classes: themeCount)

        var themes: [Briefing.Theme] = []
        for t in 0..<themeCount {
            let members = (0..<n).filter { labels[$0] == t }
            // Most central first: mean similarity to the rest of the theme.
            let centrality = Dictionary(uniqueKeysWithValues: members.map { i in
                (i, members.count > 1 ? members.filter { $0 != i }.map { similarity[i * n + $0] }.reduce(0, +) / Double(members.count - 1) : 1)
            })
            let ordered = members.sorted { centrality[$0]! != centrality[$1]! ? centrality[$0]! > centrality[$1]! : $0 < $1 }
            // A lone Chinese character is most often a piece of a word ICU's dictionary does not know (掺 of
            // 掺杂): a label of words when the theme has them, of characters only when it has nothing else.
            let labelled = weights[t].compactMap { term, weight -> (term: String, form: String, weight: Double)? in
                guard weight > 0, let form = written(term, in: members), Self.isThemeWord(form) else { return nil }
                return (term, form, weight)
            }.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
            let words = labelled.filter { !Self.isLoneIdeograph($0.form) && whole.contains($0.term) }
            let top = (words.isEmpty ? labelled : words).prefix(3).map { Self.labelForm($0.form) }
            let representative = ordered[0]
            themes.append(Briefing.Theme(
                number: 0, label: top.joined(separator: language == .zh ? "、" : " · "), terms: top,
                papers: ordered.map { $0 + 1 }, representative: representative + 1,
                keySentence: keySentence(papers[representative].abstract, weights: weights[t])))
        }
        themes.sort { $0.papers.count != $1.papers.count ? $0.papers.count > $1.papers.count : $0.papers[0] < $1.papers[0] }
        for i in themes.indices { themes[i].number = i + 1 }

        // Bridges: the most alike pairs from different fields (source, or primary category), each paper once.
        func field(_ p: HubCore.Paper) -> String { p.categories.first.map { "\(p.source) \($0)" } ?? p.source }
        var pairs: [(Int, Int, Double)] = []
        for i in 0..<n {
            for j in (i + 1)..<n where papers[i].source.lowercased() != papers[j].source.lowercased()
                || papers[i].categories.first?.lowercased() != papers[j].categories.first?.lowercased() {
                pairs.append((i, j, useDense ? similarity[i * n + j] : wordSimilarity[i * n + j]))
            }
        }
        pairs.sort { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
        // The closest pair from two different sources (arXiv and a journal, bioRxiv and medRxiv) goes first:
        // the widest gap a list spans is the bridge most worth telling.
        if let wide = pairs.firstIndex(where: { papers[$0.0].source.lowercased() != papers[$0.1].source.lowercased() }) {
            pairs.insert(pairs.remove(at: wide), at: 0)
        }
        // A pair less alike than this is no bridge, only two papers: all-MiniLM-L6-v2 puts unrelated abstracts
        // near 0.2 (a deep-sea whale graveyard and a deep-learning forecaster, 0.22, "meeting on deep").
        let floor = useDense ? Self.bridgeFloor.meaning : Self.bridgeFloor.words
        var used = Set<Int>()
        var bridges: [Briefing.Bridge] = []
        for (i, j, s) in pairs where bridges.count < 3 && s >= floor && !used.contains(i) && !used.contains(j) {
            used.formUnion([i, j])
            let (wi, wj) = (weights[labels[i]], weights[labels[j]])
            var common: [(term: String, form: String, weight: Double)] = []
            for term in counts[i].keys where counts[j][term] != nil && whole.contains(term) {
                guard let form = written(term, in: [i, j]), Self.isThemeWord(form), !Self.isLoneIdeograph(form) else { continue }
                let weight: Double = (wi[term] ?? 0) + (wj[term] ?? 0)
                common.append((term, form, weight))
            }
            common.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
            let shared = common.prefix(3).map { Self.labelForm($0.form) }
            bridges.append(Briefing.Bridge(papers: [i + 1, j + 1], fields: [field(papers[i]), field(papers[j])], similarity: s, terms: Array(shared)))
        }

        // Read first: each theme's most central paper, then the bridges' papers.
        var picks: [Briefing.Pick] = []
        for theme in themes.prefix(4) {
            picks.append(.init(paper: theme.representative, reason: language == .zh
                ? "主题 \(theme.number)（\(theme.label)）的核心论文"
                : "the paper at the centre of theme \(theme.number) (\(theme.label))"))
        }
        for bridge in bridges where picks.count < 6 {
            for number in bridge.papers where !picks.contains(where: { $0.paper == number }) && picks.count < 6 {
                picks.append(.init(paper: number, reason: language == .zh
                    ? "连接 \(bridge.fields.joined(separator: " 与 "))：\(bridge.terms.joined(separator: "、"))"
                    : "bridges \(bridge.fields.joined(separator: " and ")) on \(bridge.terms.joined(separator: ", "))"))
            }
        }

        let listed = papers.enumerated().map { i, p in
            Briefing.Paper(number: i + 1, key: p.key.rawValue, title: p.title, source: p.source, categories: p.categories,
                           date: p.date, authors: p.authors, url: p.url, abstract: p.abstract)
        }
        var notices = given
        if !useDense, n > 1 {
            // Said as it is: none of the papers has a vector (a Chinese list, a library never embedded), or some lack one.
            notices.append(Self.wordThemesNotice(language, noneHasAVector: dense.allSatisfy(\.isEmpty)))
        }
        var briefing = Briefing(id: nil, createdAt: Self.now(), provider: "extractive", language: language, input: input,
                                papers: listed, themes: themes, bridges: bridges, readFirst: picks, openQuestions: [],
                                notices: notices, markdown: "")
        briefing.markdown = Self.markdown(briefing)
        return briefing
    }

    /// LSA's rank for n papers: 100 (csl-zh themes, NMI: rank 50 0.5843, 100 0.5885, 200 0.5616, 300
    /// 0.5482), at most half the papers.
    static func lsaRank(_ n: Int) -> Int { max(2, min(100, n / 2)) }

    /// Class-based TF-IDF (BERTopic's c-TF-IDF): a term's frequency in a theme times log(1 + the mean
    /// number of words per theme / its frequency in all themes).
    static func classTFIDF(counts: [[String: Int]], labels: [Int], classes: Int) -> [[String: Double]] {
        var perClass = [[String: Double]](repeating: [:], count: classes)
        var total: [String: Double] = [:]
        for (c, label) in zip(counts, labels) {
            for (term, count) in c {
                perClass[label][term, default: 0] += Double(count)
                total[term, default: 0] += Double(count)
            }
        }
        let mean = perClass.map { $0.values.reduce(0, +) }.reduce(0, +) / Double(max(classes, 1))
        return perClass.map { tf in tf.reduce(into: [String: Double]()) { out, item in out[item.key] = item.value * log(1 + mean / total[item.key]!) } }
    }

    /// The least likeness a bridge needs: embedding cosine, or TF-IDF cosine when papers have no vectors.
    static let bridgeFloor = (meaning: 0.3, words: 0.1)

    /// A word that can name a theme or a bridge: a label word, not filler of any kind, not a unit or a number with its unit (mg,
    /// 40mg) nor a Roman numeral (Ⅱ, ⅱ: letters to Swift); an acronym spelled as a unit (MS, multiple
    /// sclerosis) still can. (A radar's reasons keep measurements its description names: `isLabelWord`.)
    static func isThemeWord(_ word: String) -> Bool {
        // Nor the words a radar never gives as a reason ("can", "enables", 用于): they name no theme either.
        isLabelWord(word) && !reasonFillerWords.contains(word.lowercased())
            && !word.unicodeScalars.allSatisfy { $0.properties.generalCategory == .letterNumber }
            && !(isMeasurement(word.lowercased()) && word == word.lowercased())
    }

    /// A word fit for a label: has a letter, is more than one Latin letter, and is neither a stopword nor the
    /// filler of abstracts ("based", "propose", "results"…).
    static func isLabelWord(_ word: String) -> Bool {
        let lower = word.lowercased()
        return word.contains { $0.isLetter } && !(word.count == 1 && word.first!.isASCII)
            && !Stopwords.isEnglishStopword(lower) && !Stopwords.isChineseStopword(word) && !abstractFiller.contains(lower)
    }

    static let abstractFiller: Set<String> = [
        "based", "using", "use", "used", "propose", "proposed", "present", "presents", "paper", "study", "studies",
        "show", "shows", "shown", "result", "results", "approach", "method", "methods", "new", "novel", "also",
        "however", "model", "models", "data", "via", "across", "within", "well", "two", "one", "first", "work",
        "研究", "方法", "结果", "本文", "提出", "分析", "基于", "进行", "通过",
    ]

    /// A word as a label shows it: lower-cased unless it is an acronym or mixed case (LLMs, GPUs, SARS-CoV-2).
    static func labelForm(_ word: String) -> String {
        // A capital that only opens a sentence is dropped ("Training"); a word whose rest has no small letter keeps
        // its case (DNA, O_2, CO2, mRNA's "RNA").
        let rest = word.dropFirst()
        return rest.contains(where: \.isLowercase) && !rest.contains(where: \.isUppercase) ? word.lowercased() : word
    }

    /// The abstract's sentence with the most theme weight per word.
    func keySentence(_ abstract: String, weights: [String: Double]) -> String? {
        let sentences = Self.sentences(abstract).filter { $0.count >= 20 }
        guard !sentences.isEmpty else { return nil }
        let scored = analyzers.with { analyzer in
            sentences.map { sentence -> (String, Double) in
                let words = analyzer.terms(sentence)
                let sum = words.reduce(0) { $0 + (weights[$1] ?? 0) }
                return (sentence, words.isEmpty ? 0 : sum / Double(words.count).squareRoot())
            }
        }
        return scored.max { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.count > $1.0.count }.map { Self.withoutReferenceMarks($0.0) }
    }

    /// A sentence without the abstract's own reference marks (`疾病[1].`, `shown [2, 5]`): in a briefing, whose
    /// papers are cited by number, they would read as citing its paper [1].
    static func withoutReferenceMarks(_ sentence: String) -> String {
        sentence.replacingOccurrences(of: #"\s?[\[【][0-9]+(?:\s*[,，–-]\s*[0-9]+)*[\]】]"#, with: "", options: .regularExpression)
    }

    /// Sentences of a text: split after . ! ? followed by a space or by a CJK character (Chinese abstracts
    /// often end sentences with an ASCII full stop and no space: 的方法.分析了), and after 。！？.
    static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let characters = Array(text)
        func isCJK(_ c: Character) -> Bool { c.unicodeScalars.first.map { (0x3400...0x9FFF).contains($0.value) } ?? false }
        for (i, ch) in characters.enumerated() {
            current.append(ch)
            // A full stop before a Chinese character ends a sentence whatever it follows: 的性能缺陷.该, but also
            // (37.7±8.4)％.组织, 30%.通过, μg/g.该 (csl-zh); a fullwidth one ends it unless a digit follows (３．５).
            let next = i + 1 < characters.count ? characters[i + 1] : nil
            let latinEnd = ".!?".contains(ch) && (next.map { $0.isWhitespace || isCJK($0) } ?? true)
            let fullwidthEnd = ch == "．" && (next.map { !$0.isNumber } ?? true)
            if latinEnd || fullwidthEnd || "。！？".contains(ch) {
                let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { result.append(trimmed) }
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { result.append(rest) }
        return result
    }

    /// What a briefing was made from, in its language: `search: …`, `similar to KEY`, `radar NAME · WINDOW`
    /// (a window of any date is `all`).
    static func listLabel(_ kind: String, _ input: String, _ language: BriefLanguage) -> String {
        let zh = language == .zh
        switch kind {
        case "search": return (zh ? "检索：" : "search: ") + input
        case "similar": return (zh ? "相似于 " : "similar to ") + input
        case "radar":
            // A feed of any date (its window "all", which could read as --all).
            let shown = input.hasSuffix(" · all") ? "\(input.dropLast(3))" + (zh ? "全部日期" : "any date") : input
            return (zh ? "雷达 " : "radar ") + shown
        default: return "\(kind): \(input)"
        }
    }

    /// Why the themes are by words; the extractive briefing's own (a model or a program writes its own themes).
    static func wordThemesNotice(_ language: BriefLanguage, noneHasAVector none: Bool) -> String {
        language == .zh
            ? (none ? "这些论文都没有向量" : "部分论文没有向量") + "：主题按词语（潜在语义分析）划分。"
            : (none ? "No paper here has a vector" : "Some papers have no vector") + ": themes are by their words (latent semantic analysis)."
    }

    /// The notices a briefing written by a model or a program keeps of its scaffold's.
    static func noticesForWrittenBriefing(_ b: Briefing) -> [String] {
        b.notices.filter { $0 != wordThemesNotice(b.language, noneHasAVector: true) && $0 != wordThemesNotice(b.language, noneHasAVector: false) }
    }

    /// `2026-12-03T19:03:17Z` as a briefing's header shows it: `2026-12-03 19:03 UTC`.
    static func shownTime(_ createdAt: String) -> String {
        createdAt.count == 20 ? "\(createdAt.prefix(10)) \(createdAt.dropFirst(11).prefix(5)) UTC" : createdAt
    }

    static func papersCount(_ n: Int) -> String { "\(n) paper\(n == 1 ? "" : "s")" }

    /// The briefing as Markdown, headings in its language; paper titles as written.
    static func markdown(_ b: Briefing) -> String {
        let zh = b.language == .zh
        var out: [String] = []
        out.append(zh ? "# 交叉领域文献简报" : "# Cross-disciplinary briefing")
        out.append("")
        out.append(zh ? "\(b.papers.count) 篇论文，\(b.themes.count) 个主题 · \(b.input) · \(shownTime(b.createdAt))"
                      : "\(papersCount(b.papers.count)), \(b.themes.count) theme\(b.themes.count == 1 ? "" : "s") · \(b.input) · \(shownTime(b.createdAt))")
        for notice in b.notices { out.append(""); out.append("> " + notice) }
        out.append("")
        out.append(zh ? "## 主题" : "## Themes")
        for theme in b.themes {
            out.append("")
            out.append(zh ? "### 主题 \(theme.number)：\(theme.label)" : "### Theme \(theme.number): \(theme.label)")
            out.append("")
            for number in theme.papers {
                let p = b.papers[number - 1]
                out.append("- [\(number)] \(p.title) (`\(p.key)`, \(([p.source] + p.categories.prefix(1)).joined(separator: " · ")))")
            }
            if let sentence = theme.keySentence {
                out.append("")
                out.append((zh ? "> 关键句（[\(theme.representative)]）：" : "> Key sentence ([\(theme.representative)]): ") + sentence)
            }
        }
        out.append("")
        out.append(zh ? "## 跨领域桥梁" : "## Bridges across fields")
        out.append("")
        if b.bridges.isEmpty {
            let fields = Set(b.papers.map { "\($0.source.lowercased()) \($0.categories.first?.lowercased() ?? "")" })
            let uncategorized = b.papers.allSatisfy { $0.categories.isEmpty }
            out.append(fields.count <= 1 && uncategorized
                ? (zh ? "这些论文来自同一来源，且都没有类别，无从区分领域。" : "These papers come from one source and carry no category to tell their fields apart.")
                : fields.count <= 1 ? (zh ? "这些论文来自同一领域。" : "These papers come from one field.")
                : (zh ? "不同领域的论文之间没有足够相近的一对，不构成桥梁。" : "No two papers from different fields are alike enough to bridge them."))
        }
        for bridge in b.bridges {
            let cited = bridge.papers.map { "[\($0)]" }.joined(separator: zh ? " 与 " : " and ")
            let words = bridge.terms.isEmpty ? "" : (zh ? "，共同关注：" : ", meeting on ") + bridge.terms.joined(separator: zh ? "、" : ", ")
            out.append("- " + cited + (zh ? "（\(bridge.fields.joined(separator: " / "))）" : " (\(bridge.fields.joined(separator: " / ")))")
                       + String(format: zh ? "，相似度 %.2f" : ", similarity %.2f", bridge.similarity) + words)
        }
        out.append("")
        out.append(zh ? "## 优先阅读" : "## Read first")
        out.append("")
        for pick in b.readFirst {
            out.append("- [\(pick.paper)] \(b.papers[pick.paper - 1].title)" + (zh ? "：" : ": ") + pick.reason)
        }
        if !b.openQuestions.isEmpty {
            out.append("")
            out.append(zh ? "## 开放问题" : "## Open questions")
            out.append("")
            for question in b.openQuestions { out.append("- " + question) }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// What a briefing is made of: a list the engine ranks, or papers named.
public enum BriefInput: Sendable {
    case papers([String])
    case query(String)
    case similar(String)
    /// A radar's feed over the last `days` days (every date when nil).
    case radar(String, days: Int?)
    /// A list handed out by `--json` earlier.
    case handle(String)
}

extension Hub {
    /// Remembers a ranked list under a short handle (the same list gives the same handle) for `--from-handle`.
    /// `storing: false` names the list without storing it (a HEAD request, which changes nothing): the same
    /// handle a GET gives, since a handle is a hash of the list.
    public func rememberList(kind: String, input: String, keys: [String], storing: Bool = true) throws -> String {
        let handle = "L" + String(Evaluator.fnv1a(([kind, input] + keys).joined(separator: "\u{1}")) % 0xFF_FFFF_FFFF, radix: 16)
        // The same list again (a page reloaded, a query repeated) is stored already: no write.
        if !storing || storedLists.contains(handle) { return handle }
        try store.saveList(handle: handle, kind: kind, input: input, keys: keys, at: Self.now())
        storedLists.insert(handle)
        return handle
    }

    /// Makes, stores and returns a briefing of the list: its first `limit` papers.
    public func brief(_ source: BriefInput, language: BriefLanguage = .en, limit: Int = 30, provider: BriefProvider? = nil,
                      onText: (@Sendable (String) -> Void)? = nil) throws -> Briefing {
        let settings = try store.settings()
        guard let provider = provider ?? BriefProvider(rawValue: settings["brief.provider"] ?? "extractive") else {
            throw HubError("setting brief.provider is extractive, llm or command")
        }
        let limit = max(1, min(limit, 200))
        let (keys, input): ([String], String)
        var notices: [String] = []
        switch source {
        case .papers(let named):
            guard named.count <= limit else {
                throw HubError("\(named.count) papers named; a briefing takes at most \(limit) here (the limit, up to 200)")
            }
            if named.contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
                throw HubError("a paper was named by nothing (an empty key or title); `ahub search` finds keys")
            }
            (keys, input) = (named, language == .zh ? "指定论文" : named.count == 1 ? "paper named" : "papers named")
        case .query(let text):
            let mode = defaultSearchMode()
            // As `ahub search` answers it (a paper's key alone is that paper).
            let results = try search(text, mode: Optional(mode), limit: limit)
            (keys, input) = (results.hits.map(\.paper.key.rawValue), Self.listLabel("search", text, language))
            if keys.isEmpty { throw HubError("no papers match \(Self.quoted(text)): nothing to brief") }
            // As search says: a hybrid search where no paper holds the words lists the nearest by meaning.
            if mode == .hybrid, results.mode == SearchMode.semantic.rawValue, !keys.isEmpty {
                if results.notices.contains(where: { $0.kind == "filtered" }) {
                    notices.append(language == .zh ? "筛选条件保留的论文都不包含这些词：以下是其中语义上最接近的论文。"
                                                   : "No paper the filters and exclusions keep holds these words: these are the nearest of them by meaning.")
                } else {
                    notices.append(language == .zh ? "没有论文包含这些词：以下是语义上最接近的论文。"
                                                   : "No paper holds these words: these are the nearest by meaning.")
                }
            }
        case .similar(let key):
            let results = try similar(key, limit: limit)
            (keys, input) = (results.hits.map(\.paper.key.rawValue), Self.listLabel("similar", results.query, language))
        case .radar(let name, let days):
            if let days, !(1...3_650).contains(days) { throw HubError("days must be from 1 to 3650") }
            let window: FeedWindow = days.map { .days($0, today: Self.today()) } ?? .all
            // The radar's picks, shown before or not; not the papers the user rated or gave as seeds.
            let feed = try radarFeed(name, window: window, limit: limit, includeSeen: true, includeRated: false, record: false)
            guard !feed.items.isEmpty else {
                let when = days.map { "in the last \($0) day\($0 == 1 ? "" : "s")" } ?? "at any date"
                throw HubError("radar \(feed.radar) has no paper to brief \(when): "
                    + (feed.inWindow == 0 ? (days == nil ? "the library has no papers yet"
                                              : "no paper in the library is dated in it; leave the days out to brief its papers of any date")
                       : feed.inWindow == 1 ? "its one paper is rated or a seed" : "its \(feed.inWindow) papers are rated or the radar's seeds"))
            }
            (keys, input) = (feed.items.map(\.key), Self.listLabel("radar", "\(feed.radar) · \(feed.window)", language))
        case .handle(let handle):
            guard let list = try store.list(handle: handle) else {
                throw HubError("no list \(handle): a handle comes with each list of search, similar and radar feed (\"handle\" in their JSON)")
            }
            (keys, input) = (list.keys, Self.listLabel(list.kind, list.input, language))
        }
        guard !keys.isEmpty else { throw HubError("the list is empty: nothing to brief") }
        var briefing = try extractiveBriefing(Array(keys.prefix(limit)), input: input, language: language, notices: notices)
        switch provider {
        case .extractive: break
        case .llm: briefing = try llmBriefing(briefing, settings: settings, onText: onText)
        case .command: briefing = try commandBriefing(briefing, settings: settings)
        }
        let body = String(decoding: try JSONEncoder().encode(briefing), as: UTF8.self)
        briefing.id = try store.saveBriefing(createdAt: briefing.createdAt, provider: briefing.provider, language: language.rawValue,
                                             input: input, papers: briefing.papers.count, body: body)
        return briefing
    }

    public func briefings() throws -> [BriefingRecord] { try store.briefingRecords() }

    public func deleteBriefing(id: Int64) throws {
        guard try store.deleteBriefing(id: id) else { throw HubError("no briefing \(id); `ahub brief list` shows them") }
    }

    public func briefing(id: Int64) throws -> Briefing {
        guard let body = try store.briefingBody(id: id) else { throw HubError("no briefing \(id); `ahub brief list` shows them") }
        var briefing = try JSONDecoder().decode(Briefing.self, from: Data(body.utf8))
        briefing.id = id
        return briefing
    }
}

/// The handles one process has stored, so that a repeated list costs no write; forgotten past 100,000.
final class StoredLists: @unchecked Sendable {
    private let lock = NSLock()
    private var handles: Set<String> = []

    func contains(_ handle: String) -> Bool { lock.withLock { handles.contains(handle) } }

    func insert(_ handle: String) {
        lock.withLock {
            if handles.count >= 100_000 { handles.removeAll(keepingCapacity: true) }
            handles.insert(handle)
        }
    }
}
