import MaplRuntime

/// A replay playing in front of a class, as the reducer drives it: `ReplayController` keeps the clock (what is
/// typed when, which recorded commands come due); these decide what its keys, ticks and frames do.
extension NotebookReducer {
    /// The clock moved on: the cell whose typing has finished goes to the session.
    static func replayTick(_ context: NotebookContext) -> [NotebookEffect] {
        guard let cell = context.replay?.tick(now: context.now) else { return [] }
        return [.submitReplayed(cell, skipped: false)]
    }

    /// Once the tick's cell is submitted (it brings the commands typed while it ran): the commands due now.
    static func replayCommandsDue(_ context: NotebookContext) -> [NotebookEffect] {
        (context.replay?.takeDueCommands() ?? []).map { .replayCommand($0) }
    }

    /// Keys while a replay plays: Enter/n next, Space pause, p back, [ ] chapters, X stop; q only closes the
    /// stepper (a class must not lose the replay to the key that closes a walk).
    static func replayKey(_ action: KeyAction, _ r: ReplayController, state: inout NotebookState, context: NotebookContext) -> [NotebookEffect] {
        switch action {
        case .replayGoOn: r.goOn(now: context.now)
        case .replayTogglePause: r.togglePause(now: context.now)
        case .replayBack: if let cell = r.previousCell() { state.scrollToCell(cell) }
        case .replayPreviousChapter: if let cell = r.previousChapterCell() { state.scrollToCell(cell) }
        case .replayNextChapter: return r.skipToNextChapter(now: context.now).map { .submitReplayed($0, skipped: true) }
        case .replayQuit:
            if state.stepper != nil {
                state.closeStepper()
                refreshHint(&state, context)
            } else {
                r.notice = "X stops the replay (q closes the stepper)"
            }
        case .replayStop: return [.stopReplay]
        default: break
        }
        return []
    }

    /// The replay's status in the hint line (unless the stepper has the keys) and what it has typed so far
    /// in the prompt; or, once it has played its last cell, the prompt back to the user.
    static func replayFrame(state: inout NotebookState, context: NotebookContext) -> [NotebookEffect] {
        guard let r = context.replay else { return [] }
        if r.isFinished {
            state.hint = "replay finished · the prompt is yours · " + NotebookHint.idle
            return [.replayFinished, .updatePrompt]
        }
        if !state.stepperHasKeys { state.hint = (r.notice.map { $0 + " · " } ?? "") + r.status }
        let cellPrompt = "[\(context.submitted + 1)]> "
        if let typed = r.typed(now: context.now) {
            state.prompt.cellPrompt = cellPrompt
            state.prompt.pendingLines = typed.lines
            state.prompt.prompt = typed.lines.isEmpty ? cellPrompt : state.prompt.continuationPrompt
            state.prompt.text = typed.current
            state.prompt.cursor = typed.current.count
        } else {
            state.prompt.pendingLines = []
            state.prompt.prompt = cellPrompt
            state.prompt.text = ""
            state.prompt.cursor = 0
        }
        return []
    }
}
