import AcademicHub
import ArgumentParser
import Foundation
import HubFeeds

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed the papers that have no vector yet, for semantic and hybrid search.",
        discussion: """
            The model is the library's embed.model: all-MiniLM-L6-v2 by default, run natively and offline from \
            $AHUB_MODEL_DIR, else $XDG_DATA_HOME/academichub/models/all-MiniLM-L6-v2 (`scripts/install-model` \
            puts it there); or any model an OpenAI-compatible endpoint serves (`ahub config set embed.url \
            http://127.0.0.1:11434/v1`, API key from the variable embed.api-key-env names). `--model M` makes \
            M the library's model and embeds every paper for it: after a change of model, the whole library. \
            Vectors are stored in the library, each with its model; a paper whose text changes (a new \
            version) is embedded again. Each batch is committed: a stopped run loses nothing.
            """)

    @OptionGroup var library: LibraryOptions
    @Option(help: "Switch the library to this model first (all-MiniLM-L6-v2, or a model served at embed.url).")
    var model: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        let stop = CancellationFlag()
        try guarded {
            let hub = try library.open()
            let signals = Fetch.trapInterrupt(stop, stopping: "the batches embedded are kept; it stops after the current one")
            defer { signals.forEach { $0.cancel() } }
            let bar = ProgressBar()
            defer { bar.finish() }
            let progress: @Sendable (Int, Int) -> Void = { done, total in bar.update(label: "embedding", done: done, total: total) }
            let report = try model.map { try hub.embed(model: $0, cancel: stop, progress: progress) } ?? hub.embedMissing(cancel: stop, progress: progress)
            bar.finish()
            if json { try Terminal.printJSON(report); return }
            print("\(Terminal.count(report.embedded - report.unreadable, "paper")) embedded with \(report.model) in \(String(format: "%.1f", report.seconds)) s"
                + (report.embedded > report.unreadable ? String(format: " (%.1f papers/s)", report.papersPerSecond) : "")
                + (report.stopped ? "; stopped: `ahub embed` embeds the rest" : ""))
            if report.unreadable > 0 { print(EmbedAfter.unreadableNote(report)) }
        }
        if stop.isSet { throw Fetch.stoppedStatus }  // stopped by Ctrl-C: the batches done are kept, the run is not complete
    }
}

/// `import` and `fetch` embed what they brought in, when the model is installed (`--no-embed` skips it).
enum EmbedAfter {
    /// Whether an import or fetch should embed: it changed papers, or papers are still without a vector
    /// (an embedding killed halfway: running the import again finishes it).
    static func needed(_ hub: Hub, changed: Bool) -> Bool {
        changed || (hub.embeddingAvailable && ((try? hub.papersWithoutVectors()) ?? 0) > 0)
    }

    /// The papers the model could not read, said apart from those it embedded (they have no vector).
    static func unreadableNote(_ report: EmbedReport) -> String {
        "\(Terminal.count(report.unreadable, "paper")) in a language \(report.model) cannot read (Chinese, for an English model): no vector, "
            + "so semantic search leaves them out; keyword search and hybrid's TF-IDF find them"
    }

    static func run(_ hub: Hub, quiet: Bool, cancel: CancellationFlag? = nil) throws {
        if cancel?.isSet == true {
            if !quiet { print("embedding skipped (stopped): `ahub embed` adds the vectors") }
            return
        }
        guard hub.embeddingAvailable else {
            if !quiet { print("semantic search: install the model with scripts/install-model, then run `ahub embed`") }
            return
        }
        let bar = ProgressBar()
        defer { bar.finish() }
        do {
            let report = try hub.embedMissing(cancel: cancel) { done, total in bar.update(label: "embedding", done: done, total: total) }
            bar.finish()
            // Papers the model could not read are said on their own line, not counted as embedded.
            if !quiet, report.embedded > report.unreadable || (report.embedded > 0 && report.stopped) {
                print("\(Terminal.count(report.embedded - report.unreadable, "paper")) embedded for semantic search (\(String(format: "%.1f", report.seconds)) s)"
                      + (report.stopped ? "; stopped: `ahub embed` embeds the rest" : ""))
            }
            if !quiet, report.unreadable > 0 { print(unreadableNote(report)) }
        } catch {
            // The papers are in; their vectors can come later.
            bar.finish()
            Terminal.warn("embedding stopped: \(error); the papers are stored, `ahub embed` adds their vectors later")
        }
    }
}
