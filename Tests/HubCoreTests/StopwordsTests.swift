import Testing
@testable import HubCore

@Suite struct StopwordsTests {
    @Test func englishIsTheSnowballList() {
        #expect(Stopwords.english.count == 174)
        #expect(Stopwords.englishWords.count == Stopwords.english.count, "no duplicates")
        for word in ["the", "of", "and", "what", "how", "not", "no", "between", "themselves", "don't", "it's"] {
            #expect(Stopwords.english.contains(word), "\(word)")
        }
        // Homonyms of content words, and words that can carry a topic, are kept.
        for word in ["will", "can", "may", "must", "us", "one", "new", "model", "cell", "mine"] {
            #expect(!Stopwords.english.contains(word), "\(word)")
        }
    }

    @Test func byteLookupAgreesWithTheSet() {
        var probes = Stopwords.englishWords
        // Near misses: prefixes, extensions and neighbours of stopwords.
        for word in Stopwords.englishWords {
            probes.append(String(word.dropLast()))
            probes.append(word + "s")
            probes.append("x" + word)
        }
        probes += ["", "yourselvesx", "themselvesthemselves", "theory", "these'", "a'", "ourselve", "x"]
        for word in probes {
            let bytes = Array(word.utf8)
            let fast = bytes.withUnsafeBufferPointer { Stopwords.isEnglishStopword($0) }
            #expect(fast == Stopwords.english.contains(word), "\(word)")
            #expect(Stopwords.isEnglishStopword(bytes) == fast)
            #expect(Stopwords.isEnglishStopword(word) == fast)
        }
    }

    @Test func chineseFunctionWords() {
        #expect(Stopwords.chineseWords.count == Stopwords.chinese.count, "no duplicates")
        for word in ["的", "了", "和", "是", "在", "与", "及", "等", "我们", "以及", "其中"] {
            #expect(Stopwords.isChineseStopword(Array(word.utf8)), "\(word)")
            #expect(Stopwords.isChineseStopword(word), "\(word)")
        }
        // Content or half-content words stay searchable.
        for word in ["本文", "研究", "通过", "基于", "进行", "方法", "地", "上", "深度", "神经网络", "the"] {
            #expect(!Stopwords.isChineseStopword(Array(word.utf8)), "\(word)")
        }
        // Every entry is Simplified, one or two characters.
        for word in Stopwords.chinese {
            #expect((1...2).contains(word.count) && word.utf8.count == 3 * word.count, "\(word)")
        }
    }
}
