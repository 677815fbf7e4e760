import Foundation
import LoopbackServer
import Testing
@testable import AcademicHub

/// A small OpenAI-compatible chat completions server on 127.0.0.1, written for these tests: it answers with
/// a briefing citing the papers it was given (found in the prompt as "[n] "), whole or as server-sent events.
final class ChatServer: Sendable {
    enum Behaviour: Sendable {
        case answer
        case tooManyRequestsOnce
        case stall
        case malformed
        case citesUnknown
        /// 503 once, its JSON body without a final newline (as real gateways send it).
        case unavailableOnce
        /// The first stream cut halfway (a length announced, fewer bytes sent), the next whole.
        case cutOnce
        /// One piece of the stream, then an error event, and no end.
        case errorMidStream
        /// The whole stream but no `[DONE]` and no finish_reason.
        case noEnd
        /// 500 with the endpoint's own message, every time.
        case serverError
        /// The whole stream, ended by a chunk with finish_reason "length" (the model's token limit).
        case lengthLimit
        /// A chat completion whose message is empty.
        case empty
        /// The whole stream with `[DONE]`, and the connection held open after it.
        case doneButOpen
        /// The whole stream, its third event broken JSON.
        case brokenEvent
        /// 401 quoting the request's Authorization header back, as some gateways do.
        case echoesKey
    }

    static let key = "sk-chat-test-91c2"
    let behaviour = Shared(Behaviour.answer)
    let requests = Shared<[[String: Any]]>([])
    let server: LoopbackServer
    var baseURL: String { server.baseURL + "/v1" }

    init() throws {
        let (behaviour, requests) = (behaviour, requests)
        server = try LoopbackServer { request in
            guard request.method == "POST", request.path == "/v1/chat/completions" else {
                return .respond(status: 404, headers: [], body: Data(#"{"error":{"message":"not found"}}"#.utf8))
            }
            if behaviour.value == .echoesKey {
                // As sent, upper-cased, and percent-encoded.
                let sent = request.headers["authorization"] ?? ""
                let message = "Bad key: \(sent) / \(sent.uppercased()) / \(sent.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                let quoted = try! JSONSerialization.data(withJSONObject: ["error": ["message": message]])
                return .respond(status: 401, headers: [], body: quoted)
            }
            guard request.headers["authorization"] == "Bearer \(Self.key)" else {
                return .respond(status: 401, headers: [], body: Data(#"{"error":{"message":"Incorrect API key provided"}}"#.utf8))
            }
            let object = (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]) ?? [:]
            requests.value.append(object)
            switch behaviour.value {
            case .stall: return .stall
            case .malformed:
                return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Data("<html>gateway</html>".utf8))
            case .tooManyRequestsOnce:
                behaviour.value = .answer
                return .respond(status: 429, headers: [("Retry-After", "0")], body: Data(#"{"error":{"message":"rate limited"}}"#.utf8))
            case .unavailableOnce:
                behaviour.value = .answer
                return .respond(status: 503, headers: [("Retry-After", "0")], body: Data(#"{"error":{"message":"overloaded"}}"#.utf8))
            case .serverError:
                return .respond(status: 500, headers: [], body: Data(#"{"error":{"message":"internal model failure"}}"#.utf8))
            case .empty:
                let answer: [String: Any] = ["object": "chat.completion", "choices": [["index": 0, "message": ["role": "assistant", "content": ""], "finish_reason": "stop"]]]
                return .respond(status: 200, headers: [("Content-Type", "application/json")], body: try! JSONSerialization.data(withJSONObject: answer))
            case .answer, .citesUnknown, .cutOnce, .errorMidStream, .noEnd, .lengthLimit, .doneButOpen, .brokenEvent, .echoesKey:
                break
            }
            let messages = object["messages"] as? [[String: String]] ?? []
            let prompt = messages.last?["content"] ?? ""
            let numbers = prompt.split(separator: "\n").compactMap { line -> Int? in
                guard line.hasPrefix("["), let end = line.firstIndex(of: "]") else { return nil }
                return Int(line[line.index(after: line.startIndex)..<end])
            }
            var text = "## Themes\n\n- Models of language: " + numbers.map { "[\($0)]" }.joined(separator: ", ")
                + "\n\n## Bridges across fields\n\n- [1] and [2] meet on training.\n\n## Read first\n\n- [1]: central.\n\n"
                + "## Open questions\n\n- Does it scale?\n- What does it cost?\n"
            if behaviour.value == .citesUnknown { text += "\nSee also [99].\n" }
            if object["stream"] as? Bool == true {
                // Pieces of a few characters each, one event per piece, as a server streams them.
                var events = ""
                var rest = Substring(text)
                while !rest.isEmpty {
                    let piece = String(rest.prefix(7))
                    rest = rest.dropFirst(7)
                    let chunk: [String: Any] = ["object": "chat.completion.chunk", "choices": [["index": 0, "delta": ["content": piece]]]]
                    events += "data: " + String(decoding: try! JSONSerialization.data(withJSONObject: chunk), as: UTF8.self) + "\n\n"
                    if behaviour.value == .brokenEvent, events.components(separatedBy: "data: ").count == 3 { events += "data: {not json\n\n" }
                    if behaviour.value == .errorMidStream {
                        events += #"data: {"error":{"message":"context length exceeded"}}"# + "\n\n"
                        break
                    }
                }
                if behaviour.value == .lengthLimit {
                    let last: [String: Any] = ["object": "chat.completion.chunk", "choices": [["index": 0, "delta": [String: String](), "finish_reason": "length"]]]
                    events += "data: " + String(decoding: try! JSONSerialization.data(withJSONObject: last), as: UTF8.self) + "\n\n"
                }
                if behaviour.value != .noEnd && behaviour.value != .errorMidStream { events += "data: [DONE]\n\n" }
                let headers = [("Content-Type", "text/event-stream")]
                if behaviour.value == .doneButOpen { return .sendAndHold(status: 200, headers: headers, body: Data(events.utf8)) }
                if behaviour.value == .cutOnce {
                    behaviour.value = .answer
                    return .cut(status: 200, headers: headers, body: Data(events.utf8.prefix(events.utf8.count / 2)), declaredLength: events.utf8.count)
                }
                return .respond(status: 200, headers: headers, body: Data(events.utf8))
            }
            let answer: [String: Any] = ["object": "chat.completion", "model": object["model"] ?? "",
                                         "choices": [["index": 0, "message": ["role": "assistant", "content": text],
                                                      "finish_reason": behaviour.value == .lengthLimit ? "length" : "stop"]]]
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: try! JSONSerialization.data(withJSONObject: answer))
        }
    }
}

@Suite(.serialized) struct BriefProviderTests {
    static let keyVariable = "AHUB_TEST_CHAT_KEY"
    init() { setenv(Self.keyVariable, ChatServer.key, 1) }

    /// The seed papers imported and embedded once; each test gets its own copy.
    static let template: Result<ScratchHub, Error> = Result {
        let scratch = try ScratchHub()
        _ = try scratch.hub.importFiles([fixture("seed-papers.jsonl")])
        _ = try scratch.hub.embedMissing()
        return scratch
    }

    func library(_ server: ChatServer? = nil) throws -> ScratchHub {
        let scratch = try ScratchHub.copy(of: try Self.template.get())
        if let server {
            try scratch.hub.setSetting("brief.url", server.baseURL)
            try scratch.hub.setSetting("brief.model", "test-model")
            try scratch.hub.setSetting("brief.api-key-env", Self.keyVariable)
            try scratch.hub.setSetting("http.backoff", "0.1")
        }
        return scratch
    }

    @Test func theLLMGetsTheNumberedPapersAndTheAnalysis() throws {
        let server = try ChatServer()
        let scratch = try library(server)
        let briefing = try scratch.hub.brief(.query("language models"), language: .en, limit: 8, provider: .llm)
        #expect(briefing.provider == "llm:test-model")
        let request = try #require(server.requests.value.last)
        #expect(request["model"] as? String == "test-model")
        #expect(request["stream"] as? Bool == false)
        let messages = try #require(request["messages"] as? [[String: String]])
        #expect(messages.map { $0["role"] } == ["system", "user"])
        let prompt = try #require(messages.last?["content"])
        for paper in briefing.papers { #expect(prompt.contains("[\(paper.number)] \(paper.title)")) }
        #expect(prompt.contains("Theme 1") && prompt.contains("## Open questions"))
        #expect(briefing.markdown.contains("## Themes") && briefing.markdown.contains("## Papers"))
        #expect(briefing.openQuestions == ["Does it scale?", "What does it cost?"])
        #expect(briefing.notices.isEmpty, "\(briefing.notices)")
        // Stored like any other.
        #expect(try scratch.hub.briefing(id: try #require(briefing.id)).provider == "llm:test-model")
    }

    @Test func aStreamedAnswerArrivesPieceByPiece() throws {
        let server = try ChatServer()
        let scratch = try library(server)
        let pieces = Shared<[String]>([])
        let briefing = try scratch.hub.brief(.query("language models"), language: .zh, limit: 5, provider: .llm,
                                             onText: { pieces.value.append($0) })
        #expect(server.requests.value.last?["stream"] as? Bool == true)
        #expect(pieces.value.count > 10)
        #expect(briefing.markdown.contains(pieces.value.joined().trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(briefing.markdown.hasPrefix("# 交叉领域文献简报"))
        let system = (server.requests.value.last?["messages"] as? [[String: String]])?.first?["content"] ?? ""
        #expect(system.contains("简体中文"))
    }

    @Test func a429IsRetriedThenAnswered() throws {
        let server = try ChatServer()
        server.behaviour.value = .tooManyRequestsOnce
        let scratch = try library(server)
        let briefing = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(briefing.provider == "llm:test-model")
        #expect(server.requests.value.count == 2)
    }

    /// What a failed attempt streamed is not part of the answer: a 503's body (no final newline) did not
    /// swallow the retry's first piece, and a stream cut halfway is not kept in front of the whole one.
    @Test(arguments: [ChatServer.Behaviour.unavailableOnce, .cutOnce])
    func aRetriedStreamKeepsOnlyTheAnswerThatCameWhole(_ behaviour: ChatServer.Behaviour) throws {
        let whole = try ChatServer()
        let wholeBriefing = try library(whole).hub.brief(.query("language models"), limit: 5, provider: .llm, onText: { _ in })
        let server = try ChatServer()
        server.behaviour.value = behaviour
        let pieces = Shared<[String]>([])
        let briefing = try library(server).hub.brief(.query("language models"), limit: 5, provider: .llm,
                                                     onText: { pieces.value.append($0) })
        #expect(server.requests.value.count == 2)
        #expect(briefing.provider == "llm:test-model" && briefing.notices.isEmpty, "\(briefing.notices)")
        let answer = { (b: Briefing) in b.markdown.components(separatedBy: "\n\n## Papers")[0].components(separatedBy: "\n\n").dropFirst(2).joined(separator: "\n\n") }
        #expect(answer(briefing) == answer(wholeBriefing))
        #expect(answer(briefing).hasPrefix("## Themes"))
        if behaviour == .cutOnce { #expect(pieces.value.contains { $0.contains("the answer starts again") }) }
    }

    /// An error event inside the stream is the endpoint failing (the extractive briefing, with its message);
    /// a stream with no end marker is kept with a notice that it may be cut short.
    @Test func aStreamThatBreaksOffIsNotTakenForWhole() throws {
        let server = try ChatServer()
        server.behaviour.value = .errorMidStream
        let scratch = try library(server)
        let broken = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm, onText: { _ in })
        #expect(broken.provider == "extractive")
        #expect(broken.notices.contains { $0.contains("broke off the answer: context length exceeded") }, "\(broken.notices)")
        server.behaviour.value = .noEnd
        let endless = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm, onText: { _ in })
        #expect(endless.provider == "llm:test-model")
        #expect(endless.notices.contains { $0.contains("without its end marker") }, "\(endless.notices)")
        // A stream that said it was done, its connection held open after, is a whole answer (it had been thrown away
        // as timed out), and it is taken at [DONE], not when brief.timeout runs out (a user had waited 3 minutes).
        try scratch.hub.setSetting("brief.timeout", "120")
        server.behaviour.value = .doneButOpen
        let asked = Date()
        let held = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm, onText: { _ in })
        #expect(Date().timeIntervalSince(asked) < 60, "taken at [DONE], not at the 120 s timeout")
        #expect(held.provider == "llm:test-model" && held.notices.isEmpty && held.markdown.contains("## Open questions"), "\(held.notices)")
        // An event of broken JSON loses its text: said (it had been dropped without a word).
        server.behaviour.value = .brokenEvent
        let damaged = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm, onText: { _ in })
        #expect(damaged.provider == "llm:test-model")
        #expect(damaged.notices == ["1 event of the answer's stream could not be read; the answer may miss its text."], "\(damaged.notices)")
    }

    /// brief.timeout bounds the whole answer: a generation that timed out is not started again, and a 500's
    /// own message reaches the notice (with the endpoint named once).
    @Test func theTimeoutBoundsTheWholeAnswerAndA500SaysWhy() throws {
        let server = try ChatServer()
        let scratch = try library(server)
        try scratch.hub.setSetting("brief.timeout", "2")
        server.behaviour.value = .stall
        let started = Date()
        let stalled = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(Date().timeIntervalSince(started) < 6, "one attempt of 2 s, not four")
        #expect(server.requests.value.count == 1)
        #expect(stalled.notices.contains { $0.contains("timed out") }, "\(stalled.notices)")
        server.behaviour.value = .serverError
        let failing = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        let notice = try #require(failing.notices.first)
        #expect(notice.contains("HTTP 500 Internal Server Error: internal model failure"), "\(notice)")
        #expect(notice.components(separatedBy: "/chat/completions").count == 2, "the endpoint named once: \(notice)")
        // A user and password or a key in the address are masked in the notice, which a briefing keeps and the API
        // shows to anyone; the call's path goes before the address's query string (it had gone after it).
        try scratch.hub.setSetting("brief.url", server.server.baseURL.replacingOccurrences(of: "http://", with: "http://bob:hunter2@") + "/v1?api-key=QSECRET")
        let masked = try #require(try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm).notices.first)
        #expect(!masked.contains("hunter2") && !masked.contains("QSECRET") && masked.contains("http://…@127.0.0.1:"), "\(masked)")
        #expect(server.server.requests.last?.path == "/v1/chat/completions" && server.server.requests.last?.query["api-key"] == "QSECRET")
        // An address pasted whole, with its call, is not given the call twice.
        #expect(Setting.endpoint("http://127.0.0.1:1/v1/chat/completions", "/chat/completions") == "http://127.0.0.1:1/v1/chat/completions")
        #expect(Setting.endpoint("https://x.example/openai/?api-version=2024-02-01", "/embeddings") == "https://x.example/openai/embeddings?api-version=2024-02-01")
    }

    @Test func aFailingEndpointGivesTheExtractiveBriefingWithANotice() throws {
        let server = try ChatServer()
        let scratch = try library(server)
        try scratch.hub.setSetting("brief.timeout", "1")
        try scratch.hub.setSetting("http.attempts", "1")
        server.behaviour.value = .stall
        let stalled = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(stalled.provider == "extractive")
        #expect(stalled.notices.contains { $0.contains("failed") && $0.contains("timed out") }, "\(stalled.notices)")
        #expect(stalled.markdown.contains("## Themes"))

        server.behaviour.value = .malformed
        let malformed = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(malformed.provider == "extractive")
        #expect(malformed.notices.contains { $0.contains("not a chat completion") && $0.contains("gateway") }, "\(malformed.notices)")

        // An endpoint quoting the key back: the key is cut out of the notice, which is printed, stored and served.
        server.behaviour.value = .echoesKey
        let echoed = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(echoed.notices.contains { $0.contains("HTTP 401") && $0.contains("Bad key: Bearer … / BEARER … / Bearer%20…") }, "\(echoed.notices)")
        let stored = try scratch.hub.briefing(id: try #require(echoed.id))
        #expect(!stored.markdown.contains(ChatServer.key) && !stored.notices.joined().contains(ChatServer.key))

        unsetenv(Self.keyVariable)
        defer { setenv(Self.keyVariable, ChatServer.key, 1) }
        server.behaviour.value = .answer
        let unauthorized = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(unauthorized.notices.contains { $0.contains("401") && $0.contains("Incorrect API key") }, "\(unauthorized.notices)")
    }

    /// An answer the model's length limit cut is kept with a notice; an empty one is no answer.
    @Test func aLengthLimitAndAnEmptyAnswerAreSaid() throws {
        let server = try ChatServer()
        let scratch = try library(server)
        server.behaviour.value = .lengthLimit
        let cut = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(cut.provider == "llm:test-model")
        #expect(cut.notices.contains { $0.contains("length limit") }, "\(cut.notices)")
        let streamed = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm, onText: { _ in })
        #expect(streamed.notices.contains { $0.contains("length limit") }, "\(streamed.notices)")
        #expect(server.requests.value.last?["stream"] as? Bool == true)
        server.behaviour.value = .empty
        let empty = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(empty.provider == "extractive")
        #expect(empty.notices.contains { $0.contains("the model's answer was empty") }, "\(empty.notices)")
    }

    @Test func citationsOfPapersNotGivenAreFlagged() throws {
        let server = try ChatServer()
        server.behaviour.value = .citesUnknown
        let scratch = try library(server)
        let briefing = try scratch.hub.brief(.query("language models"), limit: 5, provider: .llm)
        #expect(briefing.provider == "llm:test-model")
        #expect(briefing.notices == ["The answer cites [99], not among the 5 papers given."])
        #expect(Hub.citedNumbers("see [1], [2, 4] and [6–8]; not [x]") == [1, 2, 4, 6, 7, 8])
        // As Chinese models write them, and with spaces or the word inside (these had passed unchecked).
        #expect(Hub.citedNumbers("D 【77】. E [ 88 ]. I [3；55]. K [Paper 57], [论文 12、13]") == [3, 12, 13, 55, 57, 77, 88])
    }

    @Test func withoutAnEndpointTheMessageSaysWhatToSet() throws {
        let scratch = try library()
        #expect { try scratch.hub.brief(.query("language models"), provider: .llm) } throws: { "\($0)".contains("brief.url") }
        #expect { try scratch.hub.setSetting("brief.url", "ftp://x") } throws: { "\($0)".contains("http(s) URL") }
        #expect { try scratch.hub.setSetting("brief.provider", "oracle") } throws: { "\($0)".contains("extractive, llm or command") }
        // An empty model is no model (it had been sent as "", the briefing labelled `llm:`).
        #expect { try scratch.hub.setSetting("brief.model", "") } throws: { "\($0)".contains("setting brief.model names the chat model") }
    }

    // MARK: - command

    func script(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ahub-brief-\(UUID().uuidString).sh").path
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test func theUsersCommandReadsJSONAndWritesMarkdown() throws {
        let scratch = try library()
        // A real script: it reads the briefing JSON on stdin and writes Markdown that counts its papers.
        let path = try script("""
            input=$(cat)
            count=$(printf '%s' "$input" | grep -o '"number":' | wc -l | tr -d ' ')
            printf '# My briefing\\n\\n%s numbers seen; [1] first.\\n' "$count"
            """)
        try scratch.hub.setSetting("brief.command", path)
        let briefing = try scratch.hub.brief(.query("language models"), limit: 6, provider: .command)
        #expect(briefing.provider == "command")
        let themesAndPapers = briefing.papers.count + briefing.themes.count
        #expect(briefing.markdown == "# My briefing\n\n\(themesAndPapers) numbers seen; [1] first.\n", "\(briefing.markdown)")
    }

    @Test func aFailingCommandGivesAClearError() throws {
        let scratch = try library()
        try scratch.hub.setSetting("brief.command", try script("cat > /dev/null\necho 'model not found: my-model' >&2\nexit 3\n"))
        #expect { try scratch.hub.brief(.query("language models"), limit: 3, provider: .command) } throws: {
            "\($0)".contains("exited with status 3") && "\($0)".contains("model not found") && !"\($0)".contains("signal")
        }
        // A program killed (here by itself) is said so, not only as the shell's 137.
        try scratch.hub.setSetting("brief.command", try script("cat > /dev/null\nkill -KILL $$\n"))
        #expect { try scratch.hub.brief(.query("language models"), limit: 3, provider: .command) } throws: {
            "\($0)".contains("exited with status 137 (killed by signal 9: Killed)")
        }
        try scratch.hub.setSetting("brief.command", try script("sleep 30\n"))
        try scratch.hub.setSetting("brief.timeout", "1")
        let started = Date()
        #expect { try scratch.hub.brief(.query("language models"), limit: 3, provider: .command) } throws: {
            "\($0)".contains("longer than 1 s")
        }
        #expect(Date().timeIntervalSince(started) < 20)
        // A program that leaves a child running in the background (holding stdout for 10 minutes) still
        // gets its answer read: the child is not waited for (under brief.timeout, not after it, and not as
        // "wrote nothing"). A bound in seconds under load is not the point: the child outlives it tenfold.
        try scratch.hub.setSetting("brief.timeout", "60")
        try scratch.hub.setSetting("brief.command", try script("cat > /dev/null\necho '# Mine [1]'\nsleep 600 &\n"))
        let background = Date()
        let mine = try scratch.hub.brief(.query("language models"), limit: 3, provider: .command)
        #expect(mine.markdown.hasPrefix("# Mine [1]"), "\(mine.markdown)")
        #expect(Date().timeIntervalSince(background) < 60)
        // Hundreds of MB on stdout are not gathered: the program is stopped past 16 MB.
        try scratch.hub.setSetting("brief.command", try script("cat > /dev/null\nhead -c 20000000 /dev/zero | tr '\\0' a\n"))
        #expect { try scratch.hub.brief(.query("language models"), limit: 3, provider: .command) } throws: {
            "\($0)".contains("more than 16 MB")
        }
        try scratch.hub.setSetting("brief.command", nil)
        #expect { try scratch.hub.brief(.query("language models"), limit: 3, provider: .command) } throws: { "\($0)".contains("brief.command") }
    }

    /// Ctrl-C during `ahub brief` stops the command too: it runs in a process group of its own, which the
    /// terminal's Ctrl-C does not reach (a user test found the command and its children running on, re-parented).
    @Test func anInterruptedBriefStopsTheCommand() throws {
        let scratch = try library()
        let pidFile = scratch.directory.appendingPathComponent("child.pid").path
        try scratch.hub.setSetting("brief.command", try script("cat > /dev/null\nsleep 300 &\necho $! > '\(pidFile)'\nwait\n"))
        let run = try runAhub(["brief", "--query", "language models", "--limit", "3", "--provider", "command"], library: scratch.path,
                              interruptAfter: { FileManager.default.fileExists(atPath: pidFile) && ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").hasSuffix("\n") })
        #expect(run.status == 130, "\(run.status) \(run.stderr)")
        let child = try #require(pid_t((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        let until = Date().addingTimeInterval(10)
        while kill(child, 0) == 0 && Date() < until { usleep(50_000) }
        #expect(kill(child, 0) != 0, "the command's child \(child) still runs")
        kill(child, SIGKILL)
    }
}
