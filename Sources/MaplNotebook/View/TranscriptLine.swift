import MaplProtocol

/// What a transcript line is: it decides the line's indent and style.
public enum TranscriptLineKind: UInt8, Sendable {
    /// The first line of a cell's input, drawn after `[3] `.
    case input
    /// A further line of a cell's input, under the first.
    case inputContinuation
    /// What the program printed.
    case text
    /// The echoed value of the cell.
    case value
    /// `summary(...)` and other tables.
    case table
    /// `trace(...)`: the line saying its walk opened in the stepper.
    case trace
    /// `fit`'s per-epoch lines and how it ended.
    case training
    /// A one-line note that a picture went to the pane.
    case paneNote
    case warning
    case error
    case interrupted
    /// "… 12,345 lines not kept …" where the middle of a long output was dropped.
    case elision
    /// A line from the notebook itself (`:vars`, a saved-file note).
    case note

    /// Output lines are drawn indented under the input.
    var isOutput: Bool { self != .input && self != .inputContinuation && self != .note }

    /// Lines mapl wrote itself, whose symbols `--ascii` spells in ASCII (what the program printed, its
    /// values and its source stay as they are).
    var isFoldable: Bool {
        switch self {
        case .table, .trace, .training, .paneNote, .elision, .note, .warning, .interrupted: return true
        default: return false
        }
    }
}

/// One line of the transcript as it was produced, before wrapping; wrapping happens at draw time for the
/// width of the moment.
public struct TranscriptLine: Sendable, Equatable {
    public let text: String
    public let kind: TranscriptLineKind
    /// The line's width in columns when it is pure ASCII (wrapping it is then arithmetic), else nil.
    let asciiWidth: Int?
    /// A row of a matrix's grid: laid out for the width at draw time (middle columns elided), never wrapped.
    let matrix: MatrixLine?

    /// Lines longer than this are cut, with a note of how much was left out.
    public static let maxLength = 10_000

    public init(_ text: String, kind: TranscriptLineKind) {
        var t = TranscriptLine.expandingTabs(text)
        if t.count > TranscriptLine.maxLength {
            let rest = t.count - TranscriptLine.maxLength
            t = String(t.prefix(TranscriptLine.maxLength)) + " … (\(rest) more characters)"
        }
        self.text = t
        self.kind = kind
        asciiWidth = t.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? t.utf8.count : nil
        matrix = nil
    }

    /// Line `line` of `grid`, as one transcript line (its `text` the whole row, for searching and tests).
    init(grid: MatrixGrid, line: Int) {
        text = MatrixLine.indent + grid.text(line)
        kind = .value
        asciiWidth = nil
        matrix = MatrixLine(grid: grid, line: line)
    }

    /// Tabs to spaces, to the next multiple of 8 columns (the grid would show a tab as `?`); a carriage
    /// return before the line end (CRLF text) is dropped.
    static func expandingTabs(_ s: String) -> String {
        var s = s
        if s.utf8.last == 13 { s.removeLast() }
        guard s.utf8.contains(9) else { return s }
        var out = ""
        var column = 0
        for ch in s {
            if ch == "\t" {
                let n = 8 - column % 8
                out += String(repeating: " ", count: n)
                column += n
            } else {
                out.append(ch)
                column += 1
            }
        }
        return out
    }
}

/// One line of a matrix's grid in the transcript.
struct MatrixLine: Sendable, Equatable {
    let grid: MatrixGrid
    let line: Int
    /// The grid stands this far in under its heading.
    static let indent = "  "

    static func == (a: MatrixLine, b: MatrixLine) -> Bool { a.grid === b.grid && a.line == b.line }
}
