import AcademicHub
import HubCore
import HubStore
import ArgumentParser
import Foundation

@main
struct AHub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ahub",
        abstract: "AcademicHub: your personal research radar — fetch, import, index and search papers.",
        subcommands: [Import.self, Search.self, Show.self, Stats.self, Sources.self, Fetch.self, Embed.self, Similar.self, Radar.self, Brief.self, Serve.self, Config.self, Eval.self, Analyze.self]
    )
}

/// `--library PATH`, shared by every command that opens a library.
struct LibraryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The library file (default: $AHUB_LIBRARY, else $XDG_DATA_HOME/academichub/library.sqlite).", valueName: "path"))
    var library: String?

    var path: String { library ?? Hub.defaultLibraryPath() }

    /// Opens the library. Only commands that add to a library (`creating`: import, fetch, serve, sources add,
    /// config set, radar create / import) make one where none is; the rest say so, so that a mistyped path
    /// is not read as an empty library.
    func open(creating: Bool = false) throws -> Hub {
        if !creating, !FileManager.default.fileExists(atPath: path) {
            throw Failure("no library at \(path): `ahub import FILES` or `ahub fetch` makes one (--library or $AHUB_LIBRARY picks another)")
        }
        do {
            return try Hub(libraryPath: path)
        } catch {
            throw Failure("\(error)")
        }
    }
}

/// A user-facing failure: printed as one line on stderr, exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

extension ParsableCommand {
    /// Runs `body`, turning any error into a clean one-line message.
    func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            // One line: GRDB appends the statement (often several lines of SQL) after " - while executing".
            var message = "\(error)"
            if let statement = message.range(of: " - while executing") { message = String(message[..<statement.lowerBound]) }
            message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
            FileHandle.standardError.write(Data("ahub: \(message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
