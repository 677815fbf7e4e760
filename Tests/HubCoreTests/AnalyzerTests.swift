import Testing
@testable import HubCore

@Suite struct AnalyzerTests {
    let analyzer = try! Analyzer()

    @Test func englishWordsAreStemmedAndStopwordsDropped() {
        #expect(analyzer.terms("The running models of the networks") == ["run", "model", "network"])
    }

    /// A programming language's name keeps its marks: a search for C++ must not find every "vitamin C".
    @Test func languageNamesKeepTheirMarks() {
        #expect(analyzer.terms("C++ and C# or F#, vitamin C") == ["c++", "c#", "f#", "vitamin", "c"])
        #expect(analyzer.terms("C++17 (c++)") == ["c++", "17", "c++"])
        #expect(analyzer.terms("a C+ grade, C+++, C#5, AB++ and x_C#") == ["c", "grade", "c", "c", "5", "ab", "x_c"])
        let text = "in C++."
        let token = analyzer.tokens(text).last
        #expect(token.map { String(decoding: Array(text.utf8)[$0.start..<$0.end], as: UTF8.self) } == "C++")
        #expect(analyzer.terms("C++", mode: .query) == ["c++"])
    }

    @Test func tokenOffsetsAreUTF8ByteOffsetsIntoTheOriginalText() {
        let text = "Étude des réseaux: 神经网络 and transformers"
        let bytes = Array(text.utf8)
        let tokens = analyzer.tokens(text)
        let surfaces = tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        #expect(surfaces.contains("transformers"))
        #expect(surfaces.contains("Étude"))
        #expect(surfaces.joined().contains("神经"))
        // Every range cuts the text on character boundaries.
        for t in tokens { #expect(String(validating: bytes[t.start..<t.end], as: UTF8.self) != nil) }
    }

    @Test func chineseIsSegmentedIntoDictionaryWords() {
        let terms = analyzer.terms("基于深度学习的图像识别方法")
        #expect(terms.count >= 3)
        #expect(terms.contains("深度") || terms.contains("深度学习"))
        #expect(!terms.contains("的"), "的 is a stopword")
    }

    @Test func traditionalQueryFindsSimplifiedText() {
        #expect(analyzer.terms("機器學習與語言模型") == analyzer.terms("机器学习与语言模型"))
        // ICU's dictionary breaks the scripts differently (計算機 one word, 计算机 two): characters are
        // simplified before the breaks. 著 stays (显著 is Simplified too) and still meets 顯著.
        for (traditional, simplified) in [("計算機", "计算机"), ("圖書館", "图书馆"), ("顯著", "显著"), ("計算機視覺與圖書館學", "计算机视觉与图书馆学")] {
            #expect(analyzer.terms(traditional) == analyzer.terms(simplified), "\(traditional)")
        }
        // Offsets are the original text's.
        let text = "Graph 計算機 models"
        let tokens = analyzer.tokens(text)
        let words = tokens.map { String(decoding: Array(text.utf8)[$0.start..<$0.end], as: UTF8.self) }
        #expect(words == ["Graph", "計算", "機", "models"], "\(tokens)")
        #expect(!analyzer.terms("機器學習").isEmpty)
    }

    @Test func compatibilityFormsAndCaseFoldTogether() {
        #expect(analyzer.terms("ＧＰＵ") == analyzer.terms("gpu"))
        #expect(analyzer.terms("ﬁnite") == analyzer.terms("finite"))
        #expect(analyzer.terms("STRASSE") == analyzer.terms("strasse"))
    }

    /// Accents are typed or left out at will in Latin and Greek script: either finds the other. Where the
    /// mark makes another letter (Cyrillic й) or carries the word (Devanagari), it stays.
    @Test func accentsComeOffLatinAndGreekLetters() {
        #expect(analyzer.terms("Café naïve Schrödinger") == analyzer.terms("cafe naive schrodinger"))
        #expect(analyzer.terms("Ἀθῆναι") == analyzer.terms("αθηναι"))
        #expect(analyzer.terms("cafe\u{301}") == analyzer.terms("cafe"))  // decomposed as typed on some keyboards
        #expect(analyzer.terms("йод") != analyzer.terms("иод"))
        #expect(analyzer.terms("किताब") == ["किताब"])
    }

    @Test func typographicApostropheStemsLikeASCII() {
        #expect(analyzer.terms("model’s") == analyzer.terms("model's"))
    }

    @Test func latexAndHTMLStayOutOfTheIndexButOffsetsHold() {
        let text = "We prove $k^{(4-4p)}$ bounds via \\( |n| \\) and <i>spectral</i> &amp; \\emph{sparse} methods"
        let tokens = analyzer.tokens(text)
        #expect(tokens.map(\.term) == ["prove", "bound", "via", "spectral", "spars", "method"])
        let bytes = Array(text.utf8)
        let spectral = tokens.first { $0.term == "spectral" }!
        #expect(String(decoding: bytes[spectral.start..<spectral.end], as: UTF8.self) == "spectral")
    }

    @Test func aLoneDollarOrLessThanIsText() {
        #expect(analyzer.terms("costs $5 million when p < 0.05").contains("cost"))
        #expect(analyzer.terms("costs $5 million when p < 0.05").contains("0.05"))
        // Comparisons and amounts that pair up like a tag or like math are text too (words were lost to them).
        #expect(analyzer.terms("when n<k the algorithm terminates, and for n>k it diverges")
                == ["n", "k", "algorithm", "termin", "n", "k", "diverg"])
        #expect(analyzer.terms("The program cost $5 million in 2019 and saved hospitals $12 million later")
                == ["program", "cost", "5", "million", "2019", "save", "hospit", "12", "million", "later"])
        // SciFact's own text (documents 21048969 and 1287809): nothing between is lost.
        #expect(analyzer.terms("(normal <or=3 mg/l and elevated >3 mg/l)").contains("elev"))
        #expect(analyzer.terms("had ICERs of $81,000/QALY and $140,000/QALY, respectively") == ["icer", "81,000", "qali", "140,000", "qali", "respect"])
        // Real markup still goes, its words kept where they are words.
        #expect(analyzer.terms("H<sub>2</sub>O and <a href=\"https://x.org/a b\" target=_blank>link</a><br/>") == ["h", "2", "o", "link"])
        #expect(analyzer.terms("<mml:math xmlns:mml=\"http://www.w3.org/1998/Math/MathML\"><mml:mi>x</mml:mi></mml:math> graphs") == ["x", "graph"])
        #expect(analyzer.terms("<!-- note --> the $k$-means and $$E = mc^2$$ clusters") == ["mean", "cluster"])
        // No element is named "d" or "n"; a currency's sign opens no math; a tag may run attributes together.
        #expect(analyzer.terms("holds for d<n and fails for n>d").contains("fail"))
        #expect(analyzer.terms("Costs (US$) and QALYs (US$) were") == ["cost", "us", "qali", "us"])
        #expect(analyzer.terms("<a href=\"x\"target=\"_blank\">link</a> <a href=https://x.org/?q=1>site</a> <jats:italic>in vivo</jats:italic>")
                == ["link", "site", "vivo"])
    }

    @Test func invalidUTF8DoesNotStopTheRest() {
        var bytes = Array("good words".utf8)
        bytes.insert(contentsOf: [0xFF, 0xC3], at: 4)
        var terms: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            analyzer.analyze(buffer) { term, _, _ in
                terms.append(String(decoding: term, as: UTF8.self))
                return true
            }
        }
        #expect(terms.contains("word"))
    }

    @Test func prefixModeKeepsLettersAndStopwords() {
        #expect(analyzer.terms("Diffusion", mode: .prefix) == ["diffusion"])
        #expect(analyzer.terms("the", mode: .prefix) == ["the"])
    }

    @Test func hugeTextIsAnalyzedWhole() {
        let sentence = "Sparse attention scales transformers to long documents. "
        let text = String(repeating: sentence, count: 20_000)  // ≈1.1 MB
        var count = 0
        var copy = text
        copy.withUTF8 { buffer in
            analyzer.analyze(buffer) { _, _, _ in
                count += 1
                return true
            }
        }
        #expect(count == 20_000 * 6)
    }

    @Test func overlongWordsAreSkipped() {
        let blob = String(repeating: "A", count: 500)
        #expect(analyzer.terms("start \(blob) end") == ["start", "end"])
    }
}
