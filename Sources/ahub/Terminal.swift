import AcademicHub
import HubCore
import HubStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How results look on a terminal: ANSI bold for matches when stdout is a TTY, «» when piped.
enum Terminal {
    static let stdoutIsTTY = isatty(STDOUT_FILENO) == 1
    static let stderrIsTTY = isatty(STDERR_FILENO) == 1
    /// Bold on a terminal unless `NO_COLOR` is set and not empty (no-color.org); «marks» otherwise.
    static let styled = stdoutIsTTY && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty

    /// A score in `width` columns: three decimals, or "<0.001" for a positive score smaller than they show
    /// (BM25 gives a word most papers hold about 2e-6: "0.000" would read as no match at all, and "2.12e-06"
    /// would push the column out).
    static func score(_ value: Double, width: Int) -> String {
        let text = value > 0 && value < 0.0005 ? "<0.001" : String(format: "%.3f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// "1 paper", "2 papers": a count and its noun (plural with an s).
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("ahub: \(withoutControlCharacters(message))\n".utf8))
    }

    /// Writes a file the user named (whole or not at all), saying what stands in the way when it cannot.
    /// A link is followed (the file it names is written, the link stays); a device or pipe (`/dev/stdout`, a
    /// FIFO) is written in place: replacing it with a file, as an atomic write would, breaks the machine.
    static func write(_ data: Data, to path: String) throws {
        // This process's own streams by name (/dev/stdout, /dev/fd/2, /proc/self/fd/1): written to the
        // descriptor as it is, so `--out /dev/stdout >> log` appends as the shell set it up.
        if let fd = ownDescriptor(path) {
            try writeAll(data, to: fd, path: path)
            return
        }
        let target = linkTarget(path)
        var status = stat()
        if stat(target, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFDIR {
            let fd = open(target, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure("cannot write \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            try writeAll(data, to: fd, path: path)
            return
        }
        try checkWritable(target)
        do {
            try data.write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let reason = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
            throw Failure("cannot write \(path): \(reason ?? error.localizedDescription)")
        }
    }

    /// The descriptor a path names when it is one of this process's own output streams: /dev/stdout, /dev/stderr,
    /// /dev/fd/N, /proc/self/fd/N.
    static func ownDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// The file a path names, links followed, also a link whose file does not exist yet (it is written
    /// there, and the link stays).
    static func linkTarget(_ path: String) -> String {
        var target = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(target, &status) == 0, status.st_mode & S_IFMT == S_IFLNK,
                  let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: target) else { break }
            target = destination.hasPrefix("/") ? destination : ((target as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
        }
        return URL(fileURLWithPath: target).standardizedFileURL.path
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, data.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw Failure("cannot write \(path): \(String(cString: strerror(n < 0 ? errno : EIO)))") }
            written += n
        }
    }

    /// C's `stdout` stream, found by name: Swift 6 refuses a reference to the C global itself.
    nonisolated(unsafe) private static let standardOutput: UnsafeMutablePointer<FILE>? = {
        guard let symbol = dlsym(nil, "stdout") else { return nil }
        return symbol.load(as: UnsafeMutablePointer<FILE>?.self)
    }()

    /// Everything printed reached standard output, or the command fails: a full disk or a closed pipe
    /// behind `> file` must not pass for success with a file cut short.
    static func finishOutput() {
        // A write that failed earlier left only the stream's error flag (glibc drops the buffer): ferror.
        let failed = standardOutput.map { fflush($0) != 0 || ferror($0) != 0 } ?? (fflush(nil) != 0)
        if failed {
            let reason = String(cString: strerror(errno))
            FileHandle.standardError.write(Data("ahub: cannot write to standard output: \(reason)\n".utf8))
            exit(1)
        }
    }

    /// Whether a file can be written at `path`: not a folder, in a folder that exists and can be written.
    static func checkWritable(_ path: String) throws {
        do { try Hub.checkWritable(path) } catch let error as HubError { throw Failure(error.message) }
    }

    static func marked(_ text: String) -> String {
        let (open, close) = styled ? ("\u{1B}[1m", "\u{1B}[0m") : ("«", "»")
        return withoutControlCharacters(text).replacingOccurrences(of: Highlight.open, with: open)
            .replacingOccurrences(of: Highlight.close, with: close)
    }

    /// Feed text on a terminal: control characters (an ESC sequence in a title) become spaces; the
    /// highlight markers stay for `marked` to turn into bold.
    static func withoutControlCharacters(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            // Controls, and the marks that reorder what follows on the line (U+202E would show a title
            // backwards from there on).
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || Hub.directionMarks.contains(scalar.value)
            let isMarker = scalar == Highlight.open.unicodeScalars.first || scalar == Highlight.close.unicodeScalars.first
            return isControl && !isMarker && scalar != "\n" ? " " : scalar
        }))
    }

    /// At most `limit` characters: cut at the last space in the second half of the limit (at the limit for
    /// a text without one there, such as Chinese) and ended with "…".
    static func clipped(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let head = text.prefix(limit - 1)
        let space = head.lastIndex(of: " ").flatMap { head.distance(from: head.startIndex, to: $0) >= limit / 2 ? $0 : nil }
        return (space.map { head[..<$0] } ?? head).trimmingCharacters(in: .whitespaces) + "…"
    }

    /// The columns a terminal gives the text: two for wide characters (Chinese, Japanese, Korean, full-width
    /// forms), none for combining marks, one for the rest.
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { sum, scalar in
            let v = scalar.value
            let category = scalar.properties.generalCategory
            // Marks, joiners and variation selectors take no column of their own.
            if category == .nonspacingMark || category == .enclosingMark || category == .format || (0xFE00...0xFE0F).contains(v) { return sum }
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F680...0x1F6FF).contains(v)
                || (0x1F900...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
            return sum + (wide ? 2 : 1)
        }
    }

    /// The text followed by spaces to `width` columns.
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - columns(text)))
    }

    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: Highlight.open, with: "").replacingOccurrences(of: Highlight.close, with: "")
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        print(String(decoding: try jsonData(value), as: UTF8.self), terminator: "")
    }

    /// JSON as the CLI prints it, with its final line break.
    static func jsonData<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value) + Data("\n".utf8)
    }
}

/// A one-line progress bar on stderr, redrawn at most ten times a second; silent when stderr is not a TTY.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    init(enabled: Bool = Terminal.stderrIsTTY) { self.enabled = enabled }

    func update(_ p: ImportProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || p.filesDone == p.filesTotal else { return }
        lastDraw = now
        let fraction = p.bytesTotal > 0 ? min(1, Double(p.bytesDone) / Double(p.bytesTotal)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %3.0f%%  %d/%d files  %d papers", bar, fraction * 100, p.filesDone, p.filesTotal, p.papers)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// A plain count: "embedding 120/5183".
    func update(label: String, done: Int, total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label) \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
