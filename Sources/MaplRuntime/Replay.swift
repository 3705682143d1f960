import Foundation
import MaplLang

/// A saved session to play again: its cells in order, from a `.mapl` file or a journal.
public struct ReplayScript: Sendable {
    public struct Cell: Sendable, Equatable {
        public var source: String
        /// Where errors point: the file and line for a `.mapl`, the recorded origin for a journal.
        public var origin: String
        public var firstLine: Int
        /// `## ` headings in the cell's leading comments: chapters to jump between.
        public var chapters: [String]
        /// What the user did to it that the replay does again: pauses and an interrupt and the request the
        /// cell was (the session repeats them: `Session.submit(repeating:)`), commands typed before it or while
        /// it ran (the notebook repeats them: `notebookCommands`).
        public var actions: [SessionAction] = []
        /// The pauses and interrupt.
        public var sessionActions: [SessionAction] { actions.filter(\.isSessionAction) }
    }
    public var cells: [Cell]
    /// Commands typed after the last cell.
    public var trailing: [SessionAction] = []
    /// What a journal recorded for each cell (nil for a `.mapl`): the events between its start and end.
    public var recorded: [[DisplayEvent]]?
    /// Lines of a journal that could not be read.
    public var warnings: [String]

    /// Reads `text` from `path`: a journal when it ends in `.jsonl` (or starts with the journal header),
    /// else a `.mapl` cut into cells.
    public init(text: String, path: String) {
        if path.hasSuffix(".jsonl") || text.hasPrefix("{\"mapl\":\"events\"") {
            self.init(journal: JournalReader(bytes: Array(text.utf8)))
        } else {
            let annotated = Annotations.read(text)
            self.init(cells: annotated.cells.map { Cell(source: $0.source, origin: path, firstLine: $0.firstLine, chapters: $0.chapters, actions: $0.actions) },
                      recorded: nil, warnings: annotated.warnings, trailing: annotated.trailing)
        }
    }

    /// The cells of a journal, read as a stream, and what each recorded.
    public init(journal: JournalReader) {
        var cells: [Cell] = [], recorded: [[DisplayEvent]] = [], warnings: [String] = []
        var open: Int? = nil
        // Commands journaled between cells (or before the cell they ran during had started) wait for the next one.
        var waiting: [SessionAction] = []
        for item in journal {
            guard case .event(let event) = item else {
                if case .warning(let w) = item { warnings.append(w) }
                continue
            }
            switch event {
            case .cellStarted(let c):
                cells.append(Cell(source: c.source, origin: c.origin, firstLine: c.firstLine,
                                  chapters: SourceCells.headings(c.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)),
                                  actions: waiting))
                waiting = []
                recorded.append([])
                open = recorded.count - 1
            case .cellQueued: continue
            case .action(let a):
                // The session's own (a pause, an interrupt) are outputs too; commands are the notebook's.
                if let i = open {
                    cells[i].actions.append(a)
                    if a.isSessionAction { recorded[i].append(event) }
                } else if !a.isSessionAction {
                    waiting.append(a)
                }
            case .cellEnded:
                if let i = open { recorded[i].append(event) }
                open = nil
            default:
                if let i = open { recorded[i].append(event) }
            }
        }
        self.init(cells: cells, recorded: recorded, warnings: warnings, trailing: waiting)
    }

    /// A script made of its parts.
    public init(cells: [Cell], recorded: [[DisplayEvent]]?, warnings: [String], trailing: [SessionAction] = []) {
        self.cells = cells; self.recorded = recorded; self.warnings = warnings; self.trailing = trailing
    }

    /// Leaves out the recorded cells that ended in an error (`:save` writes them as comments).
    public mutating func dropFailedCells() {
        guard let recorded else { return }
        let kept = cells.indices.filter { i in
            !recorded[i].contains { if case .cellEnded(let e) = $0 { return e.outcome == .error }; return false }
        }
        cells = kept.map { cells[$0] }
        self.recorded = kept.map { recorded[$0] }
    }

    /// The index of the cell that opens the chapter after (or before) cell `i`, if any.
    public func chapter(after i: Int) -> Int? { cells.indices.first { $0 > i && !cells[$0].chapters.isEmpty } }
    public func chapter(before i: Int) -> Int? { cells.indices.last { $0 < i && !cells[$0].chapters.isEmpty } }
}
