import Foundation
import Synchronization
import HubFeeds
import LoopbackServer
import Testing
@testable import AcademicHub

/// `ahub sources`, `ahub config` and `ahub fetch` as a user runs them, against a server on 127.0.0.1.
@Suite struct FetchCLITests {
    func ahub(_ arguments: [String], library: String, interruptAfter: (() -> Bool)? = nil, signal: Int32 = SIGINT) throws -> AhubRun {
        try runAhub(arguments, library: library, interruptAfter: interruptAfter, signal: signal)
    }

    @Test func sourcesAddListDisableRemoveAndFetch() throws {
        let routes = try FixtureRoutes(root: fixtures)
        let server = try LoopbackServer { routes.answer($0) }
        let scratch = try ScratchHub()
        let library = scratch.path
        #expect(try ahub(["config", "set", "http.gap.127.0.0.1", "0"], library: library).status == 0)
        let bad = try ahub(["config", "set", "http.timeout", "soon"], library: library)
        #expect(bad.status == 1 && bad.stderr.contains("http.timeout must be from 1 to 3600 seconds, not 'soon'"))

        let add = try ahub(["sources", "add", "mix", "--kind", "arxiv-rss", "--category", "cs.AI", "--category", "cs.LG",
                            "--category", "math.PR", "--category", "quant-ph", "--base-url", server.baseURL + "/rss"], library: library)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(try ahub(["sources", "add", "med", "--kind", "medrxiv", "--base-url", server.baseURL, "--every", "1d"], library: library).status == 0)
        let unknown = try ahub(["sources", "add", "x", "--kind", "gopher"], library: library)
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown kind 'gopher'"))
        let missing = try ahub(["sources", "add", "x", "--kind", "rss"], library: library)
        #expect(missing.status == 1 && missing.stderr.contains("give the feed's http(s) URL"))
        let port = try ahub(["sources", "add", "x", "--kind", "rss", "--url", "http://127.0.0.1:99999/lab.xml"], library: library)
        #expect(port.status == 1 && port.stderr.contains("--url must be an http(s) address with a host (a port, if any, from 1 to 65535)"), "\(port)")

        #expect(try ahub(["sources", "disable", "med"], library: library).status == 0)
        let list = try ahub(["sources", "list"], library: library)
        #expect(list.stdout.contains("mix  arxiv-rss  cs.AI+cs.LG+math.PR+quant-ph"))
        #expect(list.stdout.contains("never fetched") && list.stdout.contains("disabled"))

        let fetch = try ahub(["fetch"], library: library)
        #expect(fetch.status == 0, "\(fetch.stderr)")
        #expect(fetch.stdout.contains("mix: 20 new, 0 updated, 0 unchanged"))
        #expect(!fetch.stdout.contains("med:"), "disabled sources are skipped")
        let again = try ahub(["fetch", "mix", "--json"], library: library)
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]])
        #expect(reports.first?["outcome"] as? String == "not-modified")

        #expect(try ahub(["sources", "enable", "med"], library: library).status == 0)
        #expect(try ahub(["fetch", "med"], library: library).stdout.contains("med: 4 new"))
        let json = try ahub(["sources", "list", "--json"], library: library)
        let sources = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["med", "mix"])
        #expect(sources.first?["interval"] as? Double == 86400)
        #expect((sources.first?["lastReport"] as? [String: Any])?["new"] as? Int == 4)

        #expect(try ahub(["sources", "remove", "med"], library: library).status == 0)
        let gone = try ahub(["fetch", "med"], library: library)
        #expect(gone.status == 1 && gone.stderr.contains("no source named 'med'"))
        #expect(try scratch.hub.store.count() == 24, "removing a source keeps its papers")
    }

    /// A fetch loop is no faster than a source's own interval allows; several names are checked before any
    /// is changed.
    @Test func fetchLoopsAndSourceNamesAreChecked() throws {
        let scratch = try ScratchHub()
        let fast = try ahub(["fetch", "--every", "1s"], library: scratch.path)
        #expect(fast.status != 0 && fast.stderr.contains("--every must be from a minute to 365 days"), "\(fast)")
        #expect(try ahub(["sources", "add", "nat", "--kind", "nature", "--every", "1d"], library: scratch.path).status == 0)
        let mixed = try ahub(["sources", "disable", "nat", "nosuch"], library: scratch.path)
        #expect(mixed.status != 0 && mixed.stderr.contains("no source named 'nosuch'; nothing was changed"), "\(mixed)")
        #expect(try scratch.hub.sources().first?.record.enabled == true)
    }

    /// A server's wait of days is said in days (it read "retry in 168h 0m").
    @Test func aWaitOfDaysIsSaidInDays() throws {
        let server = try LoopbackServer { _ in .respond(status: 503, headers: [("Retry-After", "\(3 * 86_400)")], body: Data()) }
        let scratch = try ScratchHub()
        #expect(try ahub(["sources", "add", "slow", "--kind", "rss", "--url", server.baseURL + "/feed", "--every", "30d"], library: scratch.path).status == 0)
        let fetch = try ahub(["fetch", "slow"], library: scratch.path)
        #expect(fetch.status == 1 && fetch.stdout.contains("; retry in 3d\n"), "\(fetch)")
        #expect(try ahub(["sources", "list"], library: scratch.path).stdout.contains("due in 3d"))
        // Nothing due says which source comes next, and when.
        let none = try ahub(["fetch"], library: scratch.path)
        #expect(none.status == 0 && none.stdout == "nothing is due; next: slow in 3d\n", "\(none)")
        // A bioRxiv category as its site shows it (with a space) is said in the API's form.
        let spaced = try ahub(["sources", "add", "med", "--kind", "medrxiv", "--category", "Infectious Diseases"], library: scratch.path)
        #expect(spaced.status == 1 && spaced.stderr.contains("'infectious_diseases', not 'Infectious Diseases'"), "\(spaced)")
    }

    @Test func failingSourceShowsItsErrorAndExitsNonZero() throws {
        let scratch = try ScratchHub()
        let library = scratch.path
        #expect(try ahub(["config", "set", "http.backoff", "0.01"], library: library).status == 0)
        #expect(try ahub(["sources", "add", "dead", "--kind", "atom", "--url", "http://127.0.0.1:1/feed"], library: library).status == 0)
        let fetch = try ahub(["fetch"], library: library)
        #expect(fetch.status == 1)
        #expect(fetch.stdout.contains("dead: FAILED") && fetch.stdout.contains("cannot connect to 127.0.0.1"))
        // A cron job that logs only stderr learns of it too.
        #expect(fetch.stderr.contains("ahub: 1 of 1 source failed: dead (`ahub sources list` shows the errors)"), "\(fetch)")
        let list = try ahub(["sources", "list"], library: library)
        #expect(list.stdout.contains("failing (1×)") && list.stdout.contains("last error: cannot connect"))

        // A fetch's output is often a cron job's log: a private feed's key and password stay out of it.
        let routes = try FixtureRoutes(root: fixtures)
        let server = try LoopbackServer { routes.answer($0) }
        let local = server.baseURL.replacingOccurrences(of: "http://", with: "http://me:pa55@")
        #expect(try ahub(["sources", "add", "private", "--kind", "rss", "--url", local + "/no-such-feed.xml?key=S3CRET"],
                         library: library).status == 0)
        for arguments in [["fetch", "private"], ["fetch", "private", "--json", "--verbose"]] {
            let run = try ahub(arguments, library: library)
            let printed = run.stdout + run.stderr
            #expect(run.status == 1 && printed.contains("http://…@127.0.0.1:") && printed.contains("/no-such-feed.xml?…"), "\(run)")
            #expect(!printed.contains("S3CRET") && !printed.contains("pa55"), "\(run)")
        }
        // A disabled source fetched by name is not retried on its own, and its report does not promise it.
        #expect(try ahub(["sources", "disable", "private"], library: library).status == 0)
        let disabled = try ahub(["fetch", "private"], library: library)
        #expect(disabled.status == 1 && disabled.stdout.contains("private: FAILED") && disabled.stdout.contains("; not scheduled (disabled)")
            && !disabled.stdout.contains("retry"), "\(disabled)")
        // So does its JSON (a script read a nextDue it would never meet).
        let json = try ahub(["fetch", "private", "--json"], library: library)
        let report = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first, "\(json)")
        #expect(report["enabled"] as? Bool == false, "\(json)")
    }

    /// `fetch --every >> log`: each round's report reaches the log as it is printed, not when the loop ends
    /// (block-buffered, a log of a kill -9'd loop had stayed empty).
    @Test func aFetchLoopsReportsReachItsLogAsTheyArePrinted() throws {
        let routes = try FixtureRoutes(root: fixtures)
        let server = try LoopbackServer { routes.answer($0) }
        let scratch = try ScratchHub()
        #expect(try ahub(["sources", "add", "mix", "--kind", "arxiv-rss", "--category", "cs.AI", "--category", "cs.LG", "--category", "math.PR",
                          "--category", "quant-ph", "--base-url", server.baseURL + "/rss"], library: scratch.path).status == 0)
        let process = Process()
        process.executableURL = ahubExecutable
        process.arguments = ["fetch", "--every", "1h", "--no-embed", "--library", scratch.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }
        let log = Mutex("")
        out.fileHandleForReading.readabilityHandler = { handle in
            let piece = String(decoding: handle.availableData, as: UTF8.self)
            log.withLock { $0 += piece }
        }
        defer { out.fileHandleForReading.readabilityHandler = nil }
        let deadline = Date().addingTimeInterval(60)
        while !log.withLock({ $0.contains("next fetch in") }), Date() < deadline, process.isRunning { usleep(10_000) }
        let read = log.withLock { $0 }
        #expect(process.isRunning && read.contains("mix: ") && read.contains("next fetch in"), "\(read)")
    }

    @Test func ctrlCStopsBetweenPagesAndTheNextFetchResumes() throws {
        let routes = try FixtureRoutes(root: fixtures)
        let server = try LoopbackServer { routes.answer($0) }
        let scratch = try ScratchHub()
        let library = scratch.path
        #expect(try ahub(["config", "set", "http.gap.127.0.0.1", "0.3"], library: library).status == 0)
        #expect(try ahub(["sources", "add", "testing", "--kind", "arxiv-api", "--query", "testing", "--page-size", "10",
                          "--limit", "60", "--base-url", server.baseURL + "/api/query"], library: library).status == 0)
        let stopped = try ahub(["fetch", "testing"], library: library, interruptAfter: { server.requests.count >= 2 })
        #expect(stopped.status == 130, "an interrupted fetch must not look complete to a script: \(stopped.stderr)")
        #expect(stopped.stdout.contains("testing: stopped after"), "\(stopped.stdout)")
        #expect(stopped.stderr.contains("stopping: the pages fetched are kept; the one under way is dropped") && stopped.stderr.contains("Ctrl-C again"))
        let first = try scratch.hub.store.count()
        #expect(first > 0 && first < 60)
        // SIGTERM (a service manager's stop) stops it the same way, with the status a shell gives it.
        let asked = server.requests.count
        let terminated = try ahub(["fetch", "testing"], library: library, interruptAfter: { server.requests.count >= asked + 2 }, signal: SIGTERM)
        #expect(terminated.status == 143 && terminated.stderr.contains("a second signal to quit now"), "\(terminated)")
        let committed = try scratch.hub.store.count()
        #expect(committed >= first && committed < 60)

        let resumed = try ahub(["fetch"], library: library)
        #expect(resumed.stdout.contains("testing: \(60 - committed) new"), "\(resumed.stdout)")
        #expect(try scratch.hub.store.count() == 60)
    }
}
