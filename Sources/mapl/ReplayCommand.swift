import ArgumentParser
import Foundation
import MaplEngine
import MaplLang
import MaplNotebook
import MaplRuntime

/// `mapl replay FILE`: plays a saved session (a `.mapl` file or a journal) in the notebook, typing each cell
/// in visibly; `--rerun-check` re-executes a journal headless and compares every output with the recorded one.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a saved session (.mapl or .jsonl journal) in the notebook, cell by cell.",
        discussion: """
            Keys while replaying: Enter or n runs the next cell (with --pause), Space pauses and resumes, \
            p shows the previous cell's output, [ and ] jump to the previous and next chapter (## headings), \
            q stops replaying and gives you the prompt.
            """)

    @ArgumentParser.Argument(help: "A .mapl file or a journal (.jsonl).")
    var file: String

    @Flag(help: "Wait for Enter (or n) before each cell.")
    var pause = false

    @Option(help: "Seconds to wait between cells.")
    var delay: Double = 1

    @Option(help: "Typing speed: 1 is about 40 characters a second, 2 twice that; 0 shows each cell at once.")
    var speed: Double = 1

    @Flag(help: "Re-execute the journal headless and compare every output with the recorded one; exit 1 naming the first cell that differs.")
    var rerunCheck = false

    @Flag(help: "Draw every picture, plot and border in plain ASCII.")
    var ascii = false

    mutating func run() throws {
        guard delay.isFinite, delay >= 0, speed.isFinite, speed >= 0 else {
            FileHandle.standardError.write(Data("mapl: --delay and --speed take a number ≥ 0\n".utf8))
            throw ExitCode(2)
        }
        let isJournal = file.hasSuffix(".jsonl") || JournalReader.startsLikeJournal(file)
        if rerunCheck {
            guard isJournal else {
                FileHandle.standardError.write(Data("mapl: --rerun-check needs a journal (.jsonl) with recorded outputs\n".utf8))
                throw ExitCode(2)
            }
            try checkRerun()
            return
        }
        let script = isJournal ? ReplayScript(journal: try CommandInput.journal(file)) : ReplayScript(text: try CommandInput.read(file), path: file)
        CommandInput.warn(script.warnings, in: file)
        guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
            FileHandle.standardError.write(Data("mapl: replay plays in the notebook and needs a terminal (use --rerun-check headless)\n".utf8))
            throw ExitCode(2)
        }
        let plan = ReplayPlan(cells: script.cells, pauseBeforeEach: pause, delay: delay, speed: speed)
        throw ExitCode(Notebook.run(NotebookOptions(file: file, ascii: ascii, replay: plan)))
    }

    /// Re-executes the journal as it is read (any size) and compares; what came from the file is shown, not
    /// obeyed. A journal with no recorded cell — empty, not a journal, all lines unreadable — fails: a check
    /// with nothing to check proves nothing.
    private func checkRerun() throws {
        let journal = try CommandInput.journal(file)
        var skipped = 0
        let events = journal.lazy.compactMap { [file] item -> DisplayEvent? in
            switch item {
            case .event(let e): return e
            case .header: return nil
            case .warning(let w): CommandInput.warn([w], in: file); skipped += 1; return nil
            }
        }
        Engine.configure(.recommended)
        let outcome = RerunCheck.check(events)
        let unread = skipped == 0 ? "" : " (\(skipped) unreadable line\(skipped == 1 ? "" : "s") skipped, named above)"
        switch outcome {
        case .different(let difference):
            print(TerminalText.visible("rerun check failed: \(difference)"))
            throw ExitCode(1)
        case .nothingToCheck:
            print(TerminalText.visible("rerun check failed: \(file) holds no recorded cell to check") + unread)
            throw ExitCode(1)
        case .same(let cells):
            print("rerun check passed: \(cells) cells, every output the same" + unread)
        }
    }
}
