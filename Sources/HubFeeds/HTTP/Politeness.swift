import CCurl
import Foundation

/// The least time between two requests to one host. arXiv asks for one request every 3 seconds on all its
/// hosts; others get a gentler default. A rule for `arxiv.org` covers `export.arxiv.org` too.
public struct PolitenessGaps: Sendable, Equatable {
    public var defaultGap: TimeInterval = 1
    public var rules: [String: TimeInterval] = ["arxiv.org": 3]

    public init() {}

    /// The most specific rule for `host`: its own name, then each parent domain. An IP address has no parent
    /// domain: only its own rule counts (`0.0.1` is no domain of 127.0.0.1).
    public func gap(for host: String) -> TimeInterval {
        var name = Substring(host.lowercased())
        if host.contains(":") || host.split(separator: ".").allSatisfy({ !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }) {
            return rules[String(name)] ?? defaultGap
        }
        while true {
            if let gap = rules[String(name)] { return gap }
            guard let dot = name.firstIndex(of: ".") else { return defaultGap }
            name = name[name.index(after: dot)...]
        }
    }
}

/// Spaces the starts of requests to each host, across every thread of the process and every client in it:
/// two sources on one host, or two fetches running at once (a scheduled one and a user's), take turns rather
/// than doubling the rate. Hosts are told apart with their port.
final class PolitenessGate: @unchecked Sendable {
    static let shared = PolitenessGate()

    private let lock = NSLock()
    private var nextStart: [String: Date] = [:]

    /// Blocks until a request to `host` may start, and books that moment; the next request to the host
    /// may start `gap` seconds after it.
    func wait(host: String, gap: TimeInterval, cancel: CancellationFlag?) {
        lock.lock()
        let now = Date()
        let start = max(now, nextStart[host] ?? now)
        nextStart[host] = start.addingTimeInterval(gap)
        lock.unlock()
        _ = CancellationFlag.sleep(start.timeIntervalSince(now), unless: cancel)
    }
}

/// A stop request that libcurl's transfers and our sleeps both watch. Setting it from a signal handler's
/// dispatch queue is safe: it is one atomic int.
public final class CancellationFlag: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>

    public init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    deinit { pointer.deallocate() }

    public var isSet: Bool { ahub_flag_get(pointer) != 0 }
    public func set() { ahub_flag_set(pointer, 1) }

    /// Sleeps `seconds` in short slices; false when the flag stopped it early.
    @discardableResult
    public static func sleep(_ seconds: TimeInterval, unless flag: CancellationFlag?) -> Bool {
        guard seconds > 0 else { return flag?.isSet != true }
        let end = Date().addingTimeInterval(seconds)
        while true {
            if flag?.isSet == true { return false }
            let left = end.timeIntervalSinceNow
            if left <= 0 { return true }
            Thread.sleep(forTimeInterval: min(left, 0.05))
        }
    }
}
