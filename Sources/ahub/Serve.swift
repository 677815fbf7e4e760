import AcademicHub
import ArgumentParser
import Foundation
import HubServer
import Hummingbird

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP JSON API on this machine (127.0.0.1 by default).")
    @OptionGroup var library: LibraryOptions
    @Option(help: "The address to listen on: 127.0.0.1, ::1 or localhost (other addresses need write tokens, not there yet).")
    var host = "127.0.0.1"
    @Option(help: "The port.") var port = 8080

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("ahub serve binds to this machine only for now (127.0.0.1, ::1, localhost): writes from elsewhere need bearer tokens, which are not there yet")
        }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
    }

    func run() throws {
        try guarded {
            let hub = try library.open()
            let app = HubServer.application(hub: hub, host: host, port: port)
            print("AcademicHub API at http://\(host == "::1" ? "[::1]" : host):\(port)/api (library \(library.path)); Ctrl-C stops it")
            let done = DispatchSemaphore(value: 0)
            let failure = ServeFailure()
            Task {
                do { try await app.runService() } catch { failure.error = error }
                done.signal()
            }
            done.wait()
            if let error = failure.error { throw error }
        }
    }
}

final class ServeFailure: @unchecked Sendable {
    var error: Error?
}
