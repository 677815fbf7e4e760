import Foundation
import Testing
import HubStore
import HubFeeds
import LoopbackServer
@testable import AcademicHub

@Suite struct KillTests {
    /// SIGKILL in the middle of a large import: the library opens, every committed paper is intact,
    /// and running the import again completes it.
    @Test func importKilledMidwayResumes() throws {
        let scratch = try ScratchHub()
        let corpus = fixture("eval/scifact/corpus.jsonl")
        let process = Process()
        process.executableURL = ahubExecutable
        process.arguments = ["import", "--library", scratch.path, corpus]
        var environment = ProcessInfo.processInfo.environment
        environment["AHUB_IMPORT_BATCH"] = "250"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first committed batch, then kill.
        let deadline = Date().addingTimeInterval(120)
        while try scratch.hub.store.count() == 0 && Date() < deadline && process.isRunning {
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import finished before it could be killed")

        let reopened = try Hub(libraryPath: scratch.path)
        let before = try reopened.store.count()
        #expect(before > 0 && before < 5_183)
        #expect(before % 250 == 0, "only whole batches are committed")
        try reopened.store.checkIntegrity()

        let report = try reopened.importFiles([corpus])
        #expect(report.new == 5_183 - before)
        #expect(report.unchanged == before)
        #expect(try reopened.store.count() == 5_183)
        try reopened.store.checkIntegrity()
    }
}

/// `ahub fetch` killed with SIGKILL in the middle of a multi-page harvest, then run again.
@Suite struct FetchKillTests {
    @Test func harvestKilledMidwayEndsAsAnUninterruptedOne() throws {
        let routes = try FixtureRoutes(root: fixtures)
        let spec = { (server: LoopbackServer) in
            SourceSpec(kind: .arxivAPI, query: "testing", baseURL: server.baseURL + "/api/query", pageSize: 10, limit: 60)
        }

        // The reference: one harvest, never interrupted.
        let referenceServer = try LoopbackServer { routes.answer($0) }
        let reference = try ScratchHub()
        try reference.hub.setSetting("http.gap.127.0.0.1", "0")
        try reference.hub.addSource(name: "testing", spec: spec(referenceServer))
        var options = FetchOptions()
        options.names = ["testing"]
        #expect(try reference.hub.fetch(options).first?.outcome == .complete)

        // The same harvest through the binary, a page every 0.4 s, killed after its third request.
        let server = try LoopbackServer { routes.answer($0) }
        let killed = try ScratchHub()
        try killed.hub.setSetting("http.gap.127.0.0.1", "0.4")
        try killed.hub.addSource(name: "testing", spec: spec(server))
        let process = Process()
        process.executableURL = ahubExecutable
        process.arguments = ["fetch", "testing", "--library", killed.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while server.requests.count < 3 && Date() < deadline && process.isRunning { usleep(1_000) }
        usleep(UInt32.random(in: 0...300_000))  // anywhere between two requests
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the harvest finished before it could be killed")

        let reopened = try Hub(libraryPath: killed.path)
        try reopened.store.checkIntegrity()
        let cursor = try #require(HarvestCursor(json: try reopened.sources().first?.record.cursor))
        let committed = try reopened.store.count()
        #expect(committed == cursor.offset, "the cursor and the papers were committed together")
        #expect(committed >= 20 && committed < 60)

        let requestsBefore = server.requests.count
        #expect(try reopened.fetch(options).first?.outcome == .complete)
        let resumedStarts = server.requests.dropFirst(requestsBefore).compactMap { $0.query["start"].flatMap { Int($0) } }
        #expect(resumedStarts.first == cursor.offset, "resumes at the first page not committed")
        #expect(resumedStarts.allSatisfy { $0 >= cursor.offset }, "no committed page is fetched again")

        let keys = try reference.hub.store.keys()
        #expect(keys.count == 60)
        #expect(try reopened.store.keys() == keys)
        for key in keys {
            let a = try #require(try reference.hub.store.paper(key: key))
            let b = try #require(try reopened.store.paper(key: key))
            #expect(a.paper == b.paper)
            #expect(a.versions.map { [$0.version, $0.date ?? "", $0.source] } == b.versions.map { [$0.version, $0.date ?? "", $0.source] })
        }
        try reopened.store.checkIntegrity()
    }
}
