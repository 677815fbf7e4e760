import Foundation
import Hummingbird

/// The web page's files and the OpenAPI document: the package's `Web/` resources, read once into memory.
/// Only these names are ever served, so no request path can reach another file.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        var body: ByteBuffer
        var contentType: String
    }

    let files: [String: Asset]

    static let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
                        "css": "text/css; charset=utf-8", "json": "application/json", "svg": "image/svg+xml"]

    /// Reads `Web/` from the resource bundle.
    static func bundled() throws -> WebAssets {
        guard let folder = Bundle.module.url(forResource: "Web", withExtension: nil) else {
            throw HTTPError(.internalServerError, message: "the page's files are missing from the build (HubServer's Web resources)")
        }
        var files: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            guard let type = types[(name as NSString).pathExtension] else { continue }
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            files[name] = Asset(body: ByteBuffer(data: data), contentType: type)
        }
        return WebAssets(files: files)
    }

    func response(_ name: String) throws -> Response {
        guard let asset = files[name] else { throw HTTPError(.notFound, message: "no such file") }
        return Response(status: .ok, headers: [
            .contentType: asset.contentType,
            .cacheControl: "no-cache",
            .init("X-Content-Type-Options")!: "nosniff",
            // The page loads nothing from elsewhere: no CDN, no inline script.
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ], body: .init(byteBuffer: asset.body))
    }
}
