import AcademicHub
import ArgumentParser
import Foundation

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed the papers that have no vector yet (all-MiniLM-L6-v2, native), for semantic and hybrid search.",
        discussion: """
            The model is read from $AHUB_MODEL_DIR, else $XDG_DATA_HOME/academichub/models/all-MiniLM-L6-v2 \
            (`scripts/install-model` puts it there). Vectors are stored in the library; a paper whose text \
            changes (a new version) is embedded again. Each batch is committed: a stopped run loses nothing.
            """)

    @OptionGroup var library: LibraryOptions
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        try guarded {
            let hub = try library.open()
            let bar = ProgressBar()
            defer { bar.finish() }
            let report = try hub.embedMissing { done, total in bar.update(label: "embedding", done: done, total: total) }
            bar.finish()
            if json { try Terminal.printJSON(report); return }
            print("\(report.embedded) papers embedded with \(report.model) in \(String(format: "%.1f", report.seconds)) s"
                + (report.embedded > 0 ? String(format: " (%.1f papers/s)", report.papersPerSecond) : ""))
        }
    }
}

/// `import` and `fetch` embed what they brought in, when the model is installed (`--no-embed` skips it).
enum EmbedAfter {
    static func run(_ hub: Hub, quiet: Bool) throws {
        guard hub.embeddingModelInstalled else {
            if !quiet { print("semantic search: install the model with scripts/install-model, then run `ahub embed`") }
            return
        }
        let bar = ProgressBar()
        defer { bar.finish() }
        let report = try hub.embedMissing { done, total in bar.update(label: "embedding", done: done, total: total) }
        bar.finish()
        if !quiet, report.embedded > 0 {
            print("\(report.embedded) papers embedded for semantic search (\(String(format: "%.1f", report.seconds)) s)")
        }
    }
}
