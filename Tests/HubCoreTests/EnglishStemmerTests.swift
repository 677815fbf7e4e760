import Foundation
import Testing
@testable import HubCore

/// One line of Fixtures/stemmer/english-vocabulary.tsv: a word and the stem the reference Snowball
/// implementation (PyPI `snowballstemmer`) gives it. scripts/make-stemmer-vocabulary.py makes the file.
struct StemmerCase: Sendable {
    let word: String
    let stem: String
}

/// The words of the vocabulary that start with one letter: one test case each, so a run reports 27
/// cases rather than one line per word, and a failure still names its word.
struct StemmerGroup: Sendable, CustomTestStringConvertible {
    let initial: String
    let cases: [StemmerCase]
    var testDescription: String { "\(cases.count) words starting with \(initial)" }
}

enum StemmerVocabulary {
    /// Tests/HubCoreTests/EnglishStemmerTests.swift → the package root → Fixtures/stemmer/….
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/stemmer/english-vocabulary.tsv")

    static func load() throws -> [StemmerCase] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var cases: [StemmerCase] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "bad line: \(line)"])
            }
            cases.append(StemmerCase(word: String(fields[0]), stem: String(fields[1])))
        }
        return cases
    }

    /// The vocabulary by first letter (digits and apostrophes together), in file order.
    static func groups() throws -> [StemmerGroup] {
        var order: [String] = []
        var byInitial: [String: [StemmerCase]] = [:]
        for entry in try load() {
            let first = entry.word.first.map(String.init) ?? ""
            let initial = first >= "a" && first <= "z" ? first : "a digit or '"
            if byInitial[initial] == nil { order.append(initial) }
            byInitial[initial, default: []].append(entry)
        }
        return order.map { StemmerGroup(initial: $0, cases: byInitial[$0]!) }
    }
}

@Suite struct EnglishStemmerTests {
    let stemmer = EnglishStemmer()

    @Test func vocabularyFileIsThere() throws {
        let cases = try StemmerVocabulary.load()
        #expect(cases.count >= 3000, "\(StemmerVocabulary.url.path) should hold the ~3,000-word sample")
    }

    @Test(arguments: try StemmerVocabulary.groups())
    func stemMatchesSnowball(_ group: StemmerGroup) {
        for entry in group.cases {
            #expect(stemmer.stem(entry.word) == entry.stem, "\(entry.word)")
        }
    }

    @Test(arguments: try StemmerVocabulary.groups())
    func byteAPIsAgreeWithStringAPI(_ group: StemmerGroup) {
        for entry in group.cases {
            let bytes = Array(entry.word.utf8)
            let stemmed = bytes.withUnsafeBufferPointer { stemmer.stem(ascii: $0) }
            #expect(String(decoding: stemmed, as: UTF8.self) == stemmer.stem(entry.word), "\(entry.word)")
            #expect(stemmed.count <= bytes.count, "\(entry.word)")
            let viaClosure = bytes.withUnsafeBufferPointer { stemmer.withStem(ascii: $0) { Array($0) } }
            #expect(viaClosure == stemmed, "\(entry.word)")
        }
    }

    @Test func exceptionalFormsAndSpecialPrefixes() {
        let expected: KeyValuePairs<String, String> = [
            "skies": "sky", "skis": "ski", "sky": "sky", "dying": "die", "lying": "lie", "tying": "tie",
            "news": "news", "atlas": "atlas", "bias": "bias", "idly": "idl", "gently": "gentl",
            "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
            "inning": "inning", "outing": "outing", "canning": "canning", "herring": "herring",
            "earring": "earring", "proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
            "generate": "generat", "general": "general", "communication": "communic", "community": "communiti",
            "arsenal": "arsenal", "arsenic": "arsenic",
        ]
        for (word, stem) in expected {
            #expect(stemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test func familiarExamples() {
        #expect(stemmer.stem("running") == "run")
        #expect(stemmer.stem("networks") == "network")
        #expect(stemmer.stem("hopping") == "hop")
        #expect(stemmer.stem("hoping") == "hope")
        #expect(stemmer.stem("model's") == "model")
        #expect(stemmer.stem("sky's") == "ski")
        #expect(stemmer.stem("'yes") == "yes")
    }

    @Test func wordsOfAtMostTwoLettersAreUnchanged() {
        for word in ["", "a", "x", "ab", "is", "yy", "'s"] {
            #expect(stemmer.stem(word) == word)
            let bytes = Array(word.utf8)
            #expect(bytes.withUnsafeBufferPointer { stemmer.stem(ascii: $0) } == bytes)
        }
    }

    /// Non-ASCII letters count as one consonant each, as in the reference (stems from snowballstemmer).
    @Test func nonASCIIWordsStemLikeTheReference() {
        let expected: KeyValuePairs<String, String> = [
            "naïvely": "naïv", "cafés": "café", "réseaux": "réseaux", "façades": "façad",
            "résumés": "résumé", "garçons": "garçon", "fiancée": "fiancé", "ångström": "ångström",
            "señoritas": "señorita", "déjà": "déjà",
        ]
        for (word, stem) in expected {
            #expect(stemmer.stem(word) == stem, "\(word)")
        }
    }
}
