extension Paper {
    /// Orders versions `v1 < v2 < v10`; a missing version counts as unknown (nil).
    public static func versionNumber(_ version: String?) -> Int? {
        guard let version else { return nil }
        let digits = version.drop { !$0.isASCIIDigit }
        return Int(digits)
    }

    /// What becomes of the stored record when `incoming` describes the same work.
    public enum MergeResult: Sendable, Equatable {
        /// Nothing new.
        case unchanged
        /// The stored record changes to this (a newer version, or fields it lacked).
        case updated(Paper)
        /// An older version: only the version history learns of it.
        case olderVersion

        /// The result when `incoming`, met under another key than the stored record (`stored`: found by
        /// its DOI), brings the stronger key (PaperKey.stronger): the record takes it, with the source, the
        /// native id and the primary category that go with it. Else as it was.
        public func keyed(by incoming: Paper, from stored: Paper) -> MergeResult {
            guard incoming.key != stored.key, PaperKey.stronger(stored.key, incoming.key) == incoming.key else { return self }
            var paper = stored
            if case .updated(let merged) = self { paper = merged }
            (paper.key, paper.source, paper.nativeID) = (incoming.key, incoming.source, incoming.nativeID)
            paper.categories = Paper.union(incoming.categories, paper.categories)
            return .updated(paper)
        }
    }

    /// Merges a record of the same work into this stored one.
    ///
    /// A newer version replaces the text, and so does a record without versions with other text that says
    /// it was updated later (an OAI-PMH record or a journal's item revised in place); otherwise the record only fills what
    /// the stored one lacks (the first text seen stays, so two feeds that word a paper differently don't
    /// flip it back and forth: neither is later than the other); categories are the union, primary first;
    /// `published` keeps the earliest announcement.
    public func merging(_ incoming: Paper) -> MergeResult {
        let mine = Paper.versionNumber(version)
        let theirs = Paper.versionNumber(incoming.version)
        if let mine, let theirs, theirs < mine { return .olderVersion }
        var merged = self
        let newerVersion = mine.map { mine in theirs.map { $0 > mine } ?? false } ?? false
        // (Text that is the same is no revision: a feed that stamps every entry with its build time would
        // otherwise move the paper's date each day.)
        let revisedInPlace = version == nil && incoming.version == nil
            && (incoming.title != title || incoming.abstract != abstract)
            && updated.map { day in incoming.updated.map { $0 > day } ?? false } ?? false
        if newerVersion || revisedInPlace {
            merged.replaceText(with: incoming)
        } else {
            if merged.version == nil { merged.version = incoming.version }
            if merged.abstract.isEmpty { merged.abstract = incoming.abstract }
            if merged.authors.isEmpty { merged.authors = incoming.authors }
            // Text read from bytes that were not UTF-8 (U+FFFD where they broke) is text the record lacks: a
            // clean copy of it repairs it (else the damage stayed for good, each clean import "unchanged").
            let damaged = { (text: String) in text.unicodeScalars.contains("\u{FFFD}") }
            if damaged(title), !incoming.title.isEmpty, !damaged(incoming.title) { merged.title = incoming.title }
            if damaged(abstract), !incoming.abstract.isEmpty, !damaged(incoming.abstract) { merged.abstract = incoming.abstract }
            if authors.contains(where: damaged), !incoming.authors.isEmpty, !incoming.authors.contains(where: damaged) {
                merged.authors = incoming.authors
            }
            merged.doi = doi ?? incoming.doi
            merged.url = url ?? incoming.url
            merged.announceType = announceType ?? incoming.announceType
            merged.journalRef = journalRef ?? incoming.journalRef
            merged.comment = comment ?? incoming.comment
            merged.updated = updated ?? incoming.updated
            merged.categories = Paper.union(categories, incoming.categories)
        }
        merged.published = Paper.earliest(published, incoming.published)
        return merged == self ? .unchanged : .updated(merged)
    }

    /// Takes a later record's text and what it says of the work, keeping what it leaves out.
    private mutating func replaceText(with incoming: Paper) {
        version = incoming.version
        title = incoming.title
        abstract = incoming.abstract
        if !incoming.authors.isEmpty { authors = incoming.authors }
        updated = incoming.updated ?? incoming.published ?? updated
        doi = incoming.doi ?? doi
        url = incoming.url ?? url
        announceType = incoming.announceType ?? announceType
        journalRef = incoming.journalRef ?? journalRef
        comment = incoming.comment ?? comment
        categories = Paper.union(incoming.categories, categories)
    }

    /// `first` in order, then what `second` adds, compared case-insensitively.
    static func union(_ first: [String], _ second: [String]) -> [String] {
        var seen = Set(first.map { $0.lowercased() })
        var out = first
        for c in second where seen.insert(c.lowercased()).inserted { out.append(c) }
        return out
    }

    static func earliest(_ a: String?, _ b: String?) -> String? {
        switch (a, b) {
        case let (a?, b?): return min(a, b)
        default: return a ?? b
        }
    }
}
