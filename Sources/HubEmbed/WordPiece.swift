import Foundation

/// BERT's tokenizer as `tokenizer.json` describes it for all-MiniLM-L6-v2 (HuggingFace tokenizers'
/// `BertNormalizer` + `BertPreTokenizer` + `WordPiece`):
/// - normalize: drop NUL, U+FFFD and control characters, turn whitespace into spaces, put spaces around CJK
///   ideographs (each becomes a word of its own), strip accents (NFD, drop combining marks), lower-case;
/// - split on whitespace, and every punctuation character is a word of its own;
/// - each word becomes the longest vocabulary pieces from its start (`##` marking a continuation); a word
///   that cannot be covered, or is longer than 100 characters, becomes `[UNK]`;
/// - `[CLS] … [SEP]`, at most `maxTokens` in all (words past that are cut).
public struct WordPieceTokenizer: Sendable {
    let vocabulary: [String: Int32]
    let unknown: Int32
    let classify: Int32
    let separator: Int32
    let continuationPrefix: String
    let maxCharactersPerWord: Int

    /// Reads the vocabulary and settings from a HuggingFace `tokenizer.json` with a WordPiece model.
    public init(tokenizerJSON path: String) throws {
        guard let data = FileManager.default.contents(atPath: path),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let model = root["model"] as? [String: Any], let vocab = model["vocab"] as? [String: Any]
        else { throw EmbedError("\(path) is not a tokenizer.json with a model vocabulary") }
        guard (model["type"] as? String) == "WordPiece" else {
            throw EmbedError("\(path): model type \(model["type"] ?? "?"), expected WordPiece")
        }
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(vocab.count)
        for (token, id) in vocab {
            guard let id = (id as? NSNumber)?.int32Value else { continue }
            vocabulary[token] = id
        }
        func id(_ token: String) throws -> Int32 {
            guard let id = vocabulary[token] else { throw EmbedError("\(path): the vocabulary has no \(token)") }
            return id
        }
        self.vocabulary = vocabulary
        unknown = try id((model["unk_token"] as? String) ?? "[UNK]")
        classify = try id("[CLS]")
        separator = try id("[SEP]")
        continuationPrefix = (model["continuing_subword_prefix"] as? String) ?? "##"
        maxCharactersPerWord = (model["max_input_chars_per_word"] as? Int) ?? 100
    }

    /// Token ids for `text`, `[CLS]` and `[SEP]` included, at most `maxTokens` of them.
    public func encode(_ text: String, maxTokens: Int) -> [Int32] {
        var ids: [Int32] = [classify]
        let budget = max(0, maxTokens - 2)
        outer: for word in Self.words(Self.normalize(text)) {
            for piece in pieces(word) {
                guard ids.count - 1 < budget else { break outer }
                ids.append(piece)
            }
        }
        ids.append(separator)
        return ids
    }

    /// The pieces as strings, for tests and `ahub analyze`-style inspection.
    public func tokens(_ text: String, maxTokens: Int = 512) -> [String] {
        let names = Dictionary(vocabulary.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return encode(text, maxTokens: maxTokens).map { names[$0] ?? "?" }
    }

    func pieces(_ word: [Unicode.Scalar]) -> [Int32] {
        if word.count > maxCharactersPerWord { return [unknown] }
        var result: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var candidate = String(String.UnicodeScalarView(word[start..<end]))
                if start > 0 { candidate = continuationPrefix + candidate }
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknown] }
            result.append(found)
            start = end
        }
        return result
    }

    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count + 16)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD { continue }
            if scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.generalCategory == .spaceSeparator {
                out.append(" ")
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .format: continue
            default: break
            }
            if isCJK(value) {
                out.append(" ")
                out.append(scalar)
                out.append(" ")
            } else {
                out.append(scalar)
            }
        }
        // Strip accents (NFD, drop nonspacing marks), then lower-case.
        let decomposed = String(String.UnicodeScalarView(out)).decomposedStringWithCanonicalMapping
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(decomposed.unicodeScalars.count)
        for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return result
    }

    static func words(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in scalars {
            if scalar == " " || scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(current); current = [] }
            } else if isPunctuation(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
