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
}

/// Draws a `NotebookState` into a grid of the terminal's size: title, transcript, pane (right of the
/// transcript when the terminal is wide, below it when narrow), completions, prompt and hint. Below the
/// minimum size it draws only "terminal too small (need W×H)".
public enum NotebookRenderer {
    /// The smallest terminal the notebook draws in.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public static func render(_ state: NotebookState, width: Int, height: Int, options: RenderOptions = RenderOptions()) -> Frame {
        var grid = ScreenGrid(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            grid.write("terminal too small (need \(minimumWidth)×\(minimumHeight))", x: 0, y: 0)
            return Frame(grid: grid, cursor: nil)
        }
        // Implemented by the notebook view work.
        let y = height - 2
        let end = grid.write(state.prompt.prompt + state.prompt.text, x: 0, y: y)
        grid.write(state.hint, x: 0, y: height - 1)
        return Frame(grid: grid, cursor: (end, y))
    }
}
