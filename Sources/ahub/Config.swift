import AcademicHub
import ArgumentParser
import Foundation

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show and change the library's settings (HTTP client, politeness gaps).",
        subcommands: [List.self, Get.self, Set.self, Unset.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every setting with its value, default and meaning.")
        @OptionGroup var library: LibraryOptions
        @Flag(help: "Print as JSON: each setting's name, value (absent when unset), default and meaning.") var json = false

        struct Entry: Encodable {
            var name: String
            var value: String?
            var defaultValue: String?
            var help: String
        }

        func run() throws {
            try guarded {
                let values = try library.open().settings()
                if json {
                    let gap = Setting.definitions.first { $0.name == "http.gap.HOST" }
                    let defined = Setting.definitions.filter { $0.name != "http.gap.HOST" }
                        .map { Entry(name: $0.name, value: values[$0.name], defaultValue: $0.defaultValue, help: $0.help) }
                    let gaps = values.keys.filter { $0.hasPrefix("http.gap.") }.sorted()
                        .map { Entry(name: $0, value: values[$0], defaultValue: gap?.defaultValue, help: gap?.help ?? "") }
                    try Terminal.printJSON(defined + gaps)
                    return
                }
                for definition in Setting.definitions where definition.name != "http.gap.HOST" {
                    let value = values[definition.name].map { "= \($0)" } ?? "(default \(definition.defaultValue ?? "none"))"
                    print("\(definition.name) \(value)\n    \(definition.help)")
                }
                for (name, value) in values.sorted(by: { $0.key < $1.key }) where name.hasPrefix("http.gap.") {
                    print("\(name) = \(value)")
                }
                print("http.gap.HOST\n    \((Setting.definitions.first { $0.name == "http.gap.HOST" }?.help ?? ""))")
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one setting's value, its default when unset: ahub config get http.timeout")
        @OptionGroup var library: LibraryOptions
        @Argument var name: String

        func run() throws {
            let name = Setting.canonicalName(self.name)
            try guarded {
                // (http.gap.HOST stands for every host's gap: it is no setting itself.)
                guard name != "http.gap.HOST", Setting.isKnown(name) else { throw Failure("no setting \(name); `ahub config list` lists them") }
                // No library yet is every setting at its default (nothing is made to answer).
                let values = FileManager.default.fileExists(atPath: library.path) ? try library.open().settings() : [:]
                if name.hasPrefix("http.gap."), values[name] == nil {
                    // A host's gap unset is what the client waits there: arXiv's own 3 s, else http.gap.
                    let gap = try Setting.gap(forHost: String(name.dropFirst("http.gap.".count)).lowercased(), in: values)
                    print(gap == gap.rounded() ? String(Int(gap)) : String(gap))
                } else if let value = Setting.value(name, in: values) {
                    print(value)
                } else {
                    Terminal.warn("\(name) is not set and has no default")
                }
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a setting: ahub config set http.contact me@lab.org")
        @OptionGroup var library: LibraryOptions
        @Argument var name: String
        // Taken as it is, a leading "-" too: `http.timeout -5` is refused for its range, not as an option.
        @Argument(parsing: .allUnrecognized, help: "The value (quoted if it holds spaces).") var value: [String] = []

        func validate() throws {
            guard value.count == 1 else {
                throw ValidationError(value.isEmpty ? "give the value: ahub config set \(name) VALUE"
                    : "give one value, quoted if it holds spaces: ahub config set \(name) '\(value.joined(separator: " "))'")
            }
        }

        func run() throws {
            try guarded {
                // Checked before a library is made for it: a mistyped name or value leaves no empty library behind.
                if !FileManager.default.fileExists(atPath: library.path) { try Hub.checkSetting(name, value[0], settings: [:]) }
                try library.open(creating: true).setSetting(name, value[0])
            }
        }
    }

    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return a setting to its default.")
        @OptionGroup var library: LibraryOptions
        @Argument var name: String

        func run() throws {
            try guarded { try library.open().setSetting(name, nil) }
        }
    }
}
