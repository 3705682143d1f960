import MaplProtocol
import MaplRender

/// How each part of the screen is styled. Colours only with `RenderOptions.color`; without them only the
/// attributes (bold, dim, reverse) remain, so errors still stand out.
enum Theme {
    /// One colour per series: the loss per batch, the epoch means, validation, then further series.
    static let seriesColors: [TerminalColor] = [.cyan, .yellow, .magenta, .green, .blue, .red]

    static func series(_ k: Int, _ o: RenderOptions) -> TextStyle {
        o.color ? TextStyle(foreground: seriesColors[((k % seriesColors.count) + seriesColors.count) % seriesColors.count]) : .plain
    }

    static func ink(_ ink: Picture.Ink, _ o: RenderOptions) -> TextStyle {
        switch ink {
        case .text: return .plain
        case .axis: return o.color ? TextStyle(foreground: .brightBlack) : .plain
        case .series(let k): return series(k, o)
        case .grey(let top, let bottom):
            return o.color ? TextStyle(foreground: .grey(Double(top)), background: .grey(Double(bottom))) : .plain
        case .emphasis: return o.color ? TextStyle(foreground: .green, bold: true) : TextStyle(bold: true)
        }
    }

    static func line(_ kind: TranscriptLineKind, _ o: RenderOptions) -> TextStyle {
        switch kind {
        case .input, .inputContinuation: return TextStyle(bold: true)
        case .text, .value, .table, .trace, .training: return .plain
        case .paneNote, .elision, .note: return o.color ? TextStyle(foreground: .brightBlack) : TextStyle(dim: true)
        case .warning, .interrupted: return o.color ? TextStyle(foreground: .yellow) : TextStyle(bold: true)
        case .error: return o.color ? TextStyle(foreground: .red) : TextStyle(bold: true)
        }
    }

    /// A matrix cell by its sign: negatives red, positives cyan, zeros dim; without colours the sign alone.
    static func sign(_ kind: MatrixGrid.Piece.Kind, _ o: RenderOptions) -> TextStyle {
        guard o.color else { return .plain }
        switch kind {
        case .negative: return TextStyle(foreground: .red)
        case .positive: return TextStyle(foreground: .cyan)
        case .zero, .gap: return TextStyle(foreground: .brightBlack)
        }
    }

    static func cellNumber(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .cyan, bold: true) : TextStyle(bold: true) }
    static func progress(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .green) : .plain }
    static func border(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .brightBlack) : .plain }
    static func title(_ o: RenderOptions) -> TextStyle { TextStyle(bold: true) }
    static func hint(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .brightBlack) : .plain }
    static func marker(_ o: RenderOptions) -> TextStyle { TextStyle(reverse: true) }
    static func prompt(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .cyan, bold: true) : TextStyle(bold: true) }
    static func completion(_ o: RenderOptions) -> TextStyle { o.color ? TextStyle(foreground: .yellow) : .plain }
}
