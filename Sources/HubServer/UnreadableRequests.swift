import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// A request the HTTP parser cannot read gets a JSON error saying why, as every other bad request does.
/// Hummingbird answers a parse error itself, with an empty 400, before any route or middleware sees it: a
/// 100 KB query string (over the parser's 80 KB for the address and headers) came back with no word. Between
/// requests, this handler turns the parser's error into a request of its own, its path this process's secret
/// and the parser's word, which `AnswerMiddleware` answers in order after any request still being answered,
/// closing the connection after it. An error in the middle of a request (a broken chunked body) is left to Hummingbird.
final class UnreadableRequests: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// The first segment of a stand-in request's path: no client can send one.
    static let secret = UUID().uuidString

    /// The parser's limits on a request's address and headers together, and on its header fields (Hummingbird's defaults).
    static let headLimit = 80 * 1024
    static let fieldLimit = 1_000

    private var inRequest = false
    /// Set once the stand-in is sent: what the decoder says of the bytes after (it reads no more) is dropped,
    /// so the answer is written whole before the connection closes.
    private var answered = false

    /// Puts `VersionRules` next to the HTTP/1 decoder, where the request's version is still known.
    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let decoder = try? pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self) {
            try? pipeline.addHandler(VersionRules(), position: .after(decoder))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: inRequest = true
        case .end: inRequest = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if answered { return }
        guard let parse = error as? HTTPParserError, !inRequest else { return context.fireErrorCaught(error) }
        inRequest = true
        answered = true
        var fields = HTTPFields()
        fields[.connection] = "close"
        // The parser says "invalid character in content-length header" also of a request that sends Transfer-Encoding
        // and Content-Length both (a smuggling attempt, or a broken client), whose characters may be fine.
        let word = parse == .invalidContentLength
            ? "an unreadable Content-Length, or Content-Length and Transfer-Encoding both sent" : "\(parse)"
        let said = parse == .headerOverflow ? Self.overflow : word.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let path = "/\(Self.secret)/\(said)"
        context.fireChannelRead(wrapInboundOut(.head(HTTPRequest(method: .get, scheme: nil, authority: nil, path: path, headerFields: fields))))
        context.fireChannelRead(wrapInboundOut(.end(nil)))
        // (The async channel hands reads on at a read's completion.)
        context.fireChannelReadComplete()
    }

    /// What the stand-in's path says for an address and headers over the limit.
    static let overflow = "header-overflow"
    /// What it says for an HTTP/1.1 request without one Host header.
    static let hostless = "host"

    /// The error a stand-in request is answered with; nil for every request a client sent.
    static func answer(_ request: Request) -> HTTPError? {
        let path = request.uri.path
        guard path.hasPrefix("/\(secret)/") else { return nil }
        let said = path.dropFirst(secret.count + 2)
        if said == overflow {
            return HTTPError(.init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
                             message: "the request's address and headers are more than this server reads (\(headLimit / 1024) KB, or "
                                 + "\(fieldLimit) header fields; a query parameter is at most \(HubServer.maxQuery) characters)")
        }
        if said == hostless {
            return HTTPError(.badRequest, message: "an HTTP/1.1 request names its host in one Host header (RFC 9112, section 3.2)")
        }
        return HTTPError(.badRequest, message: "the request is not HTTP/1.1 this server can read (\(said.removingPercentEncoding ?? ""))")
    }
}

/// What the HTTP version asks of a request, checked between the HTTP/1 decoder and the codec (which drops the
/// version): an HTTP/1.0 request closes its connection after the answer unless it asks to keep it (RFC 9112
/// §9.3; Hummingbird reads only `Connection: close`, so a 1.0 client reading to the end of the stream waited
/// for the idle timeout), and an HTTP/1.1 request without exactly one Host header is a 400 (§3.2; it was
/// answered as if it had named this server), by the stand-in's path, closing the connection.
final class VersionRules: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        // A target in absolute form (`GET http://host/path`, as to a proxy) names the host it is for, in place of the
        // Host header (RFC 9112, 3.2.2), which the codec would keep: it becomes the Host that the guard checks
        // (another host's target had been answered by the Host header alone).
        var named = false
        let hosts = head.headers["host"].count
        if !head.uri.hasPrefix("/"), head.uri != "*", let target = URLComponents(string: head.uri), let host = target.host, !host.isEmpty {
            let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            head.headers.replaceOrAdd(name: "host", value: bracketed + (target.port.map { ":\($0)" } ?? ""))
            named = true
        }
        if head.version == .http1_0, !head.isKeepAlive {
            head.headers.replaceOrAdd(name: "connection", value: "close")
        } else if head.version.major == 1, head.version.minor >= 1, hosts != 1 {
            head.uri = "/\(UnreadableRequests.secret)/\(UnreadableRequests.hostless)"
            head.headers.replaceOrAdd(name: "connection", value: "close")
        } else if !named {
            return context.fireChannelRead(data)
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
