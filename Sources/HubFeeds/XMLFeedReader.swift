import Foundation
import HubCore

/// Drives the entry-by-entry reading of an XML feed: invalid UTF-8 repaired, the document split into
/// entries, each entry parsed alone, its problems reported as a rejection naming the entry.
struct XMLFeedReader {
    let splitter: XMLEntrySplitter
    /// The feed's root element as parsed from the skeleton (header and closing tags, no entries).
    let header: XMLTreeNode?

    init(data: Data, entryName: String, origin: String) throws(FeedError) {
        let bytes = UTF8Repair.repairedXML(data)
        splitter = XMLEntrySplitter(bytes: bytes, entryName: entryName)
        guard splitter.rootStartTag != nil else {
            throw FeedError(.unreadable, "\(origin): no XML root element found; the file is empty or not XML")
        }
        let (root, failure) = XMLTree.parse(splitter.skeleton)
        if splitter.entries.isEmpty, let failure {
            // Nothing to salvage entry by entry: the document is broken as a whole.
            throw FeedError(
                .unreadable,
                "\(origin): the XML is not well formed at line \(failure.line): \(failure.description), and no <\(entryName)> could be read"
            )
        }
        header = root
    }

    enum Outcome {
        case paper(Paper)
        case rejected(String)
        /// Not a paper and not a problem: an OAI-PMH record deleted at the source.
        case skipped
    }

    /// Parses every entry with `read`, collecting papers and rejections in document order.
    func readEntries(_ read: (XMLTreeNode) -> Outcome) -> (papers: [Paper], rejections: [Rejection]) {
        var papers: [Paper] = []
        var rejections: [Rejection] = []
        papers.reserveCapacity(splitter.entries.count)
        for (index, entry) in splitter.entries.enumerated() {
            let location = "entry \(index + 1)"
            if entry.ending == .truncated {
                rejections.append(
                    Rejection(
                        location: location,
                        reason: "truncated: the file ends inside this entry, which starts at line \(entry.line)"))
                continue
            }
            let (wrapped, linesBefore) = splitter.wrapped(entry)
            let (root, failure) = XMLTree.parse(wrapped)
            if let failure {
                let line = entry.line + max(0, failure.line - 1 - linesBefore)
                var reason = "malformed XML at line \(line): \(failure.description)"
                if entry.ending == .interrupted { reason += "; the next entry starts before this one is closed" }
                rejections.append(Rejection(location: location, reason: reason))
                continue
            }
            guard let node = root?.children.first else {
                rejections.append(Rejection(location: location, reason: "empty entry at line \(entry.line)"))
                continue
            }
            switch read(node) {
            case .paper(let paper): papers.append(paper)
            case .rejected(let reason): rejections.append(Rejection(location: location, reason: reason))
            case .skipped: break
            }
        }
        return (papers, rejections)
    }
}

extension XMLFeedReader.Outcome {
    init(_ result: Result<Paper, RecordProblem>) {
        switch result {
        case .success(let paper): self = .paper(paper)
        case .failure(let problem): self = .rejected(problem.reason)
        }
    }
}
