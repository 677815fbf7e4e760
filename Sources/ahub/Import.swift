import AcademicHub
import HubCore
import HubFeeds
import HubStore
import ArgumentParser
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import papers from feed files and folders (format detected from content).",
        discussion: """
            Reads arXiv API Atom, arXiv RSS, arXiv OAI-PMH, bioRxiv/medRxiv API JSON, Nature RSS 1.0, any RSS 2.0 \
            or Atom feed, JSON Lines or a JSON array (ahub's export, `show --json`, the seed-papers layout, CSL-JSON) and BEIR \
            corpus.jsonl. Importing the same files again changes nothing.
            """)

    @OptionGroup var library: LibraryOptions
    @Argument(help: "Files or folders to import (- reads standard input: `curl … | ahub import -`).") var paths: [String]
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Do not embed the new papers (run `ahub embed` later).") var noEmbed = false

    func run() throws {
        try guarded {
            // Nothing to read: said before a library is made for it (a mistyped path leaves none behind).
            // (One missing path among several fails the import too, and before a library is made: nothing half done.)
            let missing = paths.filter { $0 != "-" && !FileManager.default.fileExists(atPath: $0) }
            if !missing.isEmpty {
                throw Failure("no such file or folder: \(missing.map(Terminal.withoutControlCharacters).joined(separator: ", "))"
                    + (missing.contains { $0.contains("\u{FFFD}") } ? "; " + Hub.notUTF8Name : ""))
            }
            // Standard input is read whole into a file of its own, named `stdin` in a folder named `stdin` (papers
            // that name no source take the file's name as theirs, a BEIR corpus its folder's: the same on every run,
            // so piping it again updates, not duplicates), and said as standard input.
            var paths = paths
            var piped: URL?
            if paths.contains("-") {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-stdin-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("stdin"), withIntermediateDirectories: true)
                let file = folder.appendingPathComponent("stdin").appendingPathComponent("stdin")
                try FileHandle.standardInput.readDataToEndOfFile().write(to: file)
                paths = paths.map { $0 == "-" ? file.path : $0 }
                piped = folder
            }
            defer { if let piped { try? FileManager.default.removeItem(at: piped) } }
            let made = library.whatOpeningMakes()
            let hub = try library.open(creating: true)
            let bar = ProgressBar()
            defer { bar.finish() }
            var report = try hub.importFiles(paths) { bar.update($0) }
            if let piped {
                let shown = { (file: String) in file.hasPrefix(piped.path) ? "standard input" : file }
                for i in report.rejected.indices { report.rejected[i].file = shown(report.rejected[i].file) }
                for i in report.skipped.indices { report.skipped[i].file = shown(report.skipped[i].file) }
                paths = self.paths
            }
            bar.finish()
            let embed = !noEmbed && EmbedAfter.needed(hub, changed: report.new + report.updated > 0)
            // Embedding stops between batches on Ctrl-C or SIGTERM, the papers and the vectors made so far kept, as
            // `ahub embed` does (it could not be stopped but by SIGTERM, which lost the report). Before it, reading
            // the files ends at once on an interrupt: what was committed stays, batch by batch.
            let stop = CancellationFlag()
            var signals: [DispatchSourceSignal] = []
            defer { signals.forEach { $0.cancel() } }
            let embedAfter = { (quiet: Bool) in
                signals = Fetch.trapInterrupt(stop, stopping: "the batches embedded are kept; it stops after the current one")
                try EmbedAfter.run(hub, quiet: quiet, cancel: stop)
            }
            // Nothing read at all, and files refused: the command failed (a script can tell), after the report.
            let failed = report.new + report.updated + report.unchanged == 0 && !(report.rejected.isEmpty && report.skipped.isEmpty)
            let failure = Failure("no paper could be read from \(paths.count == 1 ? paths[0] : "these \(paths.count) paths")")
            // Nothing read into a library made for it: none is left behind (a mistyped --library made an empty one).
            if failed { library.removeLibrary(made) }
            if json {
                if embed { try embedAfter(true) }
                try Terminal.printJSON(report)
                if failed { throw failure }
                if stop.isSet { throw Fetch.stoppedStatus }
                return
            }
            if report.files == 0 {
                print("no files to read in \(paths.map(Terminal.withoutControlCharacters).joined(separator: ", ")) (hidden files are left alone)")
            }
            print("\(Terminal.count(report.files, "file")): \(report.new) new, \(report.updated) updated, \(report.unchanged) unchanged, \(report.rejected.count) rejected")
            // File names and reasons quote what files hold: no control character reaches the terminal.
            for r in report.rejected { print(Terminal.withoutControlCharacters("  rejected \(r.file): \(r.location): \(r.reason)")) }
            for s in report.skipped { print(Terminal.withoutControlCharacters("  skipped \(s.file): \(s.reason)")) }
            if report.keptStoredCount > 0 {
                print("  \(report.keptStoredCount) record\(report.keptStoredCount == 1 ? "" : "s") under a key a paper of another title holds: "
                    + "the stored paper was kept and \(report.keptStoredCount == 1 ? "its" : "their") text not taken (two documents given one id?)")
                for line in report.keptStored { print(Terminal.withoutControlCharacters("    " + line)) }
                if report.keptStoredCount > report.keptStored.count { print("    … and \(report.keptStoredCount - report.keptStored.count) more") }
            }
            if report.undated > 0 {
                print("  \(report.undated) of the new papers \(report.undated == 1 ? "has" : "have") no date (none given, or none that could be read): date windows and after:/before: leave them out")
            }
            if embed { try embedAfter(false) }
            if !(failed && made.file) { print("library: \(hub.store.path)") }
            if failed { throw failure }
            if stop.isSet { throw Fetch.stoppedStatus }
        }
    }
}
