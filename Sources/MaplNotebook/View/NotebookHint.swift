/// The bottom row's hint: what the keys do now, from who has them (the stepper, a replay, the prompt) and
/// what the session is doing (a cell running, a run paused). Pure, so each case is tested on its own.
enum NotebookHint {
    /// At the prompt with nothing running.
    static let idle = NotebookState(title: "").hint
    /// In presentation mode (F5).
    static let presenting = "F5 transcript · F2 pane · F6 log · F7/F8 zoom · Tab complete · Ctrl-C stop · Ctrl-D quit"

    /// The hint for `state` with the stepper holding the keys or not, a replay playing or not, and a replay
    /// stopped at `stoppedReplay` (its next cell and cell count) or not; nil while a replay plays and the
    /// stepper does not have the keys (the replay writes its own status there).
    static func text(stepperHasKeys: Bool, replayPlaying: Bool, stoppedReplay: (cell: Int, of: Int)?, state: NotebookState) -> String? {
        if stepperHasKeys {
            return "stepper keys: q close · Tab back to \(replayPlaying ? "the replay" : "the prompt") · F2 pane · PgUp/PgDn scroll"
        }
        if replayPlaying { return nil }
        if let stopped = stoppedReplay, !state.isRunning { return replayStopped(at: stopped.cell, of: stopped.of) + " · " + idle }
        if state.presenting { return (state.isRunning ? "F4 pause · " : "") + presenting }
        if state.stepper != nil { return "F3 stepper keys · " + idle }
        if state.trainingPaused && !state.isRunning {
            return "training paused: :next one batch · :continue · Ctrl-C stops it · F2 pane · Tab complete · Ctrl-D quit"
        }
        if state.isRunning { return "F4 pauses training · " + idle }
        return idle
    }

    /// `replay stopped at cell 3/7 · :replay goes on`.
    static func replayStopped(at cell: Int, of count: Int) -> String { "replay stopped at cell \(cell)/\(count) · :replay goes on" }
}
