import CReadline
import Foundation
import MaplCore
import MaplFrontEnd
import MaplProtocol
import MaplRender
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
    /// `mapl replay --cast`'s recorder reads the replay's progress here: each chapter's title as its cell is
    /// submitted, then `end` when the replay has finished.
    public var castLog: String?
    public init(file: String? = nil, ascii: Bool = false, color: Bool = ProcessInfo.processInfo.environment["NO_COLOR"].map { $0.isEmpty } ?? true,
                replay: ReplayPlan? = nil, castLog: String? = nil) {
        self.file = file; self.ascii = ascii; self.color = color; self.replay = replay; self.castLog = castLog
    }
}

/// The full-screen terminal notebook: a transcript of cells, a live pane and a readline prompt, on a
/// `Session` whose events it draws.
///
/// One UI thread does everything on the terminal: it waits (`poll`) for keys or a wake-up (an event from
/// the session, a signal), hands keys to readline, gives what came in (events, keys, lines, Ctrl-C, a replay's
/// tick) to `NotebookReducer`, does the effects it returns (the session, the journal, files, readline), and
/// draws a frame from the state at most 20 times a second. The session thread runs
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
    /// Signals the watcher thread saw, for the UI thread.
    private let signals = Locked<[Int32]>([])
    /// The session's answers to questions (`:vars`, `?name`, `:pane hist`), for the UI thread.
    private let answers = Locked<[NotebookAnswer]>([])
    private var pendingLines: [String] = []
    /// The cells run and what the user did to them, for `:save`.
    private var record = SessionRecord()
    private var submitted = 0
    private var quitting = false
    private var dirty = true
    private var lastFrame = 0.0
    /// At most 20 frames a second for what the user does (keys, resizes) and 10 for what a running cell sends:
    /// a training frame costs the UI thread a millisecond or two, and on a 2-core machine every millisecond
    /// it runs is one the training's two threads wait for each other (measured: bench/terminal).
    private static let frameInterval = 0.05
    private static let runningFrameInterval = 0.1
    /// Keys (or a signal) arrived since the last frame: draw at the faster rate.
    private var inputSinceFrame = false

    private init(options: NotebookOptions) {
        self.options = options
        let wake = self.wake
        // Progress events do not wake the UI thread: while a cell runs it takes events in on its frame clock.
        session = Session(events: EventQueue(wake: { wake.signal() }, wakeOnProgress: false))
        state = NotebookState(title: options.file.map { "mapl ─ \($0)" } ?? "mapl")
        journal = JournalWriter(source: options.file)
    }

    /// Runs the notebook until the user quits; returns the exit status.
    public static func run(_ options: NotebookOptions) -> Int32 {
        let notebook = Notebook(options: options)
        return notebook.loop()
    }

    // MARK: - The loop

    /// The signals the notebook handles itself. Ctrl-\ (SIGQUIT) would end the process and lose the session
    /// (and leave the terminal on the alternate screen): here it is an interrupt, as in IPython and Julia.
    private static let watchedSignals = [SIGINT, SIGQUIT, SIGWINCH, SIGTERM, SIGHUP]

    private func loop() -> Int32 {
        let signals = self.signals, wake = self.wake
        SignalWatcher.start(Notebook.watchedSignals) { sig in
            signals.withLock { $0.append(sig) }
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
            SignalWatcher.stop(Notebook.watchedSignals)
            session.shutdown()
        }
        // Weights every 50 batches for the hist pane (a copy of the model's parameters, measured in bench/runtime).
        session.setSnapshots(SnapshotRequest(every: 50, weights: true))
        editor = LineEditor()
        configureEditor()
        if let warning = history.load() { reduce(.note("warning: " + warning)) }
        if let problem = journal.problem { reduce(.note("warning: " + problem)) }
        if let plan = options.replay {
            let r = ReplayController(plan: plan, now: now())
            replay = r
            // `--from N`: the cells before N run at once, as `]` runs a chapter's.
            for cell in r.cellsBeforeStart { perform(.submitReplayed(cell, skipped: true)) }
        } else if let file = options.file {
            load(file)
        }
        updatePrompt()

        // Events are taken in and drawn once a frame (at most 20 a second, 10 while a cell runs): the session
        // wakes this thread at its first event after a drain, and progress events (batches, snapshots, metrics)
        // wake it not at all — while a cell runs, the frame clock takes them in — so a fit reporting a thousand
        // batches a second costs the UI one wake-up a frame.
        var eventsWaiting = true
        while !quitting {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0)]
            let animating = replay.map { !$0.isFinished } ?? false
            let interval = inputSinceFrame || !state.isRunning ? Notebook.frameInterval : Notebook.runningFrameInterval
            let frameDue = lastFrame + interval
            let running = state.isRunning
            let wait = dirty || animating || eventsWaiting || running ? max(0, Int32((frameDue - now()) * 1000)) : 1000
            _ = poll(&fds, 2, wait)
            if fds[1].revents != 0 { wake.drain(); eventsWaiting = true; takeAnswers() }
            if handleSignals() { inputSinceFrame = true }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL) != 0 {
                inputSinceFrame = true
                if state.stepperHasKeys {
                    stepperKeys()
                } else if let r = replay, !r.isFinished {
                    replayKeys(r)
                } else {
                    editor.readAvailableInput()
                }
            }
            if replay != nil { advance() }
            if LineEditor.inputClosed { quitting = true }
            if let problem = journal.problem, !journalProblemShown { journalProblemShown = true; reduce(.note("warning: " + problem)) }
            if now() >= frameDue {
                if eventsWaiting || running { takeEvents(); eventsWaiting = false }
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
        inputSinceFrame = false
    }

    /// Acts on the signals that came; true when there were any.
    @discardableResult
    private func handleSignals() -> Bool {
        let taken = signals.withLock { pending in defer { pending = [] }; return pending }
        for sig in taken {
            switch sig {
            case SIGINT, SIGQUIT: reduce(.interrupt)
            case SIGWINCH:
                screen.updateSize()
                editor.resize(width: screen.width, height: screen.height)
            default:
                quitting = true
            }
            dirty = true
        }
        return !taken.isEmpty
    }

    private func takeEvents() {
        let events = session.events.drain()
        guard !events.isEmpty else { return }
        for event in events { record.apply(event) }
        reduce(.events(events))
        journal.flush()
    }

    // MARK: - Input

    private func configureEditor() {
        editor.onChange = { [unowned self] in updatePrompt() }
        editor.onCandidates = { [unowned self] in reduce(.completions($0)) }
        editor.complete = { [unowned self] line, word in
            if let commands = CommandCompletion.candidates(line: line, word: word) { return commands }
            let prefix = word.lastIndex(of: ".").map { String(word[...$0]) } ?? ""
            return session.completions(for: line).map { prefix + $0 }
        }
        editor.onLine = { [unowned self] line in entered(line) }
        for (sequence, key) in KeyMap.promptBindings {
            editor.bind(sequence) { [unowned self] in if let action = KeyMap.action(for: key, in: .prompt) { reduce(.key(action)) } }
        }
        editor.bind("\u{1B}[<") { [unowned self] in
            if let w = MouseWheel.parse(LineEditor.readSequenceTail()) { reduce(.key(.wheel(up: w.up, x: w.x, y: w.y))) }
        }
    }

    /// What the shell's session, replay and screen are doing, for the reducer.
    private func context(now: Double) -> NotebookContext {
        let playing = replay.map { !$0.isFinished } ?? false
        let stopped = stoppedReplay.flatMap { r in r.isFinished ? nil : (min(r.index + 1, r.plan.cells.count), r.plan.cells.count) }
        return NotebookContext(sessionBusy: session.isBusy, replayPlaying: playing, stoppedReplay: stopped,
                               width: screen.width, height: screen.height, replay: replay, submitted: submitted, now: now)
    }

    /// Hands `input` to the reducer and does what it decides: the one way the state changes on what comes in.
    private func reduce(_ input: NotebookInput, at time: Double? = nil) {
        if let text = NotebookReducer.recordedCommand(for: input) { record(command: text) }
        for effect in NotebookReducer.reduce(state: &state, input: input, context: context(now: time ?? now())) { perform(effect) }
        dirty = true
    }

    /// Does one of the reducer's effects.
    private func perform(_ effect: NotebookEffect) {
        switch effect {
        case .submit(let request): submit(request)
        case .submitCell(let source): submit(source, origin: nil, firstLine: 1)
        case .setPendingLines(let lines): pendingLines = lines
        case .appendHistory(let text): history.append(text)
        case .runCommand(let text): command(text)
        case .cancelCell: session.cancel()
        case .pauseTraining: session.pauseTraining()
        case .clearLine:
            pendingLines = []
            editor.clearLine()
        case .stopReplay: if let r = replay { stopReplay(r) }
        case .goOnWithReplay:
            guard let r = stoppedReplay else { return }
            stoppedReplay = nil
            replay = r
            r.goOnAfterStop(now: now())
        case .journal(let event): journal.record(event)
        case .replayCellEnded(let number): (replay ?? stoppedReplay)?.cellEnded(number, now: now())
        case .submitReplayed(let cell, let skipped):
            let number = submitReplayed(cell)
            if skipped { replay?.recordSkipped(as: number) } else { replay?.submitted(as: number) }
        case .replayCommand(let text):
            reduce(.note("replay: " + text))
            command(text)
        case .replayFinished:
            CastLog.append(["end"], to: options.castLog)
            replay = nil
        case .askVariables:
            session.variables { [answers, wake] vars in answers.withLock { $0.append(.variables(vars)) }; wake.signal() }
        case .askHelp(let topic):
            session.help(topic) { [answers, wake] text in answers.withLock { $0.append(.help(text)) }; wake.signal() }
        case .askHistogram(let path):
            // The tensor's values binned on the session thread (a read; nothing is called).
            session.histogram(of: path) { [answers, wake] h in answers.withLock { $0.append(.histogram(path, h)) }; wake.signal() }
        case .save(let path): save(path)
        case .load(let path): load(path)
        case .resetSession: reduce(.resetDone(succeeded: session.reset()))
        case .updatePrompt: updatePrompt()
        case .setReadlinePrompt(let prompt): editor.setPrompt(prompt)
        case .quit: quitting = true
        }
    }

    private func updatePrompt() {
        reduce(.promptChanged(ReadlinePrompt(displayPrompt: editor.displayPrompt, text: editor.text, cursor: editor.cursor, pendingLines: pendingLines)))
    }

    /// A line came back from readline (nil: Ctrl-D on an empty line).
    private func entered(_ line: String?) {
        reduce(.line(line, pending: pendingLines, isIncomplete: { [session] cell in
            if case .incomplete = session.isComplete(cell) { return true }
            return false
        }))
    }

    @discardableResult
    private func submit(_ source: String, origin: String?, firstLine: Int, repeating: [SessionAction] = []) -> Int {
        queued(session.submit(source, origin: origin, firstLine: firstLine, repeating: repeating), source: source, origin: origin, firstLine: firstLine)
    }

    /// A request (`:step`, `:next`, Ctrl-C on a paused run) goes to the session typed; its cell shows the call.
    @discardableResult
    private func submit(_ request: SessionRequest) -> Int {
        queued(session.submit(request), source: request.source, origin: nil, firstLine: 1)
    }

    private func queued(_ number: Int, source: String, origin: String?, firstLine: Int) -> Int {
        submitted = number
        // Journaled now, not when the session's events are next taken in: a typed cell is never lost.
        journal.flush()
        journal.record(.cellQueued(CellInfo(number: submitted, source: source, origin: origin ?? "<cell \(submitted)>", firstLine: firstLine)))
        journal.flush()
        reduce(.queued)
        return submitted
    }

    // MARK: - Replay

    private var replay: ReplayController?
    /// A replay stopped with X or Ctrl-C: `:replay` takes it up again.
    private var stoppedReplay: ReplayController?

    /// A replayed cell goes to the session with the pauses and interrupt it was recorded with.
    private func submitReplayed(_ cell: ReplayScript.Cell) -> Int {
        CastLog.append(cell.chapters.map { "chapter " + $0 }, to: options.castLog)
        return submit(cell.source, origin: cell.origin, firstLine: cell.firstLine, repeating: cell.actions)
    }

    private func stopReplay(_ r: ReplayController) {
        r.stop()
        replay = nil
        stoppedReplay = r
        reduce(.replayStopped(cell: min(r.index + 1, r.plan.cells.count), of: r.plan.cells.count))
    }

    /// Moves a replay on with the clock: submits the cell whose typing has finished, does the commands the
    /// user typed when it was recorded, then shows its status and what it is typing.
    private func advance() {
        let t = now()
        reduce(.replayTick, at: t)
        reduce(.replayCommandsDue, at: t)
        reduce(.replayFrame, at: t)
    }

    /// Keys while a replay plays (`KeyMap`'s replay mode): the reducer does what each asks.
    private func replayKeys(_ r: ReplayController) {
        guard let keys = Key.readAvailable() else { quitting = true; return }
        r.notice = nil
        for key in keys {
            guard let action = KeyMap.action(for: key, in: .replay) else { continue }
            reduce(.key(action))
            if replay == nil { return }  // X stopped it: the keys after are not the replay's
        }
        dirty = true
    }

    // MARK: - The stepper and training one step at a time

    /// Keys while the stepper has them (see docs/notebook.md for the table).
    private func stepperKeys() {
        guard let keys = Key.readAvailableWithBytes() else { quitting = true; return }
        for (i, (key, _)) in keys.enumerated() {
            guard state.stepper != nil, state.stepperHasKeys else {
                // The stepper let go of the keys (q, Tab, Esc): what was typed after goes to the prompt.
                editor.type(keys[i...].flatMap(\.bytes))
                break
            }
            reduce(KeyMap.action(for: key, in: .stepper).map { .key($0) } ?? .unmappedStepperKey)
        }
        if state.stepper == nil { reduce(.key(.releaseStepper)) }  // no stepper, no keys: the hint says so
        dirty = true
    }

    // MARK: - Commands

    /// A command changing what is shown is part of the session: journaled, and kept for `:save`, with
    /// whether a cell was running (a replay does it at the same place).
    private func record(command text: String) {
        takeEvents()  // the journal first holds what came before it
        let running = session.isBusy
        let action = SessionAction.command(text, during: running)
        journal.record(.action(action))
        journal.flush()
        record.record(action, running: running)
    }

    private func command(_ text: String) {
        reduce(.command(text))
    }

    private func takeAnswers() {
        let taken = answers.withLock { pending in defer { pending = [] }; return pending }
        for answer in taken { reduce(.answer(answer)) }
    }

    private func load(_ path: String) {
        // The one reader of program files (SourceFile), so :load says why it cannot, as mapl run does.
        let text: String
        do { text = try SourceCells.read(path) } catch { reduce(.note("\(error)")); return }
        for cell in SourceCells.split(text) { submit(cell.source, origin: path, firstLine: cell.firstLine) }
    }

    private func save(_ path: String) {
        do {
            if path.hasSuffix(".jsonl") {
                journal.flush()
                try Files.write(try journal.sessionContents(), to: path)
                reduce(.note("saved the journal (\(record.cells.count) cells, their outputs) to \(path)"))
            } else if path.hasSuffix(".md") {
                // The handout is written from the session's journal, as `mapl run --handout` writes it from the events.
                journal.flush()
                let handout = Handout.markdown(of: JournalReader(bytes: try journal.sessionContents()), title: "mapl notebook")
                try Files.write(Array(handout.utf8), to: path)
                reduce(.note("saved the handout (\(record.cells.count) cells, their outputs, every trace's walk) to \(path)"))
            } else {
                // What the user did to each cell goes above it as `#@ ` annotations (SessionRecord).
                let text = record.mapl
                try Files.write(Array(text.utf8), to: path)
                reduce(.note("saved \(record.cells.count) cells to \(path) (run it with: mapl run \(path))"))
            }
        } catch {
            // Files' errors name the file and say why (a folder, permission denied, …).
            reduce(.note("\(error)"))
        }
    }
}
