import Foundation
import Testing
import HubStore
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
