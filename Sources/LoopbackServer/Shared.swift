import Foundation

/// A value read and written from several threads (a server's handler and the test that drives it).
public final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    public var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }

    /// Changes the value in place and returns what the change returns, atomically.
    @discardableResult
    public func update<R>(_ change: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return change(&stored)
    }
}

extension Shared where Value == Int {
    /// Counts: 1 on the first call, 2 on the next…
    public func next() -> Int { update { $0 += 1; return $0 } }
}
