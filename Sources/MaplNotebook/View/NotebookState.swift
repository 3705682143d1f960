import MaplLang

/// What the notebook's right-hand (or lower) pane shows. `:pane loss|hist|digits|graph|off` or F2 switch it.
public enum PaneKind: String, CaseIterable, Sendable {
    /// Loss curves (train and validation) with the progress line: `fit`, `report(...)`, and `plot(...)`.
    case loss
    /// Weight histograms per layer during training (from snapshots), or the last `hist(...)`.
    case hist
    /// The last `show(...)`: grey levels, label, predicted probabilities.
    case digits
    /// The last `graph(...)` (and `heatmap(...)`).
    case graph
    case off
}

/// The prompt line as readline has it: what is typed and where the cursor is.
public struct PromptState: Sendable, Equatable {
    /// `[5]> `, or `...> ` for a continuation line.
    public var prompt: String = "[1]> "
    /// The lines of the cell typed so far (a multi-line cell waits for the parser to say it is complete).
    public var pendingLines: [String] = []
    /// The line being edited.
    public var text: String = ""
    /// The cursor as a character index into `text`.
    public var cursor: Int = 0
    public init() {}
}

/// Everything the notebook screen shows, built only from mapl's own data (events from the session, what
/// the user typed), so any frame can be redrawn from scratch at any size: after a resize, a scroll, or a
/// pane switch nothing is lost and nothing is stale.
public struct NotebookState: Sendable {
    /// The name in the title bar (`mapl`, `mapl ─ sessions/demo.mapl`).
    public var title: String
    /// The prompt, set by the input layer on every keystroke.
    public var prompt = PromptState()
    /// The one-line key hint under the prompt.
    public var hint = "F2 pane · PgUp/PgDn scroll · Tab complete · Ctrl-C stop · Ctrl-D quit"
    /// Completion candidates drawn above the prompt (empty: none shown).
    public var completions: [String] = []
    /// Which pane is shown.
    public var pane: PaneKind = .loss
    /// True while a cell runs (the hint then says Ctrl-C interrupts it).
    public var isRunning = false
    /// Lines scrolled up from the bottom of the transcript (0: following the newest output).
    public var scrollOffset = 0

    public init(title: String) { self.title = title }

    /// Takes in one event from the session: transcript entries (cell inputs, printed text, values, errors,
    /// one-line notes for pictures sent to the pane) and pane data (loss curve, progress, histograms,
    /// images, heatmaps, graphs).
    public mutating func apply(_ event: DisplayEvent) {
        // Implemented by the notebook view work: see NOTEBOOK-VIEW.md in the brief.
    }

    /// A line from the notebook itself into the transcript (`:vars` output, a saved-file note, a warning
    /// about the history file).
    public mutating func note(_ text: String) {
    }
}
