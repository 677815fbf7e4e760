/// A file or response that cannot be read as a feed at all.
///
/// Problems with single records are not errors: they come back as ``Rejection``s in a ``ParsedFeed`` while
/// the rest is imported.
public struct FeedError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Nothing in the content says which format it is.
        public static let unknownFormat = Code(rawValue: "unknown-format")
        /// The format is known but the document is broken as a whole (no entry could be salvaged).
        public static let unreadable = Code(rawValue: "unreadable")
        /// The document is the source's own error answer (an OAI-PMH `<error>`).
        public static let sourceError = Code(rawValue: "source-error")
    }

    public var code: Code
    /// What happened and, where there is one, what to do about it.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
