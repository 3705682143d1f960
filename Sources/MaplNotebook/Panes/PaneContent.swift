import MaplProtocol
import MaplRender

/// What the renderer needs of a pane kind's data: its title, a stamp that changes whenever its picture would
/// (the render cache draws again on a new one), and its picture. A new kind of pane is one type conforming,
/// and its case in `PaneKind` and `PaneData`.
protocol PaneContent {
    var stamp: Int { get }
    /// The title on the pane's border.
    func title(_ glyphs: Glyphs) -> String
    /// The picture for a `width`×`height` pane, scrolled `scroll` rows down (a pane that does not scroll
    /// ignores it).
    func picture(width: Int, height: Int, scroll: Int, options: RenderOptions) -> Picture
    /// Whether PgUp/PgDn and the wheel over the pane scroll it.
    var scrolls: Bool { get }
}

extension PaneContent {
    var scrolls: Bool { false }
}

extension LossPaneData: PaneContent {
    func picture(width: Int, height: Int, scroll: Int, options: RenderOptions) -> Picture { picture(width: width, height: height, options: options) }
}

extension HistPaneData: PaneContent {
    func picture(width: Int, height: Int, scroll: Int, options: RenderOptions) -> Picture { picture(width: width, height: height, options: options) }
}

extension DigitsPaneData: PaneContent {
    func picture(width: Int, height: Int, scroll: Int, options: RenderOptions) -> Picture { picture(width: width, height: height, options: options) }
}

extension GraphPaneData: PaneContent {
    var scrolls: Bool { true }
}

extension PaneData {
    /// The data `kind` shows; nil for `off`.
    func content(_ kind: PaneKind) -> (any PaneContent)? {
        switch kind {
        case .loss: return loss
        case .hist: return hist
        case .digits: return digits
        case .graph: return graph
        case .off: return nil
        }
    }
}
