import AcademicHub
import Foundation
import HubFeeds
import ServiceLifecycle

/// Fetches the library's sources while the server runs, each when it falls due (its own interval, or
/// after a failure its back-off), and embeds what arrives. One fetch at a time, whether the schedule or
/// `POST /api/fetch` asked for it.
public final class SourceRefresher: Service, @unchecked Sendable {
    let hub: Hub
    /// Longest sleep between looks at the schedule (sources added while serving are seen within it).
    let tick: TimeInterval
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var running = false
    /// The last look found another process fetching (said once until it ends).
    private var waitingForOther = false
    private let cancel = CancellationFlag()

    public init(hub: Hub, tick: TimeInterval = 60, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.hub = hub
        self.tick = tick
        self.log = log
    }

    /// Fetches the named sources (or every due one) and embeds the new papers; nil when a fetch is
    /// already under way.
    public func fetchNow(names: [String] = []) throws -> [SourceFetchReport]? {
        let flag: CancellationFlag? = lock.withLock {
            guard !running else { return nil }
            running = true
            return cancel
        }
        guard let flag else { return nil }
        defer { lock.withLock { running = false } }
        var options = FetchOptions()
        options.names = names
        options.cancel = flag
        let reports = try hub.fetch(options)
        if hub.embeddingAvailable, reports.contains(where: { $0.new + $0.updated > 0 }) {
            // The papers are in either way; vectors that fail now come with the next fetch or `ahub embed`.
            do { _ = try hub.embedMissing { _, _ in } } catch { log("embedding after a fetch stopped: \(error)") }
        }
        for report in reports {
            log("\(report.source): \(report.outcome.rawValue), \(report.new) new, \(report.updated) updated"
                + (report.error.map { " (\(SourceFetchReport.masked($0)))" } ?? ""))
        }
        return reports
    }

    /// Runs until the service group shuts down: sleeps until the next source is due, then fetches. Shutdown
    /// (Ctrl-C) wakes the sleep at once and stops a fetch between pages.
    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let wake = (try? hub.nextWake(every: nil)) ?? nil
                let wait = min(max(wake.map { $0.timeIntervalSinceNow } ?? tick, 0), tick)
                if wait > 0 {
                    guard await Self.sleep(wait) else { break }
                    continue
                }
                let busy = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
                    DispatchQueue.global().async {
                        var busy = false
                        do {
                            _ = try self.fetchNow()
                        } catch let error as HubError where error.busy {
                            // Another process (`ahub fetch`) holds the library's fetch: said once, waited out quietly
                            // (it had been logged as a failure each second it ran).
                            busy = true
                            if !self.lock.withLock({ self.waitingForOther }) { self.log("waiting: \(error.message)") }
                        } catch {
                            self.log("fetch failed: \(error)")
                        }
                        self.lock.withLock { self.waitingForOther = busy }
                        done.resume(returning: busy)
                    }
                }
                // A source that keeps failing is due again only after its back-off; never spin. Another process's
                // fetch is asked after again every few seconds.
                guard await Self.sleep(busy ? 5 : 1) else { break }
            }
        } onGracefulShutdown: {
            self.lock.withLock { self.cancel.set() }
        }
    }

    /// Sleeps, unless the task is cancelled or the service group shuts down first: false then.
    static func sleep(_ seconds: TimeInterval) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
            return !Task.isShuttingDownGracefully
        } catch {
            return false
        }
    }
}
