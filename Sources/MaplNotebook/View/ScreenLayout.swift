import MaplRender

/// Where everything goes on a screen of a given size: the title row, the transcript, the pane (right of
/// the transcript from `NotebookRenderer.sideBySideWidth` columns on, below it on narrower terminals), the
/// completion rows, the prompt rows and the hint row, with one-cell borders between them.
struct ScreenLayout {
    /// `full`: presentation mode, the pane alone in the body (no transcript).
    enum PanePlacement { case none, right, below, full }

    let width: Int, height: Int
    var transcript = Rect(x: 0, y: 0, width: 0, height: 0)
    var pane = Rect(x: 0, y: 0, width: 0, height: 0)
    var placement = PanePlacement.none
    /// The row of the border between the body and the prompt area.
    var separatorRow = 0
    /// Completion rows, then the pending lines, then the edited line.
    var completions = Rect(x: 0, y: 0, width: 0, height: 0)
    var pendingRows = 0
    var promptRow = 0
    /// Narrow layout: the border row between transcript and pane. Wide: the column between them.
    var dividerRow = 0, dividerColumn = 0

    init(width: Int, height: Int, state: NotebookState) {
        self.width = width; self.height = height
        let inner = width - 2
        promptRow = height - 2
        // The prompt area may take up to a third of the screen: the edited line, pending lines, candidates.
        let budget = Swift.max((height - 6) / 3, 1)
        pendingRows = Swift.min(state.prompt.pendingLines.count, budget)
        let wanted = CompletionLayout.rows(for: state.completions, width: inner)
        let completionRows = Swift.min(wanted, Swift.max(budget - pendingRows, wanted > 0 ? 1 : 0))
        let promptTop = promptRow - pendingRows - completionRows
        completions = Rect(x: 1, y: promptTop, width: inner, height: completionRows)
        separatorRow = promptTop - 1
        let bodyTop = 1, bodyHeight = separatorRow - bodyTop

        let wide = width >= NotebookRenderer.sideBySideWidth
        // The stepper's lines are long (a rule with its numbers plugged in): it gets more of the screen.
        let share = state.stepper == nil ? 0.45 : 0.55
        if state.presenting && (state.stepper != nil || state.pane != .off) {
            placement = .full
            transcript = Rect(x: 1, y: bodyTop, width: inner, height: 0)
            pane = Rect(x: 1, y: bodyTop, width: inner, height: bodyHeight)
        } else if state.paneIsVisible && wide {
            placement = .right
            let paneWidth = Int((Double(width) * share).rounded())
            dividerColumn = width - 1 - paneWidth - 1
            transcript = Rect(x: 1, y: bodyTop, width: dividerColumn - 1, height: bodyHeight)
            pane = Rect(x: dividerColumn + 1, y: bodyTop, width: width - 2 - dividerColumn, height: bodyHeight)
        } else if state.paneIsVisible && bodyHeight >= 9 {
            placement = .below
            let paneShare = state.stepper == nil ? 0.45 : 0.7
            let paneHeight = Swift.max(Int((Double(bodyHeight - 1) * paneShare).rounded()), 4)
            dividerRow = separatorRow - paneHeight - 1
            transcript = Rect(x: 1, y: bodyTop, width: inner, height: dividerRow - bodyTop)
            pane = Rect(x: 1, y: dividerRow + 1, width: inner, height: paneHeight)
        } else {
            transcript = Rect(x: 1, y: bodyTop, width: inner, height: bodyHeight)
        }
    }
}

/// Completion candidates in columns, filled down then across as a shell lists them.
enum CompletionLayout {
    /// The most rows the candidates take.
    static let maxRows = 6

    static func columnWidth(_ candidates: [String]) -> Int {
        (candidates.map { DisplayWidth.of($0) }.max() ?? 0) + 2
    }

    static func columns(for candidates: [String], width: Int) -> Int {
        Swift.max(width / Swift.max(columnWidth(candidates), 1), 1)
    }

    /// Rows wanted for all candidates (at most `maxRows`).
    static func rows(for candidates: [String], width: Int) -> Int {
        guard !candidates.isEmpty else { return 0 }
        let columns = columns(for: candidates, width: width)
        return Swift.min((candidates.count + columns - 1) / columns, maxRows)
    }

    /// Draws as many candidates as fit `rect`; the last slot says how many more there are.
    static func draw(_ candidates: [String], into grid: inout ScreenGrid, rect: Rect, options: RenderOptions) {
        guard !rect.isEmpty, !candidates.isEmpty else { return }
        let columnWidth = columnWidth(candidates)
        let columns = columns(for: candidates, width: rect.width)
        let slots = columns * rect.height
        let overflow = candidates.count > slots
        let shown = overflow ? slots - 1 : candidates.count
        let rowsUsed = Swift.min(rect.height, (Swift.max(shown, 1) + columns - 1) / columns)
        for k in 0..<shown {
            let column = k / rowsUsed, row = k % rowsUsed
            grid.write(candidates[k], x: rect.x + column * columnWidth, y: rect.y + row, style: Theme.completion(options),
                       maxWidth: Swift.min(columnWidth - 1, rect.maxX - rect.x - column * columnWidth))
        }
        if overflow {
            let text = "\(Glyphs(ascii: options.ascii).ellipsis) \(candidates.count - shown) more"
            let column = shown / rowsUsed, row = shown % rowsUsed
            grid.write(text, x: rect.x + column * columnWidth, y: rect.y + row, style: Theme.hint(options), maxWidth: rect.maxX - rect.x - column * columnWidth)
        }
    }
}
