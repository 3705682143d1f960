import Foundation
import MaplProtocol
import MaplRender
import MaplCore

/// Draws a `StepperState` into a rectangle of the screen, at any size:
///
///     node     yhat = sigmoid(z)               shape [2]
///     upstream ∂L/∂yhat = [-0.4085, 0.6201]
///     rule     sigmoid: ∂σ/∂x = σ·(1−σ)
///              = [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]
///     flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]
///     ← p back  n → next  b backward  g graph  q close
///
/// The step's lines come from `TraceLines` (the handout's own), wrapped under their label; a large tensor's
/// statistics get a mini heatmap under them when there is room; in a quiz the numbers of a step's answer
/// lines show as `?` until revealed; gradients that do not exist yet say "not computed yet". The graph view
/// draws the DAG with the current node reversed and the edges its gradient flows along marked. The title
/// (`StepperState.title`) goes in the pane's border; `title: true` draws it as the first row instead.
public enum StepperPane {
    public static func draw(_ s: StepperState, into grid: inout ScreenGrid, rect: Rect, options: RenderOptions, title: Bool = false) {
        guard !rect.isEmpty else { return }
        grid.fill(rect)
        let glyphs = Glyphs(ascii: options.ascii)
        var top = rect.y, bottom = rect.maxY
        if title {
            StyledRow(fold(s.title(glyphs), options), Theme.title(options)).draw(into: &grid, x: rect.x, y: top, maxX: rect.maxX)
            top += 1
        }
        if bottom - top >= 2 {
            bottom -= 1
            hint(s, options, width: rect.width).draw(into: &grid, x: rect.x, y: bottom, maxX: rect.maxX)
        }
        if let message = s.message, bottom - top >= 2 {
            bottom -= 1
            StyledRow(fold(message, options), Theme.line(.warning, options)).draw(into: &grid, x: rect.x, y: bottom, maxX: rect.maxX)
        }
        let room = bottom - top
        guard room > 0 else { return }
        // A large tensor's statistics read every element: the rows are made once per step and size, not per frame.
        let key = DrawKey(step: s.step, graph: s.showGraph, layers: s.layerView, expanded: s.expandedGroup, revealed: s.isRevealed,
                            width: rect.width, height: room, options: options)
        let rows = s.drawn.value(for: key) {
            s.showGraph ? graphRows(s, width: rect.width, height: room, options: options)
                        : detailRows(s, width: rect.width, height: room, options: options)
        }
        for (k, row) in rows.prefix(room).enumerated() { row.draw(into: &grid, x: rect.x, y: top + k, maxX: rect.maxX) }
    }

    /// What the rows drawn for a step depend on.
    struct DrawKey: Equatable {
        var step: Int, graph: Bool, layers: Bool, expanded: Int?, revealed: Bool, width: Int, height: Int, options: RenderOptions
    }

    /// The key hint — `← p back  n → next  b backward  g graph  l layers  q close` — or, when that does not
    /// fit `width`, the keys with shorter words, or the keys alone.
    static func hint(_ s: StepperState, _ options: RenderOptions, width: Int = .max) -> StyledRow {
        let a = options.ascii
        var keys: [(key: String, word: String)] = []
        if s.quiz && !s.isRevealed { keys.append(("r", "reveal")) }
        keys += [(a ? "<- p" : "← p", "back"), ("n", a ? "-> next" : "→ next")]
        if s.currentGroup != nil { keys.append(("e", s.showsWholeLayer ? "expand" : "collapse")) }
        keys += [("b", "backward"), ("g", s.showGraph ? "numbers" : "graph")]
        if s.index.hasLayers { keys.append(("l", s.layerView ? "ops" : "layers")) }
        keys.append(("q", "close"))
        let forms = [keys.map { "\($0.key) \($0.word)" }.joined(separator: "  "),
                     keys.map { "\($0.key) \($0.word)" }.joined(separator: " "),
                     keys.map { $0.key.split(separator: " ").last.map(String.init) ?? $0.key }.joined(separator: " ")]
        let text = forms.first { DisplayWidth.of($0) <= width } ?? forms[2]
        return StyledRow(text, Theme.hint(options))
    }

    // MARK: - The step's numbers

    /// The current step's (or layer's) lines, wrapped, with mini heatmaps when everything fits with them.
    static func detailRows(_ s: StepperState, width: Int, height: Int, options: RenderOptions) -> [StyledRow] {
        let lines: [TraceLine]
        if let g = s.currentGroup, s.showsWholeLayer {
            lines = TraceLines.lines(group: g, in: s.index, printer: s.printer)
        } else {
            lines = TraceLines.lines(step: s.step, in: s.index, detail: .stepper, printer: s.printer)
        }
        guard !lines.isEmpty else { return [StyledRow(s.trace.note ?? "(an empty trace)", Theme.hint(options))] }
        // Matrices as grids when they fit (or up to the session's show_limit): every one, else those of the
        // lines a step is about (its value, the gradient that flows), else none (their statistics).
        var made: [Block] = []
        for grids in [GridChoice.all, .answers, .none] {
            made = blocks(lines, s, grids: grids, width: width, height: height, options: options)
            if s.printer.showLimit != nil || made.flatMap(\.rows).count <= height { break }
        }
        return fitted(made, width: width, height: height, options: options)
    }

    /// Which lines' matrices show as grids.
    enum GridChoice { case all, answers, none }

    /// One line's rows (wrapped, then its grid), the mini heatmap that may go under them, and the maps of a
    /// tensor of rank ≥ 3 (feature maps, kernels), drawn as large as the room left allows.
    struct Block {
        var rows: [StyledRow]
        var pictures: [StyledRow]
        var maps: Tensor? = nil
        var answer = false
    }

    /// The rows of each line (wrapped, then its grid) and the picture that may go under them.
    private static func blocks(_ lines: [TraceLine], _ s: StepperState, grids: GridChoice, width: Int, height: Int,
                               options: RenderOptions) -> [Block] {
        let hidden = !s.isRevealed
        var blocks: [Block] = []
        for line in lines {
            let (row, large, grid) = styled(line, hidden: hidden && line.isAnswer, printer: s.printer, width: width,
                                            gridRows: grids == .all || (grids == .answers && line.isAnswer) ? height : 0, options: options)
            var rows = row.wrapped(width: width, indent: TraceLines.labelWidth)
            if let grid { rows += gridRows(grid, width: width, options: options) }
            var pictures: [StyledRow] = []
            if let t = large, FeatureMaps.applies(to: t) {
                blocks.append(Block(rows: rows, pictures: [], maps: t, answer: line.isAnswer))
                continue
            }
            if let t = large, width - TraceLines.labelWidth >= 8 {
                let style = DigitsPaneData.style(options)
                if let p = Heatmap.mini(t, columns: Swift.min(width - TraceLines.labelWidth, 48), rows: t.rank >= 2 ? 2 : 1, style: style) {
                    pictures = p.rows.map { cells in
                        var row = StyledRow(String(repeating: " ", count: TraceLines.labelWidth))
                        for cell in cells { row.append(String(cell.character), Theme.ink(cell.ink, options)) }
                        return row
                    }
                }
            }
            blocks.append(Block(rows: rows, pictures: pictures))
        }
        return blocks
    }

    /// The blocks cut to `height` rows: with every picture when all fit, else the pictures that fit in order,
    /// else the first rows and a note of how many more there are. Maps take the room the text and the mini
    /// heatmaps leave, the step's own (its value, what flows) first.
    private static func fitted(_ blocks: [Block], width: Int, height: Int, options: RenderOptions) -> [StyledRow] {
        var blocks = blocks
        let text = blocks.flatMap(\.rows)
        guard text.count <= height else {
            let more = text.count - (height - 1)
            return Array(text.prefix(height - 1)) + [StyledRow("\(Glyphs(ascii: options.ascii).ellipsis) \(more) more row\(more == 1 ? "" : "s") (a taller pane shows them)", Theme.hint(options))]
        }
        let minis = blocks.reduce(0) { $0 + $1.pictures.count }
        var room = Swift.max(height - text.count - minis, 0)
        let order = blocks.indices.filter { blocks[$0].maps != nil }.sorted { (blocks[$0].answer ? 0 : 1, $0) < (blocks[$1].answer ? 0 : 1, $1) }
        for (k, i) in order.enumerated() {
            guard let t = blocks[i].maps else { continue }
            let share = room / (order.count - k)
            blocks[i].pictures = FeatureMaps.rows(t, width: width - TraceLines.labelWidth, height: share, options: options)
                .map { var row = StyledRow(String(repeating: " ", count: TraceLines.labelWidth)); row.runs += $0.runs; return row }
            room -= blocks[i].pictures.count
        }
        // Pictures while they fit, in order.
        var out: [StyledRow] = [], spare = height - text.count
        for b in blocks {
            out += b.rows
            if b.pictures.count <= spare { out += b.pictures; spare -= b.pictures.count }
        }
        return out
    }

    /// A matrix's grid under its line, indented to the values' column, signs coloured.
    static func gridRows(_ grid: MatrixGrid, width: Int, options: RenderOptions) -> [StyledRow] {
        let indent = String(repeating: " ", count: TraceLines.labelWidth)
        return grid.lines.indices.map { k in
            var row = StyledRow(indent)
            for piece in grid.line(k, width: Swift.max(width - TraceLines.labelWidth, 1), ascii: options.ascii) {
                row.append(piece.text, Theme.sign(piece.kind, options))
            }
            return row
        }
    }

    /// Whether `t` shows as a grid in the stepper: a matrix (or a tensor of higher rank) up to the session's
    /// `show_limit` elements when set; else when its rows fit `rows` (0: never).
    static func showsAsGrid(_ t: Tensor, printer: Printer, rows: Int) -> Bool {
        guard t.rank >= 2, t.count > 0 else { return false }
        if let limit = printer.showLimit { return t.count <= limit }
        let matrixRows = t.count / Swift.max(t.shape.last ?? 1, 1)
        return rows > 0 && matrixRows <= rows && t.count <= 4096
    }

    /// A line as one styled row (not yet wrapped), its large tensor if it has one worth a heatmap, and the grid
    /// drawn under it when a value shows as one (at most one a line: the line's first matrix).
    static func styled(_ line: TraceLine, hidden: Bool, printer: Printer, width: Int, gridRows rows: Int = 0,
                       options: RenderOptions) -> (StyledRow, Tensor?, MatrixGrid?) {
        var row = StyledRow()
        let label = line.label
        row.append(label, Theme.title(options))
        row.append(String(repeating: " ", count: TraceLines.labelWidth - Swift.min(label.count, TraceLines.labelWidth - 1)))
        var large: Tensor? = nil
        var grid: MatrixGrid? = nil
        let value = valueStyle(options), secret = TextStyle(reverse: true)
        for part in line.parts {
            switch part {
            case .text(let t):
                // A short note in parentheses ("  (share 1 of 2)") wraps as a whole.
                let note = t.hasPrefix("  (") && t.hasSuffix(")") && t.count <= 40
                row.append(fold(t, options), .plain, together: note)
            case .numbers(let t): hidden ? row.append(" ? ", secret) : row.append(fold(t, options), value)
            case .value(let t):
                if hidden { row.append(" ? ", secret); continue }
                if grid == nil, showsAsGrid(t, printer: printer, rows: rows) {
                    row.append(shapeString(t.shape), value)
                    let keep = printer.showLimit.map { _ in Swift.max(rows, 6) } ?? Int.max
                    grid = MatrixGrid(shape: t.shape, values: t.scalars, precision: printer.precision, maxRows: keep)
                    continue
                }
                row.append(fold(TraceLines.valueText(t, printer: printer), options), value)
                if t.count > Swift.min(TraceLines.fullLimit, printer.showLimit ?? TraceLines.fullLimit) { large = t }
            case .pending(let t): row.append(fold(t, options), pendingStyle(options))
            case .column(let c):
                let at = row.width
                row.append(String(repeating: " ", count: c < width && at < c ? c - at : 2))
            }
        }
        return (row, large, grid)
    }

    static func valueStyle(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .yellow) : .plain }
    static func pendingStyle(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .magenta, bold: true) : TextStyle(bold: true) }
    static func fold(_ s: String, _ o: RenderOptions) -> String { o.ascii ? ASCIIFold.fold(s) : s }

    // MARK: - The graph

    /// The node line, then the DAG scrolled so the current node stays in view: the current node reversed, the
    /// edges to its inputs (along which its gradient flows on the backward pass, and values come in on the
    /// forward pass) bold and marked, and each node's gradient as far as the walk has computed it.
    static func graphRows(_ s: StepperState, width: Int, height: Int, options: RenderOptions) -> [StyledRow] {
        guard let step = s.current else { return [] }
        let graph = StepperGraph(s.index, ascii: options.ascii)
        var head = StyledRow("node", Theme.title(options))
        head.append(String(repeating: " ", count: TraceLines.labelWidth - 4))
        head.append(fold(step.formula, options))
        if s.showsWholeLayer, let g = s.currentGroup { head.append(fold("   (layer \(s.index.groups[g].name))", options), Theme.hint(options)) }
        var rows = [head]
        let room = height - 1
        guard room > 0, !graph.rows.isEmpty else { return rows }
        let here = graph.row(of: step.nodeID) ?? 0
        let start = Swift.min(Swift.max(here - room / 2, 0), Swift.max(graph.rows.count - room, 0))
        let backward = s.phase == .backward
        let inGroup: Set<Int> = s.showsWholeLayer ? Set(s.currentGroup.map { s.index.groups[$0].steps.compactMap { s.trace.step($0)?.nodeID } } ?? []) : []
        let edge = options.color ? TextStyle(foreground: .green, bold: true) : TextStyle(bold: true)
        for r in graph.rows[start...].prefix(room) {
            var row = StyledRow(r.prefix, Theme.ink(.axis, options))
            // Values come in from every input; the gradient goes out only to inputs that need one.
            let flows = r.parent == step.nodeID && (!backward || s.index.forwardStep(of: r.node)?.requiresGrad == true)
            row.append(r.branch, flows ? edge : Theme.ink(.axis, options))
            let node = s.index.forwardStep(of: r.node)
            var text = node?.formula ?? "#\(r.node)"
            if let node { text += "  " + shapeString(node.shape) }
            if r.repeated { text += "  (see above)" }
            let current = r.node == step.nodeID && !r.repeated
            let style: TextStyle = current ? TextStyle(bold: true, reverse: true) : (inGroup.contains(r.node) ? TextStyle(bold: true) : .plain)
            row.append(fold(text, options), style)
            if let mark = gradientMark(s, node: r.node, options: options) { row.append("  " + mark, valueStyle(options)) }
            if flows {
                let a = options.ascii
                row.append(backward ? (a ? "  <- d flows here" : "  ◀ ∂ flows here") : (a ? "  -> input" : "  ▶ input"), edge)
            }
            rows.append(row)
        }
        return rows
    }

    /// `∂ ✓` once the node's gradient is known, `∂ 1/2` while its uses' shares come in; nothing before.
    static func gradientMark(_ s: StepperState, node: Int, options: RenderOptions) -> String? {
        switch s.index.gradient(of: node, atStep: s.step) {
        case .complete: return options.ascii ? "d ok" : "∂ ✓"
        case .partial(let received, let expected): return fold("∂ \(received.count)/\(expected)", options)
        case .notComputedYet, .notNeeded: return nil
        }
    }
}
