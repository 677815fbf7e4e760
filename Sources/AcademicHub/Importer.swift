import Foundation
import HubCore
import HubFeeds
import HubStore

/// What an import did.
public struct ImportReport: Sendable, Codable {
    public struct FileRejection: Sendable, Hashable, Codable {
        public var file: String
        public var location: String
        public var reason: String
    }

    public var files = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected: [FileRejection] = []
    /// Files that hold no format we read (with why), left untouched.
    public var skipped: [FileRejection] = []
    /// New papers without a date (none given, or none that could be read): date windows leave them out.
    public var undated = 0
    /// Records (counted as unchanged) under a key a paper of another title already holds: the stored paper is
    /// kept and the record's text not taken. The first 20, "KEY: \"record's title\" (kept \"stored title\")".
    public var keptStored: [String] = []
    public var keptStoredCount = 0

    public init() {}

    public var papers: Int { new + updated + unchanged }

    /// How a kept-stored record is named to the user: `KEY: "record's title" (kept "stored title")`.
    static func keptStoredLine(_ paper: Paper, kept title: String) -> String {
        "\(paper.key.rawValue): \(Hub.quoted(String(paper.title.prefix(80)))) (kept \(Hub.quoted(String(title.prefix(80)))))"
    }
}

/// How far an import has got, for a progress bar.
public struct ImportProgress: Sendable {
    public var file: String
    public var filesDone: Int
    public var filesTotal: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var papers: Int
}

extension Hub {
    /// Papers go to the store in batches this large, one transaction each: big enough that commits don't
    /// dominate, small enough that a kill loses little. `AHUB_IMPORT_BATCH` overrides it.
    static let importBatch: Int = {
        let value = ProcessInfo.processInfo.environment["AHUB_IMPORT_BATCH"].flatMap { Int($0) }
        return max(1, value ?? 2_000)
    }()

    /// Imports every paper in the files and folders given (folders recursively, hidden files skipped).
    /// Formats are detected from content. Bad entries are rejected one by one; the rest go in.
    public func importFiles(_ paths: [String], progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> ImportReport {
        var report = ImportReport()
        let files = try Self.expand(paths)
        let bytesTotal = files.reduce(Int64(0)) { $0 + $1.size }
        var bytesDone: Int64 = 0
        for (index, file) in files.enumerated() {
            report.files += 1
            if file.unreadableName {
                report.skipped.append(.init(file: file.path, location: "file", reason: Self.notUTF8Name))
                continue
            }
            let data: Data
            var info = stat()
            guard stat(file.path, &info) != 0 || info.st_mode & S_IFMT == S_IFREG else {
                // A FIFO or a device would block the import or read forever.
                report.skipped.append(.init(file: file.path, location: "file", reason: "not a regular file (a pipe, a device or a socket)"))
                continue
            }
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file.path), options: .mappedIfSafe)
            } catch {
                let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
                let reason = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
                report.skipped.append(.init(file: file.path, location: "file", reason: "cannot read: \(reason ?? error.localizedDescription)"))
                continue
            }
            guard let format = FeedParser.detect(data) else {
                report.skipped.append(.init(file: file.path, location: "file", reason: "not a feed format ahub reads"
                    + (Self.isReferenceList(data) ? " (a BibTeX or RIS list of references seeds a radar: `ahub radar create NAME --seed-file FILE`)" : "")
                    + "; it begins: \(FeedParser.preview(data))"))
                bytesDone += file.size
                continue
            }
            if format == .beirCorpus, Self.isBEIRQueries(data, name: (file.path as NSString).lastPathComponent) {
                report.skipped.append(.init(file: file.path, location: "file",
                                            reason: "a BEIR queries file (_id and text, no title): not papers; `ahub eval --collection` reads it beside its corpus.jsonl"))
                bytesDone += file.size
                continue
            }
            let parsed: ParsedFeed
            do {
                parsed = try FeedParser.parse(data, origin: file.path)
            } catch {
                report.rejected.append(.init(file: file.path, location: "file", reason: "\(error)"))
                bytesDone += file.size
                continue
            }
            for rejection in parsed.rejections {
                report.rejected.append(.init(file: file.path, location: rejection.location, reason: rejection.reason))
            }
            try store(parsed.papers, into: &report) { done, papers in
                progress?(ImportProgress(
                    file: file.path, filesDone: index, filesTotal: files.count,
                    bytesDone: bytesDone + Int64(Double(file.size) * Double(done) / Double(max(parsed.papers.count, 1))),
                    bytesTotal: bytesTotal, papers: papers))
            }
            bytesDone += file.size
            progress?(ImportProgress(
                file: file.path, filesDone: index + 1, filesTotal: files.count, bytesDone: bytesDone,
                bytesTotal: bytesTotal, papers: report.papers))
        }
        return report
    }

    /// Stores parsed papers in batches, counting outcomes.
    func store(_ papers: [Paper], into report: inout ImportReport, batchDone: (_ done: Int, _ papersSoFar: Int) -> Void = { _, _ in }) throws {
        var start = 0
        while start < papers.count {
            let end = min(start + Self.importBatch, papers.count)
            let batch = papers[start..<end]
            for (paper, outcome) in zip(batch, try store.upsert(Array(batch))) {
                switch outcome {
                case .new:
                    report.new += 1
                    if paper.published == nil && paper.updated == nil { report.undated += 1 }
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .keptStored(let title):
                    report.unchanged += 1
                    report.keptStoredCount += 1
                    if report.keptStored.count < 20 {
                        report.keptStored.append(ImportReport.keptStoredLine(paper, kept: title))
                    }
                }
            }
            start = end
            batchDone(start, report.papers)
        }
    }

    /// A file to read; `unreadableName` when its name is not UTF-8 (Foundation hands it back with U+FFFD,
    /// a name no call can open).
    struct ImportFile { var path: String; var size: Int64; var unreadableName = false }

    /// What to say of a path that holds bytes that are not UTF-8 (a file from an old archive, another locale).
    public static let notUTF8Name = "its name holds bytes that are not UTF-8 (shown as \u{FFFD}), which ahub cannot open: rename the file"

    /// A BEIR collection's queries (`queries.jsonl`: `_id` and `text`, no `title`), which read as untitled
    /// documents: named `queries…` and its first record without a title field.
    static func isBEIRQueries(_ data: Data, name: String) -> Bool {
        guard name.lowercased().hasPrefix("queries") else { return false }
        let firstLine = data.prefix(64 * 1024).split(separator: 0x0A, maxSplits: 1).first ?? Data()
        guard let object = (try? JSONSerialization.jsonObject(with: Data(firstLine))) as? [String: Any] else { return false }
        return object["_id"] != nil && object["title"] == nil
    }

    /// Files under the given paths, in a stable order.
    static func expand(_ paths: [String]) throws -> [ImportFile] {
        let manager = FileManager.default
        var files: [ImportFile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw HubError("no such file or folder: \(path)" + (path.contains("\u{FFFD}") ? "; " + notUTF8Name : ""))
            }
            if !isDirectory.boolValue {
                files.append(ImportFile(path: path, size: fileSize(path)))
                continue
            }
            // A folder named through a link is read (the walk itself follows no link to a folder: no loops).
            let root = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard let walker = manager.enumerator(atPath: root) else { continue }
            var found: [String] = [], unreadable: [String] = []
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") { walker.skipDescendants(); continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var sub: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &sub) {
                    if !sub.boolValue { found.append(full) }
                } else if name.contains("\u{FFFD}") {
                    unreadable.append(full)
                }
            }
            files += found.sorted().map { ImportFile(path: $0, size: fileSize($0)) }
                + unreadable.sorted().map { ImportFile(path: $0, size: 0, unreadableName: true) }
        }
        // A file named twice (on its own and in its folder, or by two spellings of its path) is read once.
        var seen = Set<String>()
        return files.filter { seen.insert(URL(fileURLWithPath: $0.path).resolvingSymlinksInPath().standardizedFileURL.path).inserted }
    }

    /// BibTeX or RIS, as a reference manager exports them, told as `--seed-file` tells them.
    static func isReferenceList(_ data: Data) -> Bool {
        let head = String(decoding: FeedParser.utf8(Data(data.prefix(4_096))), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return SeedFile.isRIS(head) || SeedFile.isBibTeX(head)
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// A user-facing failure: the message says what happened and what to do.
public struct HubError: Error, CustomStringConvertible {
    public var message: String
    /// The failure is another program's (the user's brief.command), not the request's.
    public var upstream = false
    /// Another process holds what this needs (a fetch under way): try again later.
    public var busy = false
    public init(_ message: String, upstream: Bool = false, busy: Bool = false) {
        self.message = message
        self.upstream = upstream
        self.busy = busy
    }
    public var description: String { message }

    /// What is wrong with a JSON document, and where: the field's path (`"name" is missing in the top
    /// level`), not Foundation's generic sentence nor the decoder's internals.
    public static func describing(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "\"\(key.stringValue)\" is missing in \(path(context.codingPath))"
        case .typeMismatch(let type, let context):
            let name = "\(type)"
            let kind = name.hasPrefix("Array") ? "a list" : name.hasPrefix("Dictionary") ? "an object" : name == "String" ? "a string"
                : name == "Bool" ? "true or false" : ["Int", "Double", "Float", "Int64"].contains(name) ? "a number" : name
            return "\(path(context.codingPath)) should be \(kind)"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        case .dataCorrupted(let context):
            let cause = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return context.codingPath.isEmpty ? "not valid JSON" + (cause.map { " (\($0))" } ?? "")
                : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
