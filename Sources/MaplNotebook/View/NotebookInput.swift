import MaplProtocol
import MaplRuntime

/// What reaches the notebook, for `NotebookReducer` to decide on.
enum NotebookInput {
    /// The events the session sent since they were last taken in.
    case events([DisplayEvent])
    /// A key's action (`KeyMap`) at the prompt, in the stepper, or a replay's key every mode shares.
    case key(KeyAction)
    /// A key the stepper has no use for while it has the keys.
    case unmappedStepperKey
    /// Readline gave back a line (nil: Ctrl-D on an empty line), with the lines of the cell begun before it;
    /// `isIncomplete` asks the session whether a cell's source needs more lines.
    case line(String?, pending: [String], isIncomplete: (String) -> Bool)
    /// Readline's line changed (or a cell was submitted): what it shows, for the prompt on the screen.
    case promptChanged(ReadlinePrompt)
    /// A cell went to the session.
    case queued
    /// Readline's Tab found these candidates, shown above the prompt.
    case completions([String])
    /// Ctrl-C or Ctrl-\.
    case interrupt
    /// A `:command` or `?name` line (trimmed), typed or done by a replay.
    case command(String)
    /// The session answered a question the notebook asked (`:vars`, `?name`, `:pane hist`).
    case answer(NotebookAnswer)
    /// The session tried `:reset`: it forgets every name unless a cell runs.
    case resetDone(succeeded: Bool)
    /// A line to show in the transcript.
    case note(String)
    /// The clock moved on while a replay plays: it may submit a cell.
    case replayTick
    /// After the tick's submission: the commands the user typed when the replay was recorded fall due.
    case replayCommandsDue
    /// X or Ctrl-C stopped the replay before its cell `cell` of `count`: the prompt is the user's.
    case replayStopped(cell: Int, of: Int)
    /// After a tick's effects: the replay's status in the hint line and the cell it is typing in the prompt.
    case replayFrame
}

/// What the session answered, the UI thread's to show.
enum NotebookAnswer {
    case variables([VariableInfo])
    case help(String)
    case histogram(String, HistogramData?)
}

/// What the reducer asks the notebook's I/O shell to do: the session, the journal, the files, readline, the
/// replay. The shell redraws after every input.
enum NotebookEffect {
    /// A typed request to the session, shown as a cell.
    case submit(SessionRequest)
    /// A cell typed at the prompt goes to the session.
    case submitCell(String)
    /// The lines of a cell begun, waiting for the rest.
    case setPendingLines([String])
    /// Readline's prompt becomes this (`[n]> ` or `...> `).
    case setReadlinePrompt(String)
    /// Readline's history keeps the cell or command.
    case appendHistory(String)
    /// A `:command` typed at the prompt is done (and recorded if it changes what is shown).
    case runCommand(String)
    /// Ctrl-C the running cell.
    case cancelCell
    /// F4: pause the training under way at its next batch.
    case pauseTraining
    /// Forget what is typed at the prompt (and the lines of a cell begun).
    case clearLine
    /// The replay playing stops; the prompt is the user's.
    case stopReplay
    /// `:replay`: the stopped replay goes on.
    case goOnWithReplay
    /// Write the event to the session's journal.
    case journal(DisplayEvent)
    /// A cell ended: the replay waiting on it moves on.
    case replayCellEnded(Int)
    /// A replayed cell goes to the session (typed out, or run at once by `]`); the replay learns its number.
    case submitReplayed(ReplayScript.Cell, skipped: Bool)
    /// A command the replay recorded is done now, said in the transcript first.
    case replayCommand(String)
    /// The replay played its last cell: the prompt is the user's.
    case replayFinished
    case askVariables
    case askHelp(String)
    case askHistogram(String)
    case save(path: String)
    case load(path: String)
    /// `:reset`: the session forgets every name (answered with `.resetDone`).
    case resetSession
    /// Readline's prompt shows the state again.
    case updatePrompt
    case quit
}

/// What the reducer reads beside the state: what the shell's session, replay and screen are doing now.
struct NotebookContext {
    var sessionBusy = false
    var replayPlaying = false
    /// A replay stopped with X or Ctrl-C: its next cell and its cell count.
    var stoppedReplay: (cell: Int, of: Int)?
    var width = 80, height = 24
    /// The replay playing (not finished, not stopped), whose clock the reducer moves and asks.
    var replay: ReplayController?
    /// The number the session gave the last cell submitted.
    var submitted = 0
    /// The UI clock, in seconds.
    var now = 0.0
}

/// What readline shows at the prompt: its prompt (ours, or its search prompt during Ctrl-R), the line being
/// edited, and the lines of a cell begun.
struct ReadlinePrompt {
    var displayPrompt: String
    var text: String
    var cursor: Int
    var pendingLines: [String]
}
