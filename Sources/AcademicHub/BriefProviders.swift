import Foundation
import HubFeeds

/// Who writes a briefing: the offline analysis, any OpenAI-compatible chat model, or the user's own program.
public enum BriefProvider: String, Sendable, Codable, CaseIterable {
    case extractive, llm, command
}

extension Hub {
    // MARK: - llm

    /// The briefing written by the chat model at `brief.url`: the prompt carries the papers (numbered title,
    /// source, category, abstract trimmed to `brief.budget` tokens) and the extractive analysis as
    /// scaffolding; the answer streams to `onText` when given. Citations are checked against the papers
    /// given. When the endpoint fails, the extractive briefing comes back with a notice saying why.
    func llmBriefing(_ scaffold: Briefing, settings: [String: String], onText: (@Sendable (String) -> Void)?) throws -> Briefing {
        guard let base = settings["brief.url"], let model = settings["brief.model"] else {
            throw HubError("llm briefings need an endpoint and a model: `ahub config set brief.url http://127.0.0.1:11434/v1` and `ahub config set brief.model NAME`")
        }
        let timeout = Setting.briefTimeout(settings)
        let budget = Setting.briefBudget(settings)
        let keyVariable = settings["brief.api-key-env"] ?? "OPENAI_API_KEY"
        let apiKey = ProcessInfo.processInfo.environment[keyVariable].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = try Setting.httpConfiguration(settings)
        // brief.timeout bounds the whole answer, retries included: a generation that timed out is not
        // started again (a paid API bills each one).
        configuration.timeout = timeout
        configuration.deadline = timeout
        configuration.politeness.defaultGap = 0
        configuration.politeness.rules = [:]
        // An answer is read as a program's is: 16 MB at most (an endless one had been stored whole).
        configuration.maxBytes = min(configuration.maxBytes, Int64(maxCommandOutput))
        let client = HTTPClient(configuration: configuration)
        let endpoint = Setting.endpoint(base, "/chat/completions")

        let messages = [["role": "system", "content": Self.systemPrompt(scaffold.language)],
                        ["role": "user", "content": Self.userPrompt(scaffold, budget: budget)]]
        let body = try JSONSerialization.data(withJSONObject: ["model": model, "messages": messages, "temperature": 0.3,
                                                               "stream": onText != nil] as [String: Any])
        var headers = [(name: "Content-Type", value: "application/json")]
        if let apiKey { headers.append((name: "Authorization", value: "Bearer " + apiKey)) }
        let events = ServerSentEvents(onText: onText)
        let failed = { (why: String) in Self.withNotice(scaffold, why: Setting.withoutKey(why, apiKey), model: model, endpoint: endpoint) }
        var observer: (@Sendable (Data) -> Void)?
        // Once the stream says [DONE] the answer is whole: the transfer stops there, not when a server that keeps
        // the connection open lets it go (a user had waited brief.timeout for an answer already written).
        let done = CancellationFlag()
        if onText != nil { observer = { @Sendable data in events.feed(data); if events.done { done.set() } } }
        let request = HTTPRequest(url: endpoint, method: "POST", headers: headers, body: body)
        // Each attempt's stream starts over: text from one that failed is not part of the answer.
        let outcome = Self.send(client, request, done, observer) { attempt in if attempt > 1 { events.restart() } }
        let response: HTTPResponse?
        switch outcome {
        case .success(let answer): response = answer
        case .failure(let error) where error.kind == .cancelled && events.done:
            response = nil
        case .failure(let error) where error.kind == .timeout && events.ended && !events.text.isEmpty:
            // The stream said it was done ([DONE]) and the server kept the connection open until the time ran
            // out: the answer is whole (it had been thrown away).
            response = nil
        case .failure(let error) where error.kind == .tooLarge && configuration.maxBytes == Int64(maxCommandOutput):
            // The cap that stopped it is the briefing's own, not http.max-bytes, which the error would name.
            return failed("the answer is longer than \(maxCommandOutput >> 20) MB, the most a briefing takes")
        case .failure(let error):
            guard case .status(let status) = error.kind else { return failed(error.description) }
            return failed("HTTP \(status) \(HTTPStatus.reason(status))" + (error.body.flatMap(RemoteEmbedder.errorMessage).map { ": " + $0 } ?? "")
                          + (error.attempts > 1 ? " (after \(error.attempts) attempts)" : ""))
        }
        if let response, !(200..<300).contains(response.status) {
            return failed("HTTP \(response.status)" + (RemoteEmbedder.errorMessage(response.body).map { ": " + $0 } ?? ""))
        }
        if let error = events.error { return failed("the endpoint broke off the answer: \(error)") }
        // A streamed answer, or a whole one (a server may ignore "stream"); bytes that are not UTF-8 read
        // as U+FFFD, as in a stream.
        var answer = events.text
        let streamed = !answer.isEmpty
        var finishReason = events.finishReason
        var completion = streamed
        let received = response?.body ?? Data()
        if answer.isEmpty, let whole = try? JSONDecoder().decode(ChatAnswer.self, from: Data(String(decoding: received, as: UTF8.self).utf8)) {
            completion = !whole.choices.isEmpty
            answer = whole.choices.first?.message?.content ?? ""
            finishReason = whole.choices.first?.finish_reason
            if !answer.isEmpty { onText?(answer) }
        }
        answer = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty else {
            if completion || events.ended { return failed("the model's answer was empty" + (finishReason.map { " (finish_reason \($0))" } ?? "")) }
            let start = String(decoding: received.prefix(120), as: UTF8.self)
            return failed("the answer is not a chat completion (it starts: \(start.isEmpty ? "nothing" : start))")
        }
        var b = scaffold
        b.provider = "llm:" + model
        b.notices = Self.noticesForWrittenBriefing(scaffold)
        if streamed, !events.ended {
            b.notices.append(scaffold.language == .zh ? "回答的数据流没有正常结束（[DONE]），内容可能不完整。"
                                                      : "The answer's stream ended without its end marker ([DONE]); it may be cut short.")
        }
        if streamed, events.unreadable > 0 {
            let n = events.unreadable
            b.notices.append(scaffold.language == .zh ? "数据流中有 \(n) 个事件无法读取，回答可能缺少其中的文字。"
                : "\(n) event\(n == 1 ? "" : "s") of the answer's stream could not be read; the answer may miss \(n == 1 ? "its" : "their") text.")
        }
        if finishReason == "length" {
            b.notices.append(scaffold.language == .zh ? "模型在其长度上限处停止（finish_reason length），回答可能不完整。"
                                                      : "The model stopped at its length limit (finish_reason length); the answer may be cut short.")
        }
        b.notices += Self.citationNotices(answer, papers: scaffold.papers.count, language: scaffold.language)
        b.openQuestions = Self.bullets(under: scaffold.language == .zh ? ["开放问题"] : ["Open questions"], in: answer)
        b.markdown = Self.answerMarkdown(b, answer: answer)
        return b
    }

    static func send(_ client: HTTPClient, _ request: HTTPRequest, _ cancel: CancellationFlag?, _ observer: (@Sendable (Data) -> Void)?,
                     onAttempt: ((Int) -> Void)? = nil) -> Result<HTTPResponse, HTTPError> {
        do {
            return .success(try client.send(request, cancel: cancel, onData: observer, onAttempt: onAttempt))
        } catch {
            return .failure(error)
        }
    }

    /// The extractive briefing, with a notice saying why the LLM's is not there.
    static func withNotice(_ scaffold: Briefing, why: String, model: String, endpoint: String) -> Briefing {
        var b = scaffold
        // Kept with the briefing, which reads show without a token: a user, password or key in the address masked.
        let (endpoint, why) = (SourceFetchReport.masked(endpoint), SourceFetchReport.masked(why))
        b.notices.append(scaffold.language == .zh
            ? "大语言模型（\(model) @ \(endpoint)）失败：\(why)。以下为离线抽取式简报。"
            : "The LLM (\(model) at \(endpoint)) failed: \(why). This is the extractive briefing.")
        b.markdown = markdown(b)
        return b
    }

    static func systemPrompt(_ language: BriefLanguage) -> String {
        switch language {
        case .en:
            return """
                You are a research analyst writing a cross-disciplinary briefing for a researcher. Use only the \
                papers given. Cite papers by their numbers in square brackets, like [3] or [2, 5]; never cite a \
                number that is not in the list. Write in English, in Markdown.
                """
        case .zh:
            return """
                你是一名研究分析师,为研究者撰写交叉领域文献分析简报。只使用所给的论文。用方括号中的编号引用论文,\
                例如 [3] 或 [2, 5];不要引用列表之外的编号。用简体中文撰写 Markdown,论文标题保持原文。
                """
        }
    }

    /// The papers, numbered, with abstracts trimmed so the whole stays near `budget` tokens, then the
    /// extractive analysis, then what to write.
    static func userPrompt(_ b: Briefing, budget: Int) -> String {
        let zh = b.language == .zh
        let perPaper = max(60, budget / max(b.papers.count, 1))
        var lines: [String] = [zh ? "论文:" : "Papers:", ""]
        for p in b.papers {
            lines.append("[\(p.number)] \(p.title)")
            lines.append(([p.source] + p.categories.prefix(2) + [p.date].compactMap { $0 }).joined(separator: " · "))
            lines.append((zh ? "摘要:" : "Abstract: ") + trimmed(p.abstract, tokens: perPaper))
            lines.append("")
        }
        lines.append(zh ? "初步分析(聚类得出,可改进):" : "A first analysis (by clustering; improve on it):")
        for theme in b.themes {
            lines.append("- " + (zh ? "主题" : "Theme") + " \(theme.number) \"\(theme.label)\": " + theme.papers.map { "[\($0)]" }.joined(separator: " "))
        }
        for bridge in b.bridges {
            lines.append("- " + (zh ? "桥梁 " : "Bridge ") + bridge.papers.map { "[\($0)]" }.joined(separator: " ")
                         + " (\(bridge.fields.joined(separator: " / "))): " + bridge.terms.joined(separator: ", "))
        }
        lines.append("")
        lines.append(zh
            ? "请用以下小节写简报:## 主题(每个主题一个简短标签,并引用其论文);## 跨领域桥梁(来自不同来源或类别、在方法或问题上相遇的论文,以及连接它们的是什么);## 优先阅读(以及原因);## 开放问题。"
            : "Write the briefing with these sections: ## Themes (each with a short label and its papers cited); ## Bridges across fields (papers from different sources or categories that meet on a method or a problem, and what connects them); ## Read first (and why); ## Open questions.")
        return lines.joined(separator: "\n")
    }

    /// The text cut to about `tokens` tokens (a CJK character counts one, other text four characters one).
    static func trimmed(_ text: String, tokens: Int) -> String {
        var cost = 0.0, end = text.startIndex
        for index in text.indices {
            cost += text[index].unicodeScalars.first.map { $0.value > 0x2E80 ? 1 : 0.25 } ?? 0.25
            if cost > Double(tokens) { return String(text[..<index]).trimmingCharacters(in: .whitespaces) + "…" }
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// Notices for citations of papers that were not given.
    static func citationNotices(_ answer: String, papers: Int, language: BriefLanguage) -> [String] {
        let unknown = citedNumbers(answer).filter { $0 < 1 || $0 > papers }
        guard !unknown.isEmpty else { return [] }
        let list = unknown.map { "[\($0)]" }.joined(separator: ", ")
        return [language == .zh ? "回答引用了 \(list)，不在所给的 \(papers) 篇论文之中。" : "The answer cites \(list), not among the \(papersCount(papers)) given."]
    }

    /// Every number cited as [n], [n, m] or [n–m], sorted, once each; also as Chinese models write them
    /// (`【n】`, `[3；5]`) and with spaces or the word inside (`[ 8 ]`, `[Paper 5]`, `[论文 5]`).
    static func citedNumbers(_ text: String) -> [Int] {
        var numbers = Set<Int>()
        let number = #"(?:(?:[Pp]apers?|论文)\s*)?[0-9]+"#
        let pattern = try! NSRegularExpression(pattern: #"[\[【]\s*("# + number + #"(?:\s*[,，;；、–-]\s*"# + number + #")*)\s*[\]】]"#)
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let inside = String(text[Range(match.range(at: 1), in: text)!])
            for part in inside.split(whereSeparator: { ",，;；、".contains($0) }) {
                let bounds = part.split(whereSeparator: { "–-".contains($0) })
                    .compactMap { Int($0.trimmingCharacters(in: .whitespaces).drop { !$0.isASCII || !$0.isNumber }) }
                if bounds.count == 2, bounds[0] <= bounds[1], bounds[1] - bounds[0] < 100 { numbers.formUnion(bounds[0]...bounds[1]) }
                else { numbers.formUnion(bounds) }
            }
        }
        return numbers.sorted()
    }

    /// The bullet items under a `##` heading whose text starts with one of `headings`.
    static func bullets(under headings: [String], in markdown: String) -> [String] {
        var inside = false, items: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                let title = trimmed.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                inside = headings.contains { title.lowercased().hasPrefix($0.lowercased()) }
            } else if inside, let first = trimmed.first, "-*".contains(first) {
                items.append(trimmed.dropFirst().trimmingCharacters(in: .whitespaces))
            }
        }
        return items
    }

    /// A written answer with the briefing's header, its notices and the numbered list of papers it cites.
    static func answerMarkdown(_ b: Briefing, answer: String) -> String {
        let zh = b.language == .zh
        var out = [zh ? "# 交叉领域文献简报" : "# Cross-disciplinary briefing", "",
                   zh ? "\(b.papers.count) 篇论文 · \(b.input) · \(b.provider) · \(shownTime(b.createdAt))"
                      : "\(papersCount(b.papers.count)) · \(b.input) · \(b.provider) · \(shownTime(b.createdAt))"]
        for notice in b.notices { out += ["", "> " + notice] }
        out += ["", answer, "", zh ? "## 论文" : "## Papers", ""]
        for p in b.papers { out.append("- [\(p.number)] \(p.title) (`\(p.key)`, \(([p.source] + p.categories.prefix(1)).joined(separator: " · ")))") }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - command

    /// The briefing written by the user's program (`brief.command`, run by /bin/sh): it reads the extractive
    /// briefing as JSON on stdin (papers with their abstracts, themes, bridges, language) and writes Markdown
    /// on stdout, within `brief.timeout` seconds.
    func commandBriefing(_ scaffold: Briefing, settings: [String: String]) throws -> Briefing {
        guard let command = settings["brief.command"], !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HubError("command briefings need a program: `ahub config set brief.command \"llm -m my-model\"` (or a script)")
        }
        let timeout = Setting.briefTimeout(settings)
        let input = try JSONEncoder().encode(scaffold)
        let (status, output, errors) = try Self.run(command, input: input, timeout: timeout)
        guard status == 0 else {
            let tail = errors.split(separator: "\n").suffix(5).joined(separator: "\n")
            // 128 + n is how a shell reports a program killed by signal n (137: SIGKILL, often the kernel out of memory).
            let signalled = (129...159).contains(status) ? strsignal(status - 128).map { " (killed by signal \(status - 128): \(String(cString: $0)))" } ?? "" : ""
            throw HubError("brief.command exited with status \(status)" + signalled + (tail.isEmpty ? "" : ":\n" + tail), upstream: true)
        }
        let answer = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty else { throw HubError("brief.command wrote nothing on stdout", upstream: true) }
        var b = scaffold
        b.provider = "command"
        b.notices = Self.noticesForWrittenBriefing(scaffold)
        b.notices += Self.citationNotices(answer, papers: scaffold.papers.count, language: scaffold.language)
        b.openQuestions = Self.bullets(under: scaffold.language == .zh ? ["开放问题"] : ["Open questions"], in: answer)
        b.markdown = answer + "\n"
        if !b.notices.isEmpty { b.markdown += "\n" + b.notices.map { "> " + $0 }.joined(separator: "\n") + "\n" }
        return b
    }

    /// Runs a shell command with `input` on stdin; its exit status, stdout and stderr. It runs in a process
    /// group of its own, so past `timeout` seconds the whole group (the shell and what it started) is
    /// stopped, SIGTERM then SIGKILL, and an error says so.
    static func run(_ command: String, input: Data, timeout: TimeInterval) throws -> (Int32, String, String) {
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw HubError("brief.command: cannot make pipes (\(String(cString: strerror(errno))))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        for fd in stdinPipe + stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Signals ahub ignores (SIGPIPE, and SIGINT and SIGTERM while it traps them) are the program's to have:
        // left ignored, the group's SIGTERM at a timeout or an interrupt would not reach it.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard spawned == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw HubError("brief.command could not start: \(String(cString: strerror(spawned)))", upstream: true)
        }
        BriefCommands.running.insert(pid)
        defer { BriefCommands.running.remove(pid) }
        // Write the input and read both outputs at once, so no pipe fills up and blocks the program. Past
        // `maxCommandOutput` bytes the program's group is stopped.
        let collected = OutputCollector()
        let group = DispatchGroup()
        let leader = pid
        // Each blocking read, write and wait on a thread of its own: on Dispatch's pool, with two cores, the two
        // readers took its threads and the input's writer waited about a second for another (a command that reads
        // its input, the usual kind, took a second longer than one that does not).
        for (fd, isError) in [(stdoutPipe[0], false), (stderrPipe[0], true)] {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    if !collected.append(chunk, error: isError, cap: maxCommandOutput) {
                        kill(-leader, SIGKILL)
                        break
                    }
                }
            }
        }
        let inputFD = stdinPipe[1], child = pid
        Thread.detachNewThread {
            signal(SIGPIPE, SIG_IGN)  // a program that does not read its input must not kill us
            let writer = FileHandle(fileDescriptor: inputFD, closeOnDealloc: true)
            try? writer.write(contentsOf: input)
            try? writer.close()
        }
        let exited = DispatchSemaphore(value: 0)
        let status = OutputCollector()
        Thread.detachNewThread {
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
            status.status = raw
            exited.signal()
        }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(-pid, SIGTERM)
            if exited.wait(timeout: .now() + 2) == .timedOut {
                kill(-pid, SIGKILL)
                exited.wait()
            }
            _ = group.wait(timeout: .now() + 2)
            throw HubError("brief.command took longer than \(Int(timeout)) s (brief.timeout) and was stopped", upstream: true)
        }
        // The shell is gone; what it left running in the background (`sleep 30 &`) may still hold the
        // outputs open. It gets a second, then the group is stopped and what was written is read.
        if group.wait(timeout: .now() + 1) == .timedOut {
            kill(-pid, SIGTERM)
            if group.wait(timeout: .now() + 2) == .timedOut { kill(-pid, SIGKILL); _ = group.wait(timeout: .now() + 2) }
        }
        if collected.overflowed {
            throw HubError("brief.command wrote more than \(maxCommandOutput >> 20) MB and was stopped", upstream: true)
        }
        let (out, err) = collected.values
        let raw = status.status
        let code: Int32 = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        return (code, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// The brief.commands running now, by process group. Each runs in a group of its own, so that a timeout stops
/// all it started; a terminal's Ctrl-C does not reach that group, so an interrupted `ahub brief` stops them.
public enum BriefCommands {
    static let running = ProcessGroups()

    /// Sends SIGTERM to every running command's group, as an interrupt of ahub itself would have reached them
    /// had they shared its group. (ahub exits right after: waiting would let the command's exit be reported as
    /// its failure.)
    public static func terminateAll() {
        for group in running.all { kill(-group, SIGTERM) }
    }
}

final class ProcessGroups: @unchecked Sendable {
    private let lock = NSLock()
    private var groups = Set<pid_t>()
    func insert(_ group: pid_t) { _ = lock.withLock { groups.insert(group) } }
    func remove(_ group: pid_t) { _ = lock.withLock { groups.remove(group) } }
    var all: [pid_t] { lock.withLock { Array(groups) } }
}

/// The most a brief.command may write, stdout and stderr each: a briefing is pages, not hundreds of MB.
let maxCommandOutput = 16 << 20

/// A program's stdout and stderr, gathered by two readers.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()
    private var raw: Int32 = 0
    private var over = false
    /// The wait status.
    var status: Int32 {
        get { lock.withLock { raw } }
        set { lock.withLock { raw = newValue } }
    }
    /// Adds what a reader read; false once either output passes `cap` bytes.
    func append(_ data: Data, error: Bool, cap: Int) -> Bool {
        lock.withLock {
            if error { err += data } else { out += data }
            if out.count > cap || err.count > cap { over = true }
            return !over
        }
    }
    var overflowed: Bool { lock.withLock { over } }
    var values: (Data, Data) { lock.withLock { (out, err) } }
}

/// A chat completion, whole.
struct ChatAnswer: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable { var content: String? }
        var message: Message?
        var finish_reason: String?
    }
    var choices: [Choice]
}

/// Server-sent events of a streamed chat completion: `data: {…"delta":{"content":"…"}…}` lines, fed as
/// bytes arrive (a line may span pieces), each piece of text passed on at once.
final class ServerSentEvents: @unchecked Sendable {
    private struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var finish_reason: String?
        }
        var choices: [Choice]
    }

    private struct ErrorEvent: Decodable {
        struct Body: Decodable { var message: String? }
        var error: Body
    }

    private let lock = NSLock()
    private var pending = Data()
    private var collected = ""
    private var sawEnd = false
    private var sawDone = false
    private var finish: String?
    private var errorMessage: String?
    private var skipped = 0
    private let onText: (@Sendable (String) -> Void)?

    init(onText: (@Sendable (String) -> Void)?) { self.onText = onText }

    var text: String { lock.withLock { collected } }
    /// Whether the stream said it was done: `[DONE]`, or a choice with a `finish_reason`.
    var ended: Bool { lock.withLock { sawEnd } }
    /// Whether the stream said `[DONE]`, its last word.
    var done: Bool { lock.withLock { sawDone } }
    /// The stream's `finish_reason` (`stop`, `length`, …), when it gave one.
    var finishReason: String? { lock.withLock { finish } }
    /// Events whose data is neither a chunk, an error nor `[DONE]` (broken JSON): their text, if any, is lost.
    var unreadable: Int { lock.withLock { skipped } }
    /// The message of an error event the endpoint sent inside the stream.
    var error: String? { lock.withLock { errorMessage } }

    /// Forgets what came so far, for a new attempt; a reader who saw part of the failed one is told.
    func restart() {
        let shown = lock.withLock {
            defer { pending = Data(); collected = ""; sawEnd = false; sawDone = false; finish = nil; errorMessage = nil; skipped = 0 }
            return !collected.isEmpty
        }
        if shown { onText?("\n\n[the connection broke; the answer starts again]\n\n") }
    }

    func feed(_ data: Data) {
        var pieces: [String] = []
        lock.withLock {
            pending.append(data)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                pending.removeSubrange(pending.startIndex...newline)
                guard line.hasPrefix("data:") else { continue }
                let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                if payload == "[DONE]" { sawEnd = true; sawDone = true; continue }
                if let event = try? JSONDecoder().decode(ErrorEvent.self, from: Data(payload.utf8)) {
                    errorMessage = errorMessage ?? event.error.message ?? "an error event"
                    continue
                }
                guard let chunk = try? JSONDecoder().decode(Chunk.self, from: Data(payload.utf8)) else {
                    if !payload.isEmpty { skipped += 1 }
                    continue
                }
                if let reason = chunk.choices.first?.finish_reason { sawEnd = true; finish = reason }
                guard let piece = chunk.choices.first?.delta?.content, !piece.isEmpty else { continue }
                collected += piece
                pieces.append(piece)
            }
        }
        for piece in pieces { onText?(piece) }
    }
}
