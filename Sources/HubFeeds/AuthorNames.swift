/// Author lists as sources write them, turned into one name per element in "Given Family" order.
///
/// arXiv writes "Antonin Monteil"; bioRxiv/medRxiv write "Monteil, A.". Turning bioRxiv's "Last, F." into
/// "F. Last" gives every source the same order, so `author:monteil` and a name shown in a list look the same
/// whatever the source. Initials are kept as the source gave them: nothing is expanded or guessed.
enum AuthorNames {
    /// arXiv RSS `dc:creator`: one string, names separated by commas ("Antonin Monteil, Paul Pegon").
    static func commaSeparated(_ text: String) -> [String] {
        text.split(separator: ",").compactMap { part in
            let name = FeedText.collapseWhitespace(String(part))
            return name.isEmpty ? nil : name
        }
    }

    /// bioRxiv/medRxiv `authors`: "Loconsole, M.; Xue, C.; Garcia-Pelegrin, E." → ["M. Loconsole", "C. Xue",
    /// "E. Garcia-Pelegrin"]. A name without a comma is kept as written.
    static func lastCommaFirst(_ text: String) -> [String] {
        text.split(separator: ";").compactMap { part in
            let name = FeedText.collapseWhitespace(String(part))
            guard !name.isEmpty else { return nil }
            guard let comma = name.firstIndex(of: ",") else { return name }
            let family = name[..<comma].trimmingWhitespaceAndCommas()
            let given = name[name.index(after: comma)...].trimmingWhitespaceAndCommas()
            if given.isEmpty { return family.isEmpty ? nil : family }
            if family.isEmpty { return given }
            return given + " " + family
        }
    }

    /// A JSON value that may be an array of names or one string: "A; B" is taken as bioRxiv's
    /// "Last, F.; …" form, "A, B" as a comma list.
    static func fromJSON(_ value: Any?) -> [String] {
        if let array = value as? [Any] {
            return array.compactMap { item in
                // CSL-JSON's names: `{"family": "Robertson", "given": "Stephen"}`, or `{"literal": "The Consortium"}`.
                if let name = item as? [String: Any] {
                    let parts = [name["given"], name["non-dropping-particle"], name["family"]].compactMap { JSONValue.string($0) }
                    let whole = FeedText.collapseWhitespace(JSONValue.string(name["literal"]) ?? parts.joined(separator: " "))
                    return whole.isEmpty ? nil : whole
                }
                guard let s = JSONValue.string(item) else { return nil }
                let name = FeedText.collapseWhitespace(s)
                return name.isEmpty ? nil : name
            }
        }
        guard let s = JSONValue.string(value), !s.isEmpty else { return [] }
        return s.contains(";") ? lastCommaFirst(s) : commaSeparated(s)
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespaceAndCommas() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace || c == "," { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace || c == "," { s = s.dropLast() }
        return String(s)
    }
}
