/// Which part of the notebook has the keys: readline's prompt, the stepper, or a replay playing.
enum KeyMode: Equatable {
    case prompt, stepper, replay
}

/// What a key asks the notebook to do.
enum KeyAction: Equatable {
    // Every mode.
    case cyclePane, focusStepper, pauseTraining, togglePresentation
    case toggleLossLogScale
    /// F7 zooms the loss pane in one step (towards the newest points), F8 out.
    case zoomLoss(Int)
    /// PgUp (older lines, +1) and PgDn (−1).
    case scroll(pages: Int)
    case wheel(up: Bool, x: Int, y: Int)
    // The stepper.
    case step(StepperMove)
    /// q: the stepper closes.
    case closeStepper
    /// Tab, Esc: the keys go back to the prompt (or the replay), the stepper stays on the screen.
    case releaseStepper
    // A replay.
    case replayGoOn, replayTogglePause, replayBack, replayPreviousChapter, replayNextChapter
    /// q in a replay closes the stepper, never the replay.
    case replayQuit
    /// X stops the replay; the prompt is the user's.
    case replayStop
}

/// The stepper's own keys.
enum StepperMove: Equatable {
    case next, previous, first, last, backward, graph, layers, expand, reveal
}

/// The notebook's keys, in one table: what each does in each mode (docs/notebook.md shows it to users). At
/// the prompt, readline has every key the table leaves out; in the stepper a key it leaves out shows which
/// keys the stepper takes; in a replay it is ignored.
enum KeyMap {
    static func action(for key: Key, in mode: KeyMode) -> KeyAction? {
        switch (mode, key) {
        case (.stepper, .character("n")), (.stepper, .right), (.stepper, .character(" ")): return .step(.next)
        case (.stepper, .character("p")), (.stepper, .left), (.stepper, .backspace): return .step(.previous)
        case (.stepper, .home): return .step(.first)
        case (.stepper, .end): return .step(.last)
        case (.stepper, .character("b")): return .step(.backward)
        case (.stepper, .character("g")): return .step(.graph)
        case (.stepper, .character("l")): return .step(.layers)
        case (.stepper, .character("e")), (.stepper, .enter): return .step(.expand)
        case (.stepper, .character("r")): return .step(.reveal)
        case (.stepper, .character("q")): return .closeStepper
        case (.stepper, .tab), (.stepper, .escape): return .releaseStepper
        // F3 gives the stepper the keys: the stepper has them already.
        case (.stepper, .function(3)): return nil

        case (.replay, .enter), (.replay, .character("n")): return .replayGoOn
        case (.replay, .character(" ")): return .replayTogglePause
        case (.replay, .character("p")): return .replayBack
        case (.replay, .character("[")): return .replayPreviousChapter
        case (.replay, .character("]")): return .replayNextChapter
        case (.replay, .character("q")): return .replayQuit
        case (.replay, .character("X")): return .replayStop

        case (_, .function(2)): return .cyclePane
        case (_, .function(3)): return .focusStepper
        case (_, .function(4)): return .pauseTraining
        case (_, .function(5)): return .togglePresentation
        case (_, .function(6)): return .toggleLossLogScale
        case (_, .function(7)): return .zoomLoss(1)
        case (_, .function(8)): return .zoomLoss(-1)
        case (_, .pageUp): return .scroll(pages: 1)
        case (_, .pageDown): return .scroll(pages: -1)
        case (_, .wheel(let up, let x, let y)): return .wheel(up: up, x: x, y: y)
        default: return nil
        }
    }

    /// The escape sequences readline hands to the notebook at the prompt: those of every key the table gives
    /// an action there (the mouse wheel, whose report has a variable tail, is bound on its own).
    static var promptBindings: [(sequence: String, key: Key)] {
        Key.sequences.filter { action(for: $0.value, in: .prompt) != nil }
            .map { ("\u{1B}" + $0.key, $0.value) }
            .sorted { $0.sequence < $1.sequence }
    }
}
