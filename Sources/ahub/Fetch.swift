import AcademicHub
import ArgumentParser
import Dispatch
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import HubFeeds
import HubStore

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch the due sources (or the named ones) and import what is new.",
        discussion: """
            Each page is committed with the source's position, so a harvest stopped by Ctrl-C, a kill or a \
            network failure resumes at the next page (exit status 130 after Ctrl-C). Requests to one host keep the politeness gap \
            (`ahub config set http.gap.HOST SECONDS`; arXiv 3 s). A failing source is retried later with \
            backoff; `ahub sources list` shows its last error. Exit status 1 when a source failed (named on stderr too).
            """)

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Sources to fetch now, due or not (default: every due source).") var names: [String] = []
    @Option(help: "Start a new harvest window at this day, YYYY-MM-DD (windowed kinds: arxiv-api, arxiv-oai, biorxiv, medrxiv).")
    var since: String?
    @Option(help: "Keep running: fetch, then again whenever a source falls due with this period (30m, 6h, 1d).")
    var every: String?
    @Option(help: "A PEM file of CA certificates to verify TLS with (overrides http.ca-bundle).") var caBundle: String?
    @Flag(help: "Print the reports as JSON.") var json = false
    @Flag(help: "Print each retry and its reason on stderr.") var verbose = false
    @Flag(help: "Do not embed the new papers (run `ahub embed` later).") var noEmbed = false

    func run() throws {
        // A cron log or `fetch --every >> log` gets each report line as it is printed, not at exit (or never,
        // after a kill -9).
        setvbuf(stdout, nil, _IOLBF, 0)
        var failed = false
        let stop = CancellationFlag()
        try guarded {
            let hub = try library.open(creating: true)
            let period = try every.map(Duration.parse)
            // As for a source's own interval: a faster loop hammers the feeds and their backoff.
            if let period, !(60...Hub.longestInterval).contains(period) {
                throw Failure("--every must be from a minute to 365 days, not \(every ?? "")")
            }
            let signals = Self.trapInterrupt(stop)
            defer { signals.forEach { $0.cancel() } }
            var options = FetchOptions()
            options.names = names
            options.since = since
            options.caBundle = caBundle
            options.every = period
            options.cancel = stop
            // What a fetch prints is often a cron job's log: a private feed's key stays out of it, as out of
            // the server's (`ahub sources list` shows the address whole to its owner).
            if verbose { options.log = { FileHandle.standardError.write(Data("ahub: \(SourceFetchReport.masked($0))\n".utf8)) } }
            while true {
                let display = FetchDisplay()
                let reports = try hub.fetch(options, progress: { display.update($0) }).map { $0.withoutQueryStrings() }
                display.finish()
                let failures = reports.filter { $0.outcome == .failed }
                failed = failed || !failures.isEmpty
                if json { try Terminal.printJSON(reports) } else { Self.print(reports, hub: hub, period: period) }
                // The report is stdout's; a cron job that keeps only stderr learns of a failure too.
                if !failures.isEmpty {
                    Terminal.warn("\(failures.count) of \(Terminal.count(reports.count, "source")) failed: "
                        + failures.map(\.source).joined(separator: ", ") + " (`ahub sources list` shows the errors)")
                }
                if !noEmbed, EmbedAfter.needed(hub, changed: reports.contains { $0.new + $0.updated > 0 }) {
                    try EmbedAfter.run(hub, quiet: json, cancel: stop)
                }
                guard let period, !stop.isSet else { break }
                // The named sources are fetched at once on the first round; after that, each when it falls due (every
                // due source when none was named).
                options.only = options.names.isEmpty ? options.only : options.names
                options.names = []
                options.since = nil
                let wake = try hub.nextWake(every: period, only: options.only) ?? Date().addingTimeInterval(period)
                if !json { Swift.print("next fetch \(Duration.relative(max(wake, Date()), from: Date())) (Ctrl-C to stop)") }
                if !CancellationFlag.sleep(max(1, wake.timeIntervalSinceNow), unless: stop) { break }
            }
        }
        // Stopped by Ctrl-C or SIGTERM: what was fetched is kept and reported, but a script must not read
        // the run as complete (130 or 143, as a shell reports an interrupted or terminated command).
        if stop.isSet { throw Self.stoppedStatus }
        if failed { throw ExitCode(1) }
    }

    static func print(_ reports: [SourceFetchReport], hub: Hub, period: TimeInterval?) {
        if reports.isEmpty {
            let sources = (try? hub.sources()) ?? []
            // Which comes next, and when: a cron log that says only "nothing is due" leaves one guessing.
            let next = sources.filter(\.record.enabled).compactMap { source in source.nextDue.map { (source.record.name, $0) } }
                .min { $0.1 < $1.1 }
            Swift.print("nothing is due" + (sources.isEmpty ? "; add a source with `ahub sources add`"
                : next.map { "; next: \($0.0) \(Duration.relative(max($0.1, Date()), from: Date()))" } ?? ""))
            return
        }
        let now = Date()
        // A disabled source fetched by name is not fetched again on its own: its report says so, not a time.
        let disabled = Set(reports.filter { $0.enabled == false }.map(\.source))
        for r in reports {
            // In a `--every` loop a fetched source comes round again by the loop's period, not its own interval.
            let scheduled = ISO8601.date(r.nextDue).map { Duration.relative(max($0, now), from: now) } ?? r.nextDue
            let looped = r.outcome == .complete || r.outcome == .notModified ? period.map { Duration.relative(now.addingTimeInterval($0), from: now) } : nil
            let next = disabled.contains(r.source) ? "not scheduled (disabled)" : looped ?? scheduled
            let traffic = "\(Terminal.count(r.requests, "request")), \(r.bytes == 0 ? "0 bytes" : ByteCountFormatter.string(fromByteCount: Int64(r.bytes), countStyle: .file)), \(String(format: "%.1f", r.seconds)) s"
            switch r.outcome {
            case .complete:
                Swift.print("\(r.source): \(r.new) new, \(r.updated) updated, \(r.unchanged) unchanged"
                    + (r.rejected > 0 ? ", \(r.rejected) rejected" : "") + " (\(Terminal.count(r.pages, "page")), \(traffic)); next \(next)")
            case .notModified:
                Swift.print("\(r.source): not modified (\(traffic)); next \(next)")
            case .stopped:
                // Stopped during a wait the server asked for: the rest of it holds for `ahub fetch` of the due sources.
                let wait = ISO8601.date(r.nextDue).flatMap { $0.timeIntervalSince(now) > 1 ? $0 : nil }
                Swift.print("\(r.source): stopped after \(Terminal.count(r.pages, "page")): \(r.new) new, \(r.updated) updated, \(r.unchanged) unchanged (\(traffic)); "
                    + (wait.map { "the server asked to wait: due again in \(Duration.relative($0, from: now)), when `ahub fetch` resumes it" }
                        ?? "`ahub fetch \(r.source)` resumes"))
            case .failed:
                Swift.print("\(r.source): FAILED after \(Terminal.count(r.pages, "page")) (\(r.new) new kept): \(Terminal.withoutControlCharacters(r.error ?? ""))"
                    + (disabled.contains(r.source) ? "; \(next)" : "; retry \(next)"))
            }
            if r.keptStoredCount > 0 {
                Swift.print("  \(Terminal.count(r.keptStoredCount, "record")) under a key a paper of another title holds (one guid given two items?): "
                    + "the stored paper was kept")
                for line in r.keptStored { Swift.print("    " + Terminal.withoutControlCharacters(line)) }
                if r.keptStoredCount > r.keptStored.count { Swift.print("    … and \(r.keptStoredCount - r.keptStored.count) more") }
            }
            for rejection in r.rejections.prefix(5) { Swift.print("  rejected \(Terminal.withoutControlCharacters(rejection))") }
            if r.rejections.count > 5 { Swift.print("  … \(r.rejected - 5) more rejected") }
        }
    }

    /// Ctrl-C (and SIGTERM) set the flag: transfers abort, the harvest stops between pages (embedding
    /// between batches), committed pages stay. A second Ctrl-C quits at once.
    static func trapInterrupt(_ flag: CancellationFlag,
                              stopping: String = "the pages fetched are kept; the one under way is dropped, and `ahub fetch` asks for it again")
        -> [DispatchSourceSignal] {
        onInterrupt { number in
            if flag.isSet { Glibc.exit(128 + number) }
            stoppedBy.withLock { $0 = number }
            flag.set()
            let again = number == SIGINT ? "Ctrl-C again" : "a second signal"
            FileHandle.standardError.write(Data("\nahub: stopping: \(stopping) (\(again) to quit now)\n".utf8))
        }
    }

    /// The signal that stopped the run (SIGINT unless told), and the status a shell gives a command it stopped:
    /// 130 for Ctrl-C, 143 for SIGTERM.
    private static let stoppedBy = Mutex<Int32>(SIGINT)
    static var stoppedStatus: ExitCode { ExitCode(128 + stoppedBy.withLock { $0 }) }

    /// SIGINT and SIGTERM handed to `handler` (with the signal's number) instead of ending the process; the
    /// sources stop when cancelled or released.
    static func onInterrupt(_ handler: @escaping @Sendable (Int32) -> Void) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }
}

/// One status line on stderr while fetching: each source's pages and papers so far. Silent off a TTY.
final class FetchDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private var state: [String: FetchProgress] = [:]
    private var lastDraw = Date.distantPast
    private let enabled = Terminal.stderrIsTTY

    func update(_ progress: FetchProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        state[progress.source] = progress
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let parts = state.keys.sorted().compactMap { name -> String? in
            guard let p = state[name] else { return nil }
            return "\(name) \(p.finished ? "✓" : "…") \(p.pages)p \(p.papers) papers"
        }
        let line = "\r\u{1B}[K" + parts.joined(separator: " | ")
        FileHandle.standardError.write(Data(line.prefix(200).utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
