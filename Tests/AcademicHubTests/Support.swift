import Foundation
@testable import AcademicHub

/// The package's Fixtures/ folder, found from this file's path.
let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

func fixture(_ path: String) -> String { fixtures.appendingPathComponent(path).path }

/// A library in a fresh temporary folder, removed when the test ends.
final class ScratchHub {
    let directory: URL
    let hub: Hub
    var path: String { directory.appendingPathComponent("library.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        hub = try Hub(libraryPath: directory.appendingPathComponent("library.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// The `ahub` executable built next to the test bundle.
let ahubExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ahub")

/// The feed fixtures the main job imports.
let feedFixtures = ["arxiv-api", "arxiv-rss", "biorxiv", "medrxiv", "nature", "seed-papers.jsonl"].map(fixture)
