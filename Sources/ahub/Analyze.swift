import HubCore
import ArgumentParser
import Foundation

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the terms the analyzer makes of a text, as the index and queries see them.",
        discussion: "Each line: term, then the UTF-8 byte range and the original characters it came from.")

    @Argument(help: "The text to analyze.") var text: [String]
    @Flag(help: "Analyze as a query (the same terms, no positions kept).") var query = false

    func run() throws {
        try guarded {
            let analyzer = try Analyzer()
            let joined = text.joined(separator: " ")
            let bytes = Array(joined.utf8)
            for token in analyzer.tokens(joined, mode: query ? .query : .document) {
                let surface = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
                print("\(token.term)\t\(token.start)..<\(token.end)\t\(surface)")
            }
        }
    }
}
