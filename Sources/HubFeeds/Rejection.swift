/// A record that was not imported, and why; the rest of its file was.
public struct Rejection: Sendable, Hashable, CustomStringConvertible {
    /// Where in the input: `entry 3` (XML entries and bioRxiv records, 1-based), `line 17` (JSON Lines).
    public var location: String
    /// What is wrong with it: `empty title`, `invalid JSON: …`, `malformed XML at line 120: …`.
    public var reason: String

    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}
