import GRDB
import HubCore

/// Registers the `Analyzer` with FTS5 as the tokenizer `ahub`.
///
/// FTS5 makes one instance per table per connection and calls it from that connection's thread only, so
/// each instance owns its analyzer (ICU iterators are not thread-safe). Errors never cross into C: a
/// failure to open ICU becomes an SQLite result code.
final class AnalyzerTokenizer: FTS5CustomTokenizer {
    static let name = "ahub"

    private let analyzer: Analyzer

    init(db: Database, arguments: [String]) throws {
        do {
            analyzer = try Analyzer()
        } catch {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "\(error)")
        }
    }

    func tokenize(
        context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?, nText: CInt, tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let pText, nText > 0 else { return 0 }
        let mode: Analyzer.Mode =
            tokenization.contains(.prefix) ? .prefix : tokenization.contains(.query) ? .query : .document
        var result: CInt = 0  // SQLITE_OK
        pText.withMemoryRebound(to: UInt8.self, capacity: Int(nText)) { bytes in
            analyzer.analyze(UnsafeBufferPointer(start: bytes, count: Int(nText)), mode: mode) { term, start, end in
                result = term.baseAddress!.withMemoryRebound(to: CChar.self, capacity: term.count) {
                    tokenCallback(context, 0, $0, CInt(term.count), CInt(start), CInt(end))
                }
                return result == 0
            }
        }
        return result
    }
}
