import CReadline
import Foundation
import MaplEngine
import MaplLang
import MaplRuntime

/// How the notebook starts.
public struct NotebookOptions: Sendable {
    /// A `.mapl` file whose cells run first (shown in the transcript), or nil.
    public var file: String?
    /// Plain ASCII pictures and borders (`--ascii`).
    public var ascii: Bool
    /// Colours, unless `NO_COLOR` is set or the terminal has none.
    public var color: Bool
    /// A saved session to play cell by cell (`mapl replay`) instead of running `file` at once.
    public var replay: ReplayPlan?
    public init(file: String? = nil, ascii: Bool = false, color: Bool = ProcessInfo.processInfo.environment["NO_COLOR"].map { $0.isEmpty } ?? true,
                replay: ReplayPlan? = nil) {
        self.file = file; self.ascii = ascii; self.color = color; self.replay = replay
    }
}

/// The full-screen terminal notebook: a transcript of cells, a live pane and a readline prompt, on a
/// `Session` whose events it draws.
///
/// One UI thread does everything on the terminal: it waits (`poll`) for keys or a wake-up (an event from
/// the session, a signal), hands keys to readline, takes the session's events into the `NotebookState`
/// (and the journal), and draws a frame from the state at most 20 times a second. The session thread runs
/// the cells; Ctrl-C cancels the running one.
public final class Notebook {
    private let options: NotebookOptions
    private let wake = WakePipe()
    private let session: Session
    private let screen = CursesScreen()
    private var editor: LineEditor!
    private var state: NotebookState
    private let journal: JournalWriter
    private let history = HistoryFile(path: HistoryFile.defaultPath)
    private let signals = PendingSignals()
    private var pendingLines: [String] = []
    private var cells: [(number: Int, source: String, outcome: CellEnd.Outcome?)] = []
    private var submitted = 0
    private var quitting = false
    private var dirty = true
    private var lastFrame = 0.0
    private static let frameInterval = 0.05

    private init(options: NotebookOptions) {
        self.options = options
        let wake = self.wake
        session = Session(events: EventQueue(wake: { wake.signal() }))
        state = NotebookState(title: options.file.map { "mapl ─ \($0)" } ?? "mapl")
        journal = JournalWriter(source: options.file)
    }

    /// Runs the notebook until the user quits; returns the exit status.
    public static func run(_ options: NotebookOptions) -> Int32 {
        Engine.configure(.recommended)
        let notebook = Notebook(options: options)
        return notebook.loop()
    }

    // MARK: - The loop

    private func loop() -> Int32 {
        let signals = self.signals, wake = self.wake
        SignalWatcher.start([SIGINT, SIGWINCH, SIGTERM, SIGHUP]) { sig in
            signals.add(sig)
            wake.signal()
            if sig == SIGTERM || sig == SIGHUP {
                // The UI thread restores the terminal and exits; should it be stuck, do not outlive the request.
                Thread.sleep(forTimeInterval: 3)
                _exit(128 + sig)
            }
        }
        screen.start(useColor: options.color)
        defer {
            editor?.remove()
            screen.stop()
            SignalWatcher.stop([SIGINT, SIGWINCH, SIGTERM, SIGHUP])
            session.shutdown()
        }
        // Weights every 50 batches for the hist pane (a copy of the model's parameters, measured in bench/runtime).
        session.setSnapshots(SnapshotRequest(every: 50, weights: true))
        editor = LineEditor()
        configureEditor()
        if let warning = history.load() { state.note("warning: " + warning) }
        if let problem = journal.problem { state.note("warning: " + problem) }
        if let plan = options.replay {
            replay = ReplayController(plan: plan, now: now())
        } else if let file = options.file {
            load(file)
        }
        updatePrompt()

        // Events are taken in and drawn once a frame (at most 20 a second): the session wakes this thread
        // only when its queue was empty, so a fit reporting a thousand batches a second costs the UI about
        // two wake-ups a frame, not a thousand.
        var eventsWaiting = true
        while !quitting {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0)]
            let animating = replay.map { !$0.isFinished } ?? false
            let frameDue = lastFrame + Notebook.frameInterval
            let wait = dirty || animating || eventsWaiting ? max(0, Int32((frameDue - now()) * 1000)) : 1000
            _ = poll(&fds, 2, wait)
            if fds[1].revents != 0 { wake.drain(); eventsWaiting = true }
            handleSignals()
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL) != 0 {
                if let r = replay, !r.isFinished { replayKeys(r) } else { editor.readAvailableInput() }
            }
            if let r = replay { advance(r) }
            if LineEditor.inputClosed { quitting = true }
            if let problem = journal.problem, !journalProblemShown { journalProblemShown = true; state.note("warning: " + problem); dirty = true }
            if now() >= frameDue {
                if eventsWaiting { takeEvents(); eventsWaiting = false }
                if dirty { draw() }
            }
        }
        takeEvents()
        return 0
    }
    private var journalProblemShown = false

    private func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private func draw() {
        let frame = NotebookRenderer.render(state, width: screen.width, height: screen.height,
                                            options: RenderOptions(ascii: options.ascii, color: options.color))
        screen.draw(frame)
        lastFrame = now()
        dirty = false
    }

    private func handleSignals() {
        for sig in signals.take() {
            switch sig {
            case SIGINT:
                if let r = replay, !r.isFinished {
                    // Ctrl-C during a replay stops the replay too: the teacher takes over.
                    replay = nil
                    session.cancel()
                    state.hint = Notebook.defaultHint
                    updatePrompt()
                } else if session.isBusy {
                    session.cancel()
                } else {
                    pendingLines = []
                    editor.clearLine()
                    updatePrompt()
                }
            case SIGWINCH:
                screen.updateSize()
                editor.resize(width: screen.width, height: screen.height)
            default:
                quitting = true
            }
            dirty = true
        }
    }

    private func takeEvents() {
        let events = session.events.drain()
        guard !events.isEmpty else { return }
        for event in events {
            // Snapshots are copies of the weights taken for the live panes, not outputs of the session:
            // journaling them would write megabytes per epoch.
            // cellQueued was journaled when the cell was submitted.
            switch event {
            case .training(.snapshot), .cellQueued: break
            default: journal.record(event)
            }
            state.apply(event)
            switch event {
            case .cellStarted(let cell): cells.append((cell.number, cell.source, nil))
            case .cellEnded(let end):
                replay?.cellEnded(end.number, now: now())
                if let i = cells.lastIndex(where: { $0.number == end.number }) { cells[i].outcome = end.outcome }
            default: break
            }
        }
        state.isRunning = session.isBusy
        dirty = true
    }

    // MARK: - Input

    private func configureEditor() {
        editor.onChange = { [unowned self] in
            updatePrompt()
            dirty = true
        }
        editor.onCandidates = { [unowned self] in
            state.completions = $0
            dirty = true
        }
        editor.complete = { [unowned self] line, word in
            let prefix = word.lastIndex(of: ".").map { String(word[...$0]) } ?? ""
            return session.completions(for: line).map { prefix + $0 }
        }
        editor.onLine = { [unowned self] line in entered(line) }
        for sequence in ["\u{1B}[5~"] { editor.bind(sequence) { [unowned self] in state.scroll(byPages: 1); dirty = true } }
        for sequence in ["\u{1B}[6~"] { editor.bind(sequence) { [unowned self] in state.scroll(byPages: -1); dirty = true } }
        for sequence in ["\u{1B}OQ", "\u{1B}[12~"] { editor.bind(sequence) { [unowned self] in cyclePane() } }
    }

    private func updatePrompt() {
        state.prompt.prompt = pendingLines.isEmpty ? editor.displayPrompt : editor.displayPrompt
        state.prompt.pendingLines = pendingLines
        state.prompt.text = editor.text
        state.prompt.cursor = editor.cursor
        let next = "[\(submitted + 1)]> "
        state.prompt.cellPrompt = next
        let wanted = pendingLines.isEmpty ? next : "...> "
        if editor.displayPrompt != wanted && !editor.displayPrompt.contains("search") { editor.setPrompt(wanted); state.prompt.prompt = wanted }
    }

    /// A line came back from readline (nil: Ctrl-D on an empty line).
    private func entered(_ line: String?) {
        state.completions = []
        state.hint = Notebook.defaultHint
        dirty = true
        guard let line else {
            if pendingLines.isEmpty { quitting = true } else { pendingLines = []; updatePrompt() }
            return
        }
        if pendingLines.isEmpty {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { updatePrompt(); return }
            if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") {
                history.append(trimmed)
                command(trimmed)
                updatePrompt()
                return
            }
        }
        let cell = (pendingLines + [line]).joined(separator: "\n")
        if Parser.isComplete(cell) {
            pendingLines = []
            history.append(cell)
            submit(cell, origin: nil, firstLine: 1)
        } else {
            pendingLines.append(line)
        }
        updatePrompt()
    }

    @discardableResult
    private func submit(_ source: String, origin: String?, firstLine: Int) -> Int {
        submitted = session.submit(source, origin: origin, firstLine: firstLine)
        // Journaled now, not when the session's events are next taken in: a typed cell is never lost.
        journal.record(.cellQueued(CellInfo(number: submitted, source: source, origin: origin ?? "<cell \(submitted)>", firstLine: firstLine)))
        defer { state.isRunning = true }
        state.scrollOffset = 0
        return submitted
    }

    // MARK: - Replay

    private var replay: ReplayController?
    static let defaultHint = NotebookState(title: "").hint

    /// Moves a replay on: types, submits, rests; shows its status in the hint line.
    private func advance(_ r: ReplayController) {
        let t = now()
        if let cell = r.tick(now: t) {
            r.submitted(as: submit(cell.source, origin: cell.origin, firstLine: cell.firstLine))
        }
        if r.isFinished {
            replay = nil
            state.hint = "replay finished · the prompt is yours · " + Notebook.defaultHint
            updatePrompt()
            dirty = true
            return
        }
        state.hint = r.status
        if let typed = r.typed(now: t) {
            state.prompt.cellPrompt = "[\(submitted + 1)]> "
            state.prompt.pendingLines = typed.lines
            state.prompt.prompt = typed.lines.isEmpty ? "[\(submitted + 1)]> " : state.prompt.continuationPrompt
            state.prompt.text = typed.current
            state.prompt.cursor = typed.current.count
        } else {
            state.prompt.pendingLines = []
            state.prompt.prompt = "[\(submitted + 1)]> "
            state.prompt.text = ""
            state.prompt.cursor = 0
        }
        dirty = true
    }

    /// Keys while a replay plays: Enter/n next, Space pause, p back, [ ] chapters, q stop.
    private func replayKeys(_ r: ReplayController) {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(STDIN_FILENO, &buffer, buffer.count)
        guard n > 0 else { if n == 0 { quitting = true }; return }
        var i = 0
        while i < n {
            let byte = buffer[i]
            i += 1
            switch byte {
            case 0x1B:
                // An escape sequence (arrows, function keys): skip it whole.
                if i < n, buffer[i] == UInt8(ascii: "[") || buffer[i] == UInt8(ascii: "O") {
                    i += 1
                    while i < n, !(0x40...0x7E).contains(buffer[i]) { i += 1 }
                    i += 1
                }
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "n"): r.goOn(now: now())
            case UInt8(ascii: " "): r.togglePause(now: now())
            case UInt8(ascii: "p"): if let cell = r.previousCell() { state.scrollToCell(cell) }
            case UInt8(ascii: "["): if let cell = r.previousChapterCell() { state.scrollToCell(cell) }
            case UInt8(ascii: "]"):
                for cell in r.skipToNextChapter(now: now()) {
                    r.recordSkipped(as: submit(cell.source, origin: cell.origin, firstLine: cell.firstLine))
                }
            case UInt8(ascii: "q"):
                replay = nil
                state.hint = Notebook.defaultHint
                updatePrompt()
                return
            default: break
            }
        }
        dirty = true
    }

    private func cyclePane() {
        state.cyclePane()
        dirty = true
    }

    // MARK: - Commands

    private func command(_ text: String) {
        if text.hasPrefix("?") { help(String(text.dropFirst()).trimmingCharacters(in: .whitespaces)); return }
        let words = text.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let name = words.first ?? ""
        let rest = text.dropFirst().dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case "help", "h": help(rest)
        case "vars":
            guard let vars = session.variables(timeout: 2) else { state.note("(the session is busy; try :vars again)"); return }
            if vars.isEmpty { state.note("(no variables yet)") }
            let width = vars.map(\.name.count).max() ?? 0
            for v in vars { state.note(v.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + v.summary) }
        case "save": save(rest)
        case "load":
            guard !rest.isEmpty else { state.note(":load needs a file: :load FILE.mapl"); return }
            load(rest)
        case "pane" where words.count >= 3 && words[1] == "hist":
            // `:pane hist NAME`: the tensor's values binned on the session thread (a read; nothing is called).
            let name = words[2]
            guard let h = session.histogram(of: name) else {
                state.note(":pane hist NAME needs a tensor (a name or a path like m.layers[1].W); '\(name)' is not one, or the session is busy")
                return
            }
            state.showHistogram(h)
        case "pane":
            let arg = words.dropFirst().first ?? ""
            if arg == "auto" { state.followOutput(); return }
            guard let kind = PaneKind(rawValue: arg) else {
                state.note(":pane takes one of: " + (PaneKind.allCases.map(\.rawValue) + ["auto"]).joined(separator: ", "))
                return
            }
            state.showPane(kind)
        case "clear": state.clearTranscript()
        case "reset":
            if session.reset() { state.note("every name is forgotten") } else { state.note("a cell is running: Ctrl-C it first, then :reset") }
        case "quit", "q", "exit": quitting = true
        default:
            state.note("unknown command :\(name) — :help lists the commands")
        }
    }

    private func help(_ topic: String) {
        if topic.isEmpty {
            for line in Notebook.helpText { state.note(line) }
            return
        }
        state.note(session.help(topic, timeout: 2) ?? "(the session is busy; try again)")
    }

    static let helpText = [
        "keys: Enter runs a cell (it continues while it is incomplete) · Tab completes · Up/Down and Ctrl-R search history",
        "      Ctrl-C stops a running cell or clears the line · Ctrl-D on an empty line quits · PgUp/PgDn scroll · F2 switches the pane",
        "commands: ?name or :help name explains a builtin, keyword or operator · :vars lists your names",
        "          :save FILE.mapl (the cells, runnable) · :save FILE.jsonl (the journal) · :load FILE runs a file here",
        "          :pane loss|hist|digits|graph|off keeps that pane, :pane auto follows new pictures · :clear empties the transcript · :reset forgets every name · :quit",
        "help() lists the builtins by category.",
    ]

    private func load(_ path: String) {
        // The one reader of program files (SourceFile), so :load says why it cannot, as mapl run does.
        let text: String
        do { text = try SourceFile.read(path) } catch { state.note("\(error)"); return }
        for cell in SourceCells.split(text) { submit(cell.source, origin: path, firstLine: cell.firstLine) }
    }

    private func save(_ path: String) {
        guard !path.isEmpty else { state.note(":save needs a file: :save FILE.mapl or :save FILE.jsonl"); return }
        do {
            if path.hasSuffix(".jsonl") {
                guard let data = FileManager.default.contents(atPath: journal.path) else { throw SaveError("the journal \(journal.path) cannot be read") }
                try AtomicFile.write(data, to: path)
                state.note("saved the journal (\(cells.count) cells, their outputs) to \(path)")
            } else {
                var text = "# saved from the mapl notebook\n"
                for cell in cells {
                    if cell.outcome == .error {
                        text += "\n# [\(cell.number)] failed when it ran; kept as a comment:\n"
                        text += cell.source.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n") + "\n"
                    } else {
                        text += "\n" + cell.source + "\n"
                    }
                }
                try AtomicFile.write(Data(text.utf8), to: path)
                state.note("saved \(cells.count) cells to \(path) (run it with: mapl run \(path))")
            }
        } catch {
            state.note("could not save \(path): \(error)")
        }
    }
}

struct SaveError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Signals the watcher thread saw, handed to the UI thread.
private final class PendingSignals: @unchecked Sendable {
    // @unchecked: `pending` is only touched under `lock`.
    private var pending: [Int32] = []
    private let lock = NSLock()
    func add(_ sig: Int32) { lock.lock(); pending.append(sig); lock.unlock() }
    func take() -> [Int32] { lock.lock(); defer { lock.unlock() }; let out = pending; pending = []; return out }
}

/// Writes a file so that it is never left half-written: a temporary file next to it, then a rename.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SaveError("'\(path)' is a directory")
        }
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: data) else {
            throw SaveError("cannot write in \(url.deletingLastPathComponent().path): \(String(cString: strerror(errno)))")
        }
        guard rename(temp.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw SaveError(reason)
        }
    }
}
