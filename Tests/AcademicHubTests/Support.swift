import Foundation
@testable import AcademicHub

/// The package's Fixtures/ folder, found from this file's path.
let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

func fixture(_ path: String) -> String { fixtures.appendingPathComponent(path).path }

extension Hub {
    /// A seed file's keys, and every line `radar create` would say of the entries skipped (problems, then those
    /// not in the library), in one list for the tests to compare whole.
    func seeds(fromFile path: String) throws -> (keys: [String], skipped: [String]) {
        let found = try seedFile(path)
        return (found.keys, found.problems + found.missing)
    }
}

/// A library in a fresh temporary folder, removed when the test ends.
final class ScratchHub: Sendable {
    let directory: URL
    let hub: Hub
    var path: String { directory.appendingPathComponent("library.sqlite").path }

    convenience init() throws {
        try self.init(directory: FileManager.default.temporaryDirectory.appendingPathComponent("ahub-test-\(UUID().uuidString)"))
    }

    /// A library in `directory` (made when missing), removed with it when the test ends.
    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        hub = try Hub(libraryPath: directory.appendingPathComponent("library.sqlite").path)
    }

    /// A copy of another scratch library (its WAL too), so tests can share one slow setup and still each
    /// write their own.
    static func copy(of template: ScratchHub) throws -> ScratchHub {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: template.path + suffix) {
            try FileManager.default.copyItem(atPath: template.path + suffix,
                                             toPath: directory.appendingPathComponent("library.sqlite").path + suffix)
        }
        return try ScratchHub(directory: directory)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// The `ahub` executable built next to the test bundle.
let ahubExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ahub")

/// The feed fixtures the main job imports.
let feedFixtures = ["arxiv-api", "arxiv-rss", "arxiv-oai", "biorxiv", "medrxiv", "nature", "seed-papers.jsonl"].map(fixture)

/// What a run of the `ahub` executable printed and how it ended.
struct AhubRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `ahub` on `library`; with `interruptAfter`, sends `signal` (SIGINT: Ctrl-C) once it returns true; `environment`
/// adds to (or replaces in) this process's.
func runAhub(_ arguments: [String], library: String?, environment: [String: String] = [:], interruptAfter: (() -> Bool)? = nil,
             signal: Int32 = SIGINT) throws -> AhubRun {
    let process = Process()
    process.executableURL = ahubExecutable
    process.arguments = arguments + (library.map { ["--library", $0] } ?? [])
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    if let interruptAfter {
        let deadline = Date().addingTimeInterval(60)
        while !interruptAfter() && Date() < deadline && process.isRunning { usleep(1_000) }
        kill(process.processIdentifier, signal)
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return AhubRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
}
