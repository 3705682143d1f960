import MaplProtocol
import MaplRuntime

/// What `:save FILE.mapl` writes, kept as the session goes: each cell run, how it ended, and what the user did
/// to it (`SessionAction`: F4, Ctrl-C, the request it was, a `:pane` typed before it or while it ran). It
/// takes the session's events (`apply`) and the commands the notebook records; `mapl` is the saved file.
struct SessionRecord {
    struct Cell: Equatable {
        var number: Int
        var source: String
        /// Nil while it runs.
        var outcome: CellEnd.Outcome?
        var actions: [SessionAction]
    }
    private(set) var cells: [Cell] = []
    /// Commands typed since the last cell started, for the next one.
    private(set) var commandsForNextCell: [SessionAction] = []

    mutating func apply(_ event: DisplayEvent) {
        switch event {
        case .cellStarted(let cell):
            cells.append(Cell(number: cell.number, source: cell.source, outcome: nil, actions: commandsForNextCell))
            commandsForNextCell = []
        case .action(let action):
            if !cells.isEmpty { cells[cells.count - 1].actions.append(action) }
        case .cellEnded(let end):
            if let i = cells.lastIndex(where: { $0.number == end.number }) { cells[i].outcome = end.outcome }
        default:
            break
        }
    }

    /// A command typed now: it belongs to the cell running (`running`), else to the next cell.
    mutating func record(_ action: SessionAction, running: Bool) {
        if running, let last = cells.last, last.outcome == nil { cells[cells.count - 1].actions.append(action) }
        else { commandsForNextCell.append(action) }
    }

    /// The `.mapl` file: what the user did to a cell goes above it as `#@ ` annotations, which mapl replay and
    /// mapl run do again (docs/language.md). A failed cell is a comment, and only the commands typed around it
    /// are kept (for the next cell); a cell of several statements stays one cell (`#@ cell of N lines`).
    var mapl: String {
        var text = Annotations.saveHeader + "\n"
        for cell in cells {
            let failed = cell.outcome == .error
            let actions = failed ? cell.actions.filter { !$0.isSessionAction && $0.request == nil } : cell.actions
            text += "\n" + Annotations.lines(actions) + (failed ? "" : Annotations.extent(of: cell.source) ?? "")
            if failed {
                text += "# [\(cell.number)] failed when it ran; kept as a comment:\n"
                text += cell.source.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n") + "\n"
            } else {
                text += cell.source + "\n"
            }
        }
        if !commandsForNextCell.isEmpty { text += "\n" + Annotations.lines(commandsForNextCell) }
        return text
    }
}
