import AcademicHub
import HubCore
import HubStore
import HubFeeds
import ArgumentParser
import Foundation

@main
struct AHub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ahub",
        abstract: "AcademicHub: your personal research radar — fetch, import, index and search papers.",
        // (The analyzer's version and ICU's decide how text is indexed: a library indexed by others is reindexed when opened.)
        version: "ahub \(version) (analyzer \(Analyzer.version), ICU \(Analyzer.icuVersion))",
        subcommands: [Import.self, Search.self, Show.self, Stats.self, Sources.self, Fetch.self, Embed.self, Similar.self, Radar.self, Brief.self, Serve.self, Config.self, Eval.self, Analyze.self]
    )

    /// This build's version, for `ahub --version`.
    static let version = HTTPClient.productVersion

    /// ArgumentParser's own main, then a check that what was printed reached standard output.
    static func main() {
        let arguments = subcommandFirst(Array(CommandLine.arguments.dropFirst()))
        if let message = unknownCommand(arguments) {
            Terminal.warn(message)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            var command = try parseAsRoot(Self.dashedKeywords(arguments))
            try command.run()
        } catch {
            if exitCode(for: error) == .success, let word = groupedHelp(arguments) {
                Terminal.warn("\(word) starts with '-', so it reads as options (\(word.dropFirst().map { "-\($0)" }.joined(separator: " ")), "
                              + "one of them -h, help), not as a name, key or word; nothing was done")
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
            exit(withError: error)
        }
        Terminal.finishOutput()
    }

    /// A word such as `-dash` or `-ah` where a name or key goes: ArgumentParser reads it as short flags, finds
    /// `-h` among them and prints help with status 0, so `radar like -ah KEY` passed for done. The word, when
    /// help (or the version) came of such a word and not of `-h`, `--help`, `help` or `--version`.
    static func groupedHelp(_ arguments: [String]) -> String? {
        let given = arguments.prefix { $0 != "--" }
        guard !given.contains(where: { ["-h", "--help", "help", "--version"].contains($0) }) else { return nil }
        return given.first { $0.count > 2 && $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("h") }
    }

    /// `ahub radar --library L feed j1`: the library given before a group's subcommand goes after it
    /// (ArgumentParser would hand it, and the subcommand's name, to the group's default subcommand, `radar list`);
    /// `ahub radar help create` is `ahub help radar create`. Only `--library` and `--json` are moved over: any
    /// other option may take the next word as its value (`brief --query list`).
    static func subcommandFirst(_ arguments: [String]) -> [String] {
        let arguments = commandFirst(arguments)
        guard let group = configuration.subcommands.first(where: { $0._commandName == arguments.first }),
              !group.configuration.subcommands.isEmpty, arguments.count > 1 else { return arguments }
        if arguments[1] == "help" { return ["help", arguments[0]] + arguments[2...] }
        let names = Set(group.configuration.subcommands.map { $0._commandName })
        var i = 1
        while i < arguments.count {
            let word = arguments[i]
            if names.contains(word) {
                guard i > 1 else { return arguments }
                var moved = arguments
                moved.remove(at: i)
                moved.insert(word, at: 1)
                return moved
            }
            guard let width = movableOption(word) else { return arguments }
            i += width
        }
        return arguments
    }

    /// How many words an option that may be moved over a command takes (`--library L` 2, `--json` 1); nil for
    /// any other word.
    static func movableOption(_ word: String) -> Int? {
        word == "--library" ? 2 : word.hasPrefix("--library=") || word == "--json" ? 1 : nil
    }

    /// `ahub --library L search q`, `ahub --json stats`: `--library` and `--json` given before the command go
    /// after it, as git-style tools take options of the whole program first (ArgumentParser refused them as
    /// unknown). The command still says whether it takes them.
    static func commandFirst(_ arguments: [String]) -> [String] {
        var i = 0
        while i < arguments.count, let width = movableOption(arguments[i]) { i += width }
        // A word that is no command moves too, to be named as such (`no command 'serch' (did you mean search?)`).
        guard i > 0, i < arguments.count, !arguments[i].hasPrefix("-"), arguments[i] != "help" else { return arguments }
        return [arguments[i]] + arguments[..<i] + arguments[(i + 1)...]
    }

    /// A word where a command or a group's subcommand goes that names none (`ahub serch`, `ahub sources rm`,
    /// `ahub help nope`): ArgumentParser would hand it to the group's default subcommand ("2 unexpected
    /// arguments", brief's "give one of --radar…") or print the main help and succeed. Said as what it is,
    /// with the nearest name.
    static func unknownCommand(_ arguments: [String]) -> String? {
        func names(_ commands: [ParsableCommand.Type]) -> [String] { commands.map { $0._commandName } }
        func nearest(_ word: String, _ names: [String]) -> String {
            let aliases = ["rm": ["remove", "delete"], "ls": ["list"], "del": ["delete", "remove"], "mv": ["rename"], "new": ["create"], "add": ["create"]]
            let near = names.filter { name in
                aliases[word.lowercased()]?.contains(name) == true || (word.count >= 3 && name.hasPrefix(word.lowercased()))
                    || editDistance(word.lowercased(), name) <= (name.count > 4 ? 2 : 1)
            }
            return near.isEmpty ? "" : " (did you mean \(near[0])?)"
        }
        var words = arguments
        var asked = ""
        if words.first == "help" {
            words.removeFirst()
            asked = "help: "
        }
        guard let first = words.first, !first.hasPrefix("-"), first != "help" else { return nil }
        let top = configuration.subcommands
        guard let command = top.first(where: { $0._commandName == first }) else {
            return "\(asked)no command '\(first)'\(nearest(first, names(top))); the commands are \(names(top).joined(separator: ", "))"
        }
        let subcommands = command.configuration.subcommands
        guard !subcommands.isEmpty, words.count > 1, !words[1].hasPrefix("-"), words[1] != "help",
              !names(subcommands).contains(words[1]) else { return nil }
        return "\(asked)\(first): no subcommand '\(words[1])'\(nearest(words[1], names(subcommands))); its subcommands are \(names(subcommands).joined(separator: ", "))"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let kept = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = kept
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

    /// `radar create … --keywords fuzzing -survey`: a word after `--keywords` that starts with one dash is
    /// a keyword the user wrote (an exclusion, which `radar create` answers), not an option; ArgumentParser
    /// would stop at "Missing value" or "Unknown option '-survey'". Each becomes `--keywords=-survey`.
    static func dashedKeywords(_ arguments: [String]) -> [String] {
        guard arguments.starts(with: ["radar", "create"]) else { return arguments }
        var inKeywords = false, ended = false, rewritten: [String] = []
        for argument in arguments {
            if !ended, argument == "--keywords" {
                inKeywords = true
            } else if !ended, argument.hasPrefix("--") || argument == "-h" {
                (inKeywords, ended) = (false, argument == "--")
            } else if !ended, inKeywords, argument.count > 1, argument.hasPrefix("-") {
                // (`--keywords -survey` leaves `--keywords` with no value of its own: it goes.)
                if rewritten.last == "--keywords" { rewritten.removeLast() }
                rewritten.append("--keywords=" + argument)
                continue
            }
            rewritten.append(argument)
        }
        return rewritten
    }
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
        // An empty file is no library either (SQLite would make one of it): commands that only read leave it be.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        if !creating, size == nil || size == 0 {
            throw Failure("no library at \(path)\(size == 0 ? " (the file is empty)" : ""): `ahub import FILES` or `ahub fetch` makes one "
                + "(--library or $AHUB_LIBRARY picks another)")
        }
        do {
            return try Hub(libraryPath: path)
        } catch {
            throw Failure("\(error)")
        }
    }
}

extension LibraryOptions {
    /// Runs `body` on the library, made here when there is none; if `body` fails, a library made for it is taken
    /// away again (a refused `radar create` had left an empty library at a mistyped path).
    func making(_ body: (Hub) throws -> Void) throws {
        let made = whatOpeningMakes()
        let hub = try open(creating: true)
        do {
            try body(hub)
        } catch {
            removeLibrary(made)
            throw error
        }
    }

    /// Before opening: whether it will make the library file, and the folder it goes in.
    func whatOpeningMakes() -> (file: Bool, folder: Bool) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return (!FileManager.default.fileExists(atPath: path), !FileManager.default.fileExists(atPath: folder))
    }

    /// Takes away what opening made (`whatOpeningMakes`) for a command that failed and put nothing in: the
    /// library with its WAL files, and its folder when that was made too.
    func removeLibrary(_ made: (file: Bool, folder: Bool)) {
        guard made.file else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        if made.folder { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
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
            // What SQLite's codes mean here, in the user's terms; committed batches are never lost.
            if SQLitePaperStore.isBusy(error) {
                message = "another process has held the library locked for over 10 s (an import, a fetch, a sqlite3 shell); "
                    + "the change this command was making was not made: try again when it is done"
            } else if SQLitePaperStore.isDiskFull(error) {
                message = "the disk is full: what was stored before it filled is kept (each batch is committed whole); "
                    + "free some space and run the command again to go on"
            }
            if let statement = message.range(of: " - while executing") { message = String(message[..<statement.lowerBound]) }
            // (Terminal.warn also takes out what the message quotes back: a key or query holding ESC.)
            Terminal.warn(message.split(whereSeparator: \.isNewline).joined(separator: " "))
            throw ExitCode(1)
        }
    }
}
