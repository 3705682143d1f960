import Foundation
import MaplProtocol
import MaplRuntime

/// The notebook's decisions in one place: an input (the session's events, a key, a line, a command, Ctrl-C,
/// an answer, a replay's tick) changes the state and returns what the shell is to do. Pure, so each behaviour a user sees is tested without a
/// terminal (NotebookReducerTests); `Notebook` does the effects.
enum NotebookReducer {
    static func reduce(state: inout NotebookState, input: NotebookInput, context: NotebookContext) -> [NotebookEffect] {
        switch input {
        case .events(let events):
            let effects = events.flatMap { apply($0, to: &state) }
            state.isRunning = context.sessionBusy
            refreshHint(&state, context)
            return effects
        case .key(let action): return perform(action, state: &state, context: context)
        case .unmappedStepperKey:
            state.hint = "the stepper has the keys (n p b g l e r, Home/End) · Tab or Esc back to the prompt · q closes it"
            return []
        case .line(let line, let pending, let isIncomplete):
            return entered(line, pending: pending, isIncomplete: isIncomplete, state: &state, context: context)
        case .promptChanged(let readline): return showPrompt(readline, state: &state, context: context)
        case .queued:
            state.scrollOffset = 0
            state.isRunning = true
            return []
        case .completions(let candidates):
            state.completions = candidates
            return []
        case .interrupt: return interrupt(state: &state, context: context)
        case .command(let text): return command(NotebookCommand.parse(text), state: &state, context: context)
        case .answer(let answer): show(answer, in: &state); return []
        case .resetDone(let succeeded):
            if succeeded {
                state.trainingPaused = false
                refreshHint(&state, context)
                state.note("every name is forgotten")
            } else {
                state.note("a cell is running: Ctrl-C it first, then :reset")
            }
            return []
        case .note(let text):
            state.note(text)
            return []
        case .replayTick: return replayTick(context)
        case .replayCommandsDue: return replayCommandsDue(context)
        case .replayFrame: return replayFrame(state: &state, context: context)
        case .replayStopped(let cell, let count):
            refreshHint(&state, context)
            state.note("replay stopped at cell \(cell)/\(count): the prompt is yours · :replay goes on")
            return [.updatePrompt]
        }
    }

    /// The command an input leaves in the journal (and `:save`'s record), written before the input is reduced
    /// so that the events that came before it are journaled first — as a replay meets it.
    static func recordedCommand(for input: NotebookInput) -> String? {
        switch input {
        case .key(.cyclePane): return ":pane next"
        case .command(let text) where NotebookCommand.isRecorded(text): return text
        default: return nil
        }
    }

    /// The bottom row's hint for who has the keys now (`NotebookHint`); a playing replay writes its own.
    static func refreshHint(_ state: inout NotebookState, _ context: NotebookContext) {
        if let hint = NotebookHint.text(stepperHasKeys: state.stepperHasKeys, replayPlaying: context.replayPlaying,
                                        stoppedReplay: context.stoppedReplay, state: state) { state.hint = hint }
    }

    // MARK: - Events

    private static func apply(_ event: DisplayEvent, to state: inout NotebookState) -> [NotebookEffect] {
        var effects: [NotebookEffect] = []
        // Snapshots are copies of the weights taken for the live panes, not outputs of the session:
        // journaling them would write megabytes per epoch. cellQueued was journaled when the cell was submitted.
        switch event {
        case .training(.snapshot), .cellQueued: break
        default: effects.append(.journal(event))
        }
        state.apply(event)
        if case .cellEnded(let end) = event { effects.append(.replayCellEnded(end.number)) }
        return effects
    }

    // MARK: - Keys

    private static func perform(_ action: KeyAction, state: inout NotebookState, context: NotebookContext) -> [NotebookEffect] {
        switch action {
        case .cyclePane:
            state.cyclePane()
            refreshHint(&state, context)
        case .focusStepper: focusStepper(&state, context)
        case .pauseTraining:
            guard context.sessionBusy else { state.note("nothing is training: F4 pauses a running fit at its next batch"); return [] }
            state.hint = "pausing at the next batch…"
            return [.pauseTraining]
        case .togglePresentation:
            state.togglePresentation()
            refreshHint(&state, context)
        case .toggleLossLogScale: state.setLossLogScale(!state.panes.loss.logScale)
        case .zoomLoss(let steps): state.zoomLoss(by: steps)
        case .scroll(let pages): state.scroll(byPages: pages)
        case .wheel(let up, let x, let y): state.wheel(up: up, x: x, y: y, width: context.width, height: context.height)
        case .step(let move):
            switch move {
            case .next: state.stepper?.next()
            case .previous: state.stepper?.previous()
            case .first: state.stepper?.first()
            case .last: state.stepper?.last()
            case .backward: state.stepper?.jumpToBackward()
            case .graph: state.stepper?.toggleGraph()
            case .layers: state.stepper?.toggleLayers()
            case .expand: state.stepper?.toggleExpand()
            case .reveal: state.stepper?.reveal()
            }
        case .closeStepper:
            state.closeStepper()
            setStepperHasKeys(false, &state, context)
        case .releaseStepper: setStepperHasKeys(false, &state, context)
        case .replayGoOn, .replayTogglePause, .replayBack, .replayPreviousChapter, .replayNextChapter, .replayQuit, .replayStop:
            guard let replay = context.replay else { return [] }
            return replayKey(action, replay, state: &state, context: context)
        }
        return []
    }

    private static func setStepperHasKeys(_ on: Bool, _ state: inout NotebookState, _ context: NotebookContext) {
        state.stepperHasKeys = on
        refreshHint(&state, context)
    }

    private static func focusStepper(_ state: inout NotebookState, _ context: NotebookContext) {
        if state.stepper == nil, !state.reopenStepper() { state.note("no trace to step through yet: trace(expr) or :step expr"); return }
        setStepperHasKeys(true, &state, context)
    }

    // MARK: - A line

    private static func entered(_ line: String?, pending: [String], isIncomplete: (String) -> Bool,
                                state: inout NotebookState, context: NotebookContext) -> [NotebookEffect] {
        state.completions = []
        refreshHint(&state, context)
        guard let line else { return pending.isEmpty ? [.quit] : [.setPendingLines([]), .updatePrompt] }
        if pending.isEmpty {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return [.updatePrompt] }
            if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") { return [.appendHistory(trimmed), .runCommand(trimmed), .updatePrompt] }
        }
        let cell = (pending + [line]).joined(separator: "\n")
        if isIncomplete(cell) { return [.setPendingLines(pending + [line]), .updatePrompt] }
        return [.setPendingLines([]), .appendHistory(cell), .submitCell(cell), .updatePrompt]
    }

    /// The prompt on the screen is readline's; the cell prompt numbers the next cell, `...> ` continues one.
    private static func showPrompt(_ readline: ReadlinePrompt, state: inout NotebookState, context: NotebookContext) -> [NotebookEffect] {
        state.prompt.prompt = readline.displayPrompt
        state.prompt.pendingLines = readline.pendingLines
        state.prompt.text = readline.text
        state.prompt.cursor = readline.cursor
        state.userIsTyping = !readline.pendingLines.isEmpty || !readline.text.isEmpty
        let next = "[\(context.submitted + 1)]> "
        state.prompt.cellPrompt = next
        let wanted = readline.pendingLines.isEmpty ? next : state.prompt.continuationPrompt
        // Ctrl-R's search prompt stays until the search ends.
        guard readline.displayPrompt != wanted && !readline.displayPrompt.contains("search") else { return [] }
        state.prompt.prompt = wanted
        return [.setReadlinePrompt(wanted)]
    }

    // MARK: - Ctrl-C

    private static func interrupt(state: inout NotebookState, context: NotebookContext) -> [NotebookEffect] {
        if context.replayPlaying {
            // Ctrl-C during a replay stops the replay too: the teacher takes over (`:replay` goes on).
            return [.stopReplay, .cancelCell, .updatePrompt]
        }
        if context.sessionBusy { return [.cancelCell] }
        if state.trainingPaused && !state.userIsTyping {
            // Ctrl-C with nothing typed ends the paused run (the model keeps what it learned).
            return [.submit(.stopTraining), .updatePrompt]
        }
        return [.clearLine, .updatePrompt]
    }

    // MARK: - Commands

    private static func command(_ command: NotebookCommand, state: inout NotebookState, context: NotebookContext) -> [NotebookEffect] {
        switch command {
        case .help(let topic):
            guard topic.isEmpty else { return [.askHelp(topic)] }
            for line in NotebookHelp.notebook { state.note(line) }
        case .variables: return [.askVariables]
        case .save(let path):
            guard !path.isEmpty else { state.note(":save needs a file: :save FILE.mapl or :save FILE.jsonl"); return [] }
            return [.save(path: path)]
        case .load(let path): return [.load(path: path)]
        case .histogram(let path): return [.askHistogram(path)]
        case .lossLogScale(let on): state.setLossLogScale(on)
        case .lossZoom(let steps): state.zoomLoss(by: steps)
        case .followOutput: state.followOutput()
        case .nextPane:
            state.cyclePane()
            refreshHint(&state, context)
        case .pane(let kind): state.showPane(kind)
        case .reopenStepper(let quiz):
            state.closeStepper()
            if state.reopenStepper(quiz: quiz) {
                setStepperHasKeys(true, &state, context)
            } else {
                state.note("no trace yet: :step EXPR walks EXPR's forward and backward passes")
            }
        case .request(.resume(let batches)):
            guard state.trainingPaused else {
                state.note("no training is paused: fit(..., pause=true) pauses before the first batch, F4 while fit runs")
                return []
            }
            return [.submit(.resume(batches: batches))]
        case .request(let request): return [.submit(request)]
        case .present:
            state.togglePresentation()
            refreshHint(&state, context)
        case .clear: state.clearTranscript()
        case .goOnWithReplay:
            guard context.stoppedReplay != nil else { state.note("no stopped replay to go on with (mapl replay FILE starts one)"); return [] }
            return [.goOnWithReplay]
        case .reset: return [.resetSession]
        case .quit: return [.quit]
        case .mistake(let message): state.note(message)
        }
        return []
    }

    // MARK: - Answers

    private static func show(_ answer: NotebookAnswer, in state: inout NotebookState) {
        switch answer {
        case .variables(let vars):
            if vars.isEmpty { state.note("(no variables yet)") }
            let width = vars.map(\.name.count).max() ?? 0
            for v in vars { state.note(v.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + v.summary) }
        case .help(let text): state.note(text)
        case .histogram(_, let h?): state.showHistogram(h)
        case .histogram(let path, nil):
            state.note(":pane hist NAME needs a tensor (a name or a path like m.layers[1].W); '\(path)' is not one")
        }
    }
}
