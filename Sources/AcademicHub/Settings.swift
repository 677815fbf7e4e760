import Foundation
import HubEmbed
import HubFeeds
import HubStore

/// Settings kept in the library (`ahub config set NAME VALUE`), each with its meaning and default.
public enum Setting {
    public struct Definition: Sendable {
        public var name: String
        public var help: String
        public var defaultValue: String?
    }

    public static let definitions: [Definition] = [
        .init(name: "http.contact", help: "an email address or URL for the User-Agent, so a source can reach you ($AHUB_CONTACT wins)", defaultValue: nil),
        .init(name: "http.timeout", help: "seconds a whole request may take", defaultValue: "60"),
        .init(name: "http.connect-timeout", help: "seconds to connect", defaultValue: "10"),
        .init(name: "http.attempts", help: "tries per request on network errors, 429 and 5xx", defaultValue: "4"),
        .init(name: "http.backoff", help: "seconds before the first retry; doubled each time, with jitter", defaultValue: "2"),
        .init(name: "http.max-bytes", help: "largest response accepted, in bytes", defaultValue: String(64 << 20)),
        .init(name: "http.max-redirects", help: "redirects followed per request", defaultValue: "5"),
        .init(name: "http.ca-bundle", help: "a PEM file of CA certificates instead of the system's", defaultValue: nil),
        .init(name: "http.gap", help: "seconds between requests to one host", defaultValue: "1"),
        .init(name: "http.gap.HOST", help: "the same for one host and its subdomains (http.gap.arxiv.org defaults to 3, as arXiv asks)", defaultValue: nil),
        .init(name: "embed.model", help: "the embedding model: \(MiniLM.name) (native, offline), or a model served at embed.url", defaultValue: MiniLM.name),
        .init(name: "embed.url", help: "an OpenAI-compatible API base for other models: http://127.0.0.1:11434/v1 (Ollama), http://HOST:8000/v1 (vLLM), https://api.openai.com/v1", defaultValue: nil),
        .init(name: "embed.api-key-env", help: "the environment variable holding embed.url's API key (the key itself is never stored)", defaultValue: "OPENAI_API_KEY"),
        .init(name: "embed.batch", help: "texts per request to embed.url", defaultValue: "32"),
        .init(name: "brief.provider", help: "who writes briefings: extractive (offline), llm (brief.url) or command (brief.command)", defaultValue: "extractive"),
        .init(name: "brief.url", help: "an OpenAI-compatible chat API base for llm briefings: http://127.0.0.1:11434/v1 (Ollama), https://api.deepseek.com/v1, https://api.openai.com/v1", defaultValue: nil),
        .init(name: "brief.model", help: "the chat model at brief.url", defaultValue: nil),
        .init(name: "brief.api-key-env", help: "the environment variable holding brief.url's API key (the key itself is never stored)", defaultValue: "OPENAI_API_KEY"),
        .init(name: "brief.timeout", help: "seconds an llm answer or a brief.command may take", defaultValue: "180"),
        .init(name: "brief.budget", help: "about how many tokens of abstracts the llm prompt carries", defaultValue: "6000"),
        .init(name: "serve.token-env", help: "the environment variable holding the bearer token that `ahub serve` asks of writes (the token itself is never stored); required to listen beyond this machine", defaultValue: "AHUB_TOKEN"),
        .init(name: "serve.rate-limit", help: "requests per second each client of `ahub serve` may make, in bursts of twice that (loopback clients are not limited); 0: no limit", defaultValue: "20"),
        .init(name: "serve.cors-origins", help: "origins, comma-separated, whose pages may call `ahub serve`'s API (https://example.org); none by default", defaultValue: nil),
        .init(name: "brief.command", help: "your own program for command briefings, run by /bin/sh: papers and the extractive analysis as JSON on stdin, Markdown on stdout", defaultValue: nil),
    ]

    /// A setting's value: the library's, else its default.
    public static func value(_ name: String, in settings: [String: String]) -> String? {
        settings[name] ?? definitions.first { $0.name == name }?.defaultValue
    }

    /// The seconds the HTTP client waits between requests to `host` (its own rule, a parent domain's, arXiv's 3,
    /// else `http.gap`).
    public static func gap(forHost host: String, in settings: [String: String]) throws -> Double {
        try httpConfiguration(settings).politeness.gap(for: host)
    }

    /// Whether `name` is a setting ahub reads.
    public static func isKnown(_ name: String) -> Bool {
        definitions.contains { $0.name == name } || (name.hasPrefix("http.gap.") && name.count > "http.gap.".count
            && name.dropFirst("http.gap.".count).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
    }

    /// The HTTP client's configuration from the library's settings and the environment.
    static func httpConfiguration(
        _ settings: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        func number(_ name: String) throws -> Double? {
            guard let text = settings[name] else { return nil }
            guard let value = Double(text), value >= 0, value <= 1e12 else {
                throw HubError("setting \(name) must be a number from 0 to 10^12, not '\(text)'")
            }
            return value
        }
        configuration.contact = environment["AHUB_CONTACT"].flatMap { $0.isEmpty ? nil : $0 } ?? settings["http.contact"]
        if let contact = configuration.contact, !HTTPClient.isHeaderText(contact) {
            throw HubError("the contact (AHUB_CONTACT or http.contact) holds a line break or another control character; it goes into a header as one line")
        }
        if let v = try number("http.timeout") { configuration.timeout = v }
        if let v = try number("http.connect-timeout") { configuration.connectTimeout = v }
        if let v = try number("http.attempts") { configuration.attempts = max(1, Int(v)) }
        if let v = try number("http.backoff") { configuration.backoffBase = v }
        if let v = try number("http.max-bytes") { configuration.maxBytes = Int64(v) }
        if let v = try number("http.max-redirects") { configuration.maxRedirects = Int(v) }
        configuration.caBundle = settings["http.ca-bundle"]
        if let v = try number("http.gap") { configuration.politeness.defaultGap = v }
        for (name, _) in settings where name.hasPrefix("http.gap.") {
            let host = String(name.dropFirst("http.gap.".count)).lowercased()
            configuration.politeness.rules[host] = try number(name)
        }
        return configuration
    }
}

extension Setting {
    /// What embeds text, from the settings: the native model (always, under its own name), or another model
    /// at `embed.url`. `endpointRequired: false` checks the values alone (when one setting is set at a time).
    static func embedder(
        _ settings: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
        endpointRequired: Bool = true
    ) throws -> EmbedderChoice {
        let batchText = settings["embed.batch"] ?? "32"
        guard let batch = Int(batchText), (1...2048).contains(batch) else {
            throw HubError("setting embed.batch must be a whole number from 1 to 2048, not '\(batchText)'")
        }
        let url = settings["embed.url"]
        if let url {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                  components.host?.isEmpty == false else {
                throw HubError("setting embed.url must be an http(s) URL such as http://127.0.0.1:11434/v1, not '\(url)'")
            }
        }
        let model = settings["embed.model"] ?? MiniLM.name
        guard !model.isEmpty, model == model.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw HubError("setting embed.model names a model (\(MiniLM.name), or one served at embed.url), without spaces around it, not '\(model)'")
        }
        if model == MiniLM.name { return .native }
        guard let url else {
            if !endpointRequired { return .native }
            throw HubError("embed.model \(model) needs an endpoint: `ahub config set embed.url http://127.0.0.1:11434/v1` (any OpenAI-compatible API), or use \(MiniLM.name)")
        }
        let keyVariable = settings["embed.api-key-env"] ?? "OPENAI_API_KEY"
        let key = environment[keyVariable].flatMap { $0.isEmpty ? nil : $0 }
        return .remote(baseURL: url, model: model, apiKey: key, batch: batch)
    }

    /// The address of an OpenAI-compatible call (`/chat/completions`, `/embeddings`) under an API base: the path
    /// joined before the base's query string (`?api-version=…`, as Azure asks), and not added twice to a base
    /// pasted with it already (`…/v1/chat/completions`).
    static func endpoint(_ base: String, _ call: String) -> String {
        guard var components = URLComponents(string: base) else { return base + call }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        if !path.hasSuffix(call) { path += call }
        components.percentEncodedPath = path
        return components.string ?? base + call
    }

    /// `text` with the API key cut out wherever it stands: an endpoint's error may quote the request's
    /// Authorization header back ("Bad key: Bearer sk-…"), and the text is printed, stored with a briefing
    /// and served.
    static func withoutKey(_ text: String, _ key: String?) -> String {
        guard let key, !key.isEmpty else { return text }
        // As sent, in any case, and percent-encoded (an error quoting the request's address or form).
        var forms = [key]
        if let encoded = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != key { forms.append(encoded) }
        return forms.reduce(text) { $0.replacingOccurrences(of: $1, with: "…", options: .caseInsensitive) }
    }

    enum EmbedderChoice {
        case native
        case remote(baseURL: String, model: String, apiKey: String?, batch: Int)
    }
}

extension Hub {
    public func settings() throws -> [String: String] { try store.settings() }

    /// Whether `name` may be set to `value` over `settings` (the library's now; none for a library not made
    /// yet), saying first what the setting takes: a value the client or the embedder cannot use is refused.
    public static func checkSetting(_ name: String, _ value: String?, settings: [String: String]) throws {
        guard Setting.isKnown(name) else {
            throw HubError("unknown setting '\(name)'; `ahub config list` shows them all")
        }
        // Bytes that were not UTF-8 arrive as U+FFFD: kept, they would go out in a User-Agent or a command
        // line as a character nobody typed.
        if let value, value.unicodeScalars.contains("\u{FFFD}") {
            throw HubError("setting \(name) must be valid UTF-8 text: \(value.debugDescription) is not")
        }
        var proposed = settings
        proposed[name] = value
        if name.hasPrefix("brief."), let value { try Setting.checkBrief(name, value) }
        if name.hasPrefix("serve."), let value { try Setting.checkServe(name, value) }
        if name.hasPrefix("http."), let value { try Setting.checkHTTP(name, value) }
        if name == "embed.api-key-env", let value { try Setting.checkVariableName(name, value) }
        _ = try Setting.httpConfiguration(proposed, environment: [:])
        if name.hasPrefix("embed.") { _ = try Setting.embedder(proposed, environment: [:], endpointRequired: false) }
    }

    public func setSetting(_ name: String, _ value: String?) throws {
        let name = Setting.canonicalName(name)
        try Self.checkSetting(name, value, settings: try store.settings())
        // A host's gap is one setting whatever the case the host is typed in (hosts match so): one set before in
        // another case is replaced, and unset with it.
        if name.hasPrefix("http.gap.") {
            for stored in try store.settings().keys where stored != name && stored.lowercased() == name { try store.setSetting(stored, nil) }
        }
        try store.setSetting(name, value)
        if name.hasPrefix("embed.") { semantic.reset() }
    }
}

extension Setting {
    /// The name a setting is kept under: a host's gap with its host in lower case (`http.gap.Example.ORG` is
    /// `http.gap.example.org`); every other name as it is.
    public static func canonicalName(_ name: String) -> String {
        name.hasPrefix("http.gap.") && name != "http.gap.HOST" ? "http.gap." + name.dropFirst("http.gap.".count).lowercased() : name
    }

    static let briefTimeouts: ClosedRange<Double> = 1...3_600
    static let briefBudgets: ClosedRange<Double> = 100...1_000_000

    /// `brief.timeout` in seconds; a value set before it was checked (`inf`) is brought into range.
    static func briefTimeout(_ settings: [String: String]) -> Double {
        Double(settings["brief.timeout"] ?? "").map { $0.isNaN ? 180 : min(max($0, briefTimeouts.lowerBound), briefTimeouts.upperBound) } ?? 180
    }

    /// `brief.budget` in tokens, brought into range like `briefTimeout`.
    static func briefBudget(_ settings: [String: String]) -> Int {
        Int(Double(settings["brief.budget"] ?? "").map { $0.isNaN ? 6000 : min(max($0, briefBudgets.lowerBound), briefBudgets.upperBound) } ?? 6000)
    }

    static func checkBrief(_ name: String, _ value: String) throws {
        switch name {
        case "brief.api-key-env":
            try checkVariableName(name, value)
        case "brief.provider":
            guard BriefProvider(rawValue: value) != nil else {
                throw HubError("brief.provider is extractive, llm or command, not '\(value)'")
            }
        case "brief.url":
            guard let url = URLComponents(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
                throw HubError("setting brief.url must be an http(s) URL such as http://127.0.0.1:11434/v1, not '\(value)'")
            }
        case "brief.model":
            guard !value.isEmpty, value == value.trimmingCharacters(in: .whitespacesAndNewlines) else {
                throw HubError("setting brief.model names the chat model at brief.url, without spaces around it, not '\(value)' (`ahub config unset brief.model` clears it)")
            }
        case "brief.timeout", "brief.budget":
            let (range, unit) = name == "brief.timeout" ? (briefTimeouts, "seconds") : (briefBudgets, "tokens")
            guard let number = Double(value), range.contains(number) else {
                throw HubError("setting \(name) must be from \(Int(range.lowerBound)) to \(Int(range.upperBound)) \(unit), not '\(value)'")
            }
        default:
            break
        }
    }
}

extension Setting {
    /// What `httpConfiguration` accepts, and more when the value is set: a CA bundle that can be read, and
    /// times and sizes a fetch can live with (not `inf`, not a gap of years).
    static func checkHTTP(_ name: String, _ value: String) throws {
        let limits: [String: (ClosedRange<Double>, String)] = [
            "http.timeout": (1...3_600, "seconds"), "http.connect-timeout": (1...600, "seconds"),
            "http.attempts": (1...20, "tries"), "http.backoff": (0...600, "seconds"), "http.gap": (0...3_600, "seconds"),
            "http.max-bytes": (1_000...4_000_000_000, "bytes"), "http.max-redirects": (0...50, "redirects"),
        ]
        if let (range, unit) = limits[name] ?? (name.hasPrefix("http.gap.") ? (0...3_600, "seconds") : nil) {
            guard let number = Double(value), range.contains(number) else {
                throw HubError("setting \(name) must be from \(Int(range.lowerBound)) to \(Int(range.upperBound)) \(unit), not '\(value)'")
            }
        }
        if name == "http.contact", !HTTPClient.isHeaderText(value) {
            throw HubError("setting http.contact goes into a header as one line: no line breaks or other control characters")
        }
        // An empty contact had been sent as `mailto:` with nothing after it.
        if name == "http.contact", value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw HubError("setting http.contact needs an email address or URL; `ahub config unset http.contact` sends none")
        }
        if name == "http.ca-bundle" {
            guard FileManager.default.isReadableFile(atPath: value) else {
                throw HubError("setting http.ca-bundle must be a PEM file this user can read; \(value) is not")
            }
            // The first certificate is near the top of any bundle; libcurl would only fail at the first fetch.
            let head = FileHandle(forReadingAtPath: value).map { handle in
                defer { try? handle.close() }
                return String(decoding: (try? handle.read(upToCount: 1 << 20)) ?? Data(), as: UTF8.self)
            }
            guard head?.contains("-----BEGIN CERTIFICATE-----") == true else {
                throw HubError("setting http.ca-bundle must be a PEM file of CA certificates; \(value) holds no -----BEGIN CERTIFICATE-----")
            }
        }
    }

    static func checkServe(_ name: String, _ value: String) throws {
        switch name {
        case "serve.rate-limit":
            guard let number = Double(value), number >= 0, number.isFinite else {
                throw HubError("setting serve.rate-limit must be a number ≥ 0 (requests per second), not '\(value)'")
            }
        case "serve.cors-origins":
            for origin in corsOrigins(value) {
                guard let url = URLComponents(string: origin), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                      url.host?.isEmpty == false, url.path.isEmpty, url.query == nil else {
                    throw HubError("setting serve.cors-origins takes origins such as https://example.org, not '\(origin)'")
                }
            }
        case "serve.token-env":
            try checkVariableName(name, value)
        default:
            break
        }
    }

    /// The settings that name an environment variable (a key's, a token's) take a variable's name.
    static func checkVariableName(_ name: String, _ value: String) throws {
        guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw HubError("setting \(name) names an environment variable (letters, digits, _), not '\(value)'")
        }
    }

    /// The origins in `serve.cors-origins`.
    public static func corsOrigins(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
