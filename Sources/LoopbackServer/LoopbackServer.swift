import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests and benchmarks: real sockets, so the client under test
/// goes through libcurl, TCP and all. Each connection gets one answer and is closed. Besides answering it can
/// misbehave as real servers do: stall, cut a body short, or hang up.
public final class LoopbackServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        /// The path without the query, percent-decoded.
        public var path: String
        public var query: [String: String]
        /// Names lower-cased.
        public var headers: [String: String]
        public var body: Data
        public var target: String
        public var receivedAt: Date
    }

    public enum Action: Sendable {
        case respond(status: Int, headers: [(String, String)], body: Data)
        /// Reads the request and never answers (until the server stops).
        case stall
        /// Sends the headers and the first bytes of the body, then closes: `declaredLength` announces the whole
        /// length (the client sees a short body), nil sends no length (the client sees a clean end).
        case cut(status: Int, headers: [(String, String)], body: Data, declaredLength: Int?)
        /// Closes without a word.
        case hangUp
        /// Sends the headers (no length) and the body, then keeps the connection open without a word more
        /// (until the server stops): a stream whose server never ends it.
        case sendAndHold(status: Int, headers: [(String, String)], body: Data)
    }

    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: @Sendable (Request) -> Action
    private let lock = NSLock()
    private var log: [Request] = []
    private var stopped = false
    private var open: Set<Int32> = []

    public init(handler: @escaping @Sendable (Request) -> Action) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw ServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Every request received so far, in order of arrival.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        let connections = open
        lock.unlock()
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop() {
        while !isStopped {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            open.insert(fd)
            lock.unlock()
            let thread = Thread { [weak self] in
                self?.serve(fd)
                close(fd)
                self?.forget(fd)
            }
            thread.start()
        }
    }

    private func forget(_ fd: Int32) {
        lock.lock()
        open.remove(fd)
        lock.unlock()
    }

    private func serve(_ fd: Int32) {
        guard let request = readRequest(fd) else { return }
        lock.lock()
        log.append(request)
        lock.unlock()
        switch handler(request) {
        case .respond(let status, let headers, let body):
            var head = headers
            head.append(("Content-Length", String(body.count)))
            send(fd, status: status, headers: head, body: request.method == "HEAD" ? Data() : body)
        case .stall:
            while !isStopped { Thread.sleep(forTimeInterval: 0.02) }
        case .cut(let status, let headers, let body, let declaredLength):
            var head = headers
            if let declaredLength { head.append(("Content-Length", String(declaredLength))) }
            send(fd, status: status, headers: head, body: body)
        case .hangUp:
            break
        case .sendAndHold(let status, let headers, let body):
            send(fd, status: status, headers: headers, body: body)
            while !isStopped { Thread.sleep(forTimeInterval: 0.02) }
        }
    }

    private func send(_ fd: Int32, status: Int, headers: [(String, String)], body: Data) {
        var text = "HTTP/1.1 \(status) \(Self.reason(status))\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        var bytes = Data(text.utf8)
        bytes.append(body)
        bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
            headerEnd = buffer.range(of: Data("\r\n\r\n".utf8))
            if buffer.count > 1 << 20 { return nil }
        }
        let head = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(buffer[headerEnd!.upperBound...])
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while body.count < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            body.append(contentsOf: chunk[0..<n])
        }
        let target = String(requestLine[1])
        let components = URLComponents(string: target)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return Request(
            method: String(requestLine[0]), path: components?.path ?? target, query: query, headers: headers,
            body: body, target: target, receivedAt: Date())
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
