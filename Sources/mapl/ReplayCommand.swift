import ArgumentParser
import Foundation
import MaplEngine
import MaplFrontEnd
import MaplLang
import MaplNotebook
import MaplRuntime

/// `mapl replay FILE`: plays a saved session (a `.mapl` file or a journal) in the notebook, typing each cell
/// in visibly; `--rerun-check` re-executes a journal headless and compares every output with the recorded one.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a saved session (.mapl or .jsonl journal) in the notebook, cell by cell.",
        discussion: NotebookHelp.replayKeys + """
             What the user did when the session was recorded (F4 pauses, Ctrl-C interrupts, :pane choices, \
            :step and :next) is done again where it was.
            """)

    @ArgumentParser.Argument(help: "A .mapl file or a journal (.jsonl).")
    var file: String

    @Flag(help: "Wait for Enter (or n) before each cell.")
    var pause = false

    @Option(help: "Seconds to wait between cells.")
    var delay: Double = 1

    @Option(help: "Typing speed: 1 is about 40 characters a second, 2 twice that; 0 shows each cell at once.")
    var speed: Double = 1

    @Option(help: "Start at cell N: the cells before it run at once, untyped.")
    var from: Int = 1

    @Flag(help: "Re-execute the journal headless and compare every output with the recorded one; exit 1 naming the first cell that differs.")
    var rerunCheck = false

    @Option(help: "With --rerun-check on a .mapl: the journal whose recorded outputs its cells must give again (the journal of the session :save wrote it from).")
    var against: String? = nil

    @OptionGroup var drawing: DrawingOptions

    @Option(help: ArgumentHelp("Play the replay headless and record it as an asciicast v2 file (a marker at each chapter).", valueName: "OUT.cast"))
    var cast: String? = nil

    @Option(help: ArgumentHelp("With --cast: the recorded terminal's size.", valueName: "COLUMNSxROWS"))
    var size: String = "120x36"

    @Option(help: .hidden)
    var castLog: String? = nil

    mutating func run() throws {
        guard delay.isFinite, delay >= 0, speed.isFinite, speed >= 0 else {
            FileHandle.standardError.write(Data("mapl: --delay and --speed take a number ≥ 0\n".utf8))
            throw ExitCode(2)
        }
        let isJournal = file.hasSuffix(".jsonl") || JournalReader.startsLikeJournal(file)
        if rerunCheck, against == nil {
            guard isJournal else {
                FileHandle.standardError.write(Data("mapl: --rerun-check needs a journal (.jsonl) with recorded outputs, or a .mapl and --against JOURNAL\n".utf8))
                throw ExitCode(2)
            }
            try checkRerun()
            return
        }
        let script = isJournal ? ReplayScript(journal: try CommandInput.journal(file)) : ReplayScript(text: try CommandInput.read(file), path: file)
        CommandInput.warn(script.warnings, in: file)
        if rerunCheck, let against { try checkSaved(script, against: against); return }
        guard from >= 1, from <= max(script.cells.count, 1) else {
            FileHandle.standardError.write(Data("mapl: --from takes a cell number from 1 to \(script.cells.count), got \(from)\n".utf8))
            throw ExitCode(2)
        }
        if let cast { throw ExitCode(try record(to: cast)) }
        guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
            FileHandle.standardError.write(Data("mapl: replay plays in the notebook and needs a terminal (use --rerun-check headless)\n".utf8))
            throw ExitCode(2)
        }
        let plan = ReplayPlan(cells: script.cells, pauseBeforeEach: pause, delay: delay, speed: speed, from: from, trailing: script.trailing)
        throw ExitCode(Notebook.run(NotebookOptions(file: file, ascii: drawing.ascii, replay: plan, castLog: castLog)))
    }

    /// `--cast OUT.cast`: the same replay, played by the notebook on a pseudo-terminal of `--size`, recorded.
    private func record(to path: String) throws -> Int32 {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (20...1000).contains(parts[0]), (10...1000).contains(parts[1]) else {
            FileHandle.standardError.write(Data("mapl: --size takes COLUMNSxROWS, 20x10 to 1000x1000 (120x36), got \(size)\n".utf8))
            return 2
        }
        guard !pause else {
            FileHandle.standardError.write(Data("mapl: --cast plays without waiting for keys: leave out --pause\n".utf8))
            return 2
        }
        var arguments = ["replay", file, "--delay", "\(delay)", "--speed", "\(speed)", "--from", "\(from)"]
        if drawing.ascii { arguments.append("--ascii") }
        do {
            return try CastRecorder.record(arguments: arguments, width: parts[0], height: parts[1],
                                           title: (file as NSString).lastPathComponent, to: path)
        } catch {
            FileHandle.standardError.write(Data("mapl: \(error)\n".utf8))
            return 1
        }
    }

    /// A saved .mapl checked against the journal of the session it was saved from: its cells (with their
    /// annotations) must give the journal's outputs, error reports named as the journal names them.
    private func checkSaved(_ saved: ReplayScript, against: String) throws {
        var script = saved
        var journal = ReplayScript(journal: try CommandInput.journal(against))
        CommandInput.warn(journal.warnings, in: against)
        journal.dropFailedCells()  // :save keeps them as comments only
        guard let recorded = journal.recorded, !recorded.isEmpty, journal.cells.count == script.cells.count else {
            print("rerun check failed: \(file) has \(script.cells.count) cells, the journal \(against) \(journal.cells.count)")
            throw ExitCode(1)
        }
        script.recorded = recorded
        for i in script.cells.indices { script.cells[i].origin = journal.cells[i].origin; script.cells[i].firstLine = journal.cells[i].firstLine }
        if let difference = RerunCheck.run(script) {
            print(TerminalText.visible("rerun check failed: \(difference)"))
            throw ExitCode(1)
        }
        print("rerun check passed: \(script.cells.count) cells, every output the same")
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
