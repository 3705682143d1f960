import Foundation
import MaplRender

/// Options that change how every frame is drawn.
public struct RenderOptions: Sendable, Equatable {
    /// Plain ASCII only (`--ascii`): no braille, no block elements, no box drawing.
    public var ascii: Bool
    /// Colours allowed (off with `NO_COLOR` or a terminal without colours).
    public var color: Bool
    public init(ascii: Bool = false, color: Bool = true) { self.ascii = ascii; self.color = color }
}

/// A drawn frame: the screen and where the terminal's cursor goes (in the prompt).
public struct Frame: Sendable {
    public var grid: ScreenGrid
    /// Column and row of the cursor; nil to hide it (too small a terminal).
    public var cursor: (x: Int, y: Int)?
    /// The transcript's scroll offset actually drawn (the state's, clamped to the top of the transcript).
    public var scrollOffset: Int
    public init(grid: ScreenGrid, cursor: (x: Int, y: Int)?, scrollOffset: Int = 0) {
        self.grid = grid; self.cursor = cursor; self.scrollOffset = scrollOffset
    }
}

/// Draws a `NotebookState` into a grid of the terminal's size: title, transcript, pane (right of the
/// transcript when the terminal is wide, below it when narrow), completions, prompt and hint. Below the
/// minimum size it draws only "terminal too small (need W×H)".
///
///     ┌ mapl ─ sessions/mnist.mapl ────────────┬ loss ─ fit(…) ─────────────┐
///     │ [1] train = mnist("train")              │ 2.3 ┤⡀                      │
///     │     dataset: 60000 images …             │     │⠈⢆   …                 │
///     ├─────────────────────────────────────────┴────────────────────────────┤
///     │ [5]> show(test, 7)                                                    │
///     └ F2 pane · PgUp/PgDn scroll · Tab complete · Ctrl-C stop · Ctrl-D quit ┘
///
/// A frame costs what is on screen: transcript entries wrap lazily from the newest up, their row counts
/// are cached per width, and the pane's picture is cached until its data, size or options change.
public enum NotebookRenderer {
    /// The smallest terminal the notebook draws in.
    public static let minimumWidth = 40
    public static let minimumHeight = 12
    /// From this width on the pane stands right of the transcript (about 45 % of the width); below it,
    /// under the transcript.
    public static let sideBySideWidth = 100

    public static func render(_ state: NotebookState, width: Int, height: Int, options: RenderOptions = RenderOptions()) -> Frame {
        var grid = ScreenGrid(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            let glyphs = Glyphs(ascii: options.ascii)
            let message = "terminal too small (need \(minimumWidth)\(glyphs.times)\(minimumHeight))"
            for (k, row) in PaneText.wrapWords(message, width: Swift.max(width, 1)).enumerated() { grid.write(row, x: 0, y: k) }
            return Frame(grid: grid, cursor: nil)
        }
        let layout = ScreenLayout(width: width, height: height, state: state)
        let glyphs = Glyphs(ascii: options.ascii)
        drawBorders(state, layout, into: &grid, glyphs: glyphs, options: options)

        state.cache.setViewport(width: layout.transcript.width, height: layout.transcript.height, ascii: options.ascii)
        let offset = TranscriptLayout.draw(state, into: &grid, rect: layout.transcript, options: options)

        if layout.placement != .none {
            drawPane(state, into: &grid, rect: layout.pane, options: options)
        }
        CompletionLayout.draw(state.completions, into: &grid, rect: layout.completions, options: options)
        let cursor = PromptView.draw(state.prompt, pendingRows: layout.pendingRows, into: &grid, x: 1, row: layout.promptRow,
                                     width: width - 2, options: options)
        return Frame(grid: grid, cursor: cursor, scrollOffset: offset)
    }

    /// The pane's picture (cached) drawn into `rect`.
    private static func drawPane(_ state: NotebookState, into grid: inout ScreenGrid, rect: Rect, options: RenderOptions) {
        guard !rect.isEmpty else { return }
        if let stepper = state.stepper {
            StepperPane.draw(stepper, into: &grid, rect: rect, options: options)
            return
        }
        let kind = state.pane
        let content = state.panes.content(kind)
        let scroll = content?.scrolls == true ? state.paneScroll : 0
        let key = RenderCache.PaneKey(kind: kind, stamp: content?.stamp ?? 0, width: rect.width, height: rect.height,
                                      options: options, scroll: scroll)
        let picture = state.cache.panePicture(key) {
            content?.picture(width: rect.width, height: rect.height, scroll: scroll, options: options) ?? Picture()
        }
        state.cache.lastPaneHeight = rect.height
        grid.draw(picture, in: rect, options: options)
    }

    /// The pane's title for its border.
    static func paneTitle(_ state: NotebookState, glyphs: Glyphs) -> String {
        var title = state.panes.content(state.pane)?.title(glyphs) ?? ""
        if state.pinned && state.stepper == nil { title += " (pinned)" }
        if let stepper = state.stepper { title = stepper.title(glyphs) }
        return glyphs.ascii ? ASCIIFold.fold(title) : title
    }

    /// The outer box, the title row, the divider between transcript and pane (with the pane's title), the
    /// separator above the prompt area and the hint in the bottom row.
    private static func drawBorders(_ state: NotebookState, _ layout: ScreenLayout, into grid: inout ScreenGrid,
                                    glyphs: Glyphs, options: RenderOptions) {
        let w = layout.width, h = layout.height
        let style = Theme.border(options)
        let a = options.ascii
        let horizontal = String(glyphs.horizontal), vertical = String(glyphs.vertical)
        func hline(_ y: Int, _ left: String, _ right: String) {
            grid.write(left + String(repeating: horizontal, count: w - 2) + right, x: 0, y: y, style: style)
        }
        hline(0, a ? "+" : "┌", a ? "+" : "┐")
        for y in 1..<(h - 1) {
            grid.write(vertical, x: 0, y: y, style: style)
            grid.write(vertical, x: w - 1, y: y, style: style)
        }
        hline(layout.separatorRow, a ? "+" : "├", a ? "+" : "┤")
        hline(h - 1, a ? "+" : "└", a ? "+" : "┘")

        switch layout.placement {
        case .right:
            let x = layout.dividerColumn
            grid.write(a ? "+" : "┬", x: x, y: 0, style: style)
            for y in 1..<layout.separatorRow { grid.write(vertical, x: x, y: y, style: style) }
            grid.write(a ? "+" : "┴", x: x, y: layout.separatorRow, style: style)
            title(paneTitle(state, glyphs: glyphs), x: x + 1, y: 0, end: w - 1, into: &grid, options: options)
        case .below:
            hline(layout.dividerRow, a ? "+" : "├", a ? "+" : "┤")
            title(paneTitle(state, glyphs: glyphs), x: 1, y: layout.dividerRow, end: w - 1, into: &grid, options: options)
        case .none, .full:
            break
        }
        let titleEnd = layout.placement == .right ? layout.dividerColumn : w - 1
        var text = a ? ASCIIFold.fold(state.title) : state.title
        if state.isRunning { text += " \(glyphs.horizontal) running" }
        // Presenting, the top border names what the pane shows (and says how to get the transcript back).
        if layout.placement == .full { text = paneTitle(state, glyphs: glyphs) + " \(glyphs.horizontal) F5 transcript" + (state.isRunning ? " \(glyphs.horizontal) running" : "") }
        title(text, x: 1, y: 0, end: titleEnd, into: &grid, options: options)
        let hint = a ? ASCIIFold.fold(state.hint.replacingOccurrences(of: " · ", with: " | ")) : state.hint
        title(hint, x: 1, y: h - 1, end: w - 1, into: &grid, options: options, style: Theme.hint(options))
    }

    /// ` text ` set into a border row from column `x`, clipped before `end` (leaving a border cell).
    private static func title(_ text: String, x: Int, y: Int, end: Int, into grid: inout ScreenGrid, options: RenderOptions,
                              style: TextStyle? = nil) {
        guard end - x >= 4, !text.isEmpty else { return }
        let room = end - x - 2
        let shown = DisplayWidth.of(text) > room ? String(text[..<Wrap.prefix(text, columns: room - 1)]) + (options.ascii ? "~" : "…") : text
        let after = grid.write(" ", x: x, y: y, style: Theme.border(options))
        let next = grid.write(shown, x: after, y: y, style: style ?? Theme.title(options), maxWidth: room)
        grid.write(" ", x: next, y: y, style: Theme.border(options))
    }
}
