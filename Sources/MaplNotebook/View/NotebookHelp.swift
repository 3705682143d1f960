/// The help the notebook's `:help` and `mapl --help` share, written once: the notebook's keys and commands,
/// where the language's own help is, and the keys of a replay.
public enum NotebookHelp {
    /// Where help on the language is, inside mapl.
    public static let language = "help() lists the builtins, keywords and syntax, and help(name) explains one with an example: help(dense), help(\"for\"), help(\">>\")."

    /// `:help`: the keys, the commands, the stepper, training one batch at a time, presenting.
    public static let notebook = [
        "keys: Enter runs a cell (it continues while it is incomplete) · Tab completes · Up/Down and Ctrl-R search history",
        "      Ctrl-C stops a running cell or clears the line · Ctrl-D on an empty line quits · PgUp/PgDn scroll · F2 switches the pane · F5 presents it",
        "commands: ?name or :help name explains a builtin, keyword or operator · :vars lists your names",
        "          :save FILE.mapl (the cells, runnable) · :save FILE.jsonl (the journal) · :save FILE.md (a handout) · :load FILE runs a file here · :replay goes on with a stopped replay",
        "          :pane loss|hist|digits|graph|off keeps that pane, :pane auto follows new pictures, :pane next (F2) the next · :clear empties the transcript · :reset forgets every name · :quit",
        "          :pane loss log|linear (F6 toggles) · :pane loss + / - / all zoom to the newest points and back (F7, F8)",
        "          :set show N prints tensors of up to N elements in full, matrices as grids (show_limit(N)); :set show auto fits the pane",
        "stepper:  trace(expr) or :step expr walks the forward and backward passes · :step --quiz expr hides each answer until r · :step reopens it",
        "          keys: n/→ next · p/← back · Home/End · b backward · g graph · l layers · e expand · q close · Tab/Esc back to the prompt · F3 stepper again",
        "training: fit(..., pause=true) or F4 while fit runs pauses at a batch · :next [N] trains N batches (1) · :continue goes on · Ctrl-C stops",
        "present:  F5 or :present gives the pane the whole screen (the prompt stays); F5 again brings the transcript back",
        language,
    ]

    /// The keys while `mapl replay` plays a session.
    public static let replayKeys = """
        Keys while replaying: Enter or n runs the next cell (with --pause), Space pauses and resumes, \
        p shows the previous cell's output, [ and ] jump to the previous and next chapter (## headings), \
        X (or Ctrl-C) stops replaying and gives you the prompt — :replay goes on from there; q only closes \
        the stepper.
        """
}
