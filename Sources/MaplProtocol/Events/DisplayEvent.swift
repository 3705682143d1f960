import Foundation
import MaplCore

/// What a running program shows, as data: the one contract between the language and every front end.
///
/// Builtins never draw or print for a particular screen. `print` emits `.text`, `plot` emits `.plot` with the
/// numbers, `fit` emits training events, and each front end decides how they look: `mapl run` renders them
/// as text (`TextRenderer`), `mapl run --json` writes them as JSON lines (`EventJSON`), the notebook draws
/// them in its transcript and pane at their current size. Every payload is a `Sendable` value, so events
/// cross from the session thread to a front end's thread without sharing anything mutable.
public enum DisplayEvent: Sendable {
    /// A cell was submitted (it may wait behind a running one): written at once, so a journal holds every
    /// cell typed even if the process dies before it runs.
    case cellQueued(CellInfo)
    /// A cell began running: its number and its source.
    case cellStarted(CellInfo)
    /// Lines a program printed (`print`, `help`, `vars`); may hold newlines.
    case text(String)
    /// The value the prompt echoes: the cell's last expression, when it is not `none`.
    case value(EchoedValue)
    /// `plot(...)`: the series as numbers.
    case plot(PlotData)
    /// `hist(...)`: the bins.
    case histogram(HistogramData)
    /// `show(...)`: an image's grey levels, its caption and, when known, the label and a model's prediction.
    case image(ImageData)
    /// `heatmap(W)`.
    case heatmap(HeatmapData)
    /// `graph(x)`: the computation graph's nodes and edges.
    case graph(GraphData)
    /// `trace(x)`: the forward and backward steps.
    case trace(TraceData)
    /// `summary(model)`: a table.
    case table(TableData)
    /// `fit`'s progress: started, each batch, each epoch, ended, and opt-in snapshots.
    case training(TrainingEvent)
    /// `report(loss)` from a hand-written training loop: one named number per step.
    case metric(MetricData)
    /// Something suspicious that does not stop the program.
    case warning(WarningData)
    /// The error that stopped the cell, with its report as `mapl run` prints it.
    case error(ErrorReport)
    /// The cell stopped because the user asked (Ctrl-C, `cancel()`).
    case interrupted(ErrorReport)
    /// Something the user did that a replay must do again (F4, Ctrl-C, a `:pane` choice), and where.
    case action(SessionAction)
    /// The cell finished (whatever the outcome) after `seconds`.
    case cellEnded(CellEnd)
}

/// A cell as the session received it.
public struct CellInfo: Sendable, Equatable {
    /// 1-based, in submission order within the session.
    public var number: Int
    public var source: String
    /// Where the source came from, for error reports (`sessions/demo.mapl`, `<cell 3>`).
    public var origin: String
    /// The line of `origin` the cell's first line is (1 for a whole file or a typed cell).
    public var firstLine: Int
    public init(number: Int, source: String, origin: String, firstLine: Int = 1) {
        self.number = number; self.source = source; self.origin = origin; self.firstLine = firstLine
    }
}

/// How a cell ended.
public struct CellEnd: Sendable, Equatable {
    public enum Outcome: String, Sendable { case ok, error, interrupted }
    public var number: Int
    public var outcome: Outcome
    public var seconds: Double
    public init(number: Int, outcome: Outcome, seconds: Double) { self.number = number; self.outcome = outcome; self.seconds = seconds }
}

/// An error as data and as the positioned report users read.
public struct ErrorReport: Sendable {
    public var error: MaplError
    /// `file:line:column: error: message`, the source line and the caret.
    public var rendered: String
    public init(error: MaplError, rendered: String) { self.error = error; self.rendered = rendered }
}

/// A warning: what looks wrong, and where when known.
public struct WarningData: Sendable, Equatable {
    public var message: String
    public var range: SourceRange?
    public init(message: String, range: SourceRange? = nil) { self.message = message; self.range = range }
}

/// One value of a named series a program reports as it runs (`report(loss)`).
public struct MetricData: Sendable, Equatable {
    public var name: String
    public var value: Double
    /// The step it belongs to (1, 2, 3, … per name unless the program gives its own).
    public var step: Double
    public init(name: String, value: Double, step: Double) { self.name = name; self.value = value; self.step = step }
}

/// The echo of a cell's value.
public struct EchoedValue: Sendable {
    /// What the value is, as data.
    public var value: ValueSnapshot
    /// Its printed form at the prompt (`Printer.repr`, with the session's precision).
    public var printed: String
    /// A matrix's grid for front ends that lay it out for their width (the notebook); nil for other values.
    public var grid: ValueGrid?
    public init(value: ValueSnapshot, printed: String, grid: ValueGrid? = nil) {
        self.value = value; self.printed = printed; self.grid = grid
    }
}

/// A tensor of rank ≥ 2 ready to lay out: its heading (`tensor [4, 3]`) and its grid.
public struct ValueGrid: Sendable {
    public var heading: String
    public var grid: MatrixGrid
    public init(heading: String, grid: MatrixGrid) { self.heading = heading; self.grid = grid }
}
