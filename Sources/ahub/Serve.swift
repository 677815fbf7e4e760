import AcademicHub
import ArgumentParser
import Foundation
import HubServer
import Hummingbird

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web page and the HTTP JSON API (127.0.0.1:8080 by default).",
        discussion: """
            The page is at /, the API under /api (its OpenAPI document at /api/openapi.json), Prometheus metrics at \
            /metrics. Sources are fetched as they fall due while the server runs (--no-refresh: never).
            Beyond this machine (--host 0.0.0.0) writes need a bearer token, read from the environment variable \
            that serve.token-env names (AHUB_TOKEN by default); clients other than loopback are held to \
            serve.rate-limit requests a second; serve.cors-origins lets other sites' pages call the API.
            """)
    @OptionGroup var library: LibraryOptions
    @Option(help: "The address to listen on: 127.0.0.1, ::1, localhost, or any other address of this machine (then writes need a token).")
    var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "The port.") var port = 8080
    @Flag(help: "Do not fetch sources while serving.") var noRefresh = false

    static let loopback: Set<String> = ["127.0.0.1", "::1", "localhost"]

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 (any free port) to 65535") }
    }

    func run() throws {
        try guarded {
            let hub = try library.open(creating: true)
            let settings = try hub.settings()
            let tokenVariable = Setting.value("serve.token-env", in: settings) ?? "AHUB_TOKEN"
            let token = ProcessInfo.processInfo.environment[tokenVariable].flatMap { $0.isEmpty ? nil : $0 }
            if !Self.loopback.contains(host), token == nil {
                throw HubError("listening on \(host) lets other machines in: set a bearer token for writes in $\(tokenVariable) first (`export \(tokenVariable)=$(openssl rand -hex 16)`), or serve on 127.0.0.1")
            }
            let rate = Setting.value("serve.rate-limit", in: settings).flatMap(Double.init) ?? 0
            // On loopback, only loopback names: a site made to resolve to 127.0.0.1 is refused (DNS rebinding).
            let loopback = ServerOptions.loopbackHosts.contains(host.lowercased()) || host.hasPrefix("127.")
            let options = ServerOptions(writeToken: token, rateLimit: rate > 0 ? rate : nil,
                                        corsOrigins: Setting.corsOrigins(settings["serve.cors-origins"]),
                                        allowedHosts: loopback ? ServerOptions.loopbackHosts.union([host.lowercased()]) : nil)
            let shown = host == "::1" ? "[::1]" : host
            let path = library.path
            let app = try HubServer.application(hub: hub, host: host, port: port, options: options, refresh: !noRefresh, log: { line in
                FileHandle.standardError.write(Data("ahub serve: \(Terminal.withoutControlCharacters(line))\n".utf8))
            }, listening: { port in
                let line = "AcademicHub at http://\(shown):\(port)/ (API: /api, library \(path))"
                    + (token != nil ? "; writes need the token in $\(tokenVariable)" : "") + "; Ctrl-C stops it\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            })
            let done = DispatchSemaphore(value: 0)
            let failure = ServeFailure()
            Task {
                do { try await app.runService() } catch { failure.error = error }
                done.signal()
            }
            done.wait()
            if let error = failure.error {
                let text = "\(error)"
                if text.contains("Address already in use") {
                    throw HubError("port \(port) on \(host) is taken (another server is listening there): pick another with --port, or --port 0 for any free one")
                }
                if text.contains("Cannot assign requested address") {
                    throw HubError("\(host) is not an address of this machine")
                }
                throw error
            }
        }
    }
}

final class ServeFailure: @unchecked Sendable {
    var error: Error?
}
